// Widget rectangles for the test hook: ImGui works in device pixels here, the page in CSS pixels.
#include <imgui.h>

#include "panels/panels.hpp"

namespace wirecheck::web {

void record_widget(AppState& state, const char* name) {
    ImVec2 min = ImGui::GetItemRectMin();
    ImVec2 max = ImGui::GetItemRectMax();
    float s = state.dpr > 0 ? state.dpr : 1.0f;
    state.widgets[name] = WidgetRect{min.x / s, min.y / s, (max.x - min.x) / s, (max.y - min.y) / s};
}

}  // namespace wirecheck::web
