// Overview: the answer first (a verdict card per client: status, why, what to do, a config to
// copy), then the protocol-layer comparison with this endpoint's measured result per layer.
#include <imgui.h>

#include <algorithm>

#include "panels/panels.hpp"

namespace wirecheck::web {
namespace {

const char* client_protocol(Client c) {
    switch (c) {
        case Client::Codex:
            return "/v1/responses";
        case Client::ClaudeCode:
            return "/v1/messages";
        case Client::Chat:
            break;
    }
    return "/v1/chat/completions";
}

// The first fenced code block of a client's recommendations: its ready-to-copy config.
std::string config_snippet(const Verdict& v) {
    for (const std::string& rec : v.recommendations) {
        std::size_t open = rec.find("```");
        if (open == std::string::npos) continue;
        std::size_t body = rec.find('\n', open);
        std::size_t close = rec.find("```", body);
        if (body == std::string::npos || close == std::string::npos) continue;
        return rec.substr(body + 1, close - body - 1);
    }
    return "";
}

// Markdown without its code blocks (they get their own copy button), for a wrapped line.
std::string prose(const std::string& rec) {
    std::size_t open = rec.find("```");
    std::string text = open == std::string::npos ? rec : rec.substr(0, open);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == ':'))
        text.pop_back();
    return text;
}

void draw_card(AppState& state, const Verdict& v, float width, float height) {
    ImGui::PushID(static_cast<int>(v.client));
    ImGui::BeginChild("##card", ImVec2(width, height), true);
    ImGui::TextUnformatted(std::string(client_title(v.client, state.lang)).c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("%s", client_protocol(v.client));
    std::string label = level_label(state, v.level);
    ImGui::PushStyleColor(ImGuiCol_Text, level_color(state, v.level));
    ImGui::SetWindowFontScale(1.35f);
    ImGui::TextUnformatted(label.c_str());
    ImGui::SetWindowFontScale(1.0f);
    ImGui::PopStyleColor();
    std::string widget = "verdict." + std::string(client_name(v.client));
    record_widget(state, widget.c_str());
    if (v.native_level != v.level) {
        ImGui::TextDisabled("%s %s", tr(state, "natively:", "直连："),
                            level_label(state, v.native_level).c_str());
    }
    ImGui::TextWrapped("%s", v.summary.c_str());
    for (const Finding& f : v.findings) {
        ImGui::PushID(&f);
        ImGui::TextColored(severity_color(state, f.severity), "%s",
                           f.severity == Severity::Error ? "\u2717" : "!");
        ImGui::SameLine();
        ImGui::TextWrapped("%s", std::string(code_title(f.code, state.lang)).c_str());
        ImGui::Indent(px(state, 16));
        std::string link = "\u2192 " + f.step;
        if (ImGui::SmallButton(link.c_str())) ShowEvidence(state, f.step);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", f.message.c_str());
        ImGui::Unindent(px(state, 16));
        ImGui::PopID();
    }
    if (!v.recommendations.empty() &&
        ImGui::TreeNodeEx(tr(state, "What to do", "怎么做"), ImGuiTreeNodeFlags_DefaultOpen)) {
        for (const std::string& rec : v.recommendations) {
            std::string text = prose(rec);
            if (text.empty()) continue;
            ImGui::Bullet();
            ImGui::TextWrapped("%s", text.c_str());
        }
        ImGui::TreePop();
    }
    std::string snippet = config_snippet(v);
    if (!snippet.empty()) {
        const char* what = v.client == Client::Codex
                               ? tr(state, "Copy config.toml", "复制 config.toml")
                           : v.client == Client::ClaudeCode ? tr(state, "Copy env vars", "复制环境变量")
                                                            : tr(state, "Copy settings", "复制设置");
        CopyButton(state, what, snippet);
        std::string copy_widget = widget + ".copy";
        record_widget(state, copy_widget.c_str());
    }
    ImGui::EndChild();
    ImGui::PopID();
}

}  // namespace

void DrawVerdictCards(AppState& state) {
    const ProbeReport* report = state.session.report();
    if (!report || report->verdicts.empty()) {
        ImGui::TextDisabled("%s", state.first_run_due
                                      ? tr(state, "Probing the simulated endpoint...", "正在探测模拟端点……")
                                      : tr(state, "Run the probe to get verdicts.", "运行探测以获得结论。"));
        return;
    }
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const std::size_t n = report->verdicts.size();
    const float width = (ImGui::GetContentRegionAvail().x - spacing * static_cast<float>(n - 1)) /
                        static_cast<float>(n);
    // The cards take what the layer table (about 250 CSS px) leaves; embedded, all of it.
    const float avail = ImGui::GetContentRegionAvail().y;
    const float height = state.embed ? avail : std::max(px(state, 280), avail - px(state, 270));
    for (std::size_t i = 0; i < n; ++i) {
        if (i) ImGui::SameLine();
        draw_card(state, report->verdicts[i], width, height);
    }
}

void DrawLayersTable(AppState& state) {
    const ProbeReport* report = state.session.report();
    std::vector<LayerRow> rows = report ? report->layers : protocol_layers({});
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                            ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("layers", 5, flags)) return;
    ImGui::TableSetupColumn(tr(state, "Endpoint", "端点"), 0, 1.1f);
    ImGui::TableSetupColumn(tr(state, "Typical client", "典型客户端"), 0, 1.0f);
    ImGui::TableSetupColumn(tr(state, "Core data structure", "核心数据结构"), 0, 1.6f);
    ImGui::TableSetupColumn(tr(state, "What an adapter must get right", "适配难点"), 0, 1.6f);
    ImGui::TableSetupColumn(tr(state, "Result here", "本次实测"), 0, 1.4f);
    ImGui::TableHeadersRow();
    for (const LayerRow& row : rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(row.endpoint.c_str());
        ImGui::TextDisabled("%s", row.name.c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", row.clients.c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", row.structure.c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", row.adaptation.c_str());
        ImGui::TableNextColumn();
        if (!report || !row.probed) {
            ImGui::TextDisabled("%s", tr(state, "not probed", "未探测"));
        } else {
            ImGui::TextColored(level_color(state, row.measured_level), "%s",
                               level_label(state, row.measured_level).c_str());
            // "0/4 steps passed; responses.basic: <the whole finding>": the count here, the
            // finding in full on hover and in Evidence.
            std::string shown = row.measured.substr(0, row.measured.find(';'));
            ImGui::TextWrapped("%s", shown.c_str());
            if (shown.size() < row.measured.size() && ImGui::IsItemHovered()) {
                ImGui::BeginTooltip();
                ImGui::PushTextWrapPos(px(state, 420));
                ImGui::TextUnformatted(row.measured.c_str());
                ImGui::PopTextWrapPos();
                ImGui::EndTooltip();
            }
        }
    }
    ImGui::EndTable();
    record_widget(state, "overview.layers");
}

void DrawOverviewPanel(AppState& state) {
    ImGui::SetWindowFontScale(1.2f);
    ImGui::TextUnformatted(tr(state,
        "Will this endpoint + model work with Codex, with Claude Code, with a chat app?",
        "这个端点 + 模型能用于 Codex、Claude Code 和聊天应用吗？"));
    ImGui::SetWindowFontScale(1.0f);
    record_widget(state, "main.title");
    ImGui::TextWrapped("%s", tr(state,
        "\"OpenAI-compatible\" is three protocols: Chat Completions (chat apps), Responses (Codex "
        "speaks nothing else) and Messages (Claude Code). HTTP 200 is not success. wirecheck probes "
        "each layer and says, per client, whether it works, why, and whether an adapter fixes it.",
        "\"OpenAI 兼容\"其实是三种协议：Chat Completions（聊天应用）、Responses（Codex 只支持它）和 "
        "Messages（Claude Code）。HTTP 200 并不等于成功。wirecheck 逐层探测，并按客户端给出能否使用、"
        "原因，以及适配层能否解决。"));
    if (const ProbeReport* report = state.session.report()) {
        ImGui::TextDisabled("%s %s  \u00b7  %s %s", tr(state, "target", "目标"),
                            report->target.base_url.c_str(), tr(state, "model", "模型"),
                            report->target.model.c_str());
    }
    ImGui::Spacing();
    DrawVerdictCards(state);
    ImGui::Spacing();
    DrawLayersTable(state);
}

}  // namespace wirecheck::web
