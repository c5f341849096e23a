// The playground's frame: menu bar + main panel. Platform-neutral (ImGui only), so native tests
// can draw it headlessly.
#pragma once

#include "app_state.hpp"
#include "platform/http.hpp"

namespace wirecheck::web {

// Asset files fetched at start-up through the HttpClient (proving the fetch bridge works).
inline constexpr const char* kLayersAsset = "assets/layers.json";
inline constexpr const char* kUiFontAsset = "assets/fonts/ui.otf";
inline constexpr const char* kMonoFontAsset = "assets/fonts/mono.ttf";

void start_asset_loads(AppState& state, HttpClient& http);
void DrawApp(AppState& state);

// The test hook's JSON: app name, version, frame count, asset loads, widget rectangles.
std::string hook_state_json(const AppState& state);

}  // namespace wirecheck::web
