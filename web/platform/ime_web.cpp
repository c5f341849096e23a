// IME input in the browser: shell/ime_bridge.js keeps a transparent textarea at the active ImGui
// field's caret for the OS input method and hands committed text back here.
#include <emscripten/emscripten.h>
#include <imgui.h>
#include <imgui_internal.h>

#include "platform/ime.hpp"

extern "C" {
void wc_ime_install();                                  // ime_bridge.js
void wc_ime_update(int active, float x, float y, float h);  // ime_bridge.js

EMSCRIPTEN_KEEPALIVE void wc_ime_commit(const char* utf8) {
    if (ImGui::GetCurrentContext() && utf8) ImGui::GetIO().AddInputCharactersUTF8(utf8);
}
}

namespace wirecheck::web {

void install_browser_ime() { wc_ime_install(); }

void update_browser_ime() {
    static bool was_active = false;
    static ImVec2 last_pos(-1, -1);
    ImGuiContext& g = *ImGui::GetCurrentContext();
    bool active = g.IO.WantTextInput;
    ImVec2 pos = g.PlatformImePos;
    if (active == was_active && (!active || (pos.x == last_pos.x && pos.y == last_pos.y))) return;
    was_active = active;
    last_pos = pos;
    wc_ime_update(active ? 1 : 0, pos.x, pos.y, g.FontSize);
}

}  // namespace wirecheck::web
