// The paste bridge's ImGui side (web/paste_input.hpp) with Debian's ImGui 1.86, headless: a
// browser paste after Ctrl+V lands once through ImGui's own paste, other pastes are typed in,
// newlines survive in multiline fields only, ImGui's copies reach the OS clipboard writer.
#include <gtest/gtest.h>
#include <imgui.h>

#include "headless_imgui.hpp"
#include "panels/panels.hpp"
#include "paste_input.hpp"

namespace wirecheck::web {
namespace {

std::string g_os_clipboard;
void write_os(const char* s) { g_os_clipboard = s; }

constexpr int kKeyV = 'V', kKeyC = 'C', kKeyA = 'A';

class Fields {
public:
    Fields() {
        ImGuiIO& io = ImGui::GetIO();
        io.KeyMap[ImGuiKey_V] = kKeyV;
        io.KeyMap[ImGuiKey_C] = kKeyC;
        io.KeyMap[ImGuiKey_A] = kKeyA;
        install_paste_bridge(write_os);
    }

    // Draws one field; `focus` gives it the keyboard on this frame.
    void frame(std::string& text, bool multiline, bool focus = false) {
        ImGui::NewFrame();
        ImGui::Begin("w");
        if (focus) ImGui::SetKeyboardFocusHere();
        if (multiline)
            InputMultiline("##m", text, ImVec2(400, 200));
        else
            InputString("##s", text);
        ImGui::End();
        ImGui::Render();
    }
    void key(int k, bool down, bool ctrl) {
        ImGuiIO& io = ImGui::GetIO();
        io.KeysDown[k] = down;
        io.KeyCtrl = ctrl;
    }

private:
    test::HeadlessImGui imgui_{800, 600};
};

TEST(PasteBridge, CtrlVPastesTheBrowserTextOnceWithNewlines) {
    Fields f;
    std::string text;
    f.frame(text, true, true);
    f.frame(text, true);
    // keydown Ctrl, keydown V, then (same task) the paste event, then the next frame.
    f.key(kKeyV, true, true);
    on_browser_paste("{\r\n  \"a\": 1\r\n}", true);
    f.frame(text, true);
    EXPECT_EQ(text, "{\n  \"a\": 1\n}");
    f.key(kKeyV, false, false);
    f.frame(text, true);
    f.frame(text, true);
    EXPECT_EQ(text, "{\n  \"a\": 1\n}") << "pasted twice";
}

TEST(PasteBridge, PasteWithoutTheShortcutIsTypedIn) {
    Fields f;
    std::string text = "x";  // a focused field's cursor starts at 0
    f.frame(text, true, true);
    f.frame(text, true);
    on_browser_paste("a\nb\u4e2d", false);  // e.g. Cmd+V on macOS: ImGui sees no Ctrl+V
    f.frame(text, true);
    f.frame(text, true);
    EXPECT_EQ(text, "a\nb\u4e2dx");
}

TEST(PasteBridge, SingleLineFieldsDropNewlines) {
    Fields f;
    std::string text;
    f.frame(text, false, true);
    f.frame(text, false);
    on_browser_paste("https://api.example\n/v1", false);
    f.frame(text, false);
    EXPECT_EQ(text, "https://api.example/v1");

    f.key(kKeyV, true, true);
    on_browser_paste("\nkey", true);
    f.frame(text, false);
    f.key(kKeyV, false, false);
    f.frame(text, false);
    EXPECT_EQ(text, "https://api.example/v1key");
}

TEST(PasteBridge, ImGuiCopyReachesTheOsClipboardAndPastesBack) {
    Fields f;
    std::string text = "copied";
    f.frame(text, false, true);
    f.frame(text, false);
    f.key(kKeyA, true, true);  // select all
    f.frame(text, false);
    f.key(kKeyA, false, true);
    f.key(kKeyC, true, true);
    f.frame(text, false);
    f.key(kKeyC, false, false);
    f.frame(text, false);
    EXPECT_EQ(g_os_clipboard, "copied");
    EXPECT_EQ(paste_bridge_text(), "copied");
}

}  // namespace
}  // namespace wirecheck::web
