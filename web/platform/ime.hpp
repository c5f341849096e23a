// IME (input method) support for ImGui text fields in the browser: Chinese, Japanese, Korean
// input, dictation and emoji pickers (ime_web.cpp + shell/ime_bridge.js). Browser only.
#pragma once

namespace wirecheck::web {

// Once, before glfwInit: its key listeners must run after the bridge's.
void install_browser_ime();
// Every frame after ImGui::Render: moves the bridge to the active field's caret, or releases it.
void update_browser_ime();

}  // namespace wirecheck::web
