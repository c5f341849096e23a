// Connection: what to probe. A built-in simulated endpoint (runs inside the page, offline, no
// key) or a real one: base URL, API key (masked; kept in memory unless "remember" is ticked),
// model (free text, or picked from GET /v1/models), per-protocol base URLs, extra headers, budget.
#include <imgui.h>

#include <algorithm>

#include "panels/panels.hpp"

namespace wirecheck::web {
namespace {

struct Preset {
    const char* name;
    const char* base;
    const char* messages_base;  // "" = same as base
    const char* model;
};

// Where the common providers and local servers answer (protocols.md §6 and their docs).
const Preset kPresets[] = {
    {"OpenAI", "https://api.openai.com/v1", "", "gpt-5.1"},
    {"Anthropic", "https://api.anthropic.com", "", "claude-sonnet-4-5"},
    {"DeepSeek", "https://api.deepseek.com", "https://api.deepseek.com/anthropic", "deepseek-chat"},
    {"OpenRouter", "https://openrouter.ai/api/v1", "", ""},
    {"new-api gateway (local)", "http://127.0.0.1:3000/v1", "", ""},
    {"vLLM (local)", "http://127.0.0.1:8000/v1", "", ""},
    {"llama.cpp server (local)", "http://127.0.0.1:8080/v1", "", ""},
    {"Ollama (local)", "http://127.0.0.1:11434/v1", "", ""},
};

// A scenario's line in the UI language (a profile may have no Chinese line).
const char* description_of(const AppState& state, const BuiltinScenario& s) {
    const std::string& zh = s.description_zh.empty() ? s.description : s.description_zh;
    return tr(state, s.description.c_str(), zh.c_str());
}

void draw_simulated(AppState& state) {
    ConnectionForm& f = state.connection;
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##scenario", f.scenario.c_str())) {
        for (const BuiltinScenario& s : builtin_scenarios()) {
            if (ImGui::Selectable(s.name.c_str(), s.name == f.scenario)) {
                f.scenario = s.name;
                f.model.clear();
                state.intents.run = true;  // a scenario is instant and offline: show it
            }
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", description_of(state, s));
        }
        ImGui::EndCombo();
    }
    record_widget(state, "connection.scenario");
    for (const BuiltinScenario& s : builtin_scenarios()) {
        if (s.name == f.scenario) ImGui::TextWrapped("%s", description_of(state, s));
    }
    ImGui::TextDisabled("%s", tr(state, "Runs inside this page: no network, no key.",
                                 "在页面内运行：无需网络，无需密钥。"));
}

void draw_real(AppState& state) {
    ConnectionForm& f = state.connection;
    const float label_w = px(state, 92);
    auto row = [&](const char* label) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(label);
        ImGui::SameLine(label_w);
        ImGui::SetNextItemWidth(-1);
    };
    row(tr(state, "Preset", "预设"));
    if (ImGui::BeginCombo("##preset", tr(state, "choose...", "选择..."))) {
        for (const Preset& p : kPresets) {
            if (ImGui::Selectable(p.name)) {
                f.base_url = p.base;
                f.messages_base_url = p.messages_base;
                f.chat_base_url.clear();
                f.responses_base_url.clear();
                if (*p.model) f.model = p.model;
            }
        }
        ImGui::Separator();
        for (const BuiltinScenario& s : builtin_scenarios()) {
            std::string label = "this server: /sim/" + s.name;
            if (ImGui::Selectable(label.c_str())) {
                f.base_url = state.page_origin + "/sim/" + s.name + "/v1";
                f.messages_base_url.clear();
                if (auto sim = builtin_simulator(s.name); sim && !sim->model_ids().empty())
                    f.model = sim->model_ids().front();
            }
        }
        ImGui::EndCombo();
    }
    row(tr(state, "Base URL", "Base URL"));
    InputString("##base", f.base_url, 0, "https://host/v1");
    record_widget(state, "connection.base_url");

    row(tr(state, "API key", "API 密钥"));
    ImGui::SetNextItemWidth(-px(state, 56));
    InputString("##key", f.api_key, state.show_key ? 0 : ImGuiInputTextFlags_Password, "sk-...");
    record_widget(state, "connection.api_key");
    ImGui::SameLine();
    if (ImGui::SmallButton(state.show_key ? tr(state, "hide", "隐藏") : tr(state, "show", "显示")))
        state.show_key = !state.show_key;
    ImGui::Dummy(ImVec2(label_w - ImGui::GetStyle().ItemSpacing.x, 0));
    ImGui::SameLine(label_w);
    if (ImGui::Checkbox(tr(state, "remember on this device", "在此设备上记住"), &f.remember_key))
        state.intents.remember_key_changed = true;
    record_widget(state, "connection.remember_key");
    if (f.remember_key) {
        ImGui::SameLine();
        if (ImGui::SmallButton(tr(state, "forget", "忘记"))) state.intents.forget_key = true;
    }

    row(tr(state, "Model", "模型"));
    ImGui::SetNextItemWidth(-px(state, 56));
    InputString("##model", f.model, 0, "model id");
    record_widget(state, "connection.model");
    ImGui::SameLine();
    if (ImGui::SmallButton(tr(state, "list", "列出"))) state.intents.load_models = true;
    if (!state.models.empty()) {
        ImGui::Dummy(ImVec2(label_w - ImGui::GetStyle().ItemSpacing.x, 0));
        ImGui::SameLine(label_w);
        ImGui::SetNextItemWidth(-1);
        if (ImGui::BeginCombo("##models", tr(state, "pick a listed model", "选择已列出的模型"))) {
            for (const std::string& m : state.models)
                if (ImGui::Selectable(m.c_str(), m == f.model)) f.model = m;
            ImGui::EndCombo();
        }
    }
    if (!state.models_status.empty()) ImGui::TextDisabled("%s", state.models_status.c_str());

    if (state.relay.available()) {
        ImGui::Checkbox(tr(state, "through the local relay (no CORS limits)", "经本地中继（不受 CORS 限制）"),
                        &f.use_relay);
        record_widget(state, "connection.use_relay");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", tr(state,
                "wirecheck serve forwards the requests from this machine, as Codex or Claude Code would send them.",
                "由 wirecheck serve 在本机转发请求，与 Codex 或 Claude Code 发出的一样。"));
    }
    if (ImGui::TreeNode(tr(state, "Advanced", "高级"))) {
        ImGui::TextDisabled("%s", tr(state, "Per-protocol base URLs (empty = Base URL)",
                                     "各协议的 Base URL（留空 = 使用 Base URL）"));
        row("chat");
        InputString("##chat_base", f.chat_base_url, 0, "/v1/chat/completions base");
        row("responses");
        InputString("##responses_base", f.responses_base_url, 0, "/v1/responses base");
        row("messages");
        InputString("##messages_base", f.messages_base_url, 0, "e.g. https://host/anthropic");
        row(tr(state, "Headers", "附加请求头"));
        InputMultiline("##headers", f.extra_headers, ImVec2(-1, px(state, 48)));
        row(tr(state, "Budget", "输出预算"));
        ImGui::InputInt("##budget", &f.budget, 256);
        f.budget = std::max(16, std::min(f.budget, 1000000));
        row(tr(state, "Timeout s", "超时（秒）"));
        ImGui::InputInt("##timeout", &f.timeout_s, 10);
        f.timeout_s = std::max(1, std::min(f.timeout_s, 3600));
        ImGui::TreePop();
    }
    TextDisabledWrapped(tr(state,
        "The key stays in this tab's memory; it is sent only to the endpoints above.",
        "密钥只保存在此标签页的内存中，只发送给上面的端点。"));
}

}  // namespace

void DrawConnectionPanel(AppState& state) {
    ConnectionForm& f = state.connection;
    ImGui::TextUnformatted(tr(state, "CONNECTION", "连接"));
    ImGui::Separator();
    int target = f.simulated ? 0 : 1;
    if (ImGui::RadioButton(tr(state, "Simulated endpoint", "模拟端点"), target == 0)) f.simulated = true;
    record_widget(state, "connection.simulated");
    ImGui::SameLine();
    if (ImGui::RadioButton(tr(state, "Your endpoint", "你的端点"), target == 1)) f.simulated = false;
    record_widget(state, "connection.real");
    ImGui::Spacing();
    if (f.simulated)
        draw_simulated(state);
    else
        draw_real(state);
}

}  // namespace wirecheck::web
