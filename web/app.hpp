// The playground: start-up, the per-frame update (carrying out the panels' intents through the
// platform services) and the frame itself. Platform-neutral (ImGui only), so native tests drive
// it headlessly with fake services.
#pragma once

#include "app_state.hpp"
#include "platform/browser.hpp"
#include "platform/http.hpp"

namespace wirecheck::web {

// Asset files fetched at start-up through the HttpClient.
inline constexpr const char* kLayersAsset = "assets/layers.json";
inline constexpr const char* kUiFontAsset = "assets/fonts/ui.otf";
inline constexpr const char* kMonoFontAsset = "assets/fonts/mono.ttf";
// Fetched lazily after the first frames, not at start-up (cjk_font.hpp).
inline constexpr const char* kCjkFontAsset = "assets/fonts/cjk.ttf";

// localStorage keys. The key is stored only after the user ticks "remember on this device".
inline constexpr const char* kStoredKey = "wirecheck.api_key";

struct AppServices {
    HttpClient& http;
    BrowserServices& browser;
};

void start_asset_loads(AppState& state, HttpClient& http);
// One GET into state.assets (the body, status and error land there; a failure leaves no body).
void start_asset_load(AppState& state, HttpClient& http, const char* path, int timeout_ms);
// Reads the URL hash (share link, embed mode) and an opted-in key, then runs the scenario the
// hash names, or the field-report scenario on a first visit, to the end: results on frame one.
void StartApp(AppState& state, AppServices& services);
// Once per frame before drawing: advances the probe, carries out and clears the intents.
void UpdateApp(AppState& state, AppServices& services);
void DrawApp(AppState& state);

// The test hook's JSON: version, frame, assets, widget rectangles, the connection (never the key:
// only whether one is set), the run's step statuses, verdicts and layer results.
std::string hook_state_json(const AppState& state);

}  // namespace wirecheck::web
