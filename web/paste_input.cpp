// The paste bridge's ImGui side (paste_input.hpp).
#include "paste_input.hpp"

#include <imgui.h>

namespace wirecheck::web {
namespace {

struct Bridge {
    std::string text;  // the clipboard as far as ImGui knows it
    ClipboardWriter write = nullptr;
};

Bridge& bridge() {
    static Bridge b;
    return b;
}

const char* get_clipboard(void*) { return bridge().text.c_str(); }

void set_clipboard(void*, const char* text) {
    bridge().text = text ? text : "";
    if (bridge().write) bridge().write(bridge().text.c_str());
}

}  // namespace

void install_paste_bridge(ClipboardWriter write_os_clipboard) {
    ImGuiIO& io = ImGui::GetIO();
    bridge().write = write_os_clipboard;
    io.GetClipboardTextFn = get_clipboard;
    io.SetClipboardTextFn = set_clipboard;
    io.ClipboardUserData = nullptr;
}

void on_browser_paste(const char* utf8, bool imgui_shortcut) {
    bridge().text = utf8 ? utf8 : "";
    if (!imgui_shortcut && !bridge().text.empty() && ImGui::GetCurrentContext())
        ImGui::GetIO().AddInputCharactersUTF8(bridge().text.c_str());
}

const std::string& paste_bridge_text() { return bridge().text; }

}  // namespace wirecheck::web
