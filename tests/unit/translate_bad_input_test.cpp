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

        // ---- more malformed and truncated JSON
        {"trailing garbage", Kind::Request, kChat, R"({"model":"m","messages":[]} x)",
         Code::JsonMalformed, ""},
        {"truncated inside a string", Kind::Request, kResponses, R"({"model":"m","input":"hel)",
         Code::JsonMalformed, ""},
        {"truncated response", Kind::Response, kChat,
         R"({"id":"c","object":"chat.completion","choices":[{)", Code::JsonMalformed, ""},
        {"NaN is not JSON", Kind::Request, kMessages,
         R"({"model":"m","max_tokens":NaN,"messages":[]})", Code::JsonMalformed, ""},
        {"single quotes", Kind::Request, kChat, "{'model':'m'}", Code::JsonMalformed, ""},
        {"whitespace-only body", Kind::Request, kMessages, " \r\n\t", Code::JsonMalformed, ""},
        {"empty response body", Kind::Response, kResponses, "", Code::JsonMalformed, ""},
        // ---- invalid UTF-8 and surrogates anywhere
        {"lone low surrogate", Kind::Request, kChat,
         R"({"model":"m","messages":[{"role":"user","content":"a\udc00b"}]})",
         Code::JsonInvalidUtf8, ""},
        {"high surrogate followed by a non-surrogate", Kind::Request, kResponses,
         R"({"model":"m","input":"\ud83d\u0041"})", Code::JsonInvalidUtf8, ""},
        {"overlong UTF-8", Kind::Request, kResponses, "{\"model\":\"m\",\"input\":\"\xC0\xAF\"}",
         Code::JsonInvalidUtf8, ""},
        {"UTF-8 cut inside a character", Kind::Request, kMessages,
         "{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"\xE2\x82\"}]}",
         Code::JsonInvalidUtf8, ""},
        {"invalid UTF-8 in a key", Kind::Request, kChat,
         "{\"model\":\"m\",\"\xFF\":1,\"messages\":[]}", Code::JsonInvalidUtf8, ""},
        {"invalid UTF-8 in a response", Kind::Response, kMessages,
         "{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
         "\"content\":[{\"type\":\"text\",\"text\":\"\xED\xA0\x80\"}]}",
         Code::JsonInvalidUtf8, ""},
        // ---- limits on responses too
        {"response nested deeper than the limit", Kind::Response, kResponses,
         R"({"id":"r","object":"response","status":"completed","model":"m","output":[],"x":)" +
             std::string(kTranslateMaxDepth + 1, '[') + std::string(kTranslateMaxDepth + 1, ']') +
             "}",
         Code::JsonTooDeep, ""},
        {"10 MB response", Kind::Response, kMessages,
         R"({"id":"m","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":")" +
             std::string(10u << 20, 'a') + R"("}]})",
         Code::JsonTooLarge, ""},
        // ---- duplicate keys: the LAST value wins, as in JSON.parse and Python (docs/translation.md)
        {"duplicate key, last is wrong", Kind::Request, kChat,
         R"({"model":"m","messages":[{"role":"user","content":"hi"}],"messages":"x"})",
         Code::JsonWrongType, "/messages"},
        {"duplicate key in a nested item", Kind::Request, kMessages,
         R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"a","role":"wizard"}]})",
         Code::JsonUnknownType, "/messages/0/role"},
        // ---- more wrong types, nested
        {"response body is a string", Kind::Response, kMessages, R"("hi")", Code::JsonWrongType,
         ""},
        {"responses input is a number", Kind::Request, kResponses, R"({"model":"m","input":5})",
         Code::JsonWrongType, "/input"},
        {"text block text is an object", Kind::Request, kMessages,
         R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":{}}]}]})",
         Code::JsonWrongType, "/messages/0/content/0/text"},
        {"tools is an object", Kind::Request, kChat,
         R"({"model":"m","messages":[{"role":"user","content":"a"}],"tools":{}})",
         Code::JsonWrongType, "/tools"},
        {"function_call arguments is an object", Kind::Request, kResponses,
         R"({"model":"m","input":[{"type":"function_call","call_id":"c","name":"f","arguments":{}}]})",
         Code::JsonWrongType, "/input/0/arguments"},
        {"response message content is a number", Kind::Response, kChat,
         R"({"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,)"
         R"("message":{"role":"assistant","content":5},"finish_reason":"stop"}]})",
         Code::JsonWrongType, "/choices/0/message/content"},
        {"response tool call arguments is an object", Kind::Response, kChat,
         R"({"id":"c","object":"chat.completion","model":"m","choices":[{"index":0,"message":)"
         R"({"role":"assistant","content":null,"tool_calls":[{"id":"t","type":"function",)"
         R"("function":{"name":"f","arguments":{}}}]},"finish_reason":"tool_calls"}]})",
         Code::JsonWrongType, "/choices/0/message/tool_calls/0/function/arguments"},
        {"response content block is a string", Kind::Response, kMessages,
         R"({"id":"m","type":"message","role":"assistant","model":"m","content":["x"]})",
         Code::JsonWrongType, "/content/0"},
        {"response output item content is a string", Kind::Response, kResponses,
         R"({"id":"r","object":"response","status":"completed","model":"m",)"
         R"("output":[{"type":"message","role":"assistant","content":"x"}]})",
         Code::JsonWrongType, "/output/0/content"},
        // ---- more missing fields
        {"chat response choices missing", Kind::Response, kChat,
         R"({"id":"c","object":"chat.completion","model":"m"})", Code::JsonMissingField,
         "/choices"},
        {"function name missing", Kind::Request, kChat,
         R"({"model":"m","messages":[{"role":"user","content":"a"}],)"
         R"("tools":[{"type":"function","function":{"parameters":{}}}]})",
         Code::JsonMissingField, "/tools/0/function/name"},
        {"tool_result tool_use_id missing", Kind::Request, kMessages,
         R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[)"
         R"({"type":"tool_result","content":"x"}]}]})",
         Code::JsonMissingField, "/messages/0/content/0/tool_use_id"},
        // ---- more unknown types
        {"unknown Responses content part", Kind::Request, kResponses,
         R"({"model":"m","input":[{"type":"message","role":"user","content":[{"type":"bogus"}]}]})",
         Code::JsonUnknownType, "/input/0/content/0/type"},
        {"unknown response content block", Kind::Response, kMessages,
         R"({"id":"m","type":"message","role":"assistant","model":"m","content":[{"type":"bogus"}]})",
         Code::JsonUnknownType, "/content/0/type"},
        {"unknown Messages role", Kind::Request, kMessages,
         R"({"model":"m","max_tokens":5,"messages":[{"role":"wizard","content":"a"}]})",
         Code::JsonUnknownType, "/messages/0/role"},
        // ---- stream chunks: wrong types, bad text, limits, order
        {"chat chunk is an array", Kind::Stream, kChat, "data: [1]\n\n", Code::JsonWrongType, ""},
        {"chat chunk choices is a string", Kind::Stream, kChat,
         "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":\"x\"}\n\n",
         Code::JsonWrongType, "/choices"},
        {"chat delta content is a number", Kind::Stream, kChat,
         "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":5}}]}\n\n",
         Code::JsonWrongType, "/choices/0/delta/content"},
        {"chat delta tool arguments is a number", Kind::Stream, kChat,
         "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
         "\"id\":\"t\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":5}}]}}]}\n\n",
         Code::JsonWrongType, "/choices/0/delta/tool_calls/0/function/arguments"},
        {"Messages delta text is a number", Kind::Stream, kMessages,
         "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\","
         "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[]}}\n\n"
         "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
         "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
         "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
         "\"delta\":{\"type\":\"text_delta\",\"text\":5}}\n\n",
         Code::JsonWrongType, "/delta/text"},
        {"Responses event with no type", Kind::Stream, kResponses, "data: {\"x\":1}\n\n",
         Code::SseBadEventData, "/type"},
        {"invalid UTF-8 in a stream event", Kind::Stream, kChat,
         "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\xFE\"}}]}\n\n",
         Code::SseBadEventData, ""},
        {"lone surrogate in a stream event", Kind::Stream, kMessages,
         "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"\\ud800\"}}\n\n",
         Code::SseBadEventData, ""},
        {"stream event nested too deep", Kind::Stream, kResponses,
         "data: {\"type\":\"response.created\",\"x\":" + std::string(200, '[') +
             std::string(200, ']') + "}\n\n",
         Code::SseBadEventData, ""},
        {"message_delta before message_start", Kind::Stream, kMessages,
         "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
         "\"end_turn\"},\"usage\":{\"output_tokens\":1}}\n\n",
         Code::SseBadEventData, ""},
        {"CRLF with no blank lines", Kind::Stream, kChat,
         std::string(kChatChunk) + "\r\n" + kChatChunk + "\r\n", Code::SseUnterminatedEvent, ""},
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
            // Messages go into JSON reports and error bodies: they must be valid UTF-8 even when
            // the input was not (regression: the quoted excerpt held the invalid bytes).
            EXPECT_NO_THROW((void)Json(error->message).dump()) << error->message;
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

// Odd but valid streams translate exactly like their plain form: CRLF and lone-CR line endings
// (the SSE spec allows all three), a 1 MB single data line, comments between events, and anything
// after the terminal event (the client already has its end; later events are ignored, not errors).
TEST(TranslateBadInput, OddButValidStreamsTranslateLikeTheirPlainForm) {
    const std::string stop =
        R"(data: {"id":"c1","object":"chat.completion.chunk","model":"m",)"
        R"("choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})";
    const std::string plain = std::string(kChatChunk) + "\n\n" + stop + "\n\ndata: [DONE]\n\n";
    auto with_endings = [&](const std::string& eol) {
        std::string out;
        for (const std::string& line : {std::string(kChatChunk), std::string(), stop,
                                        std::string(), std::string("data: [DONE]"), std::string()})
            out += line + eol;
        return out;
    };
    const std::string big_text(1u << 20, 'x');
    const std::string big_line =
        R"(data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,)"
        R"("delta":{"content":")" + big_text + R"("},"finish_reason":null}]})";
    struct Case {
        const char* name;
        std::string input;
        std::string same_as;  // the plain stream it must translate like
    };
    const std::vector<Case> cases = {
        {"CRLF", with_endings("\r\n"), plain},
        {"lone CR", with_endings("\r"), plain},
        {"comments and a retry field", ": hi\n\nretry: 10\n\n" + plain, plain},
        {"events after [DONE]", plain + std::string(kChatChunk) + "\n\n", plain},
        {"1 MB single line", big_line + "\n\n" + stop + "\n\ndata: [DONE]\n\n",
         big_line + "\r\n\r\n" + stop + "\r\n\r\ndata: [DONE]\r\n\r\n"},
    };
    for (const Case& c : cases) {
        for (Protocol to : {kResponses, kMessages}) {
            SCOPED_TRACE(std::string(c.name) + " -> " + std::string(protocol_name(to)));
            test::StreamRun odd = test::translate_stream_pieces(kChat, to, test::chunks_of(c.input, 7000));
            test::StreamRun reference = test::translate_stream_pieces(kChat, to, {c.same_as});
            EXPECT_FALSE(odd.error) << odd.error->to_string();
            EXPECT_FALSE(reference.error) << reference.error->to_string();
            EXPECT_EQ(odd.output, reference.output);
            EXPECT_FALSE(test::has_loss_code(odd.losses, Code::LossStreamTruncated))
                << test::describe_losses(odd.losses);
        }
    }
    // and the 1 MB line arrives whole
    test::StreamRun big = test::translate_stream_pieces(kChat, kMessages, {cases.back().input});
    EXPECT_NE(big.output.find(big_text), std::string::npos);
}

// Duplicate keys (RFC 8259 leaves them open): the LAST occurrence wins, everywhere (requests,
// responses, stream events), as JavaScript's JSON.parse and Python's json do. A body that is valid
// by its last values translates; the first values are gone.
TEST(TranslateBadInput, DuplicateKeysTakeTheLastValue) {
    auto r = test::no_throw("translate", [&] {
        return translate_request(kChat, kMessages,
                                 R"({"model":"first","messages":"not an array","model":"last",)"
                                 R"("messages":[{"role":"user","content":"hi"}]})");
    });
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    Json body = test::parse_or_fail(r->output);
    EXPECT_EQ(body["model"], "last");
    EXPECT_EQ(body["messages"][0]["content"][0]["text"], "hi");
    test::StreamRun s = test::translate_stream_pieces(
        kChat, kMessages,
        {R"(data: {"id":"c","choices":[{"index":0,"delta":{"content":"a","content":"b"}}]})"
         "\n\ndata: [DONE]\n\n"});
    EXPECT_FALSE(s.error);
    EXPECT_NE(s.output.find(R"("text":"b")"), std::string::npos) << s.output;
    EXPECT_EQ(s.output.find(R"("text":"a")"), std::string::npos) << s.output;
}

// Responses and Messages bodies too: each body's members are indexed once (json_simd.hpp's
// Fields), and a lookup there must also find the last of a repeated key.
TEST(TranslateBadInput, DuplicateKeysTakeTheLastValueInResponsesAndMessagesBodies) {
    auto responses = translate_request(kResponses, kChat,
                                       R"({"model":"first","input":"a","model":"last",)"
                                       R"("input":"b","temperature":0.1,"temperature":0.7})");
    ASSERT_TRUE(responses.ok()) << responses.error().to_string();
    Json chat = test::parse_or_fail(responses->output);
    EXPECT_EQ(chat["model"], "last");
    EXPECT_EQ(chat["messages"][0]["content"], "b");
    EXPECT_EQ(chat["temperature"], 0.7);
    auto messages = translate_request(kMessages, kChat,
                                      R"({"model":"first","max_tokens":1,"system":"s1",)"
                                      R"("messages":[{"role":"user","content":"hi"}],)"
                                      R"("model":"last","max_tokens":2,"system":"s2"})");
    ASSERT_TRUE(messages.ok()) << messages.error().to_string();
    chat = test::parse_or_fail(messages->output);
    EXPECT_EQ(chat["model"], "last");
    EXPECT_EQ(chat["max_tokens"], 2);
    EXPECT_EQ(chat["messages"][0]["content"], "s2");
}

// Chat chunks are read from simdjson's DOM; an integer beyond 64 bits is valid JSON that simdjson
// refuses and nlohmann reads as a double, so such a chunk is read from nlohmann's DOM instead and
// the stream translates as before.
TEST(TranslateBadInput, ChunkSimdjsonRefusesButNlohmannReadsStillTranslates) {
    test::StreamRun s = test::translate_stream_pieces(
        kChat, kMessages,
        {R"(data: {"id":"c","created":1,"x_big":123456789012345678901234567890,)"
         R"("choices":[{"index":0,"delta":{"content":"Hi"}}]})"
         "\n\ndata: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}"
         "\n\ndata: [DONE]\n\n"});
    EXPECT_FALSE(s.error) << s.error->to_string();
    EXPECT_NE(s.output.find(R"("text":"Hi")"), std::string::npos) << s.output;
    EXPECT_NE(s.output.find(R"("stop_reason":"end_turn")"), std::string::npos) << s.output;
}

// Request bodies are read from simdjson's DOM too. One with an integer beyond 64 bits is decoded
// from nlohmann's value of it (a double): translated where the field takes any JSON, a wrong type
// where it must be an integer, as before.
TEST(TranslateBadInput, RequestSimdjsonRefusesButNlohmannReadsStillDecodes) {
    auto kept = translate_request(
        kChat, kResponses,
        R"({"model":"m","messages":[{"role":"user","content":"x"}],)"
        R"("metadata":{"n":123456789012345678901234567890}})");
    ASSERT_TRUE(kept.ok()) << kept.error().to_string();
    EXPECT_NE(kept->output.find(R"("metadata":{"n":1.2345678901234568e+29})"), std::string::npos)
        << kept->output;
    auto refused = translate_request(
        kChat, kResponses,
        R"({"model":"m","messages":[],"max_tokens":123456789012345678901234567890})");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().to_string(),
              "json.wrong_type at /max_tokens: expected an integer, got number");
}

// 100 MB is refused by its size before any parsing: the body is 100 MB of spaces (which would
// be json.malformed if it were parsed), the error is json.too_large and names both sizes. One
// allocation, no copy (the API takes a string_view), so it is cheap under Wasm too.
TEST(TranslateBadInput, HundredMegabyteBodyIsRefusedBySizeBeforeParsing) {
    const std::string body(100u << 20, ' ');
    for (Protocol from : {kChat, kResponses, kMessages}) {
        SCOPED_TRACE(std::string(protocol_name(from)));
        auto request = test::no_throw("translate", [&] {
            return translate_request(from, other(from), body);
        });
        ASSERT_FALSE(request.ok());
        EXPECT_EQ(request.error().code, Code::JsonTooLarge);
        EXPECT_NE(request.error().message.find(std::to_string(body.size())), std::string::npos)
            << request.error().message;
        EXPECT_NE(request.error().message.find(std::to_string(kTranslateMaxBodyBytes)),
                  std::string::npos)
            << request.error().message;
        auto response = test::no_throw("translate", [&] {
            return translate_response(from, other(from), body);
        });
        ASSERT_FALSE(response.ok());
        EXPECT_EQ(response.error().code, Code::JsonTooLarge);
    }
}

// A 100 MB stream event (one endless data line) is refused once it passes the event limit, long
// before 100 MB are buffered: fed in 1 MB pieces, the translator fails within the limit plus one
// piece and stays failed.
TEST(TranslateBadInput, HundredMegabyteStreamEventIsRefusedAtTheEventLimit) {
    const std::string piece(1u << 20, 'x');
    StreamTranslator translator(kChat, kMessages);
    std::string out;
    ASSERT_TRUE(translator.feed("data: \"", out).ok());
    std::size_t fed = 0;
    Status status;
    while (fed < (100u << 20) && (status = translator.feed(piece, out)).ok()) fed += piece.size();
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, Code::SseEventTooLarge);
    EXPECT_LE(fed, SseLimits{}.max_event_bytes + piece.size());
    EXPECT_EQ(test::sse_as_json(out).back()["event"], "error");
}

// Responses text deltas are tolerated out of their place (before output_item.added, even before
// response.created): real servers skip the announcements, and the text still reaches the client.
// The probe reports it as stream.out_of_order (probe_bad_input_test.cpp).
TEST(TranslateBadInput, ResponsesTextDeltaOutOfPlaceIsCarried) {
    const std::string created =
        "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r\","
        "\"object\":\"response\",\"status\":\"in_progress\",\"model\":\"m\",\"output\":[]}}\n\n";
    const std::string delta =
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
        "\"item_id\":\"msg\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}\n\n";
    for (const std::string& input : {created + delta, delta}) {
        for (Protocol to : {kChat, kMessages}) {
            SCOPED_TRACE(input.substr(0, 30) + " -> " + std::string(protocol_name(to)));
            test::StreamRun r = test::translate_stream_pieces(kResponses, to, {input});
            EXPECT_FALSE(r.error) << r.error->to_string();
            EXPECT_NE(r.output.find("Hi"), std::string::npos) << r.output;
        }
    }
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
