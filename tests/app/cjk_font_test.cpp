// The lazy CJK font load (web/cjk_font.hpp): not a start-up load, requested after the first
// frames or at once in Chinese, only once; a failed load leaves no data to merge.
#include <gtest/gtest.h>

#include "app.hpp"
#include "cjk_font.hpp"

namespace wirecheck::web {
namespace {

class RecordingHttpClient : public HttpClient {
public:
    std::vector<FetchRequest> requests;
    std::vector<FetchCallbacks> callbacks;
    int start(const FetchRequest& request, FetchCallbacks cb) override {
        requests.push_back(request);
        callbacks.push_back(std::move(cb));
        return static_cast<int>(requests.size());
    }
    void cancel(int) override {}
};

TEST(CjkFont, RequestedAfterTheFirstFramesOnce) {
    RecordingHttpClient http;
    AppState state;
    EXPECT_FALSE(request_cjk_font_if_due(state, http));  // frame 0: the first frame never waits
    state.frame = kCjkFontDelayFrames;
    EXPECT_FALSE(request_cjk_font_if_due(state, http));  // start-up fonts not in yet
    state.fonts_loaded = true;
    EXPECT_TRUE(request_cjk_font_if_due(state, http));
    EXPECT_FALSE(request_cjk_font_if_due(state, http));
    ASSERT_EQ(http.requests.size(), 1u);
    EXPECT_EQ(http.requests[0].url, kCjkFontAsset);
    EXPECT_TRUE(state.cjk_requested);

    EXPECT_EQ(cjk_font_data(state), nullptr);
    http.callbacks[0].on_headers(200, {});
    http.callbacks[0].on_chunk("font ");
    http.callbacks[0].on_chunk("bytes");
    EXPECT_EQ(cjk_font_data(state), nullptr);  // not done yet
    http.callbacks[0].on_done();
    ASSERT_NE(cjk_font_data(state), nullptr);
    EXPECT_EQ(*cjk_font_data(state), "font bytes");

    mark_cjk_font_unusable(state);
    EXPECT_EQ(cjk_font_data(state), nullptr);
    EXPECT_FALSE(state.asset(kCjkFontAsset)->error.empty());
}

TEST(CjkFont, ChineseUiRequestsAtOnceAndFailuresLeaveNoData) {
    RecordingHttpClient http;
    AppState state;
    state.lang = Language::Chinese;
    EXPECT_TRUE(request_cjk_font_if_due(state, http));
    http.callbacks[0].on_headers(404, {});
    http.callbacks[0].on_chunk("not found");
    http.callbacks[0].on_done();
    EXPECT_EQ(cjk_font_data(state), nullptr);
    EXPECT_EQ(state.asset(kCjkFontAsset)->error, "HTTP 404");

    AppState offline;
    offline.lang = Language::Chinese;
    EXPECT_TRUE(request_cjk_font_if_due(offline, http));
    http.callbacks[1].on_failure(FetchFailure::Network, "no network");
    EXPECT_EQ(cjk_font_data(offline), nullptr);
}

}  // namespace
}  // namespace wirecheck::web
