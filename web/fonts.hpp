// Builds the ImGui font atlas from font files fetched at start-up, at the screen's pixel density
// so text stays sharp on hi-DPI screens. The CJK font arrives later (cjk_font.hpp) and is merged
// into both fonts when the atlas is rebuilt.
#pragma once

#include <string>

namespace wirecheck::web {

// Replaces the atlas with the UI font (and the monospace font merged as a second font) at
// `base_px` CSS pixels times `dpr`. Returns false (atlas unchanged) when the data is unusable.
// The caller must rebuild the renderer's font texture afterwards.
bool build_fonts(const std::string& ui_font, const std::string& mono_font, float base_px, float dpr);

// As above, with `cjk_font` (when not empty) merged into both fonts for Chinese text. When the
// CJK data is unusable the atlas is built without it; `cjk_merged` (optional) says which.
bool build_fonts(const std::string& ui_font, const std::string& mono_font,
                 const std::string& cjk_font, float base_px, float dpr, bool* cjk_merged = nullptr);

// The code points merged from the CJK font (only those the subset has become glyphs).
const unsigned short* cjk_glyph_ranges();

}  // namespace wirecheck::web
