// Font atlas set-up. The font bytes stay owned by AppState (FontDataOwnedByAtlas = false).
#include "fonts.hpp"

#include <imgui.h>

namespace wirecheck::web {

bool build_fonts(const std::string& ui_font, const std::string& mono_font, float base_px, float dpr) {
    if (ui_font.empty()) return false;
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;
    config.OversampleH = 2;
    static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2190, 0x21FF, 0x2713, 0x2717, 0};
    ImFont* ui = io.Fonts->AddFontFromMemoryTTF(const_cast<char*>(ui_font.data()),
                                                static_cast<int>(ui_font.size()), base_px * dpr,
                                                &config, ranges);
    if (!mono_font.empty()) {
        io.Fonts->AddFontFromMemoryTTF(const_cast<char*>(mono_font.data()),
                                       static_cast<int>(mono_font.size()), base_px * dpr, &config,
                                       ranges);
    }
    if (!ui || !io.Fonts->Build()) {
        io.Fonts->Clear();
        io.Fonts->AddFontDefault();
        io.Fonts->Build();
        return false;
    }
    io.FontDefault = ui;
    return true;
}

}  // namespace wirecheck::web
