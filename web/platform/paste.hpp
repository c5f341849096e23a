// The browser's clipboard for ImGui text fields (paste_web.cpp + shell/clipboard_bridge.js; the
// ImGui side is web/paste_input.hpp). Browser only: native builds have no implementation.
#pragma once

namespace wirecheck::web {

// Call once after ImGui_ImplGlfw_InitForOpenGL: Ctrl+V pastes the OS clipboard, ImGui's copies
// reach it.
void install_browser_paste();

}  // namespace wirecheck::web
