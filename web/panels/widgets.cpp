// Shared widgets: widget rectangles for the test hook (ImGui works in device pixels, the page in
// CSS pixels), status colours and icons, copy buttons.
#include <imgui.h>

#include "panels/panels.hpp"

namespace wirecheck::web {

void record_widget(AppState& state, const char* name) {
    ImVec2 min = ImGui::GetItemRectMin();
    ImVec2 max = ImGui::GetItemRectMax();
    float s = state.dpr > 0 ? state.dpr : 1.0f;
    state.widgets[name] = WidgetRect{min.x / s, min.y / s, (max.x - min.x) / s, (max.y - min.y) / s};
}

float px(const AppState& state, float css) { return css * (state.dpr > 0 ? state.dpr : 1.0f); }

namespace {

ImVec4 good(const AppState& s) { return s.light_theme ? ImVec4(0.05f, 0.5f, 0.2f, 1) : ImVec4(0.4f, 0.85f, 0.5f, 1); }
ImVec4 caution(const AppState& s) { return s.light_theme ? ImVec4(0.65f, 0.42f, 0.0f, 1) : ImVec4(0.98f, 0.78f, 0.35f, 1); }
ImVec4 bad(const AppState& s) { return s.light_theme ? ImVec4(0.75f, 0.1f, 0.1f, 1) : ImVec4(1.0f, 0.45f, 0.45f, 1); }
ImVec4 adapter(const AppState& s) { return s.light_theme ? ImVec4(0.1f, 0.35f, 0.75f, 1) : ImVec4(0.45f, 0.72f, 1.0f, 1); }
ImVec4 dim(const AppState&) { return ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]; }

}  // namespace

ImVec4 level_color(const AppState& state, Code level) {
    switch (level) {
        case Code::VerdictReady:
            return good(state);
        case Code::VerdictReadyWithLimitations:
            return caution(state);
        case Code::VerdictReadyViaAdapter:
            return adapter(state);
        default:
            return bad(state);
    }
}

ImVec4 step_color(const AppState& state, StepStatus status) {
    switch (status) {
        case StepStatus::Passed:
            return good(state);
        case StepStatus::Warned:
            return caution(state);
        case StepStatus::Failed:
            return bad(state);
        case StepStatus::Running:
            return adapter(state);
        default:
            return dim(state);
    }
}

ImVec4 severity_color(const AppState& state, Severity severity) {
    return severity == Severity::Error ? bad(state)
           : severity == Severity::Warn ? caution(state)
                                        : dim(state);
}

const char* step_icon(StepStatus status) {
    switch (status) {
        case StepStatus::Passed:
            return "\u2713";
        case StepStatus::Warned:
            return "!";
        case StepStatus::Failed:
            return "\u2717";
        case StepStatus::Skipped:
            return "\u2013";
        case StepStatus::Running:
            return "\u2026";
        case StepStatus::Pending:
            break;
    }
    return "\u00b7";
}

std::string level_label(const AppState& state, Code level) {
    const VerdictInfo* info = verdict_info(level);
    if (!info) return std::string(code_name(level));
    return std::string(state.lang == Language::Chinese ? info->zh : info->en);
}

namespace {
int resize_string(ImGuiInputTextCallbackData* data) {
    if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
        auto* s = static_cast<std::string*>(data->UserData);
        s->resize(static_cast<std::size_t>(data->BufTextLen));
        data->Buf = s->data();
    }
    return 0;
}
}  // namespace

bool InputString(const char* label, std::string& value, ImGuiInputTextFlags flags,
                 const char* hint) {
    flags |= ImGuiInputTextFlags_CallbackResize;
    if (hint)
        return ImGui::InputTextWithHint(label, hint, value.data(), value.capacity() + 1, flags,
                                        resize_string, &value);
    return ImGui::InputText(label, value.data(), value.capacity() + 1, flags, resize_string,
                            &value);
}

bool InputMultiline(const char* label, std::string& value, const ImVec2& size,
                    ImGuiInputTextFlags flags) {
    return ImGui::InputTextMultiline(label, value.data(), value.capacity() + 1, size,
                                     flags | ImGuiInputTextFlags_CallbackResize, resize_string,
                                     &value);
}

void TextDisabledWrapped(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextWrapped("%s", text);
    ImGui::PopStyleColor();
}

bool CopyButton(AppState& state, const char* label, const std::string& text) {
    if (!ImGui::SmallButton(label)) return false;
    state.intents.copy_text = text;
    return true;
}

void ShowEvidence(AppState& state, const std::string& step) {
    state.selected_step = step;
    state.tab = Tab::Evidence;
    state.tab_forced = true;
}

}  // namespace wirecheck::web
