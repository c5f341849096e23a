// The translate API beyond the golden files: the adapter flow (client request -> upstream, reply
// restored to the client's tools), restoration of custom and namespaced calls in bodies and
// streams, and truncation never passing a cut tool call on as complete.
#include <gtest/gtest.h>

#include "test_util.hpp"

namespace wirecheck {
namespace {

// A Codex request: custom `exec`, a namespaced MCP tool, and a plain function.
const char* kCodexRequest = R"({
  "model": "gpt-5.5", "stream": true, "input": "Write proof.txt",
  "tools": [
    {"type": "custom", "name": "exec", "format": {"type": "grammar", "syntax": "lark",
                                                  "definition": "start: /.+/s"}},
    {"type": "namespace", "name": "mcp_fs", "description": "", "tools": [
      {"type": "function", "name": "read_file", "strict": false,
       "parameters": {"type": "object", "properties": {"path": {"type": "string"}}}}]},
    {"type": "function", "name": "wait", "strict": false,
     "parameters": {"type": "object", "properties": {}}}]})";

ClientRequestTranslation adapt(Protocol upstream) {
    auto r = test::no_throw("translate_client_request", [&] {
        return translate_client_request(Protocol::Responses, upstream, kCodexRequest);
    });
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? r.value() : ClientRequestTranslation{};
}

TEST(TranslateAdapter, ClientRequestCarriesTheClientToolsForTheReply) {
    ClientRequestTranslation t = adapt(Protocol::Chat);
    EXPECT_TRUE(t.stream);
    ASSERT_TRUE(t.reply_options.request_tools.has_value());
    EXPECT_EQ(t.reply_options.request_tools->size(), 3u);
    const Json upstream = test::parse_or_fail(t.upstream_request.output);
    const Json& tools = upstream["tools"];
    ASSERT_EQ(tools.size(), 3u);
    EXPECT_EQ(tools[0]["function"]["name"], "exec");
    EXPECT_EQ(tools[1]["function"]["name"], "mcp_fs__read_file");
    // Asking the chat upstream for usage, so the Responses reply can carry it (peers.md §2.20).
    EXPECT_EQ(upstream["stream_options"]["include_usage"], true);
}

// What a chat upstream answers to that request, chunk by chunk: a function call to `exec` with
// {"input"} whose arguments split inside an escape, and a call to the flattened MCP tool.
std::vector<std::string> chat_reply_chunks() {
    auto chunk = [](const std::string& delta, const char* finish = "null") {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\","
               "\"choices\":[{\"index\":0,\"delta\":" +
               delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    };
    auto call = [](const char* index, const char* id, const char* name, const char* args) {
        return std::string(R"({"tool_calls":[{"index":)") + index + R"(,"id":")" + id +
               R"(","type":"function","function":{"name":")" + name + R"(","arguments":")" +
               args + R"("}}]})";
    };
    return {chunk(call("0", "call_1", "exec", "")),
            chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"input\":\"ls \\"}}]})"),
            chunk(R"({"tool_calls":[{"index":0,"function":{"arguments":"\"-la\\\"\\n\"}"}}]})"),
            chunk(call("1", "call_2", "mcp_fs__read_file", R"({\"path\":\"a\"})")),
            chunk("{}", "\"tool_calls\""),
            "data: [DONE]\n\n"};
}

std::string chat_reply_stream() {
    std::string out;
    for (const auto& c : chat_reply_chunks()) out += c;
    return out;
}

TEST(TranslateAdapter, StreamedReplyIsRestoredToCustomAndNamespacedCalls) {
    ClientRequestTranslation t = adapt(Protocol::Chat);
    std::string input = chat_reply_stream();
    test::StreamRun whole = test::translate_stream_pieces(Protocol::Chat, Protocol::Responses,
                                                          {input}, t.reply_options);
    ASSERT_FALSE(whole.error) << whole.error->to_string();
    Json done_items = Json::array();
    for (const Json& e : test::sse_as_json(whole.output)) {
        if (e["event"] == "response.output_item.done") done_items.push_back(e["data"]["item"]);
    }
    ASSERT_EQ(done_items.size(), 2u) << whole.output;
    EXPECT_EQ(done_items[0]["type"], "custom_tool_call");
    EXPECT_EQ(done_items[0]["name"], "exec");
    EXPECT_EQ(done_items[0]["input"], "ls \"-la\"\n");
    EXPECT_EQ(done_items[1]["type"], "function_call");
    EXPECT_EQ(done_items[1]["name"], "read_file");
    EXPECT_EQ(done_items[1]["namespace"], "mcp_fs");
    test::StreamRun bytes = test::translate_stream_pieces(
        Protocol::Chat, Protocol::Responses, test::chunks_of(input, 1), t.reply_options);
    EXPECT_EQ(bytes.output, whole.output);
}

TEST(TranslateAdapter, BodyReplyFromMessagesIsRestored) {
    ClientRequestTranslation t = adapt(Protocol::Messages);
    const char* reply = R"({"id":"msg_1","type":"message","role":"assistant","model":"m",
      "content":[{"type":"tool_use","id":"toolu_1","name":"exec","input":{"input":"pwd"}},
                 {"type":"tool_use","id":"toolu_2","name":"mcp_fs__read_file","input":{"path":"a"}},
                 {"type":"tool_use","id":"toolu_3","name":"wait","input":{}}],
      "stop_reason":"tool_use","usage":{"input_tokens":3,"output_tokens":4}})";
    auto r = translate_response(Protocol::Messages, Protocol::Responses, reply, t.reply_options);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    const Json output = test::parse_or_fail(r->output)["output"];
    ASSERT_EQ(output.size(), 3u);
    EXPECT_EQ(output[0]["type"], "custom_tool_call");
    EXPECT_EQ(output[0]["input"], "pwd");
    EXPECT_EQ(output[1]["namespace"], "mcp_fs");
    EXPECT_EQ(output[1]["name"], "read_file");
    EXPECT_EQ(output[2]["type"], "function_call");
    EXPECT_EQ(output[2]["name"], "wait");
    EXPECT_FALSE(output[2].contains("namespace"));
}

// A model that ignores the {"input": ...} wrapper still reaches Codex as a custom call, with its
// text verbatim and a warning (Codex would abort on a function_call for `exec`, peers.md §2.27).
TEST(TranslateAdapter, UnwrappableCustomArgumentsPassVerbatimWithAWarning) {
    ClientRequestTranslation t = adapt(Protocol::Chat);
    const char* reply = R"({"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,
      "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
      "function":{"name":"exec","arguments":"ls -la"}}]},"finish_reason":"tool_calls"}]})";
    auto r = translate_response(Protocol::Chat, Protocol::Responses, reply, t.reply_options);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    const Json output = test::parse_or_fail(r->output)["output"];
    EXPECT_EQ(output[0]["type"], "custom_tool_call");
    EXPECT_EQ(output[0]["input"], "ls -la");
    bool warned = false;
    for (const Loss& l : r->losses) {
        warned |= l.code == Code::LossValueMapped && l.severity == Severity::Warn &&
                  l.pointer == "/output/0";
    }
    EXPECT_TRUE(warned) << test::describe_losses(r->losses);
}

// Without the client's tools nothing is guessed: the call stays a function call.
TEST(TranslateAdapter, WithoutClientToolsCallsAreNotRestored) {
    std::string input = chat_reply_stream();
    test::StreamRun run =
        test::translate_stream_pieces(Protocol::Chat, Protocol::Responses, {input});
    ASSERT_FALSE(run.error);
    EXPECT_EQ(run.output.find("custom_tool_call"), std::string::npos);
    EXPECT_NE(run.output.find("mcp_fs__read_file"), std::string::npos);
}

// peers.md §2.18/2.19: a stream cut inside a tool call must not reach Codex as a complete item
// (output_item.done) nor Claude Code as a closed tool_use block.
TEST(TranslateStream, CutToolCallIsNeverAnnouncedComplete) {
    auto chunks = chat_reply_chunks();
    std::string input = chunks[0] + chunks[1];  // cut inside exec's arguments
    for (Protocol to : {Protocol::Responses, Protocol::Messages}) {
        SCOPED_TRACE(protocol_name(to));
        test::StreamRun run = test::translate_stream_pieces(Protocol::Chat, to, {input});
        EXPECT_FALSE(run.error);
        EXPECT_TRUE(test::has_loss_code(run.losses, Code::LossStreamTruncated));
        Json events = test::sse_as_json(run.output);
        for (const Json& e : events) {
            EXPECT_NE(e["event"], "response.output_item.done") << run.output;
            EXPECT_NE(e["event"], "content_block_stop") << run.output;
        }
        EXPECT_EQ(events.back()["event"], to == Protocol::Responses ? "response.failed" : "error");
    }
}

TEST(TranslateStream, SameProtocolStreamPassesThroughUnchangedInMeaning) {
    bool ok = false;
    std::string capture = test::read_file(
        test::shared_path("fixtures/captures/claude-thinking-turn1.json"), &ok);
    ASSERT_TRUE(ok);
    std::string sse = test::parse_or_fail(capture)["response"]["body_text"];
    test::StreamRun run = test::translate_stream_pieces(Protocol::Messages, Protocol::Messages,
                                                        {sse});
    ASSERT_FALSE(run.error);
    // The signature crosses verbatim only back to its own protocol.
    EXPECT_NE(run.output.find("bW9jay1zaWduYXR1cmU6bXNnX3J3ZGtzNzI0YWRtd3cyMDI0cQ=="),
              std::string::npos);
}

TEST(TranslateApi, ProtocolNamesRoundTrip) {
    for (Protocol p : {Protocol::Chat, Protocol::Responses, Protocol::Messages}) {
        EXPECT_EQ(protocol_from_name(protocol_name(p)), p);
    }
    EXPECT_FALSE(protocol_from_name("anthropic").has_value());
}

TEST(TranslateApi, FeedAfterFinishIsAnErrorNotACrash) {
    StreamTranslator t(Protocol::Chat, Protocol::Messages);
    std::string out;
    ASSERT_TRUE(t.feed("data: [DONE]\n\n", out).ok());
    ASSERT_TRUE(t.finish(out).ok());
    EXPECT_FALSE(t.feed("data: [DONE]\n\n", out).ok());
    EXPECT_TRUE(t.finish(out).ok());  // finishing twice is harmless
}

}  // namespace
}  // namespace wirecheck
