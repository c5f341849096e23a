// One function per panel (one file each), drawing from AppState and queueing intents in it.
// Shared widgets (status colours, copy buttons, wrapped labels) live in widgets.cpp.
#pragma once

#include <string>

#include "app_state.hpp"

#include <imgui.h>

namespace wirecheck::web {

void DrawMenuBar(AppState& state);
void DrawAboutWindow(AppState& state);
void DrawConnectionPanel(AppState& state);
void DrawRunPanel(AppState& state);
void DrawOverviewPanel(AppState& state);  // verdict cards + the protocol-layer table
void DrawVerdictCards(AppState& state);
void DrawLayersTable(AppState& state);
void DrawEvidencePanel(AppState& state);
void DrawTranslatePanel(AppState& state);
void DrawLearnPanel(AppState& state);

// The UI language: English or Simplified Chinese text for a label.
inline const char* tr(const AppState& state, const char* en, const char* zh) {
    return state.lang == Language::Chinese ? zh : en;
}

// Records the last ImGui item's rectangle (in CSS pixels) under `name` for the test hook.
void record_widget(AppState& state, const char* name);
// CSS pixels -> ImGui (device) pixels.
float px(const AppState& state, float css);

// Colours that read on both themes.
ImVec4 level_color(const AppState& state, Code level);
ImVec4 step_color(const AppState& state, StepStatus status);
ImVec4 severity_color(const AppState& state, Severity severity);
const char* step_icon(StepStatus status);  // ✓ ! ✗ – …
std::string level_label(const AppState& state, Code level);  // READY / 可用 ...

// ImGui text fields over std::string (Debian's libimgui has no imgui_stdlib).
bool InputString(const char* label, std::string& value, ImGuiInputTextFlags flags = 0,
                 const char* hint = nullptr);
bool InputMultiline(const char* label, std::string& value, const ImVec2& size,
                    ImGuiInputTextFlags flags = 0);

// Dimmed text that wraps at the window edge (ImGui's TextDisabled does not wrap).
void TextDisabledWrapped(const char* text);

// A small button that puts `text` on the clipboard (through Intents) and says so.
bool CopyButton(AppState& state, const char* label, const std::string& text);
// Selects `step` in the Evidence tab.
void ShowEvidence(AppState& state, const std::string& step);

}  // namespace wirecheck::web
