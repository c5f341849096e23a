// Everything the playground shows, in one struct. Panels read it and queue intents; only the
// platform side (main_web.cpp, the HttpClient) performs I/O.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "wirecheck/json.hpp"

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

struct AppState {
    std::string version;
    int frame = 0;
    float dpr = 1.0f;  // device pixels per CSS pixel
    std::vector<AssetLoad> assets;
    Json layers;       // assets/layers.json once fetched (array of protocol layers)
    bool fonts_loaded = false;
    bool show_about = false;
    std::map<std::string, WidgetRect> widgets;  // rebuilt every frame

    const AssetLoad* asset(const std::string& path) const {
        for (const auto& a : assets)
            if (a.path == path) return &a;
        return nullptr;
    }
};

}  // namespace wirecheck::web
