// Builds the ImGui font atlas from font files fetched at start-up, at the screen's pixel density
// so text stays sharp on hi-DPI screens.
#pragma once

#include <string>

namespace wirecheck::web {

// Replaces the atlas with the UI font (and the monospace font merged as a second font) at
// `base_px` CSS pixels times `dpr`. Returns false (atlas unchanged) when the data is unusable.
// The caller must rebuild the renderer's font texture afterwards.
bool build_fonts(const std::string& ui_font, const std::string& mono_font, float base_px, float dpr);

}  // namespace wirecheck::web
