// The main panel: what wirecheck answers, the three protocol layers (from assets/layers.json,
// fetched through the HTTP bridge), and the start-up status.
#include <imgui.h>

#include "panels/panels.hpp"

namespace wirecheck::web {
namespace {

std::string field(const Json& row, const char* key) {
    auto it = row.find(key);
    return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void draw_layers_table(AppState& state) {
    if (!state.layers.is_array() || state.layers.empty()) {
        ImGui::TextDisabled("Loading the protocol layers...");
        return;
    }
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("layers", 4, flags)) return;
    ImGui::TableSetupColumn("Endpoint");
    ImGui::TableSetupColumn("Typical client");
    ImGui::TableSetupColumn("Core data structure");
    ImGui::TableSetupColumn("What an adapter must get right");
    ImGui::TableHeadersRow();
    for (const Json& row : state.layers) {
        if (!row.is_object()) continue;
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(field(row, "endpoint").c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", field(row, "clients").c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", field(row, "structure").c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", field(row, "adapter").c_str());
    }
    ImGui::EndTable();
    record_widget(state, "main.layers");
}

void draw_status_line(const AppState& state) {
    int loaded = 0;
    for (const auto& a : state.assets) loaded += a.done && a.error.empty();
    ImGui::TextDisabled("%d of %zu assets loaded through the fetch bridge", loaded, state.assets.size());
    for (const auto& a : state.assets) {
        if (!a.error.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s: %s", a.path.c_str(), a.error.c_str());
    }
}

}  // namespace

void DrawMainPanel(AppState& state) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                             ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings;
    if (ImGui::Begin("##main", nullptr, flags)) {
        ImGui::TextUnformatted("Will this endpoint + model work with Codex, with Claude Code, with a chat app?");
        record_widget(state, "main.title");
        ImGui::TextWrapped(
            "\"OpenAI-compatible\" is three different protocols. wirecheck probes each one, shows the "
            "evidence, and says per client whether it works, and whether an adapter would fix it.");
        ImGui::Spacing();
        draw_layers_table(state);
        ImGui::Spacing();
        draw_status_line(state);
    }
    ImGui::End();
}

}  // namespace wirecheck::web
