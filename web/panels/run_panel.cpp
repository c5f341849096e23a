// Run: run the whole suite, one protocol, or one step (right-click a step); cancel; a progress
// bar and every step's live status. Clicking a step opens its evidence.
#include <imgui.h>

#include "panels/panels.hpp"

namespace wirecheck::web {
namespace {

std::vector<std::string> steps_with_prefix(const char* prefix) {
    std::vector<std::string> out;
    for (const StepInfo& s : probe_suite()) {
        if (s.id.rfind(prefix, 0) == 0) out.emplace_back(s.id);
    }
    return out;
}

void run_button(AppState& state, const char* label, const char* widget, std::vector<std::string> steps) {
    if (ImGui::Button(label)) {
        state.intents.run = true;
        state.intents.steps = std::move(steps);
    }
    record_widget(state, widget);
}

std::string elapsed(const ProbeSession& session, double now_ms) {
    double end = session.running() ? now_ms : session.finished_ms();
    double ms = end - session.started_ms();
    if (session.simulated() || ms < 0) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000.0);
    return buf;
}

}  // namespace

void DrawRunPanel(AppState& state) {
    ProbeSession& session = state.session;
    ImGui::TextUnformatted(tr(state, "RUN", "运行"));
    ImGui::Separator();
    bool running = session.running();
    if (running) ImGui::BeginDisabled();
    run_button(state, tr(state, "Run all", "全部运行"), "run.all", {});
    ImGui::SameLine();
    run_button(state, "Chat", "run.chat", steps_with_prefix("chat."));
    ImGui::SameLine();
    run_button(state, "Responses", "run.responses", steps_with_prefix("responses."));
    ImGui::SameLine();
    run_button(state, "Messages", "run.messages", steps_with_prefix("messages."));
    if (running) ImGui::EndDisabled();
    if (running) {
        ImGui::SameLine();
        if (ImGui::Button(tr(state, "Cancel", "取消"))) state.intents.cancel = true;
        record_widget(state, "run.cancel");
    }

    const ProbeRun* run = session.run();
    if (!run) {
        ImGui::TextDisabled("%s", tr(state, "Not run yet.", "尚未运行。"));
        return;
    }
    std::size_t total = session.steps_total(), done = session.steps_done();
    char overlay[64];
    std::snprintf(overlay, sizeof overlay, "%zu / %zu %s  %s", done, total,
                  tr(state, "steps", "步"), elapsed(session, state.now_ms).c_str());
    ImGui::ProgressBar(total ? static_cast<float>(done) / static_cast<float>(total) : 0.0f,
                       ImVec2(-1, 0), overlay);
    record_widget(state, "run.progress");

    ImGui::BeginChild("##steps", ImVec2(0, 0), false);
    for (const StepEvidence& step : run->steps()) {
        ImGui::PushID(step.id.c_str());
        ImGui::TextColored(step_color(state, step.status), "%s", step_icon(step.status));
        ImGui::SameLine(px(state, 22));
        bool selected = state.selected_step == step.id && state.tab == Tab::Evidence;
        if (ImGui::Selectable(step.id.c_str(), selected)) ShowEvidence(state, step.id);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", step.title.c_str());
        if (ImGui::BeginPopupContextItem()) {
            if (ImGui::MenuItem(tr(state, "Run only this step", "只运行此步骤"), nullptr, false, !running)) {
                state.intents.run = true;
                state.intents.steps = {step.id};
            }
            ImGui::EndPopup();
        }
        std::string widget = "run.step." + step.id;
        record_widget(state, widget.c_str());
        if (!step.exchanges.empty()) {
            const Exchange& ex = step.exchanges.back();
            std::string right = ex.failure ? std::string(failure_kind_name(*ex.failure))
                                : ex.status ? std::to_string(ex.status) : std::string();
            float w = ImGui::CalcTextSize(right.c_str()).x;
            ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - w);
            ImGui::TextDisabled("%s", right.c_str());
        }
        ImGui::PopID();
    }
    ImGui::EndChild();
}

}  // namespace wirecheck::web
