// The CJK font (assets/fonts/cjk.ttf: WenQuanYi Micro Hei subset at build time to GB2312 level 1 +
// every Chinese character in the UI) is ~700 KB, so it is not a start-up load: it is fetched once
// the first frames are on screen, or at once when the UI switches to Chinese, and then merged
// into the atlas (fonts.hpp) by the platform's restyle step. The first frame never waits for it.
#pragma once

#include "app_state.hpp"
#include "platform/http.hpp"

namespace wirecheck::web {

// Frames drawn before the CJK font is requested (when the UI is in English).
inline constexpr int kCjkFontDelayFrames = 2;

// Call once per frame: starts the fetch when it is due (sets state.cjk_requested; the body lands
// in state.assets under kCjkFontAsset). Returns true on the frame it started it.
bool request_cjk_font_if_due(AppState& state, HttpClient& http);

// The fetched CJK font's bytes once they arrived (HTTP 200), else nullptr.
const std::string* cjk_font_data(const AppState& state);

// The atlas could not use the fetched bytes: records why and drops them (no rebuild loop).
void mark_cjk_font_unusable(AppState& state);

}  // namespace wirecheck::web
