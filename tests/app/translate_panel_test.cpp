// The Translate and Learn panels drawn headlessly (ImGui without a renderer) in English and
// Chinese, empty, with a valid request, bad JSON and a stream; the translation cache; and the JS
// API's translate_json answers.
#include <gtest/gtest.h>
#include <imgui.h>

#include <functional>

#include "headless_imgui.hpp"
#include "panels/panels.hpp"
#include "translate_api.hpp"
#include "translate_examples.hpp"

namespace wirecheck::web {
namespace {

class PanelFrame {
public:
    void draw(AppState& state, const std::function<void(AppState&)>& panel) {
        state.widgets.clear();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::Begin("panel", nullptr, ImGuiWindowFlags_NoDecoration);
        panel(state);
        ImGui::End();
        ImGui::Render();
        ++state.frame;
    }
    // Clicks the centre of a recorded widget (dpr 1: CSS pixels = ImGui pixels) over two frames.
    void click(AppState& state, const std::string& widget,
               const std::function<void(AppState&)>& panel) {
        ASSERT_TRUE(state.widgets.count(widget)) << widget;
        const WidgetRect& r = state.widgets[widget];
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(r.x + r.w / 2, r.y + r.h / 2);
        io.MouseDown[0] = true;
        draw(state, panel);
        io.MouseDown[0] = false;
        draw(state, panel);
    }

private:
    test::HeadlessImGui imgui_;
};

const TranslateExample& example(const std::string& id) {
    for (const auto& ex : translate_examples())
        if (ex.id == id) return ex;
    ADD_FAILURE() << "no example " << id;
    return translate_examples().front();
}

bool has_loss(const Losses& losses, Code code) {
    for (const Loss& l : losses)
        if (l.code == code) return true;
    return false;
}

constexpr int kChat = 0, kResponses = 1, kMessages = 2;

TEST(TranslatePanel, EmptyStateInBothLanguages) {
    PanelFrame frame;
    for (Language lang : {Language::English, Language::Chinese}) {
        AppState state;
        state.lang = lang;
        for (int i = 0; i < 3; ++i) frame.draw(state, DrawTranslatePanel);
        for (const char* w : {"translate.input", "translate.from.chat", "translate.kind.stream",
                              "translate.example.codex-request", "translate.output.responses",
                              "translate.output.messages"}) {
            ASSERT_TRUE(state.widgets.count(w)) << w;
            EXPECT_GT(state.widgets[w].w, 0) << w;
        }
        EXPECT_FALSE(state.widgets.count("translate.output.chat"));  // the input's own protocol
        EXPECT_EQ(state.translate.translations, 1);
        EXPECT_TRUE(state.translate.outputs[kResponses].output.empty());
    }
}

TEST(TranslatePanel, CodexRequestShowsBothTranslationsAndLossesAndIsCached) {
    PanelFrame frame;
    AppState state;
    const auto& ex = example("codex-request");
    state.translate.from = static_cast<int>(ex.from);
    state.translate.kind = static_cast<int>(ex.kind);
    state.translate.input = ex.text;
    for (int i = 0; i < 5; ++i) frame.draw(state, DrawTranslatePanel);
    EXPECT_EQ(state.translate.translations, 1) << "translated per frame, not per change";
    const auto& chat = state.translate.outputs[kChat];
    ASSERT_TRUE(chat.ok) << chat.error.to_string();
    EXPECT_TRUE(has_loss(chat.losses, Code::LossCustomToolAsFunction));
    EXPECT_TRUE(Json::parse(chat.output).contains("messages"));
    ASSERT_TRUE(state.translate.outputs[kMessages].ok);
    EXPECT_TRUE(state.translate.outputs[kResponses].output.empty());
    for (const char* w : {"translate.output.chat", "translate.losses.chat", "translate.copy.messages"})
        EXPECT_TRUE(state.widgets.count(w)) << w;

    state.lang = Language::Chinese;
    for (int i = 0; i < 2; ++i) frame.draw(state, DrawTranslatePanel);
    EXPECT_EQ(state.translate.translations, 1) << "a language switch does not retranslate";

    state.translate.kind = static_cast<int>(TranslateKind::Response);  // not a response: an error
    frame.draw(state, DrawTranslatePanel);
    EXPECT_EQ(state.translate.translations, 2);
    EXPECT_FALSE(state.translate.outputs[kChat].ok);
}

TEST(TranslatePanel, BadJsonShowsCodePointerAndMessage) {
    PanelFrame frame;
    for (Language lang : {Language::English, Language::Chinese}) {
        AppState state;
        state.lang = lang;
        state.translate.input = "{\"model\": \"x\", \"messages\": [";
        for (int i = 0; i < 3; ++i) frame.draw(state, DrawTranslatePanel);
        const auto& out = state.translate.outputs[kResponses];
        EXPECT_FALSE(out.ok);
        EXPECT_EQ(out.error.code, Code::JsonMalformed);
        EXPECT_FALSE(out.error.message.empty());
        EXPECT_TRUE(state.widgets.count("translate.error.responses"));
        EXPECT_TRUE(state.widgets.count("translate.error.messages"));
    }
    AppState wrong_type;
    wrong_type.translate.input = R"({"model": "x", "messages": [{"role": 7, "content": "hi"}]})";
    frame.draw(wrong_type, DrawTranslatePanel);
    const auto& out = wrong_type.translate.outputs[kMessages];
    EXPECT_FALSE(out.ok);
    EXPECT_EQ(out.error.pointer, "/messages/0/role") << out.error.to_string();
}

TEST(TranslatePanel, ChatStreamBecomesResponsesAndMessagesEvents) {
    PanelFrame frame;
    AppState state;
    const auto& ex = example("chat-stream");
    state.translate.from = static_cast<int>(ex.from);
    state.translate.kind = static_cast<int>(ex.kind);
    state.translate.input = ex.text;
    for (int i = 0; i < 3; ++i) frame.draw(state, DrawTranslatePanel);
    const auto& responses = state.translate.outputs[kResponses];
    ASSERT_TRUE(responses.ok) << responses.error.to_string();
    EXPECT_NE(responses.output.find("response.completed"), std::string::npos);
    const auto& messages = state.translate.outputs[kMessages];
    ASSERT_TRUE(messages.ok) << messages.error.to_string();
    EXPECT_NE(messages.output.find("message_stop"), std::string::npos);

    // A pasted stream cut short: the target's error event and a loss, not a crash.
    std::string text = ex.text;
    state.translate.input = text.substr(0, text.find("finish_reason\":\"stop"));
    frame.draw(state, DrawTranslatePanel);
    const auto& cut = state.translate.outputs[kResponses];
    EXPECT_TRUE(!cut.ok || has_loss(cut.losses, Code::LossStreamTruncated)) << cut.output;
}

TEST(TranslatePanel, APastedStreamWithRequestSelectedGetsAHint) {
    PanelFrame frame;
    AppState state;
    state.translate.input = example("chat-stream").text;
    frame.draw(state, DrawTranslatePanel);
    EXPECT_FALSE(state.translate.outputs[kResponses].ok);
    frame.click(state, "translate.kind_hint", DrawTranslatePanel);
    EXPECT_EQ(state.translate.kind, static_cast<int>(TranslateKind::Stream));
    frame.draw(state, DrawTranslatePanel);
    EXPECT_TRUE(state.translate.outputs[kResponses].ok);
    EXPECT_FALSE(state.widgets.count("translate.kind_hint"));
}

TEST(TranslatePanel, EveryExampleTranslatesBothWays) {
    for (const auto& ex : translate_examples()) {
        for (Protocol to : {Protocol::Chat, Protocol::Responses, Protocol::Messages}) {
            if (to == ex.from) continue;
            TranslateOutcome out = translate_text(ex.from, to, ex.kind, ex.text);
            EXPECT_TRUE(out.ok) << ex.id << " -> " << protocol_name(to) << ": " << out.error.to_string();
            EXPECT_FALSE(out.output.empty()) << ex.id;
        }
    }
}

TEST(TranslatePanel, ExampleButtonsAndUseAsInputRoundTrip) {
    PanelFrame frame;
    AppState state;
    frame.draw(state, DrawTranslatePanel);
    frame.click(state, "translate.example.claude-code-request", DrawTranslatePanel);
    EXPECT_EQ(state.translate.example, "claude-code-request");
    EXPECT_EQ(state.translate.from, kMessages);
    frame.draw(state, DrawTranslatePanel);
    ASSERT_TRUE(state.translate.outputs[kChat].ok);
    EXPECT_TRUE(has_loss(state.translate.outputs[kChat].losses, Code::LossIsErrorAsText));

    std::string chat = state.translate.outputs[kChat].output;
    frame.click(state, "translate.use.chat", DrawTranslatePanel);
    EXPECT_EQ(state.translate.from, kChat);
    EXPECT_EQ(state.translate.input, chat);
    frame.draw(state, DrawTranslatePanel);
    ASSERT_TRUE(state.translate.outputs[kMessages].ok);
    Json back = Json::parse(state.translate.outputs[kMessages].output);
    EXPECT_EQ(back["messages"].size(), 3u);

    frame.click(state, "translate.clear", DrawTranslatePanel);
    EXPECT_TRUE(state.translate.input.empty());
}

TEST(LearnPanel, DrawsInBothLanguages) {
    PanelFrame frame;
    for (Language lang : {Language::English, Language::Chinese}) {
        AppState state;
        state.lang = lang;
        for (int i = 0; i < 3; ++i) frame.draw(state, DrawLearnPanel);
        for (const char* w : {"learn.title", "learn.layers", "learn.http200", "learn.claude_vs_codex",
                              "learn.verdicts"}) {
            ASSERT_TRUE(state.widgets.count(w)) << w;
            EXPECT_GT(state.widgets[w].w, 0) << w;
        }
    }
}

TEST(TranslateJson, ValidRequestListsLosses) {
    const auto& ex = example("codex-request");
    Json out = Json::parse(translate_json("responses", "chat", "request", ex.text));
    ASSERT_EQ(out["ok"], true) << out.dump();
    Json body = Json::parse(out["output"].get<std::string>());
    EXPECT_EQ(body["model"], "gpt-5.5");
    ASSERT_TRUE(out["losses"].is_array());
    bool found = false;
    for (const Json& l : out["losses"]) {
        EXPECT_TRUE(l.contains("severity") && l.contains("pointer") && l.contains("message"));
        found = found || l["code"] == "loss.custom_tool_as_function";
    }
    EXPECT_TRUE(found) << out["losses"].dump();
}

TEST(TranslateJson, StreamAndResponse) {
    Json stream = Json::parse(translate_json("chat", "messages", "stream", example("chat-stream").text));
    ASSERT_EQ(stream["ok"], true) << stream.dump();
    EXPECT_NE(stream["output"].get<std::string>().find("event: message_start"), std::string::npos);
    Json response = Json::parse(translate_json("chat", "responses", "response", example("chat-response").text));
    ASSERT_EQ(response["ok"], true) << response.dump();
    EXPECT_EQ(Json::parse(response["output"].get<std::string>())["object"], "response");
}

TEST(TranslateJson, BadInputIsAnErrorWithCodeAndPointer) {
    Json bad = Json::parse(translate_json("chat", "responses", "request", "{not json"));
    EXPECT_EQ(bad["ok"], false);
    EXPECT_EQ(bad["error"]["code"], "json.malformed");
    EXPECT_TRUE(bad["error"].contains("pointer"));
    EXPECT_FALSE(bad["error"]["message"].get<std::string>().empty());

    Json args = Json::parse(translate_json("gemini", "chat", "request", "{}"));
    EXPECT_EQ(args["ok"], false);
    EXPECT_EQ(args["error"]["code"], "usage.bad_argument");
    Json kind = Json::parse(translate_json("chat", "messages", "transcript", "{}"));
    EXPECT_EQ(kind["error"]["code"], "usage.bad_argument");

    Json stream = Json::parse(translate_json("chat", "responses", "stream", "data: {oops\n\n"));
    EXPECT_EQ(stream["ok"], false);
    EXPECT_FALSE(stream["error"]["code"].get<std::string>().empty());
}

}  // namespace
}  // namespace wirecheck::web
