// One function per panel (one file each), drawing from AppState and queueing intents in it.
#pragma once

#include "app_state.hpp"

namespace wirecheck::web {

void DrawMenuBar(AppState& state);
void DrawMainPanel(AppState& state);
void DrawAboutWindow(AppState& state);

// Records the last ImGui item's rectangle (in CSS pixels) under `name` for the test hook.
void record_widget(AppState& state, const char* name);

}  // namespace wirecheck::web
