// The main menu bar: product name, View and Help menus.
#include <imgui.h>

#include "panels/panels.hpp"

namespace wirecheck::web {

void DrawMenuBar(AppState& state) {
    if (!ImGui::BeginMainMenuBar()) return;
    ImGui::TextColored(ImVec4(0.45f, 0.78f, 1.0f, 1.0f), "wirecheck");
    record_widget(state, "menu.brand");
    bool view_open = ImGui::BeginMenu("View");
    record_widget(state, "menu.view");
    if (view_open) {
        if (ImGui::MenuItem("Dark theme")) ImGui::StyleColorsDark();
        if (ImGui::MenuItem("Light theme")) ImGui::StyleColorsLight();
        ImGui::EndMenu();
    }
    bool help_open = ImGui::BeginMenu("Help");
    record_widget(state, "menu.help");
    if (help_open) {
        if (ImGui::MenuItem("About wirecheck")) state.show_about = true;
        record_widget(state, "menu.help.about");
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
}

void DrawAboutWindow(AppState& state) {
    ImGui::SetNextWindowSize(ImVec2(420 * state.dpr, 0), ImGuiCond_Appearing);
    if (ImGui::Begin("About wirecheck", &state.show_about, ImGuiWindowFlags_NoCollapse)) {
        ImGui::Text("wirecheck %s", state.version.c_str());
        ImGui::TextWrapped(
            "Checks, with evidence, whether an endpoint + model works with Codex (Responses), "
            "Claude Code (Messages) and chat apps (Chat Completions), and whether an adapter "
            "would fix what does not.");
    }
    ImGui::End();
}

}  // namespace wirecheck::web
