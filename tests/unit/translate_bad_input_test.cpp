// Bad input through the translate API: every case yields a specific code and JSON pointer, nothing
// throws out of the core, nothing aborts (the same table runs under Wasm). Streams that fail still
// end with the target protocol's error event.
#include <gtest/gtest.h>

#include "test_util.hpp"

namespace wirecheck {
namespace {

enum class Kind { Request, Response, Stream };

struct BadInput {
    const char* name;
    Kind kind;
    Protocol from;
    std::string input;
    Code code;
    const char* pointer;
};

constexpr Protocol kChat = Protocol::Chat;
constexpr Protocol kResponses = Protocol::Responses;
constexpr Protocol kMessages = Protocol::Messages;

std::string deep_nesting(std::size_t levels) {
    return R"({"model":"m","messages":[{"role":"user","content":"hi"}],"metadata":{"x":)" +
           std::string(levels, '[') + std::string(levels, ']') + "}}";
}

std::string ten_megabytes() {
    return R"({"model":"m","messages":[{"role":"user","content":")" + std::string(10u << 20, 'a') +
           R"("}]})";
}

const char* kChatChunk =
    R"(data: {"id":"c1","object":"chat.completion.chunk","model":"m",)"
    R"("choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]})";

std::vector<BadInput> bad_inputs() {
    return {
        // ---- JSON itself
        {"malformed", Kind::Request, kChat, R"({"model": "m",})", Code::JsonMalformed, ""},
        {"truncated", Kind::Request, kMessages, R"({"model":"m","messages":[{"role":"user")",
         Code::JsonMalformed, ""},
        {"empty body", Kind::Request, kResponses, "", Code::JsonMalformed, ""},
        {"invalid UTF-8", Kind::Request, kChat,
         "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"\xC3\x28\"}]}",
         Code::JsonInvalidUtf8, ""},
        {"lone surrogate", Kind::Request, kMessages,
         R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"\ud800"}]})",
         Code::JsonInvalidUtf8, ""},
        {"nesting deeper than the limit", Kind::Request, kChat,
         deep_nesting(kTranslateMaxDepth + 10), Code::JsonTooDeep, ""},
        {"10 MB body", Kind::Request, kChat, ten_megabytes(), Code::JsonTooLarge, ""},
        // ---- wrong types at several levels
        {"body is an array", Kind::Request, kChat, "[]", Code::JsonWrongType, ""},
        {"messages is a string", Kind::Request, kChat, R"({"model":"m","messages":"hi"})",
         Code::JsonWrongType, "/messages"},
        {"content is a number", Kind::Request, kChat,
         R"({"model":"m","messages":[{"role":"user","content":5}]})", Code::JsonWrongType,
         "/messages/0/content"},
        {"arguments is an object", Kind::Request, kChat,
         R"({"model":"m","messages":[{"role":"user","content":"a"},{"role":"assistant",
            "tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":{}}}]}]})",
         Code::JsonWrongType, "/messages/1/tool_calls/0/function/arguments"},
        {"input text is a number", Kind::Request, kResponses,
         R"({"model":"m","input":[{"type":"message","role":"user",
            "content":[{"type":"input_text","text":3}]}]})",
         Code::JsonWrongType, "/input/0/content/0/text"},
        {"max_tokens is a string", Kind::Request, kMessages,
         R"({"model":"m","max_tokens":"5","messages":[]})", Code::JsonWrongType, "/max_tokens"},
        {"tool_use input is a string", Kind::Request, kMessages,
         R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"a"},
            {"role":"assistant","content":[
              {"type":"tool_use","id":"t","name":"f","input":"x"}]}]})",
         Code::JsonWrongType, "/messages/1/content/0/input"},
        {"response output is an object", Kind::Response, kResponses,
         R"({"id":"r","object":"response","status":"completed","model":"m","output":{}})",
         Code::JsonWrongType, "/output"},
        {"choices is an object", Kind::Response, kChat,
         R"({"id":"c","object":"chat.completion","model":"m","choices":{}})", Code::JsonWrongType,
         "/choices"},
        // ---- missing required fields
        {"chat model missing", Kind::Request, kChat, R"({"messages":[]})", Code::JsonMissingField,
         "/model"},
        {"messages array missing", Kind::Request, kMessages, R"({"model":"m","max_tokens":5})",
         Code::JsonMissingField, "/messages"},
        {"tool_use id missing", Kind::Request, kMessages,
         R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"a"},
            {"role":"assistant","content":[{"type":"tool_use","name":"f","input":{}}]}]})",
         Code::JsonMissingField, "/messages/1/content/0/id"},
        {"function_call_output call_id missing", Kind::Request, kResponses,
         R"({"model":"m","input":[{"type":"function_call_output","output":"x"}]})",
         Code::JsonMissingField, "/input/0/call_id"},
        {"messages response content missing", Kind::Response, kMessages,
         R"({"id":"msg","type":"message","role":"assistant","model":"m","stop_reason":"end_turn"})",
         Code::JsonMissingField, "/content"},
        // ---- unknown item types
        {"unknown input item", Kind::Request, kResponses,
         R"({"model":"m","input":[{"type":"bogus_item"}]})", Code::JsonUnknownType,
         "/input/0/type"},
        {"unknown content block", Kind::Request, kMessages,
         R"({"model":"m","max_tokens":5,
            "messages":[{"role":"user","content":[{"type":"bogus"}]}]})",
         Code::JsonUnknownType, "/messages/0/content/0/type"},
        {"unknown chat role", Kind::Request, kChat,
         R"({"model":"m","messages":[{"role":"wizard","content":"hi"}]})", Code::JsonUnknownType,
         "/messages/0/role"},
        {"unknown chat content part", Kind::Request, kChat,
         R"({"model":"m","messages":[{"role":"user","content":[{"type":"video"}]}]})",
         Code::JsonUnknownType, "/messages/0/content/0/type"},
        // ---- streams
        {"SSE with no blank lines", Kind::Stream, kChat,
         std::string(kChatChunk) + "\n" + kChatChunk + "\n", Code::SseUnterminatedEvent, ""},
        {"data that is not JSON", Kind::Stream, kChat, "data: hello\n\n", Code::SseBadEventData,
         ""},
        {"Messages data that is not JSON", Kind::Stream, kMessages,
         "event: message_start\ndata: {\"type\":\n\n", Code::SseBadEventData, ""},
        {"Responses data that is not JSON", Kind::Stream, kResponses,
         "event: response.created\ndata: [1,\n\n", Code::SseBadEventData, ""},
        {"events out of order", Kind::Stream, kMessages,
         "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
         "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n",
         Code::SseBadEventData, ""},
        {"cut inside the last event", Kind::Stream, kMessages,
         "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m",
         Code::SseUnterminatedEvent, ""},
    };
}

// Runs one input to its error, with the target's error event checked for streams.
std::optional<Error> run(const BadInput& c, Protocol to, std::string* stream_output = nullptr) {
    if (c.kind == Kind::Stream) {
        test::StreamRun r = test::translate_stream_pieces(c.from, to, {c.input});
        if (stream_output) *stream_output = r.output;
        return r.error;
    }
    auto result = test::no_throw("translate", [&] {
        return c.kind == Kind::Request ? translate_request(c.from, to, c.input)
                                       : translate_response(c.from, to, c.input);
    });
    if (result.ok()) return std::nullopt;
    return result.error();
}

Protocol other(Protocol p) { return p == kChat ? kMessages : kChat; }

TEST(TranslateBadInput, EveryCaseGivesASpecificCodeAndPointer) {
    for (const BadInput& c : bad_inputs()) {
        for (Protocol to : {other(c.from), c.from == kResponses ? kMessages : kResponses}) {
            SCOPED_TRACE(std::string(c.name) + " -> " + std::string(protocol_name(to)));
            auto error = run(c, to);
            EXPECT_TRUE(error.has_value()) << "translated without an error";
            if (!error) continue;
            EXPECT_EQ(code_name(error->code), code_name(c.code)) << error->to_string();
            EXPECT_EQ(error->pointer, c.pointer) << error->to_string();
            EXPECT_FALSE(error->message.empty());
        }
    }
}

// A failed stream still ends in the target's grammar: Chat gets an error chunk and [DONE],
// Responses `error` + response.failed, Messages `event: error`.
TEST(TranslateBadInput, FailedStreamsEndWithTheTargetsErrorEvent) {
    for (const BadInput& c : bad_inputs()) {
        if (c.kind != Kind::Stream) continue;
        for (Protocol to : {kChat, kResponses, kMessages}) {
            if (to == c.from) continue;
            SCOPED_TRACE(std::string(c.name) + " -> " + std::string(protocol_name(to)));
            std::string output;
            ASSERT_TRUE(run(c, to, &output).has_value());
            Json events = test::sse_as_json(output);
            ASSERT_FALSE(events.empty());
            if (to == kChat) {
                EXPECT_EQ(events.back()["data"], "[DONE]");
                ASSERT_GE(events.size(), 2u);
                EXPECT_TRUE(events[events.size() - 2]["data"].contains("error")) << output;
            } else if (to == kResponses) {
                EXPECT_EQ(events.back()["event"], "response.failed") << output;
            } else {
                EXPECT_EQ(events.back()["event"], "error") << output;
            }
        }
    }
}

TEST(TranslateBadInput, ErrorsDoNotDependOnChunking) {
    for (const BadInput& c : bad_inputs()) {
        if (c.kind != Kind::Stream) continue;
        SCOPED_TRACE(c.name);
        test::StreamRun whole = test::translate_stream_pieces(c.from, other(c.from), {c.input});
        test::StreamRun bytes =
            test::translate_stream_pieces(c.from, other(c.from), test::chunks_of(c.input, 1));
        EXPECT_EQ(whole.output, bytes.output);
        ASSERT_TRUE(whole.error && bytes.error);
        EXPECT_EQ(whole.error->code, bytes.error->code);
    }
}

// A stream that just stops is not a failure of the translation but of the source: the output
// ends with the target's error event and an error-severity loss says why.
TEST(TranslateBadInput, StreamThatJustStopsEndsWithAnErrorEventAndALoss) {
    const std::string input = std::string(kChatChunk) + "\n\n";
    for (Protocol to : {kResponses, kMessages}) {
        test::StreamRun r = test::translate_stream_pieces(kChat, to, {input});
        EXPECT_FALSE(r.error) << r.error->to_string();
        const Loss* truncated = nullptr;
        for (const Loss& l : r.losses) {
            if (l.code == Code::LossStreamTruncated) truncated = &l;
        }
        ASSERT_NE(truncated, nullptr) << test::describe_losses(r.losses);
        EXPECT_EQ(truncated->severity, Severity::Error);
        EXPECT_EQ(truncated->pointer, "");
        Json events = test::sse_as_json(r.output);
        ASSERT_FALSE(events.empty());
        EXPECT_EQ(events.back()["event"], to == kResponses ? "response.failed" : "error");
    }
}

TEST(TranslateBadInput, OversizedSseEventIsRefused) {
    TranslateOptions options;
    options.sse.max_event_bytes = 1024;
    std::string input = "data: \"" + std::string(4096, 'x') + "\"\n\n";
    test::StreamRun r = test::translate_stream_pieces(kChat, kMessages, {input}, options);
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->code, Code::SseEventTooLarge);
    EXPECT_EQ(test::sse_as_json(r.output).back()["event"], "error");
}

// After a hard error the translator stays failed: later input cannot resurrect the stream.
TEST(TranslateBadInput, FailedTranslatorStaysFailed) {
    StreamTranslator translator(kChat, kResponses);
    std::string out;
    ASSERT_FALSE(translator.feed("data: nope\n\n", out).ok());
    std::size_t written = out.size();
    EXPECT_FALSE(translator.feed(std::string(kChatChunk) + "\n\n", out).ok());
    EXPECT_FALSE(translator.finish(out).ok());
    EXPECT_EQ(out.size(), written) << "nothing may follow the error event";
}

// Limits are options: a body over the default limit translates once the limit is raised.
TEST(TranslateBadInput, BodyLimitIsAnOption) {
    TranslateOptions options;
    options.json.max_bytes = 16u << 20;
    auto r = test::no_throw("translate", [&] {
        return translate_request(kChat, kMessages, ten_megabytes(), options);
    });
    EXPECT_TRUE(r.ok()) << r.error().to_string();
}

}  // namespace
}  // namespace wirecheck
