// Font atlas set-up. The font bytes stay owned by AppState (FontDataOwnedByAtlas = false).
#include "fonts.hpp"

#include <imgui.h>

namespace wirecheck::web {
namespace {

const ImWchar kLatinRanges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x21FF, 0x2713, 0x2717, 0};
// CJK punctuation, kana, unified ideographs (+ extension A, compatibility), full-width forms.
// ImGui rasterises only the code points the font has, so wide ranges cost nothing extra.
const ImWchar kCjkRanges[] = {0x2E80, 0x2FFF, 0x3000, 0x30FF, 0x3400, 0x4DBF, 0x4E00, 0x9FFF,
                              0xF900, 0xFAFF, 0xFE30, 0xFE4F, 0xFF00, 0xFFEF, 0};

// An sfnt header (TrueType, OpenType/CFF, a collection): ImGui asserts on anything else.
bool looks_like_font(const std::string& data) {
    if (data.size() < 12) return false;
    std::string tag = data.substr(0, 4);
    return tag == std::string("\0\1\0\0", 4) || tag == "OTTO" || tag == "true" || tag == "ttcf";
}

// Adds `font` (and `cjk` merged into it) at the atlas's pixel size; nullptr when unusable.
ImFont* add_font(const std::string& font, const std::string& cjk, float size_px) {
    ImGuiIO& io = ImGui::GetIO();
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;
    config.OversampleH = 2;
    ImFont* added = io.Fonts->AddFontFromMemoryTTF(const_cast<char*>(font.data()),
                                                   static_cast<int>(font.size()), size_px, &config,
                                                   kLatinRanges);
    if (added && looks_like_font(cjk)) {
        ImFontConfig merge;
        merge.FontDataOwnedByAtlas = false;
        merge.MergeMode = true;
        merge.OversampleH = 1;  // ideographs gain nothing from it, and it halves their atlas area
        merge.PixelSnapH = true;
        io.Fonts->AddFontFromMemoryTTF(const_cast<char*>(cjk.data()), static_cast<int>(cjk.size()),
                                       size_px, &merge, kCjkRanges);
    }
    return added;
}

bool build(const std::string& ui_font, const std::string& mono_font, const std::string& cjk,
           float size_px) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    // WebGL2 takes any texture height: no rounding up to a power of two (it would double the
    // atlas once the CJK glyphs are in).
    io.Fonts->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    ImFont* ui = add_font(ui_font, cjk, size_px);
    if (ui && looks_like_font(mono_font)) add_font(mono_font, cjk, size_px);
    if (!ui || !io.Fonts->Build()) return false;
    io.FontDefault = ui;
    return true;
}

}  // namespace

bool build_fonts(const std::string& ui_font, const std::string& mono_font, float base_px, float dpr) {
    return build_fonts(ui_font, mono_font, std::string(), base_px, dpr);
}

bool build_fonts(const std::string& ui_font, const std::string& mono_font,
                 const std::string& cjk_font, float base_px, float dpr, bool* cjk_merged) {
    if (cjk_merged) *cjk_merged = false;
    if (!looks_like_font(ui_font)) return false;
    float size_px = base_px * dpr;
    if (looks_like_font(cjk_font) && build(ui_font, mono_font, cjk_font, size_px)) {
        if (cjk_merged) *cjk_merged = true;
        return true;
    }
    if (build(ui_font, mono_font, std::string(), size_px)) return true;
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    io.Fonts->AddFontDefault();
    io.Fonts->Build();
    return false;
}

const unsigned short* cjk_glyph_ranges() { return kCjkRanges; }

}  // namespace wirecheck::web
