// Everything the playground shows, in one struct. Panels read it and queue intents in it; only
// UpdateApp (app.cpp) acts on intents, and only the platform services perform I/O.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "probe_session.hpp"
#include "translate_state.hpp"
#include "wirecheck/findings.hpp"
#include "wirecheck/json.hpp"
#include "wirecheck/sim.hpp"

namespace wirecheck::web {

struct AssetLoad {
    std::string path;     // relative to the page, e.g. "assets/layers.json"
    int status = 0;       // HTTP status, 0 while pending or on failure
    std::string body;
    std::string error;    // set when the fetch failed
    bool done = false;
};

// A widget's screen rectangle in CSS pixels, for the test hook (an ImGui canvas has no DOM).
struct WidgetRect {
    float x = 0, y = 0, w = 0, h = 0;
};

enum class Tab { Overview, Evidence, Translate, Learn };

// What the panels ask for; UpdateApp carries it out before the next frame and clears it.
struct Intents {
    bool run = false;                  // run the selected steps (all when empty)
    std::vector<std::string> steps;
    bool cancel = false;
    bool load_models = false;
    bool copy_markdown = false;        // the report as Markdown to the clipboard
    bool download_json = false;        // the report as a JSON file
    bool copy_share_link = false;      // the configuration (never the key) as a link
    std::string copy_text;             // any text to the clipboard (curl, JSON, ...)
    bool remember_key_changed = false; // the opt-in was toggled
    bool forget_key = false;
    bool theme_changed = false;
};

struct AppState {
    std::string version;
    int frame = 0;
    double now_ms = 0;  // the platform's monotonic clock, set every frame
    double frame_work_ms = 0;  // the app's own work per frame (update, draw, GL submit), smoothed
    float dpr = 1.0f;   // device pixels per CSS pixel
    std::string page_origin = "http://127.0.0.1:8080";  // where /sim/<scenario> is served
    Relay relay;  // `wirecheck serve`'s relay, when the page came from it (never in the hook)
    std::vector<AssetLoad> assets;
    Json layers;  // assets/layers.json once fetched (array of protocol layers)
    bool fonts_loaded = false;
    bool cjk_requested = false;  // the lazy CJK font fetch started (cjk_font.hpp)
    bool cjk_loaded = false;     // its glyphs are merged into the atlas
    bool show_about = false;
    bool light_theme = false;
    Language lang = Language::English;
    std::map<std::string, WidgetRect> widgets;  // rebuilt every frame

    // Embed mode (#embed&scenario=...&panel=...): one compact panel, no chrome.
    bool embed = false;
    Tab tab = Tab::Overview;
    bool tab_forced = false;  // `tab` was set by code (a link, "show evidence"): select it once
    // The first visit's simulated run, done right after the first frame so the page appears
    // before the suite has run (the first frame's budget is 1 s).
    bool first_run_due = false;

    ConnectionForm connection;
    bool show_key = false;            // the key field unmasked
    std::string stored_key;           // what localStorage holds (only with remember_key)
    std::vector<std::string> models;  // from GET /v1/models, for the picker
    std::string models_status;        // "", "loading", or what went wrong
    ProbeSession session;
    std::string selected_step;        // Evidence panel selection
    std::string evidence_search;
    bool evidence_raw = false;
    std::string toast;                // a short confirmation ("Copied ..."), shown briefly
    double toast_until_ms = 0;
    TranslateState translate;
    Intents intents;

    const AssetLoad* asset(const std::string& path) const {
        for (const auto& a : assets)
            if (a.path == path) return &a;
        return nullptr;
    }
};

}  // namespace wirecheck::web
