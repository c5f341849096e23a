// Start-up asset loading, the frame (menu bar + main panel) and the test hook's state.
#include "app.hpp"

#include <imgui.h>

#include "panels/panels.hpp"

namespace wirecheck::web {

void start_asset_loads(AppState& state, HttpClient& http) {
    for (const char* path : {kLayersAsset, kUiFontAsset, kMonoFontAsset}) {
        state.assets.push_back(AssetLoad{path});
        std::size_t index = state.assets.size() - 1;
        FetchCallbacks cb;
        cb.on_headers = [&state, index](int status, const Headers&) { state.assets[index].status = status; };
        cb.on_chunk = [&state, index](std::string_view bytes) { state.assets[index].body.append(bytes); };
        cb.on_done = [&state, index] {
            AssetLoad& a = state.assets[index];
            a.done = true;
            if (a.status != 200) a.error = "HTTP " + std::to_string(a.status);
            if (a.path == kLayersAsset && a.status == 200) {
                auto parsed = parse_json(a.body);
                if (parsed.ok() && parsed->is_array()) state.layers = std::move(parsed.value());
                else a.error = parsed.ok() ? "not a JSON array" : parsed.error().to_string();
            }
        };
        cb.on_failure = [&state, index](FetchFailure, const std::string& message) {
            state.assets[index].done = true;
            state.assets[index].error = message;
        };
        http.start(FetchRequest{"GET", path, {}, {}, 15000}, std::move(cb));
    }
}

void DrawApp(AppState& state) {
    state.widgets.clear();
    DrawMenuBar(state);
    DrawMainPanel(state);
    if (state.show_about) DrawAboutWindow(state);
}

std::string hook_state_json(const AppState& state) {
    Json assets = Json::object();
    for (const auto& a : state.assets) {
        assets[a.path] = {{"status", a.status}, {"bytes", a.body.size()}, {"done", a.done},
                          {"error", a.error}};
    }
    Json widgets = Json::object();
    for (const auto& [name, r] : state.widgets) widgets[name] = {{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}};
    Json out = {{"app", "wirecheck"},
                {"version", state.version},
                {"frame", state.frame},
                {"dpr", state.dpr},
                {"fonts_loaded", state.fonts_loaded},
                {"layers", state.layers.is_array() ? state.layers.size() : 0},
                {"show_about", state.show_about},
                {"assets", assets},
                {"widgets", widgets}};
    return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace wirecheck::web
