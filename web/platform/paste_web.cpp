// The paste bridge in the browser: shell/clipboard_bridge.js listens for 'paste' events and calls
// wc_on_paste; ImGui's copies go to navigator.clipboard. The logic is in paste_input.cpp.
#include <emscripten/emscripten.h>

#include "paste_input.hpp"
#include "platform/paste.hpp"

extern "C" {
void wc_clipboard_listen();                   // clipboard_bridge.js
void wc_clipboard_write_text(const char* s);  // clipboard_bridge.js

// From the paste listener: the pasted text (UTF-8) and whether the keydown before it was Ctrl+V
// or Shift+Insert (ImGui pastes those itself on the next frame).
EMSCRIPTEN_KEEPALIVE void wc_on_paste(const char* utf8, int imgui_shortcut) {
    wirecheck::web::on_browser_paste(utf8, imgui_shortcut != 0);
}
}

namespace wirecheck::web {

// Call once after ImGui_ImplGlfw_InitForOpenGL (it installs GLFW's clipboard callbacks, which in
// Emscripten do nothing).
void install_browser_paste() {
    install_paste_bridge(wc_clipboard_write_text);
    wc_clipboard_listen();
}

}  // namespace wirecheck::web
