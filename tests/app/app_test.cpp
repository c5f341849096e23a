// The playground's frame drawn headlessly (ImGui without a renderer): start-up asset loading
// through an in-memory HttpClient, widget rectangles for the test hook, and its JSON.
#include <gtest/gtest.h>
#include <imgui.h>

#include "app.hpp"

namespace wirecheck::web {
namespace {

// Answers every request at once from a fixed table; unknown paths fail like a network error.
class FakeHttpClient : public HttpClient {
public:
    std::map<std::string, std::pair<int, std::string>> files;
    std::vector<FetchRequest> requests;

    int start(const FetchRequest& request, FetchCallbacks cb) override {
        requests.push_back(request);
        auto it = files.find(request.url);
        if (it == files.end()) {
            cb.on_failure(FetchFailure::Network, "no such file");
        } else {
            cb.on_headers(it->second.first, {});
            cb.on_chunk(it->second.second.substr(0, 3));
            cb.on_chunk(it->second.second.substr(3));
            cb.on_done();
        }
        return static_cast<int>(requests.size());
    }
    void cancel(int) override {}
};

class HeadlessFrame {
public:
    HeadlessFrame() {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1280, 800);
        io.DeltaTime = 1.0f / 60.0f;
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    }
    ~HeadlessFrame() { ImGui::DestroyContext(); }
    void draw(AppState& state) {
        ImGui::NewFrame();
        DrawApp(state);
        ImGui::Render();
        ++state.frame;
    }
};

TEST(App, LoadsAssetsAndDrawsTheLayersTable) {
    FakeHttpClient http;
    http.files[kLayersAsset] = {200, R"([{"endpoint":"/v1/chat/completions"},{"endpoint":"/v1/responses"},{"endpoint":"/v1/messages"}])"};
    http.files[kUiFontAsset] = {200, "font bytes"};
    AppState state;
    start_asset_loads(state, http);
    ASSERT_EQ(http.requests.size(), 3u);
    EXPECT_EQ(state.layers.size(), 3u);
    EXPECT_EQ(state.asset(kUiFontAsset)->body, "font bytes");
    EXPECT_NE(state.asset(kMonoFontAsset)->error.find("no such file"), std::string::npos);

    HeadlessFrame frame;
    for (int i = 0; i < 3; ++i) frame.draw(state);
    for (const char* w : {"menu.brand", "menu.help", "main.title", "main.layers"}) {
        ASSERT_TRUE(state.widgets.count(w)) << w;
        EXPECT_GT(state.widgets[w].w, 0) << w;
    }
    Json hook = Json::parse(hook_state_json(state));
    EXPECT_EQ(hook["app"], "wirecheck");
    EXPECT_EQ(hook["layers"], 3);
    EXPECT_EQ(hook["assets"][kLayersAsset]["status"], 200);
}

TEST(App, BadLayersFileIsReportedNotFatal) {
    FakeHttpClient http;
    http.files[kLayersAsset] = {200, "{not json"};
    AppState state;
    start_asset_loads(state, http);
    EXPECT_FALSE(state.layers.is_array());
    EXPECT_NE(state.asset(kLayersAsset)->error.find("json.malformed"), std::string::npos)
        << state.asset(kLayersAsset)->error;
    HeadlessFrame frame;
    frame.draw(state);  // the panel shows its loading/empty state instead of crashing
    EXPECT_FALSE(state.widgets.count("main.layers"));
}

TEST(App, HookRectanglesAreInCssPixels) {
    FakeHttpClient http;
    AppState state;
    state.dpr = 2.0f;
    start_asset_loads(state, http);
    HeadlessFrame frame;
    frame.draw(state);
    ASSERT_TRUE(state.widgets.count("menu.help"));
    // The display is 1280 device pixels wide: at dpr 2 everything lies within 640 CSS pixels.
    EXPECT_LE(state.widgets["menu.help"].x + state.widgets["menu.help"].w, 640.0f);
}

}  // namespace
}  // namespace wirecheck::web
