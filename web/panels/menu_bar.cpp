// The main menu bar: View (theme, language), Export (Markdown, JSON, share link), Help.
#include <imgui.h>

#include "panels/panels.hpp"

namespace wirecheck::web {

void DrawMenuBar(AppState& state) {
    if (!ImGui::BeginMainMenuBar()) return;
    ImGui::TextColored(ImVec4(0.45f, 0.78f, 1.0f, 1.0f), "wirecheck");
    record_widget(state, "menu.brand");
    bool view_open = ImGui::BeginMenu(tr(state, "View", "视图"));
    record_widget(state, "menu.view");
    if (view_open) {
        if (ImGui::MenuItem(tr(state, "Dark theme", "深色主题"), nullptr, !state.light_theme)) {
            state.light_theme = false;
            state.intents.theme_changed = true;
        }
        if (ImGui::MenuItem(tr(state, "Light theme", "浅色主题"), nullptr, state.light_theme)) {
            state.light_theme = true;
            state.intents.theme_changed = true;
        }
        ImGui::Separator();
        if (ImGui::MenuItem("English", nullptr, state.lang == Language::English))
            state.lang = Language::English;
        if (ImGui::MenuItem("简体中文", nullptr, state.lang == Language::Chinese))
            state.lang = Language::Chinese;
        record_widget(state, "menu.view.zh");
        ImGui::EndMenu();
    }
    bool export_open = ImGui::BeginMenu(tr(state, "Export", "导出"));
    record_widget(state, "menu.export");
    if (export_open) {
        bool have = state.session.report() != nullptr;
        if (ImGui::MenuItem(tr(state, "Copy report as Markdown", "复制 Markdown 报告"), nullptr, false, have))
            state.intents.copy_markdown = true;
        record_widget(state, "menu.export.markdown");
        if (ImGui::MenuItem(tr(state, "Download report as JSON", "下载 JSON 报告"), nullptr, false, have))
            state.intents.download_json = true;
        record_widget(state, "menu.export.json");
        if (ImGui::MenuItem(tr(state, "Copy share link (no key)", "复制分享链接（不含密钥）")))
            state.intents.copy_share_link = true;
        record_widget(state, "menu.export.share");
        ImGui::EndMenu();
    }
    bool help_open = ImGui::BeginMenu(tr(state, "Help", "帮助"));
    record_widget(state, "menu.help");
    if (help_open) {
        if (ImGui::MenuItem(tr(state, "How it works", "工作原理"))) {
            state.tab = Tab::Learn;
            state.tab_forced = true;
        }
        if (ImGui::MenuItem(tr(state, "About wirecheck", "关于 wirecheck"))) state.show_about = true;
        record_widget(state, "menu.help.about");
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
}

void DrawAboutWindow(AppState& state) {
    ImGui::SetNextWindowSize(ImVec2(px(state, 420), 0), ImGuiCond_Appearing);
    if (ImGui::Begin(tr(state, "About wirecheck###about", "关于 wirecheck###about"), &state.show_about,
                     ImGuiWindowFlags_NoCollapse)) {
        ImGui::Text("wirecheck %s", state.version.c_str());
        ImGui::TextWrapped("%s", tr(state,
            "Checks, with evidence, whether an endpoint + model works with Codex (Responses), "
            "Claude Code (Messages) and chat apps (Chat Completions), and whether an adapter "
            "would fix what does not.",
            "用证据检查一个端点 + 模型能否用于 Codex（Responses）、Claude Code（Messages）和聊天应用"
            "（Chat Completions），以及适配层能否修复不能用的部分。"));
    }
    ImGui::End();
}

}  // namespace wirecheck::web
