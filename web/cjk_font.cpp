// Lazy CJK font load (cjk_font.hpp): one GET through the HttpClient, after the first frames.
#include "cjk_font.hpp"

#include "app.hpp"

namespace wirecheck::web {

bool request_cjk_font_if_due(AppState& state, HttpClient& http) {
    if (state.cjk_requested) return false;
    bool wanted = state.lang == Language::Chinese ||
                  (state.frame >= kCjkFontDelayFrames && state.fonts_loaded);
    if (!wanted) return false;
    state.cjk_requested = true;
    start_asset_load(state, http, kCjkFontAsset, 60000);
    return true;
}

const std::string* cjk_font_data(const AppState& state) {
    const AssetLoad* a = state.asset(kCjkFontAsset);
    if (!a || !a->done || a->status != 200 || a->body.empty()) return nullptr;
    return &a->body;
}

void mark_cjk_font_unusable(AppState& state) {
    for (AssetLoad& a : state.assets) {
        if (a.path != kCjkFontAsset) continue;
        a.error = "the font data is unusable";
        a.body.clear();
    }
}

}  // namespace wirecheck::web
