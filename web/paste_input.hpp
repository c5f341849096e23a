// Paste into ImGui text fields from the browser's clipboard. The browser hands clipboard text
// only to a 'paste' event (shell/clipboard_bridge.js -> web/platform/paste_web.cpp), and
// Emscripten's GLFW keeps no clipboard of its own, so ImGui's Ctrl+V found nothing. Here:
//  - the pasted text becomes what ImGui's GetClipboardTextFn returns. The paste event fires in
//    the same task as the Ctrl+V keydown, before the next frame, so ImGui's own Ctrl+V /
//    Shift+Insert handling pastes it on that frame: once, with ImGui's filtering (newlines only in
//    multiline fields, replacing the selection);
//  - a paste ImGui does not see as a shortcut (Cmd+V on macOS, a browser menu) is typed in as
//    characters instead ('\n' becomes a newline in multiline fields; '\r' is dropped);
//  - ImGui's own copy/cut (Ctrl+C / Ctrl+X in a field) updates the same text and the OS clipboard.
// Platform-neutral (ImGui only), so native tests drive it.
#pragma once

#include <string>

namespace wirecheck::web {

using ClipboardWriter = void (*)(const char* utf8);

// Points ImGui's clipboard callbacks here. Call after the platform backend's init (which sets its
// own). `write_os_clipboard` (may be null) receives ImGui's copies.
void install_paste_bridge(ClipboardWriter write_os_clipboard);

// The browser's paste event: `imgui_shortcut` when it came from Ctrl+V / Shift+Insert, which
// ImGui handles itself on the next frame.
void on_browser_paste(const char* utf8, bool imgui_shortcut);

// What ImGui pastes on Ctrl+V: the last browser paste or ImGui copy.
const std::string& paste_bridge_text();

}  // namespace wirecheck::web
