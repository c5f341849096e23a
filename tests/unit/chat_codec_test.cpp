// The Chat Completions codec: requests, responses and streams against hand-written vectors in the
// shapes OpenAI and DeepSeek send (protocols.md §1), round trips, bad input, and the edge cases of
// peers.md §2 (tests named after what they prevent). The shared captures hold no Chat traffic, so
// they are used through the other codecs: Codex/Claude Code traffic encoded as Chat must be valid.
//
// Sections: helpers · request decode · request encode · request errors · response ·
//           stream fixtures · stream decode · stream encode · captures through Chat
#include "wirecheck/chat_codec.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>

#include "wirecheck/messages_codec.hpp"
#include "wirecheck/responses_codec.hpp"

#include "test_util.hpp"

namespace wirecheck {
namespace {

// ---- helpers -----------------------------------------------------------------------------------

using test::DecodedStream;
using test::describe_losses;
using test::find_loss;
using test::has_loss;
using test::stream_event;
using test::tool_start;

Json parse(std::string_view text) {
    auto r = parse_json(text);
    EXPECT_TRUE(r.ok()) << r.error().to_string() << "\n" << text;
    return r.ok() ? r.value() : Json();
}

std::size_t count_loss(const Losses& losses, Code code) {
    return std::count_if(losses.begin(), losses.end(),
                         [&](const Loss& l) { return l.code == code; });
}

template <class T>
const T& part_as(const Part& part) {
    static const T empty{};
    const T* p = std::get_if<T>(&part);
    EXPECT_NE(p, nullptr) << "part holds variant index " << part.index();
    return p ? *p : empty;
}

Request decode_request_ok(const Json& body, Losses& losses) {
    auto r = decode_chat_request(body, losses);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? r.value() : Request{};
}

Response decode_response_ok(const Json& body, Losses& losses) {
    auto r = decode_chat_response(body, losses);
    EXPECT_TRUE(r.ok()) << r.error().to_string();
    return r.ok() ? r.value() : Response{};
}

std::string usage_text(const std::optional<Usage>& u) {
    if (!u) return "none";
    return "in=" + std::to_string(u->input) + " out=" + std::to_string(u->output) +
           " reasoning=" + std::to_string(u->reasoning) +
           " cache_read=" + std::to_string(u->cache_read) +
           " cache_write=" + std::to_string(u->cache_write);
}

// One line per canonical event with every field that matters, so sequences compare as strings.
std::string describe(const StreamEvent& e) {
    static const char* kinds[] = {
        "Start",        "PartStart",      "TextDelta", "ArgumentsDelta", "ReasoningDelta",
        "SummaryDelta", "SignatureDelta", "PartEnd",   "Finish",         "Error"};
    static const char* types[] = {"text", "tool_call", "reasoning", "refusal"};
    std::string s = kinds[static_cast<int>(e.kind)];
    auto quoted = [](const std::string& t) { return Json(t).dump(); };
    switch (e.kind) {
        case StreamEvent::Kind::Start:
            return s + " id=" + e.id + " model=" + e.model +
                   " created=" + std::to_string(e.created);
        case StreamEvent::Kind::Finish:
            return s + " " + std::string(stop_reason_name(e.stop_reason)) + " " +
                   usage_text(e.usage);
        case StreamEvent::Kind::Error:
            return s + " " +
                   (e.error ? e.error->type + "/" + e.error->code + ": " + e.error->message : "?");
        default:
            break;
    }
    s += " #" + std::to_string(e.index) + " " + types[static_cast<int>(e.part_type)];
    if (e.kind == StreamEvent::Kind::PartStart || e.kind == StreamEvent::Kind::PartEnd) {
        if (e.part_type == PartType::ToolCall) {
            s += " id=" + e.tool_call.id + " name=" + e.tool_call.name +
                 (e.tool_call.kind == ToolKind::Custom ? " custom" : "");
            if (e.kind == StreamEvent::Kind::PartEnd) s += " args=" + quoted(e.tool_call.arguments);
        }
        if (e.part_type == PartType::Reasoning) {
            s += " origin=" + std::string(protocol_name(e.reasoning.origin));
            if (e.kind == StreamEvent::Kind::PartEnd) s += " text=" + quoted(e.reasoning.text);
        }
        return s;
    }
    return s + " " + quoted(e.text);
}

std::vector<std::string> describe(const std::vector<StreamEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(describe(e));
    return out;
}

// Unlike test::decode_stream this keeps feeding after a failure and always calls finish(): the
// Chat decoder must still end the sequence with an Error event (BadChunksFailWithSpecificCodes).
DecodedStream decode_stream_pieces(const std::vector<std::string>& pieces) {
    SseParser parser;
    auto decoder = make_chat_stream_decoder();
    DecodedStream d;
    std::vector<SseEvent> sse;
    auto drain = [&]() {
        for (const auto& e : sse) {
            Status s = decoder->feed(e, d.events, d.losses);
            if (!s.ok() && d.status.ok()) d.status = s;
        }
        sse.clear();
    };
    for (const auto& piece : pieces) {
        EXPECT_TRUE(parser.feed(piece, sse).ok());
        drain();
    }
    EXPECT_TRUE(parser.finish(sse).ok());
    drain();
    Status s = decoder->finish(d.events, d.losses);
    if (!s.ok() && d.status.ok()) d.status = s;
    return d;
}

DecodedStream decode_stream(const std::string& text) {
    return decode_stream_pieces({text});
}

std::string encode_stream(const std::vector<StreamEvent>& events, Losses& losses,
                          StreamEncoderOptions options = {}) {
    return test::encode_stream(Protocol::Chat, events, losses, true, options);
}

// The data payloads of an SSE text, in order.
std::vector<std::string> data_lines(const std::string& sse_text) {
    SseParser parser;
    std::vector<SseEvent> events;
    EXPECT_TRUE(parser.feed(sse_text, events).ok());
    EXPECT_TRUE(parser.finish(events).ok());
    std::vector<std::string> out;
    for (const auto& e : events) {
        EXPECT_EQ(e.event, "") << "Chat SSE has no event: lines";
        out.push_back(e.data);
    }
    return out;
}

// The grammar of a Chat stream as a sequence of chunk kinds (consecutive repeats collapsed):
// role, reasoning, content, refusal, tool_start, tool_args, finish, usage, error, done.
std::vector<std::string> grammar_of(const std::string& sse_text) {
    std::vector<std::string> out;
    auto add = [&](const char* kind) {
        if (out.empty() || out.back() != kind) out.push_back(kind);
    };
    for (const auto& data : data_lines(sse_text)) {
        if (data == "[DONE]") {
            add("done");
            continue;
        }
        Json chunk = parse(data);
        if (chunk.contains("error")) {
            add("error");
            continue;
        }
        for (const auto& choice : chunk.value("choices", Json::array())) {
            const Json delta = choice.value("delta", Json::object());
            auto non_empty = [&](const char* key) {
                return delta.contains(key) && delta[key].is_string() &&
                       !delta[key].get<std::string>().empty();
            };
            if (delta.contains("role")) add("role");
            if (non_empty("reasoning_content")) add("reasoning");
            if (non_empty("content")) add("content");
            if (non_empty("refusal")) add("refusal");
            for (const auto& call : delta.value("tool_calls", Json::array())) {
                if (call.contains("id")) add("tool_start");
                const Json fn = call.value("function", Json::object());
                if (fn.contains("arguments") && !fn["arguments"].get<std::string>().empty())
                    add("tool_args");
            }
            if (choice.contains("finish_reason") && !choice["finish_reason"].is_null())
                add("finish");
        }
        if (chunk.contains("usage") && !chunk["usage"].is_null()) add("usage");
    }
    return out;
}

// ---- request decode ----------------------------------------------------------------------------

constexpr const char* kAgentRequest = R"({
  "model": "gpt-4.1",
  "messages": [
    {"role": "system", "content": "You are a coding agent."},
    {"role": "developer", "content": [{"type": "text", "text": "Prefer small diffs."}]},
    {"role": "user", "content": [
      {"type": "text", "text": "What is in this picture, and the weather in Paris and Rome?"},
      {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "low"}},
      {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg"}}]},
    {"role": "assistant", "content": null, "tool_calls": [
      {"id": "call_paris", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
      {"id": "call_rome", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\": \"Rome\" }"}}]},
    {"role": "tool", "tool_call_id": "call_paris", "content": "18C, sunny"},
    {"role": "tool", "tool_call_id": "call_rome", "content": [{"type": "text", "text": "22C"}, {"type": "text", "text": "light wind"}]},
    {"role": "assistant", "content": "Paris 18C, Rome 22C.", "refusal": null},
    {"role": "user", "content": "Thanks!"}
  ],
  "tools": [
    {"type": "function", "function": {"name": "get_weather", "description": "Weather for a city",
      "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}, "strict": true}},
    {"type": "custom", "custom": {"name": "apply_patch", "description": "Apply a patch",
      "format": {"type": "grammar", "grammar": {"syntax": "lark", "definition": "start: /.+/"}}}}
  ],
  "tool_choice": "auto",
  "parallel_tool_calls": true,
  "temperature": 0.2,
  "top_p": 0.9,
  "stop": ["END"],
  "max_completion_tokens": 1024,
  "stream": true,
  "stream_options": {"include_usage": true},
  "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": true, "description": "the answer"}},
  "reasoning_effort": "low",
  "user": "u-1",
  "metadata": {"trace": "t1"}
})";

// DeepSeek V4 thinking mode with a tool loop: reasoning_content sits on the assistant turn.
constexpr const char* kDeepSeekRequest = R"({
  "model": "deepseek-v4-pro",
  "thinking": {"type": "enabled"},
  "reasoning_effort": "high",
  "max_tokens": 4096,
  "messages": [
    {"role": "user", "content": "How warm is it in Hangzhou?"},
    {"role": "assistant", "content": "", "reasoning_content": "I should call the weather tool.",
     "tool_calls": [{"id": "call_0_hz", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Hangzhou\"}"}}]},
    {"role": "tool", "tool_call_id": "call_0_hz", "content": "24C"}
  ],
  "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
})";

TEST(ChatRequestDecode, AgentRequestMapsEveryField) {
    Losses losses;
    Request req = decode_request_ok(parse(kAgentRequest), losses);
    EXPECT_EQ(req.model, "gpt-4.1");
    ASSERT_EQ(req.turns.size(), 8u);
    EXPECT_EQ(req.turns[0].role, Role::System);
    EXPECT_EQ(part_as<TextPart>(req.turns[0].parts.at(0)).text, "You are a coding agent.");
    EXPECT_EQ(req.turns[1].role, Role::Developer);
    ASSERT_EQ(req.turns[2].parts.size(), 3u);
    const auto& inline_image = part_as<ImagePart>(req.turns[2].parts[1]);
    EXPECT_EQ(inline_image.url, "");
    EXPECT_EQ(inline_image.media_type, "image/png");
    EXPECT_EQ(inline_image.data_base64, "iVBORw0KGgo=");
    EXPECT_EQ(inline_image.detail, "low");
    EXPECT_EQ(part_as<ImagePart>(req.turns[2].parts[2]).url, "https://example.com/cat.jpg");

    ASSERT_EQ(req.turns[3].role, Role::Assistant);
    ASSERT_EQ(req.turns[3].parts.size(), 2u);  // content null adds nothing
    const auto& rome = part_as<ToolCallPart>(req.turns[3].parts[1]);
    EXPECT_EQ(rome.id, "call_rome");
    EXPECT_EQ(rome.name, "get_weather");
    EXPECT_EQ(rome.arguments, "{\"city\": \"Rome\" }") << "arguments are kept verbatim";

    EXPECT_EQ(req.turns[4].role, Role::Tool);
    EXPECT_EQ(part_as<ToolResultPart>(req.turns[4].parts.at(0)).call_id, "call_paris");
    const auto& rome_result = part_as<ToolResultPart>(req.turns[5].parts.at(0));
    EXPECT_EQ(rome_result.call_id, "call_rome");
    ASSERT_EQ(rome_result.content.size(), 2u);
    EXPECT_EQ(std::get<TextPart>(rome_result.content[1].value).text, "light wind");

    ASSERT_EQ(req.tools.size(), 2u);
    EXPECT_EQ(req.tools[0].type, ToolType::Function);
    EXPECT_EQ(req.tools[0].parameters.json()["required"][0], "city");
    EXPECT_EQ(req.tools[0].strict, std::optional<bool>(true));
    EXPECT_EQ(req.tools[1].type, ToolType::Custom);
    EXPECT_EQ(req.tools[1].format,
              parse(R"({"type":"grammar","syntax":"lark","definition":"start: /.+/"})"));
    ASSERT_TRUE(req.tool_choice);
    EXPECT_EQ(req.tool_choice->mode, ToolChoice::Mode::Auto);
    EXPECT_EQ(req.parallel_tool_calls, std::optional<bool>(true));
    EXPECT_EQ(req.temperature, std::optional<double>(0.2));
    EXPECT_EQ(req.top_p, std::optional<double>(0.9));
    EXPECT_EQ(req.stop, std::vector<std::string>{"END"});
    EXPECT_EQ(req.max_output_tokens, std::optional<std::int64_t>(1024));
    EXPECT_TRUE(req.stream);
    EXPECT_TRUE(req.stream_include_usage);
    EXPECT_EQ(
        req.response_format,
        parse(
            R"({"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true,"description":"the answer"})"));
    ASSERT_TRUE(req.reasoning);
    EXPECT_EQ(req.reasoning->effort, "low");
    EXPECT_EQ(req.user, "u-1");
    EXPECT_EQ(req.metadata, parse(R"({"trace":"t1"})"));
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
}

// peers.md §2.15: DeepSeek reasoning_content must survive the trip so it can be sent back.
TEST(ChatRequestDecode, DeepSeekReasoningContentBecomesReasoningBeforeToolCalls) {
    Losses losses;
    Request req = decode_request_ok(parse(kDeepSeekRequest), losses);
    ASSERT_EQ(req.turns.size(), 3u);
    const auto& assistant = req.turns[1];
    ASSERT_EQ(assistant.parts.size(), 2u) << "content \"\" adds no empty text part";
    const auto& reasoning = part_as<ReasoningPart>(assistant.parts[0]);
    EXPECT_EQ(reasoning.text, "I should call the weather tool.");
    EXPECT_EQ(reasoning.origin, Protocol::Chat);
    EXPECT_EQ(part_as<ToolCallPart>(assistant.parts[1]).id, "call_0_hz");
    ASSERT_TRUE(req.reasoning);
    EXPECT_EQ(req.reasoning->enabled, std::optional<bool>(true));
    EXPECT_EQ(req.reasoning->effort, "high");
    EXPECT_EQ(req.max_output_tokens, std::optional<std::int64_t>(4096));
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
}

// peers.md §2.11: the Messages encoder merges tool results; this codec must not do it first.
TEST(ChatRequestDecode, ConsecutiveToolMessagesStaySeparateTurns) {
    Losses losses;
    Request req = decode_request_ok(parse(kAgentRequest), losses);
    EXPECT_EQ(req.turns[4].role, Role::Tool);
    EXPECT_EQ(req.turns[5].role, Role::Tool);
    EXPECT_EQ(req.turns[4].parts.size(), 1u);
    EXPECT_EQ(req.turns[5].parts.size(), 1u);
}

// peers.md §2.27: a result answering a custom (freeform) call must stay a custom result.
TEST(ChatRequestDecode, ToolResultOfCustomCallIsMarkedCustom) {
    Losses losses;
    Request req = decode_request_ok(parse(R"({"model":"m","messages":[
        {"role":"assistant","tool_calls":[{"id":"ctc_1","type":"custom","custom":{"name":"apply_patch","input":"*** Begin Patch"}}]},
        {"role":"tool","tool_call_id":"ctc_1","content":"Done"}]})"),
                                    losses);
    ASSERT_EQ(req.turns.size(), 2u);
    const auto& call = part_as<ToolCallPart>(req.turns[0].parts.at(0));
    EXPECT_EQ(call.kind, ToolKind::Custom);
    EXPECT_EQ(call.arguments, "*** Begin Patch");
    EXPECT_EQ(part_as<ToolResultPart>(req.turns[1].parts.at(0)).kind, ToolKind::Custom);
}

// peers.md §2.10: content "" must not turn into an empty text block downstream.
TEST(ChatRequestDecode, EmptyStringContentCreatesNoEmptyTextPart) {
    Losses losses;
    Request req = decode_request_ok(
        parse(
            R"({"model":"m","messages":[{"role":"user","content":""},{"role":"assistant","content":""}]})"),
        losses);
    ASSERT_EQ(req.turns.size(), 2u);
    EXPECT_TRUE(req.turns[0].parts.empty());
    EXPECT_TRUE(req.turns[1].parts.empty());
}

TEST(ChatRequestDecode, AudioAndFilePartsAreDroppedWithALoss) {
    Losses losses;
    Request req = decode_request_ok(parse(R"({"model":"m","messages":[{"role":"user","content":[
        {"type":"text","text":"listen"},
        {"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}},
        {"type":"file","file":{"file_id":"file-1"}}]}]})"),
                                    losses);
    EXPECT_EQ(req.turns.at(0).parts.size(), 1u);
    EXPECT_TRUE(has_loss(losses, Code::LossPartDropped, "/messages/0/content/1"))
        << describe_losses(losses);
    EXPECT_TRUE(has_loss(losses, Code::LossPartDropped, "/messages/0/content/2"))
        << describe_losses(losses);
}

TEST(ChatRequestDecode, MaxTokensAndMaxCompletionTokensBothMeanTheOutputLimit) {
    Losses losses;
    Request a = decode_request_ok(parse(R"({"model":"m","messages":[],"max_tokens":77})"), losses);
    EXPECT_EQ(a.max_output_tokens, std::optional<std::int64_t>(77));
    Request b = decode_request_ok(
        parse(R"({"model":"m","messages":[],"max_tokens":77,"max_completion_tokens":99})"), losses);
    EXPECT_EQ(b.max_output_tokens, std::optional<std::int64_t>(99));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/max_tokens")) << describe_losses(losses);
}

TEST(ChatRequestDecode, UnknownFieldsAreLossesNotErrors) {
    Losses losses;
    Request req = decode_request_ok(parse(R"({"model":"m","messages":[
        {"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}]}],
        "chat_template_kwargs":{"enable_thinking":true},"seed":7,"n":1,"store":false})"),
                                    losses);
    EXPECT_EQ(req.turns.size(), 1u);
    EXPECT_TRUE(has_loss(losses, Code::LossUnknownField, "/chat_template_kwargs"))
        << describe_losses(losses);
    EXPECT_TRUE(has_loss(losses, Code::LossUnknownField, "/messages/0/content/0/cache_control"))
        << describe_losses(losses);
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/seed")) << describe_losses(losses);
    EXPECT_FALSE(has_loss(losses, Code::LossFieldDropped, "/n")) << "n = 1 is the default";
    EXPECT_FALSE(has_loss(losses, Code::LossFieldDropped, "/store"))
        << "store = false is the default";
    EXPECT_EQ(find_loss(losses, Code::LossUnknownField)->severity, Severity::Warn);
}

TEST(ChatRequestDecode, DeprecatedFunctionRoleIsDroppedWithALoss) {
    Losses losses;
    Request req = decode_request_ok(parse(R"({"model":"m","messages":[
        {"role":"user","content":"hi"},{"role":"function","name":"f","content":"42"}]})"),
                                    losses);
    EXPECT_EQ(req.turns.size(), 1u);
    EXPECT_TRUE(has_loss(losses, Code::LossPartDropped, "/messages/1")) << describe_losses(losses);
}

TEST(ChatRequestDecode, ToolChoiceFormsAndStopString) {
    Losses losses;
    Request named = decode_request_ok(parse(R"({"model":"m","messages":[],"stop":"\n\n",
        "tool_choice":{"type":"function","function":{"name":"get_weather"}}})"),
                                      losses);
    ASSERT_TRUE(named.tool_choice);
    EXPECT_EQ(named.tool_choice->mode, ToolChoice::Mode::Named);
    EXPECT_EQ(named.tool_choice->name, "get_weather");
    EXPECT_EQ(named.stop, std::vector<std::string>{"\n\n"});
    for (auto [text, mode] : {std::pair{"none", ToolChoice::Mode::None},
                              std::pair{"required", ToolChoice::Mode::Required}}) {
        Request r = decode_request_ok(
            Json{{"model", "m"}, {"messages", Json::array()}, {"tool_choice", text}}, losses);
        ASSERT_TRUE(r.tool_choice);
        EXPECT_EQ(r.tool_choice->mode, mode) << text;
    }
}

TEST(ChatRequestDecode, NullOptionalFieldsCountAsAbsent) {
    Losses losses;
    Request req = decode_request_ok(
        parse(R"({"model":"m","messages":[{"role":"user","content":"x","name":null}],
        "temperature":null,"tools":null,"tool_choice":null,"stop":null,"max_tokens":null,
        "stream_options":null,"response_format":null,"metadata":null,"seed":null})"),
        losses);
    EXPECT_FALSE(req.temperature);
    EXPECT_FALSE(req.tool_choice);
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
}

// ---- request encode ----------------------------------------------------------------------------

TEST(ChatRequestEncode, AgentRequestEncodesToTheChatShape) {
    Losses losses;
    Request req = decode_request_ok(parse(kAgentRequest), losses);
    Losses enc;
    Json out = test::encode_chat_json(req, enc);
    const Json& messages = out["messages"];
    ASSERT_EQ(messages.size(), 8u);
    EXPECT_EQ(messages[1], parse(R"({"role":"system","content":"Prefer small diffs."})"));
    EXPECT_EQ(messages[2]["content"][1]["image_url"]["url"], "data:image/png;base64,iVBORw0KGgo=");
    EXPECT_EQ(messages[2]["content"][1]["image_url"]["detail"], "low");
    EXPECT_TRUE(messages[3]["content"].is_null()) << "assistant with only tool calls: content null";
    EXPECT_EQ(
        messages[3]["tool_calls"][1],
        parse(
            R"({"id":"call_rome","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Rome\" }"}})"));
    EXPECT_EQ(messages[5],
              parse(R"({"role":"tool","tool_call_id":"call_rome","content":"22C\n\nlight wind"})"));
    EXPECT_EQ(out["max_tokens"], 1024) << "most third-party servers only know max_tokens";
    EXPECT_FALSE(out.contains("max_completion_tokens"));
    EXPECT_EQ(out["stream_options"], parse(R"({"include_usage":true})"));
    EXPECT_EQ(
        out["response_format"],
        parse(
            R"({"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"},"strict":true,"description":"the answer"}})"));
    EXPECT_EQ(out["tool_choice"], "auto");
    EXPECT_EQ(out["parallel_tool_calls"], true);
    EXPECT_EQ(out["reasoning_effort"], "low");
    EXPECT_EQ(out["stop"], parse(R"(["END"])"));
    EXPECT_EQ(out["user"], "u-1");
    EXPECT_EQ(out["metadata"], parse(R"({"trace":"t1"})"));
    EXPECT_TRUE(has_loss(enc, Code::LossValueMapped, "/turns/1")) << describe_losses(enc);
    EXPECT_TRUE(has_loss(enc, Code::LossCustomToolAsFunction, "/tools/1")) << describe_losses(enc);
}

// Encoding, decoding and encoding again changes nothing: every mapping is stable.
TEST(ChatRequestEncode, EncodeDecodeEncodeIsAFixpoint) {
    for (const char* fixture : {kAgentRequest, kDeepSeekRequest}) {
        Losses losses;
        Json first = test::encode_chat_json(decode_request_ok(parse(fixture), losses), losses);
        Json second = test::encode_chat_json(decode_request_ok(first, losses), losses);
        EXPECT_EQ(first, second) << first.dump(2) << "\n---\n" << second.dump(2);
    }
}

TEST(ChatRequestEncode, CanonicalRequestRoundTripsThroughChat) {
    Request req;
    req.model = "m";
    req.turns.push_back(Turn{Role::System, {TextPart{"sys", Json()}}});
    req.turns.push_back(
        Turn{Role::User, {TextPart{"look", Json()}, ImagePart{"", "image/jpeg", "QUJD", "high"}}});
    ToolCallPart call{"call_1", "", "read_file", "", R"({"path":"a.txt"})", ToolKind::Function};
    ReasoningPart thought;
    thought.text = "need the file";
    req.turns.push_back(Turn{Role::Assistant, {thought, TextPart{"Reading.", Json()}, call}});
    ToolResultPart result;
    result.call_id = "call_1";
    result.content.push_back(ToolResultContent{TextPart{"hello", Json()}});
    req.turns.push_back(Turn{Role::Tool, {result}});
    Tool tool;
    tool.name = "read_file";
    tool.description = "Read a file";
    tool.parameters = parse(R"({"type":"object","properties":{"path":{"type":"string"}}})");
    tool.strict = false;
    req.tools.push_back(tool);
    req.tool_choice = ToolChoice{ToolChoice::Mode::Named, "read_file"};
    req.parallel_tool_calls = false;
    req.temperature = 0.5;
    req.stop = {"a", "b"};
    req.max_output_tokens = 300;
    req.response_format = parse(R"({"type":"json_object"})");
    req.reasoning = ReasoningConfig{"medium", std::nullopt, false, ""};
    req.user = "someone";

    Losses losses;
    Json wire = test::encode_chat_json(req, losses);
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
    Request back = decode_request_ok(wire, losses);
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);

    ASSERT_EQ(back.turns.size(), 4u);
    EXPECT_EQ(back.turns[1].parts.size(), 2u);
    const auto& image = part_as<ImagePart>(back.turns[1].parts[1]);
    EXPECT_EQ(image.media_type, "image/jpeg");
    EXPECT_EQ(image.data_base64, "QUJD");
    EXPECT_EQ(image.detail, "high");
    ASSERT_EQ(back.turns[2].parts.size(), 3u);
    EXPECT_EQ(part_as<ReasoningPart>(back.turns[2].parts[0]).text, "need the file");
    EXPECT_EQ(part_as<TextPart>(back.turns[2].parts[1]).text, "Reading.");
    const auto& back_call = part_as<ToolCallPart>(back.turns[2].parts[2]);
    EXPECT_EQ(back_call.id, call.id);
    EXPECT_EQ(back_call.name, call.name);
    EXPECT_EQ(back_call.arguments, call.arguments);
    const auto& back_result = part_as<ToolResultPart>(back.turns[3].parts.at(0));
    EXPECT_EQ(back_result.call_id, "call_1");
    EXPECT_EQ(std::get<TextPart>(back_result.content.at(0).value).text, "hello");
    ASSERT_EQ(back.tools.size(), 1u);
    EXPECT_EQ(back.tools[0].name, "read_file");
    EXPECT_EQ(back.tools[0].description, "Read a file");
    EXPECT_EQ(back.tools[0].parameters, tool.parameters);
    EXPECT_EQ(back.tools[0].strict, std::optional<bool>(false));
    ASSERT_TRUE(back.tool_choice);
    EXPECT_EQ(back.tool_choice->mode, ToolChoice::Mode::Named);
    EXPECT_EQ(back.tool_choice->name, "read_file");
    EXPECT_EQ(back.parallel_tool_calls, std::optional<bool>(false));
    EXPECT_EQ(back.temperature, std::optional<double>(0.5));
    EXPECT_EQ(back.stop, req.stop);
    EXPECT_EQ(back.max_output_tokens, std::optional<std::int64_t>(300));
    EXPECT_EQ(back.response_format, req.response_format);
    ASSERT_TRUE(back.reasoning);
    EXPECT_EQ(back.reasoning->effort, "medium");
    EXPECT_EQ(back.reasoning->enabled, std::optional<bool>(false));
    EXPECT_EQ(back.user, "someone");
    EXPECT_FALSE(back.stream);
}

TEST(ChatRequestEncode, DeveloperTurnIsSentAsSystemWithAnInfoLoss) {
    Request req;
    req.model = "m";
    req.turns.push_back(Turn{Role::Developer, {TextPart{"be brief", Json()}}});
    Losses losses;
    Json out = test::encode_chat_json(req, losses);
    EXPECT_EQ(out["messages"][0], parse(R"({"role":"system","content":"be brief"})"));
    const Loss* loss = find_loss(losses, Code::LossValueMapped);
    ASSERT_NE(loss, nullptr);
    EXPECT_EQ(loss->severity, Severity::Info);
    EXPECT_EQ(loss->pointer, "/turns/0");
}

// peers.md §2.8: forwarding is_error as a key gets a 400 from strict hosts (any-llm#1401).
TEST(ChatRequestEncode, IsErrorIsCarriedAsAnErrorPrefixNotAsAField) {
    Request req;
    req.model = "m";
    ToolResultPart result;
    result.call_id = "toolu_1";
    result.is_error = true;
    result.content.push_back(ToolResultContent{TextPart{"file not found", Json()}});
    req.turns.push_back(Turn{Role::User, {result}});
    Losses losses;
    Json out = test::encode_chat_json(req, losses);
    ASSERT_EQ(out["messages"].size(), 1u);
    EXPECT_EQ(
        out["messages"][0],
        parse(R"({"role":"tool","tool_call_id":"toolu_1","content":"Error: file not found"})"));
    EXPECT_TRUE(has_loss(losses, Code::LossIsErrorAsText, "/turns/0/parts/0"))
        << describe_losses(losses);
}

// peers.md §2.9 + §2.11: images leave the tool messages, but only after the whole run of tool
// messages, so no user message splits the answers to one assistant turn.
TEST(ChatRequestEncode, ToolResultImagesMoveAfterTheWholeRunOfToolMessages) {
    Request req;
    req.model = "m";
    ToolCallPart a{"call_a", "", "screenshot", "", "{}", ToolKind::Function};
    ToolCallPart b{"call_b", "", "screenshot", "", "{}", ToolKind::Function};
    req.turns.push_back(Turn{Role::Assistant, {a, b}});
    ToolResultPart ra;
    ra.call_id = "call_a";
    ra.content.push_back(ToolResultContent{TextPart{"shot A", Json()}});
    ra.content.push_back(ToolResultContent{ImagePart{"", "image/png", "QUFB", ""}});
    ToolResultPart rb;
    rb.call_id = "call_b";
    rb.content.push_back(ToolResultContent{ImagePart{"https://x/b.png", "", "", ""}});
    req.turns.push_back(Turn{Role::Tool, {ra}});
    req.turns.push_back(Turn{Role::Tool, {rb}});
    req.turns.push_back(Turn{Role::User, {TextPart{"compare them", Json()}}});
    Losses losses;
    Json messages = test::encode_chat_json(req, losses)["messages"];
    ASSERT_EQ(messages.size(), 5u) << messages.dump(2);
    EXPECT_EQ(messages[1], parse(R"({"role":"tool","tool_call_id":"call_a","content":"shot A"})"));
    EXPECT_EQ(messages[2], parse(R"({"role":"tool","tool_call_id":"call_b","content":""})"));
    EXPECT_EQ(messages[3], parse(R"({"role":"user","content":[
        {"type":"image_url","image_url":{"url":"data:image/png;base64,QUFB"}},
        {"type":"image_url","image_url":{"url":"https://x/b.png"}}]})"));
    EXPECT_EQ(messages[4], parse(R"({"role":"user","content":"compare them"})"));
    EXPECT_EQ(count_loss(losses, Code::LossImageMoved), 2u) << describe_losses(losses);
    EXPECT_TRUE(has_loss(losses, Code::LossImageMoved, "/turns/1/parts/0/content/1"));
}

// A Messages-style user turn (tool_result blocks, then text) becomes tool messages, then a user
// message; tool results always come first (protocols.md §1: every tool_call_id must be answered
// right after the assistant message).
TEST(ChatRequestEncode, UserTurnWithToolResultsAndTextSplitsIntoToolThenUserMessages) {
    Request req;
    req.model = "m";
    ToolResultPart r1;
    r1.call_id = "toolu_1";
    r1.content.push_back(ToolResultContent{TextPart{"ok", Json()}});
    req.turns.push_back(Turn{Role::User, {TextPart{"note first", Json()}, r1}});
    Losses losses;
    Json messages = test::encode_chat_json(req, losses)["messages"];
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_EQ(messages[0]["role"], "tool");
    EXPECT_EQ(messages[1], parse(R"({"role":"user","content":"note first"})"));
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/turns/0")) << describe_losses(losses);
}

// peers.md §2.15: DeepSeek thinking mode returns 400 unless reasoning_content comes back on
// assistant turns with tool calls.
TEST(ChatRequestEncode, ReasoningContentIsSentBackOnToolCallTurns) {
    Losses losses;
    Json out = test::encode_chat_json(decode_request_ok(parse(kDeepSeekRequest), losses), losses);
    const Json& assistant = out["messages"][1];
    EXPECT_EQ(assistant["reasoning_content"], "I should call the weather tool.");
    EXPECT_TRUE(assistant["content"].is_null());
    EXPECT_EQ(assistant["tool_calls"][0]["id"], "call_0_hz");
    EXPECT_EQ(out["thinking"], parse(R"({"type":"enabled"})"));
    EXPECT_EQ(out["reasoning_effort"], "high");
}

TEST(ChatRequestEncode, EmptyChatReasoningContentIsKeptBecauseDeepSeekAsksForTheField) {
    Losses losses;
    Request req =
        decode_request_ok(parse(R"({"model":"m","messages":[{"role":"assistant","content":null,
        "reasoning_content":"","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}]})"),
                          losses);
    Json out = test::encode_chat_json(req, losses);
    EXPECT_EQ(out["messages"][0]["reasoning_content"], "");
}

// peers.md §2.12/§2.29: signatures are tied to their issuer; only the reasoning text crosses.
TEST(ChatRequestEncode, ForeignSignatureIsDroppedButReasoningTextCrosses) {
    Request req;
    req.model = "m";
    ReasoningPart thinking;
    thinking.text = "Let me think.";
    thinking.signature = "EqQBCkYIBxgCKkBsig==";
    thinking.origin = Protocol::Messages;
    ReasoningPart encrypted;
    encrypted.summary = {"Looked at the file.", "Chose a fix."};
    encrypted.encrypted_content = "gAAAAB...";
    encrypted.origin = Protocol::Responses;
    req.turns.push_back(Turn{Role::Assistant, {thinking, encrypted, TextPart{"Done.", Json()}}});
    Losses losses;
    Json message = test::encode_chat_json(req, losses)["messages"][0];
    EXPECT_EQ(message["reasoning_content"], "Let me think.\n\nLooked at the file.\n\nChose a fix.");
    EXPECT_EQ(message["content"], "Done.");
    EXPECT_EQ(count_loss(losses, Code::LossForeignSignature), 2u) << describe_losses(losses);
    // Each loss names its own part.
    EXPECT_TRUE(has_loss(losses, Code::LossForeignSignature, "/turns/0/parts/0"));
    EXPECT_TRUE(has_loss(losses, Code::LossForeignSignature, "/turns/0/parts/1"));
    EXPECT_EQ(message.dump().find("EqQBCkYIBxgCKkBsig"), std::string::npos);
}

// peers.md §2.22: Claude Code's cache_control (kept in extras for Messages round trips) gets 400s
// from strict Chat hosts; it is not sent, and each one is reported instead of vanishing.
TEST(ChatRequestEncode, CacheControlOfOtherProtocolsIsReportedNotForwarded) {
    const Json cache = parse(R"({"cache_control":{"type":"ephemeral"}})");
    Request req;
    req.model = "m";
    req.turns.push_back(Turn{Role::System, {TextPart{"Be brief.", cache}}});
    ToolResultPart result;
    result.call_id = "call_1";
    result.content.push_back(ToolResultContent{TextPart{"ok", Json()}});
    result.extras = cache;
    req.turns.push_back(Turn{Role::Tool, {result}});
    Tool tool;
    tool.name = "Bash";
    tool.parameters = parse(R"({"type":"object"})");
    tool.extras = cache;
    req.tools.push_back(tool);
    Losses losses;
    Json out = test::encode_chat_json(req, losses);
    EXPECT_EQ(out.dump().find("cache_control"), std::string::npos) << out.dump();
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/turns/0/parts/0/extras/cache_control"))
        << describe_losses(losses);
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/turns/1/parts/0/extras/cache_control"));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/tools/0/extras/cache_control"));
}

// peers.md §2.27: Codex apply_patch is freeform; on Chat it becomes a function with one string
// `input`, and its calls carry {"input": raw}.
TEST(ChatRequestEncode, CustomToolBecomesAFunctionWithOneStringInput) {
    Request req;
    req.model = "m";
    Tool patch;
    patch.type = ToolType::Custom;
    patch.name = "apply_patch";
    patch.description = "Use apply_patch to edit files.";
    patch.format = parse(R"({"type":"grammar","syntax":"lark","definition":"start: begin_patch"})");
    req.tools.push_back(patch);
    ToolCallPart call{"call_p",        "ctc_p", "apply_patch", "", "*** Begin Patch\n\"quoted\"\n",
                      ToolKind::Custom};
    req.turns.push_back(Turn{Role::Assistant, {call}});
    Losses losses;
    Json out = test::encode_chat_json(req, losses);
    const Json& fn = out["tools"][0]["function"];
    EXPECT_EQ(out["tools"][0]["type"], "function");
    EXPECT_EQ(fn["name"], "apply_patch");
    EXPECT_EQ(
        fn["parameters"],
        parse(
            R"({"type":"object","properties":{"input":{"type":"string"}},"required":["input"]})"));
    EXPECT_NE(fn["description"].get<std::string>().find("start: begin_patch"), std::string::npos)
        << "the grammar stays visible to the model";
    std::string arguments = out["messages"][0]["tool_calls"][0]["function"]["arguments"];
    EXPECT_EQ(parse(arguments), Json({{"input", "*** Begin Patch\n\"quoted\"\n"}}));
    EXPECT_EQ(count_loss(losses, Code::LossCustomToolAsFunction), 2u) << describe_losses(losses);
    EXPECT_EQ(find_loss(losses, Code::LossCustomToolAsFunction)->severity, Severity::Info);
}

// peers.md §2.28: namespaced and hosted tools.
TEST(ChatRequestEncode, NamespacedToolsAreFlattenedAndHostedToolsDropped) {
    Request req;
    req.model = "m";
    Tool mcp;
    mcp.name = "search";
    mcp.name_space = "mcp_docs";
    mcp.parameters = parse(R"({"type":"object"})");
    Tool plain;
    plain.name = "shell";
    plain.name_space = "functions";  // Codex's default namespace adds no prefix
    Tool web;
    web.type = ToolType::Hosted;
    web.name = "web_search";
    web.hosted = parse(R"({"type":"web_search"})");
    req.tools = {mcp, plain, web};
    req.turns.push_back(Turn{
        Role::Assistant, {ToolCallPart{"c1", "", "search", "mcp_docs", "{}", ToolKind::Function}}});
    Losses losses;
    Json out = test::encode_chat_json(req, losses);
    ASSERT_EQ(out["tools"].size(), 2u);
    EXPECT_EQ(out["tools"][0]["function"]["name"], "mcp_docs__search");
    EXPECT_EQ(out["tools"][1]["function"]["name"], "shell");
    EXPECT_EQ(out["messages"][0]["tool_calls"][0]["function"]["name"], "mcp_docs__search");
    EXPECT_TRUE(has_loss(losses, Code::LossNamespaceFlattened, "/tools/0"))
        << describe_losses(losses);
    EXPECT_FALSE(has_loss(losses, Code::LossNamespaceFlattened, "/tools/1"));
    EXPECT_TRUE(has_loss(losses, Code::LossNamespaceFlattened, "/turns/0/parts/0"));
    EXPECT_TRUE(has_loss(losses, Code::LossToolDropped, "/tools/2"));
}

// OpenAI rejects tool_choice / parallel_tool_calls without tools.
TEST(ChatRequestEncode, ToolChoiceWithoutAnyToolIsDropped) {
    Request req;
    req.model = "m";
    Tool web;
    web.type = ToolType::Hosted;
    web.name = "web_search";
    req.tools.push_back(web);
    req.tool_choice = ToolChoice{ToolChoice::Mode::Required, ""};
    req.parallel_tool_calls = true;
    Losses losses;
    Json out = test::encode_chat_json(req, losses);
    EXPECT_FALSE(out.contains("tools"));
    EXPECT_FALSE(out.contains("tool_choice"));
    EXPECT_FALSE(out.contains("parallel_tool_calls"));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/tool_choice"))
        << describe_losses(losses);
}

// peers.md §2.20: without stream_options.include_usage a Chat stream has no usage.
TEST(ChatRequestEncode, StreamingRequestAsksForTheUsageChunk) {
    Request req;
    req.model = "m";
    req.stream = true;
    Losses losses;
    EXPECT_EQ(test::encode_chat_json(req, losses)["stream_options"],
              parse(R"({"include_usage":true})"));
    EncodeOptions no_usage;
    no_usage.request_stream_usage = false;
    EXPECT_FALSE(test::encode_chat_json(req, losses, no_usage).contains("stream_options"));
    req.stream_include_usage = true;
    EXPECT_TRUE(test::encode_chat_json(req, losses, no_usage).contains("stream_options"));
    req.stream = false;
    Json plain = test::encode_chat_json(req, losses);
    EXPECT_FALSE(plain.contains("stream"));
    EXPECT_FALSE(plain.contains("stream_options"));
}

TEST(ChatRequestEncode, MultipleTextPartsBecomeOneStringForStringOnlyServers) {
    Request req;
    req.model = "m";
    req.turns.push_back(
        Turn{Role::System, {TextPart{"part one", Json()}, TextPart{"part two", Json()}}});
    Losses losses;
    Json out = test::encode_chat_json(req, losses);
    EXPECT_EQ(out["messages"][0]["content"], "part one\n\npart two");
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/turns/0/parts/0"))
        << describe_losses(losses);
}

TEST(ChatRequestEncode, ThinkingBudgetWithoutEffortMapsToAnEffortBucket) {
    Request req;
    req.model = "m";
    req.reasoning = ReasoningConfig{"", 10000, true, "auto"};
    req.top_k = 40;
    Losses losses;
    Json out = test::encode_chat_json(req, losses);
    EXPECT_EQ(out["reasoning_effort"], "medium");
    EXPECT_EQ(out["thinking"], parse(R"({"type":"enabled"})"));
    EXPECT_FALSE(out.contains("top_k"));
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/reasoning/budget_tokens"))
        << describe_losses(losses);
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/reasoning/summary"));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/top_k"));
}

TEST(ChatRequestEncode, JsonSchemaWithoutNameGetsADefaultName) {
    Request req;
    req.model = "m";
    req.response_format = parse(R"({"type":"json_schema","schema":{"type":"object"}})");
    Losses losses;
    Json out = test::encode_chat_json(req, losses);
    EXPECT_EQ(
        out["response_format"],
        parse(
            R"({"type":"json_schema","json_schema":{"name":"response","schema":{"type":"object"}}})"));
    EXPECT_TRUE(has_loss(losses, Code::LossDefaultApplied, "/response_format/name"));
}

// ---- request errors ----------------------------------------------------------------------------

struct BadInput {
    const char* body;
    Code code;
    const char* pointer;
};

TEST(ChatRequestErrors, WrongTypesMissingFieldsAndUnknownTypesNameTheExactPointer) {
    const BadInput cases[] = {
        {R"([])", Code::JsonWrongType, ""},
        {R"({"messages":[]})", Code::JsonMissingField, "/model"},
        {R"({"model":1,"messages":[]})", Code::JsonWrongType, "/model"},
        {R"({"model":"m"})", Code::JsonMissingField, "/messages"},
        {R"({"model":"m","messages":{}})", Code::JsonWrongType, "/messages"},
        {R"({"model":"m","messages":[1]})", Code::JsonWrongType, "/messages/0"},
        {R"({"model":"m","messages":[{"content":"x"}]})", Code::JsonMissingField,
         "/messages/0/role"},
        {R"({"model":"m","messages":[{"role":"wizard","content":"x"}]})", Code::JsonUnknownType,
         "/messages/0/role"},
        {R"({"model":"m","messages":[{"role":"user"}]})", Code::JsonMissingField,
         "/messages/0/content"},
        {R"({"model":"m","messages":[{"role":"user","content":5}]})", Code::JsonWrongType,
         "/messages/0/content"},
        {R"({"model":"m","messages":[{"role":"user","content":[{"type":"text","text":3}]}]})",
         Code::JsonWrongType, "/messages/0/content/0/text"},
        {R"({"model":"m","messages":[{"role":"user","content":[{"text":"x"}]}]})",
         Code::JsonMissingField, "/messages/0/content/0/type"},
        {R"({"model":"m","messages":[{"role":"user","content":[{"type":"video_url"}]}]})",
         Code::JsonUnknownType, "/messages/0/content/0/type"},
        {R"({"model":"m","messages":[{"role":"user","content":[{"type":"image_url"}]}]})",
         Code::JsonMissingField, "/messages/0/content/0/image_url"},
        {R"({"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":7}}]}]})",
         Code::JsonWrongType, "/messages/0/content/0/image_url/url"},
        {R"({"model":"m","messages":[{"role":"assistant","tool_calls":{}}]})", Code::JsonWrongType,
         "/messages/0/tool_calls"},
        {R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}]})",
         Code::JsonMissingField, "/messages/0/tool_calls/0/id"},
        {R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":{"a":1}}}]}]})",
         Code::JsonWrongType, "/messages/0/tool_calls/0/function/arguments"},
        {R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"arguments":"{}"}}]}]})",
         Code::JsonMissingField, "/messages/0/tool_calls/0/function/name"},
        {R"({"model":"m","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"bogus"}]}]})",
         Code::JsonUnknownType, "/messages/0/tool_calls/0/type"},
        {R"({"model":"m","messages":[{"role":"assistant","reasoning_content":5}]})",
         Code::JsonWrongType, "/messages/0/reasoning_content"},
        {R"({"model":"m","messages":[{"role":"tool","content":"x"}]})", Code::JsonMissingField,
         "/messages/0/tool_call_id"},
        {R"({"model":"m","messages":[{"role":"tool","tool_call_id":"c"}]})", Code::JsonMissingField,
         "/messages/0/content"},
        {R"({"model":"m","messages":[],"tools":{}})", Code::JsonWrongType, "/tools"},
        {R"({"model":"m","messages":[],"tools":[{"function":{"name":"f"}}]})",
         Code::JsonMissingField, "/tools/0/type"},
        {R"({"model":"m","messages":[],"tools":[{"type":"function"}]})", Code::JsonMissingField,
         "/tools/0/function"},
        {R"({"model":"m","messages":[],"tools":[{"type":"function","function":{"name":"f","parameters":"x"}}]})",
         Code::JsonWrongType, "/tools/0/function/parameters"},
        {R"({"model":"m","messages":[],"tool_choice":"any"})", Code::JsonUnknownType,
         "/tool_choice"},
        {R"({"model":"m","messages":[],"tool_choice":{"type":"function"}})", Code::JsonMissingField,
         "/tool_choice/function"},
        {R"({"model":"m","messages":[],"tool_choice":7})", Code::JsonWrongType, "/tool_choice"},
        {R"({"model":"m","messages":[],"stop":[1]})", Code::JsonWrongType, "/stop/0"},
        {R"({"model":"m","messages":[],"max_tokens":"10"})", Code::JsonWrongType, "/max_tokens"},
        {R"({"model":"m","messages":[],"max_completion_tokens":1.5})", Code::JsonWrongType,
         "/max_completion_tokens"},
        {R"({"model":"m","messages":[],"temperature":"hot"})", Code::JsonWrongType, "/temperature"},
        {R"({"model":"m","messages":[],"stream":"yes"})", Code::JsonWrongType, "/stream"},
        {R"({"model":"m","messages":[],"stream_options":{"include_usage":1}})", Code::JsonWrongType,
         "/stream_options/include_usage"},
        {R"({"model":"m","messages":[],"response_format":{"type":"xml"}})", Code::JsonUnknownType,
         "/response_format/type"},
        {R"({"model":"m","messages":[],"response_format":{"type":"json_schema","json_schema":{"schema":{}}}})",
         Code::JsonMissingField, "/response_format/json_schema/name"},
        {R"({"model":"m","messages":[],"thinking":"on"})", Code::JsonWrongType, "/thinking"},
        {R"({"model":"m","messages":[],"reasoning_effort":3})", Code::JsonWrongType,
         "/reasoning_effort"},
        {R"({"model":"m","messages":[],"metadata":[]})", Code::JsonWrongType, "/metadata"},
    };
    for (const auto& c : cases) {
        Losses losses;
        auto r = decode_chat_request(parse(c.body), losses);
        ASSERT_FALSE(r.ok()) << c.body;
        EXPECT_EQ(code_name(r.error().code), code_name(c.code)) << c.body << "\n"
                                                                << r.error().to_string();
        EXPECT_EQ(r.error().pointer, c.pointer) << c.body << "\n" << r.error().to_string();
        EXPECT_FALSE(r.error().message.empty());
    }
}

// simdjson's DOM, which the decoders read, keeps every duplicate key in document order: the last
// value still wins and unknown fields are reported once each, sorted, as nlohmann's map has them.
TEST(ChatRequestDecode, DuplicateKeysAndUnknownFieldsFromTheText) {
    const char* body = R"({"zeta":1,"model":"a","messages":[{"role":"user","content":"x",
        "b2":0,"a1":0,"b2":1}],"alpha":2,"model":"b","zeta":3,"temperature":0.5,"n":1,"seed":4})";
    Losses text_losses;
    auto text = decode_request(Protocol::Chat, body, JsonLimits{}, text_losses);
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(text->model, "b");
    std::vector<std::string> pointers;
    for (const Loss& loss : text_losses) pointers.push_back(loss.pointer);
    EXPECT_EQ(pointers, (std::vector<std::string>{"/messages/0/a1", "/messages/0/b2", "/seed",
                                                  "/alpha", "/zeta"}));
}

// Translated from text, a tool schema keeps the client's key order (models write structured
// output in schema order; nlohmann's DOM would sort it), as compact text. An object with a
// repeated key is written as nlohmann keeps it: sorted, the last value.
TEST(ChatRequestDecode, FromTextToolSchemasKeepTheClientsKeyOrder) {
    const char* body = R"({"model":"m","messages":[{"role":"user","content":"x"}],"tools":[
        {"type":"function","function":{"name":"f","parameters":{"type":"object",
         "properties":{"zeta":{"type":"string"},"alpha":{"type":"number","minimum":0.5}},
         "required":["zeta"],"x":{"b":1,"a":2,"b":3}}}}]})";
    auto out = translate_request(Protocol::Chat, Protocol::Responses, body);
    ASSERT_TRUE(out.ok()) << out.error().to_string();
    EXPECT_NE(out->output.find(
                  R"("parameters":{"type":"object","properties":{"zeta":{"type":"string"},)"
                  R"("alpha":{"type":"number","minimum":0.5}},"required":["zeta"],)"
                  R"("x":{"a":2,"b":3}})"),
              std::string::npos)
        << out->output;
}

TEST(ChatRequestErrors, MessagesSayWhatWasExpectedAndWhatCame) {
    Losses losses;
    auto r = decode_chat_request(parse(R"({"model":"m","messages":[{"role":3}]})"), losses);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().to_string(),
              "json.wrong_type at /messages/0/role: expected a string, got number");
    auto u = decode_chat_request(
        parse(R"({"model":"m","messages":[{"role":"user","content":[{"type":"video_url"}]}]})"),
        losses);
    ASSERT_FALSE(u.ok());
    EXPECT_NE(u.error().message.find("video_url"), std::string::npos);
}

// ---- responses ---------------------------------------------------------------------------------

constexpr const char* kToolCallResponse = R"({
  "id": "chatcmpl-Bx1", "object": "chat.completion", "created": 1795606000, "model": "gpt-4.1-2025-04-14",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": "Checking both cities.", "refusal": null,
     "annotations": [],
     "tool_calls": [
       {"id": "call_p", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
       {"id": "call_r", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Rome\"}"}}]},
     "logprobs": null, "finish_reason": "tool_calls"}],
  "usage": {"prompt_tokens": 120, "completion_tokens": 40, "total_tokens": 160,
            "prompt_tokens_details": {"cached_tokens": 64, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 12, "audio_tokens": 0}},
  "service_tier": "default", "system_fingerprint": "fp_abc"
})";

constexpr const char* kDeepSeekResponse = R"({
  "id": "5f1c0b7e-2d2a-4f55-9a0e-6d3c4f2b1a90", "object": "chat.completion", "created": 1795606100,
  "model": "deepseek-v4-pro",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": "It is 24C.",
     "reasoning_content": "The tool said 24C."}, "logprobs": null, "finish_reason": "stop"}],
  "usage": {"prompt_tokens": 300, "completion_tokens": 50, "total_tokens": 350,
            "prompt_tokens_details": null, "completion_tokens_details": {"reasoning_tokens": 30},
            "prompt_cache_hit_tokens": 256, "prompt_cache_miss_tokens": 44},
  "system_fingerprint": "fp_ds"
})";

// new-api on /v1/chat/completions when the channel cannot convert (protocols.md §5).
constexpr const char* kNewApiError =
    R"json({"error":{"message":"not implemented (request id: 2026070512)",
  "type":"new_api_error","param":"","code":"convert_request_failed"}})json";

TEST(ChatResponseDecode, ToolCallResponseKeepsTextCallsAndUsageDetails) {
    Losses losses;
    Response r = decode_response_ok(parse(kToolCallResponse), losses);
    EXPECT_EQ(r.id, "chatcmpl-Bx1");
    EXPECT_EQ(r.model, "gpt-4.1-2025-04-14");
    EXPECT_EQ(r.created, 1795606000);
    ASSERT_EQ(r.output.size(), 3u);
    EXPECT_EQ(part_as<TextPart>(r.output[0]).text, "Checking both cities.");
    EXPECT_EQ(part_as<ToolCallPart>(r.output[2]).arguments, "{\"city\":\"Rome\"}");
    EXPECT_EQ(r.stop_reason, StopReason::ToolUse);
    EXPECT_EQ(usage_text(r.usage), "in=120 out=40 reasoning=12 cache_read=64 cache_write=0");
    EXPECT_FALSE(r.error);
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
}

// peers.md §2.21: cached tokens are part of prompt_tokens; DeepSeek names them differently.
TEST(ChatResponseDecode, DeepSeekReasoningAndCacheHitTokens) {
    Losses losses;
    Response r = decode_response_ok(parse(kDeepSeekResponse), losses);
    ASSERT_EQ(r.output.size(), 2u);
    const auto& reasoning = part_as<ReasoningPart>(r.output[0]);
    EXPECT_EQ(reasoning.text, "The tool said 24C.");
    EXPECT_EQ(reasoning.origin, Protocol::Chat);
    EXPECT_EQ(part_as<TextPart>(r.output[1]).text, "It is 24C.");
    EXPECT_EQ(r.stop_reason, StopReason::EndTurn);
    EXPECT_EQ(usage_text(r.usage), "in=300 out=50 reasoning=30 cache_read=256 cache_write=0");
}

TEST(ChatResponseDecode, NewApiErrorBodyIsAResponseWithAnErrorNotAFailure) {
    Losses losses;
    Response r = decode_response_ok(parse(kNewApiError), losses);
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->type, "new_api_error");
    EXPECT_EQ(r.error->code, "convert_request_failed");
    EXPECT_EQ(r.error->message, "not implemented (request id: 2026070512)");
    EXPECT_EQ(r.stop_reason, StopReason::Error);
    EXPECT_TRUE(r.output.empty());

    Response numeric = decode_response_ok(
        parse(R"({"error":{"message":"busy","type":"server_error","code":503}})"), losses);
    EXPECT_EQ(numeric.error->code, "503");
}

TEST(ChatResponseDecode, FinishReasonTable) {
    const std::pair<const char*, StopReason> table[] = {
        {"stop", StopReason::EndTurn},
        {"length", StopReason::MaxTokens},
        {"tool_calls", StopReason::ToolUse},
        {"content_filter", StopReason::ContentFilter},
        {"function_call", StopReason::ToolUse},
        {"insufficient_system_resource", StopReason::Unknown},
    };
    for (auto [wire, reason] : table) {
        Losses losses;
        Json body = parse(
            R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"a"}}],"usage":{}})");
        body["choices"][0]["finish_reason"] = wire;
        Response r = decode_response_ok(body, losses);
        EXPECT_EQ(r.stop_reason, reason) << wire;
        bool inexact = std::string(wire) == "function_call" || reason == StopReason::Unknown;
        EXPECT_EQ(has_loss(losses, Code::LossValueMapped, "/choices/0/finish_reason"), inexact)
            << wire;
    }
}

TEST(ChatResponseDecode, ExtraChoicesAndMissingUsageAreReported) {
    Losses losses;
    Response r = decode_response_ok(parse(R"({"id":"x","choices":[
        {"index":0,"message":{"role":"assistant","content":"one"},"finish_reason":"stop"},
        {"index":1,"message":{"role":"assistant","content":"two"},"finish_reason":"stop"}]})"),
                                    losses);
    ASSERT_EQ(r.output.size(), 1u);
    EXPECT_EQ(part_as<TextPart>(r.output[0]).text, "one");
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/choices/1")) << describe_losses(losses);
    EXPECT_TRUE(has_loss(losses, Code::LossUsageMissing, "/usage"));
    EXPECT_FALSE(r.usage);
}

TEST(ChatResponseDecode, BadResponsesNameTheExactPointer) {
    const BadInput cases[] = {
        {R"([])", Code::JsonWrongType, ""},
        {R"({"id":"x"})", Code::JsonMissingField, "/choices"},
        {R"({"choices":{}})", Code::JsonWrongType, "/choices"},
        {R"({"choices":[1]})", Code::JsonWrongType, "/choices/0"},
        {R"({"choices":[{}]})", Code::JsonMissingField, "/choices/0/message"},
        {R"({"choices":[{"message":{"content":1}}]})", Code::JsonWrongType,
         "/choices/0/message/content"},
        {R"({"choices":[{"message":{"tool_calls":[{"id":"c","function":{"name":"f","arguments":1}}]}}]})",
         Code::JsonWrongType, "/choices/0/message/tool_calls/0/function/arguments"},
        {R"({"choices":[{"message":{},"finish_reason":1}]})", Code::JsonWrongType,
         "/choices/0/finish_reason"},
        {R"({"choices":[],"usage":{"prompt_tokens":"1"}})", Code::JsonWrongType,
         "/usage/prompt_tokens"},
        {R"({"choices":[],"usage":{"prompt_tokens_details":{"cached_tokens":"x"}}})",
         Code::JsonWrongType, "/usage/prompt_tokens_details/cached_tokens"},
        {R"({"choices":[],"usage":[]})", Code::JsonWrongType, "/usage"},
        {R"({"created":"now","choices":[]})", Code::JsonWrongType, "/created"},
        {R"({"error":{"message":1}})", Code::JsonWrongType, "/error/message"},
        {R"({"error":{"message":"m","code":{}}})", Code::JsonWrongType, "/error/code"},
    };
    for (const auto& c : cases) {
        Losses losses;
        auto r = decode_chat_response(parse(c.body), losses);
        ASSERT_FALSE(r.ok()) << c.body;
        EXPECT_EQ(code_name(r.error().code), code_name(c.code)) << c.body << "\n"
                                                                << r.error().to_string();
        EXPECT_EQ(r.error().pointer, c.pointer) << c.body << "\n" << r.error().to_string();
    }
}

TEST(ChatResponseEncode, DecodedResponsesEncodeBackToTheSameJson) {
    for (const char* fixture : {kToolCallResponse, kDeepSeekResponse}) {
        Losses losses;
        Json original = parse(fixture);
        Json encoded = encode_chat_response(decode_response_ok(original, losses), losses);
        EXPECT_EQ(encoded["id"], original["id"]);
        EXPECT_EQ(encoded["created"], original["created"]);
        EXPECT_EQ(encoded["choices"][0]["finish_reason"], original["choices"][0]["finish_reason"]);
        const Json& m = encoded["choices"][0]["message"];
        const Json& o = original["choices"][0]["message"];
        EXPECT_EQ(m["content"], o["content"]);
        EXPECT_EQ(m.value("reasoning_content", Json()), o.value("reasoning_content", Json()));
        EXPECT_EQ(m.value("tool_calls", Json()), o.value("tool_calls", Json()));
        EXPECT_EQ(encoded["usage"]["prompt_tokens"], original["usage"]["prompt_tokens"]);
        EXPECT_EQ(encoded["usage"]["completion_tokens_details"]["reasoning_tokens"],
                  original["usage"]["completion_tokens_details"]["reasoning_tokens"]);
        // And the canonical form survives a second trip unchanged.
        Json again = encode_chat_response(decode_response_ok(encoded, losses), losses);
        EXPECT_EQ(again, encoded);
    }
}

TEST(ChatResponseEncode, ErrorBodiesEncodeBackInTheOpenAIShape) {
    Losses losses;
    Json encoded = encode_chat_response(decode_response_ok(parse(kNewApiError), losses), losses);
    EXPECT_EQ(encoded, parse(R"json({"error":{"message":"not implemented (request id: 2026070512)",
        "type":"new_api_error","param":null,"code":"convert_request_failed"}})json"));
}

// peers.md §2.17: a Responses turn that "completed" with function calls must reach Chat clients
// as finish_reason "tool_calls", or agent loops stop.
TEST(ChatResponseEncode, CompletedTurnWithToolCallsFinishesWithToolCalls) {
    Response r;
    r.id = "resp_1";
    r.output.push_back(
        ToolCallPart{"call_1", "fc_call_1", "shell", "", "{\"cmd\":\"ls\"}", ToolKind::Function});
    r.stop_reason = StopReason::EndTurn;
    r.usage = Usage{10, 5, 0, 0, 0};
    Losses losses;
    Json out = encode_chat_response(r, losses);
    EXPECT_EQ(out["choices"][0]["finish_reason"], "tool_calls");
    EXPECT_TRUE(out["choices"][0]["message"]["content"].is_null());
    EXPECT_EQ(out["usage"]["total_tokens"], 15);
}

TEST(ChatResponseEncode, InexactStopReasonsAreRecorded) {
    const std::tuple<StopReason, const char*, Severity> table[] = {
        {StopReason::StopSequence, "stop", Severity::Info},
        {StopReason::Refusal, "stop", Severity::Info},
        {StopReason::PauseTurn, "stop", Severity::Warn},
        {StopReason::ContextWindow, "length", Severity::Warn},
        {StopReason::Unknown, "stop", Severity::Warn},
    };
    for (auto [reason, wire, severity] : table) {
        Response r;
        r.output.push_back(RefusalPart{"I can't help with that."});
        r.stop_reason = reason;
        Losses losses;
        Json out = encode_chat_response(r, losses);
        EXPECT_EQ(out["choices"][0]["finish_reason"], wire) << stop_reason_name(reason);
        const Loss* loss = find_loss(losses, Code::LossValueMapped);
        ASSERT_NE(loss, nullptr) << stop_reason_name(reason);
        EXPECT_EQ(loss->severity, severity) << stop_reason_name(reason);
        EXPECT_EQ(out["choices"][0]["message"]["refusal"], "I can't help with that.");
    }
}

TEST(ChatResponseEncode, ForeignReasoningSignatureIsDroppedAndCacheWritesReported) {
    Response r;
    ReasoningPart thinking;
    thinking.text = "hmm";
    thinking.signature = "sig";
    thinking.origin = Protocol::Messages;
    r.output = {thinking, TextPart{"Hi", Json()}, TextPart{" there", Json()}};
    r.usage = Usage{100, 10, 0, 60, 40};
    Losses losses;
    Json out = encode_chat_response(r, losses);
    EXPECT_EQ(out["choices"][0]["message"]["reasoning_content"], "hmm");
    EXPECT_EQ(out["choices"][0]["message"]["content"], "Hi there") << "output text is one answer";
    EXPECT_EQ(out["usage"]["prompt_tokens"], 100);
    EXPECT_EQ(out["usage"]["prompt_tokens_details"]["cached_tokens"], 60);
    EXPECT_TRUE(has_loss(losses, Code::LossForeignSignature, "/output/0"))
        << describe_losses(losses);
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/usage/cache_write"));
}

// ---- stream fixtures ---------------------------------------------------------------------------

// Builds one `data:` chunk of an OpenAI-style stream with a shared id.
std::string chunk(const std::string& choices_json, const std::string& extra = "") {
    return "data: "
           "{\"id\":\"chatcmpl-S1\",\"object\":\"chat.completion.chunk\",\"created\":1795606200,"
           "\"model\":\"gpt-4.1\",\"system_fingerprint\":\"fp_1\",\"choices\":" +
           choices_json + extra + "}\n\n";
}
std::string delta(const std::string& delta_json, const char* finish = "null") {
    return chunk("[{\"index\":0,\"delta\":" + delta_json +
                 ",\"logprobs\":null,\"finish_reason\":" + finish + "}]");
}
const std::string kUsage =
    R"({"prompt_tokens":20,"completion_tokens":9,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}})";

std::string text_stream() {
    return delta(R"({"role":"assistant","content":"","refusal":null})") +
           delta(R"({"content":"Hello"})") + delta(R"({"content":", wor"})") +
           delta(R"({"content":"ld"})") + delta("{}", "\"stop\"") +
           chunk("[]", ",\"usage\":" + kUsage) + "data: [DONE]\n\n";
}

std::string parallel_tools_stream() {
    return delta(R"({"role":"assistant","content":null})") +
           delta(
               R"({"tool_calls":[{"index":0,"id":"call_A","type":"function","function":{"name":"get_weather","arguments":""}}]})") +
           delta(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]})") +
           delta(R"({"tool_calls":[{"index":0,"function":{"arguments":"ty\":\"Paris\"}"}}]})") +
           delta(
               R"({"tool_calls":[{"index":1,"id":"call_B","type":"function","function":{"name":"get_time","arguments":""}}]})") +
           delta(R"({"tool_calls":[{"index":1,"function":{"arguments":"{\"tz\":\"CET\"}"}}]})") +
           delta("{}", "\"tool_calls\"") + chunk("[]", ",\"usage\":" + kUsage) + "data: [DONE]\n\n";
}

// DeepSeek V4 thinking mode, verbatim shape: reasoning_content then content then a tool call,
// keep-alive comments, usage on the finish chunk (no separate usage chunk).
constexpr const char* kDeepSeekStream =
    ": keep-alive\n\n"
    "data: "
    "{\"id\":\"9b2d\",\"object\":\"chat.completion.chunk\",\"created\":1795606300,\"model\":"
    "\"deepseek-v4-pro\",\"system_fingerprint\":\"fp_ds\",\"choices\":[{\"index\":0,\"delta\":{"
    "\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"\"},\"logprobs\":null,"
    "\"finish_reason\":null}]}\n\n"
    "data: "
    "{\"id\":\"9b2d\",\"object\":\"chat.completion.chunk\",\"created\":1795606300,\"model\":"
    "\"deepseek-v4-pro\",\"system_fingerprint\":\"fp_ds\",\"choices\":[{\"index\":0,\"delta\":{"
    "\"content\":null,\"reasoning_content\":\"The user wants "
    "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
    "data: "
    "{\"id\":\"9b2d\",\"object\":\"chat.completion.chunk\",\"created\":1795606300,\"model\":"
    "\"deepseek-v4-pro\",\"system_fingerprint\":\"fp_ds\",\"choices\":[{\"index\":0,\"delta\":{"
    "\"content\":null,\"reasoning_content\":\"the "
    "weather.\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
    "data: "
    "{\"id\":\"9b2d\",\"object\":\"chat.completion.chunk\",\"created\":1795606300,\"model\":"
    "\"deepseek-v4-pro\",\"system_fingerprint\":\"fp_ds\",\"choices\":[{\"index\":0,\"delta\":{"
    "\"content\":\"Let me "
    "check.\",\"reasoning_content\":null},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
    ": keep-alive\n\n"
    "data: "
    "{\"id\":\"9b2d\",\"object\":\"chat.completion.chunk\",\"created\":1795606300,\"model\":"
    "\"deepseek-v4-pro\",\"system_fingerprint\":\"fp_ds\",\"choices\":[{\"index\":0,\"delta\":{"
    "\"tool_calls\":[{\"index\":0,\"id\":\"call_0_7f3a\",\"type\":\"function\",\"function\":{"
    "\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}]}"
    "\n\n"
    "data: "
    "{\"id\":\"9b2d\",\"object\":\"chat.completion.chunk\",\"created\":1795606300,\"model\":"
    "\"deepseek-v4-pro\",\"system_fingerprint\":\"fp_ds\",\"choices\":[{\"index\":0,\"delta\":{"
    "\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\": "
    "\"}}]},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
    "data: "
    "{\"id\":\"9b2d\",\"object\":\"chat.completion.chunk\",\"created\":1795606300,\"model\":"
    "\"deepseek-v4-pro\",\"system_fingerprint\":\"fp_ds\",\"choices\":[{\"index\":0,\"delta\":{"
    "\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"杭州\\\"}\"}}]},\"logprobs\":"
    "null,\"finish_reason\":null}]}\n\n"
    "data: "
    "{\"id\":\"9b2d\",\"object\":\"chat.completion.chunk\",\"created\":1795606300,\"model\":"
    "\"deepseek-v4-pro\",\"system_fingerprint\":\"fp_ds\",\"choices\":[{\"index\":0,\"delta\":{"
    "\"content\":\"\",\"reasoning_content\":null},\"logprobs\":null,\"finish_reason\":\"tool_"
    "calls\"}],\"usage\":{\"prompt_tokens\":310,\"completion_tokens\":42,\"total_tokens\":352,"
    "\"prompt_tokens_details\":{\"cached_tokens\":256},\"completion_tokens_details\":{\"reasoning_"
    "tokens\":20},\"prompt_cache_hit_tokens\":256,\"prompt_cache_miss_tokens\":54}}\n\n"
    "data: [DONE]\n\n";

std::vector<std::pair<std::string, std::string>> stream_fixtures() {
    return {{"text", text_stream()},
            {"parallel_tools", parallel_tools_stream()},
            {"deepseek", kDeepSeekStream},
            {"refusal", delta(R"({"role":"assistant","content":""})") +
                            delta(R"({"refusal":"I can't"})") +
                            delta(R"({"refusal":" do that."})") + delta("{}", "\"stop\"") +
                            chunk("[]", ",\"usage\":" + kUsage) + "data: [DONE]\n\n"}};
}

// ---- stream decode -----------------------------------------------------------------------------

TEST(ChatStreamDecode, TextStreamGivesStartOnePartAndFinishWithUsage) {
    DecodedStream d = decode_stream(text_stream());
    ASSERT_TRUE(d.status.ok()) << d.status.error().to_string();
    std::vector<std::string> expected = {
        "Start id=chatcmpl-S1 model=gpt-4.1 created=1795606200",
        "PartStart #0 text",
        "TextDelta #0 text \"Hello\"",
        "TextDelta #0 text \", wor\"",
        "TextDelta #0 text \"ld\"",
        "PartEnd #0 text",
        "Finish end_turn in=20 out=9 reasoning=0 cache_read=0 cache_write=0",
    };
    EXPECT_EQ(describe(d.events), expected);
    EXPECT_TRUE(d.losses.empty()) << describe_losses(d.losses);
}

TEST(ChatStreamDecode, DeepSeekReasoningThenTextThenToolCall) {
    DecodedStream d = decode_stream(kDeepSeekStream);
    ASSERT_TRUE(d.status.ok()) << d.status.error().to_string();
    std::vector<std::string> expected = {
        "Start id=9b2d model=deepseek-v4-pro created=1795606300",
        "PartStart #0 reasoning origin=chat",
        "ReasoningDelta #0 reasoning \"The user wants \"",
        "ReasoningDelta #0 reasoning \"the weather.\"",
        "PartEnd #0 reasoning origin=chat text=\"The user wants the weather.\"",
        "PartStart #1 text",
        "TextDelta #1 text \"Let me check.\"",
        "PartEnd #1 text",
        "PartStart #2 tool_call id=call_0_7f3a name=get_weather",
        "ArgumentsDelta #2 tool_call \"{\\\"city\\\": \"",
        "ArgumentsDelta #2 tool_call \"\\\"杭州\\\"}\"",
        "PartEnd #2 tool_call id=call_0_7f3a name=get_weather args=\"{\\\"city\\\": "
        "\\\"杭州\\\"}\"",
        "Finish tool_use in=310 out=42 reasoning=20 cache_read=256 cache_write=0",
    };
    EXPECT_EQ(describe(d.events), expected);
}

TEST(ChatStreamDecode, SameEventsForWholeOneByteAndRandomChunkings) {
    for (const auto& [name, text] : stream_fixtures()) {
        DecodedStream whole = decode_stream(text);
        ASSERT_TRUE(whole.status.ok()) << name;
        auto expected = describe(whole.events);
        EXPECT_EQ(describe(decode_stream_pieces(test::chunks_of(text, 1)).events), expected)
            << name;
        for (unsigned seed : {1u, 7u, 42u, 1234u}) {
            EXPECT_EQ(describe(decode_stream_pieces(test::random_chunks(text, seed)).events),
                      expected)
                << name << " seed " << seed;
        }
        // CRLF line ends must not change anything either.
        std::string crlf;
        for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        EXPECT_EQ(describe(decode_stream(crlf).events), expected) << name << " CRLF";
    }
}

// peers.md §2.7: parallel calls whose fragments interleave by index must not share a part.
TEST(ChatStreamDecode, ParallelToolCallsInterleavedByIndexGetDistinctParts) {
    std::string text =
        delta(R"({"role":"assistant"})") +
        delta(
            R"({"tool_calls":[{"index":0,"id":"call_A","type":"function","function":{"name":"a","arguments":""}},{"index":1,"id":"call_B","type":"function","function":{"name":"b","arguments":""}}]})") +
        delta(R"({"tool_calls":[{"index":1,"function":{"arguments":"{\"y\":"}}]})") +
        delta(R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"x\":"}}]})") +
        delta(
            R"({"tool_calls":[{"index":0,"function":{"arguments":"1}"}},{"index":1,"function":{"arguments":"2}"}}]})") +
        delta("{}", "\"tool_calls\"") + "data: [DONE]\n\n";
    DecodedStream d = decode_stream(text);
    ASSERT_TRUE(d.status.ok());
    std::vector<std::string> ends;
    for (const auto& e : d.events) {
        if (e.kind == StreamEvent::Kind::PartEnd) ends.push_back(describe(e));
    }
    EXPECT_EQ(ends, (std::vector<std::string>{
                        "PartEnd #0 tool_call id=call_A name=a args=\"{\\\"x\\\":1}\"",
                        "PartEnd #1 tool_call id=call_B name=b args=\"{\\\"y\\\":2}\""}));
}

// peers.md §2.7 (litellm#21331, bifrost#1961): a server that sends every call with index 0.
TEST(ChatStreamDecode, CallsThatAllReuseIndexZeroStillGetOnePartEach) {
    std::string text =
        delta(R"({"role":"assistant"})") +
        delta(
            R"({"tool_calls":[{"index":0,"id":"call_A","type":"function","function":{"name":"a","arguments":"{}"}}]})") +
        delta(
            R"({"tool_calls":[{"index":0,"id":"call_B","type":"function","function":{"name":"b","arguments":"{\"k\":1}"}}]})") +
        delta("{}", "\"tool_calls\"") + "data: [DONE]\n\n";
    DecodedStream d = decode_stream(text);
    ASSERT_TRUE(d.status.ok());
    std::vector<std::string> ends;
    for (const auto& e : d.events) {
        if (e.kind == StreamEvent::Kind::PartEnd) ends.push_back(describe(e));
    }
    EXPECT_EQ(ends, (std::vector<std::string>{
                        "PartEnd #0 tool_call id=call_A name=a args=\"{}\"",
                        "PartEnd #1 tool_call id=call_B name=b args=\"{\\\"k\\\":1}\""}));
    EXPECT_TRUE(has_loss(d.losses, Code::LossValueMapped, "/choices/0/delta/tool_calls/0/index"))
        << describe_losses(d.losses);
}

// peers.md §2.5 (CLIProxyAPI#5419): usage on every chunk closed the tool block early and the
// client got input:{}.
TEST(ChatStreamDecode, UsageOnEveryChunkDoesNotCloseTheToolCallEarly) {
    auto with_usage = [](const std::string& delta_json, const char* finish, int completion) {
        std::string usage = R"({"prompt_tokens":5,"completion_tokens":)" +
                            std::to_string(completion) + R"(,"total_tokens":)" +
                            std::to_string(5 + completion) + "}";
        return chunk(
            "[{\"index\":0,\"delta\":" + delta_json + ",\"finish_reason\":" + finish + "}]",
            ",\"usage\":" + usage);
    };
    std::string text =
        with_usage(R"({"role":"assistant"})", "null", 0) +
        with_usage(
            R"({"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"write","arguments":"{\"path\":"}}]})",
            "null", 3) +
        with_usage(R"({"tool_calls":[{"index":0,"function":{"arguments":"\"a.txt\"}"}}]})", "null",
                   6) +
        with_usage("{}", "\"tool_calls\"", 7) + "data: [DONE]\n\n";
    DecodedStream d = decode_stream(text);
    ASSERT_TRUE(d.status.ok());
    auto descs = describe(d.events);
    ASSERT_GE(descs.size(), 3u);
    EXPECT_EQ(descs[descs.size() - 2],
              "PartEnd #0 tool_call id=call_1 name=write args=\"{\\\"path\\\":\\\"a.txt\\\"}\"");
    EXPECT_EQ(descs.back(), "Finish tool_use in=5 out=7 reasoning=0 cache_read=0 cache_write=0");
    // Exactly one PartEnd, after all the argument deltas.
    std::size_t ends = std::count_if(d.events.begin(), d.events.end(), [](const StreamEvent& e) {
        return e.kind == StreamEvent::Kind::PartEnd;
    });
    EXPECT_EQ(ends, 1u);
}

// peers.md §2.4 (CLIProxyAPI#2882): the name arrives after some arguments; nothing may be lost.
TEST(ChatStreamDecode, ArgumentsThatArriveBeforeTheNameAreNotLost) {
    std::string text =
        delta(R"({"role":"assistant"})") +
        delta(
            R"({"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"arguments":"{\"q\""}}]})") +
        delta(
            R"({"tool_calls":[{"index":0,"function":{"name":"search","arguments":":\"x\"}"}}]})") +
        delta("{}", "\"tool_calls\"") + "data: [DONE]\n\n";
    DecodedStream d = decode_stream(text);
    ASSERT_TRUE(d.status.ok());
    auto descs = describe(d.events);
    std::vector<std::string> expected = {
        "PartStart #0 tool_call id=call_1 name=search",
        "ArgumentsDelta #0 tool_call \"{\\\"q\\\":\\\"x\\\"}\"",  // held back, then in one piece
        "PartEnd #0 tool_call id=call_1 name=search args=\"{\\\"q\\\":\\\"x\\\"}\"",
    };
    EXPECT_EQ(std::vector<std::string>(descs.begin() + 1, descs.end() - 1), expected);
}

// vLLM-style trailing content after the calls: the calls end before the text part starts, so
// sequential consumers (Messages blocks) never see a call and text open together.
TEST(ChatStreamDecode, TextAfterToolCallsClosesThemFirst) {
    std::string text =
        delta(R"({"role":"assistant"})") +
        delta(
            R"({"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]})") +
        delta(R"({"content":"\n"})") +
        delta(R"({"tool_calls":[{"index":0,"function":{"arguments":" "}}]})") +
        delta("{}", "\"tool_calls\"") + "data: [DONE]\n\n";
    DecodedStream d = decode_stream(text);
    ASSERT_TRUE(d.status.ok());
    auto descs = describe(d.events);
    std::vector<std::string> expected = {
        "PartStart #0 tool_call id=call_1 name=f",
        "ArgumentsDelta #0 tool_call \"{}\"",
        "PartEnd #0 tool_call id=call_1 name=f args=\"{}\"",
        "PartStart #1 text",
        "TextDelta #1 text \"\\n\"",
        "PartEnd #1 text",
    };
    EXPECT_EQ(std::vector<std::string>(descs.begin() + 1, descs.end() - 1), expected);
    // A fragment for a call that has already ended cannot be delivered; it is reported.
    EXPECT_TRUE(has_loss(d.losses, Code::LossFieldDropped, "/choices/0/delta/tool_calls/0"))
        << describe_losses(d.losses);
}

// peers.md §2.18: a cut stream must never look like success.
TEST(ChatStreamDecode, TruncatedStreamEndsInAnErrorNotASilentSuccess) {
    std::string text =
        delta(R"({"role":"assistant"})") + delta(R"({"content":"Hal"})") +
        delta(
            R"({"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a"}}]})");
    DecodedStream d = decode_stream(text);
    EXPECT_TRUE(d.status.ok());
    auto descs = describe(d.events);
    ASSERT_GE(descs.size(), 3u);
    EXPECT_EQ(descs[descs.size() - 2], "PartEnd #1 tool_call id=call_1 name=f args=\"{\\\"a\"");
    EXPECT_EQ(d.events.back().kind, StreamEvent::Kind::Error);
    EXPECT_EQ(d.events.back().error->code, "stream_truncated");
    const Loss* loss = find_loss(d.losses, Code::LossStreamTruncated);
    ASSERT_NE(loss, nullptr);
    EXPECT_EQ(loss->severity, Severity::Error);
    // Every part opened was closed.
    EXPECT_EQ(
        std::count_if(d.events.begin(), d.events.end(),
                      [](const StreamEvent& e) { return e.kind == StreamEvent::Kind::PartStart; }),
        std::count_if(d.events.begin(), d.events.end(),
                      [](const StreamEvent& e) { return e.kind == StreamEvent::Kind::PartEnd; }));
}

TEST(ChatStreamDecode, EmptyStreamIsTruncatedToo) {
    DecodedStream d = decode_stream("");
    ASSERT_EQ(d.events.size(), 1u);
    EXPECT_EQ(d.events[0].kind, StreamEvent::Kind::Error);
    EXPECT_EQ(count_loss(d.losses, Code::LossStreamTruncated), 1u);
}

TEST(ChatStreamDecode, MissingDoneAfterFinishReasonIsToleratedWithAnInfo) {
    std::string text = delta(R"({"role":"assistant","content":"ok"})") + delta("{}", "\"length\"") +
                       chunk("[]", ",\"usage\":" + kUsage);
    DecodedStream d = decode_stream(text);
    ASSERT_TRUE(d.status.ok());
    EXPECT_EQ(describe(d.events.back()),
              "Finish max_tokens in=20 out=9 reasoning=0 cache_read=0 cache_write=0");
    const Loss* loss = find_loss(d.losses, Code::LossStreamTruncated);
    ASSERT_NE(loss, nullptr);
    EXPECT_EQ(loss->severity, Severity::Info);
}

TEST(ChatStreamDecode, DoneWithoutFinishReasonFinishesWithUnknownReason) {
    DecodedStream d =
        decode_stream(delta(R"({"role":"assistant","content":"ok"})") + "data: [DONE]\n\n");
    ASSERT_TRUE(d.status.ok());
    EXPECT_EQ(d.events.back().kind, StreamEvent::Kind::Finish);
    EXPECT_EQ(d.events.back().stop_reason, StopReason::Unknown);
    EXPECT_TRUE(has_loss(d.losses, Code::LossValueMapped, ""));
    EXPECT_TRUE(has_loss(d.losses, Code::LossUsageMissing, ""));
}

// peers.md §2.31: an error in the middle of a 200 stream must be surfaced, not dropped.
TEST(ChatStreamDecode, ErrorChunkMidStreamIsSurfaced) {
    std::string text = delta(R"({"role":"assistant","content":"Par"})") +
                       "data: {\"error\":{\"message\":\"upstream "
                       "overloaded\",\"type\":\"upstream_error\",\"param\":null,\"code\":\"bad_"
                       "response_status_code\"}}\n\n"
                       "data: [DONE]\n\n";
    DecodedStream d = decode_stream(text);
    ASSERT_TRUE(d.status.ok());
    auto descs = describe(d.events);
    std::vector<std::string> expected = {
        "Start id=chatcmpl-S1 model=gpt-4.1 created=1795606200", "PartStart #0 text",
        "TextDelta #0 text \"Par\"", "PartEnd #0 text",
        "Error upstream_error/bad_response_status_code: upstream overloaded"};
    EXPECT_EQ(descs, expected);
}

TEST(ChatStreamDecode, ExtraChoicesAreDroppedWithOneLoss) {
    std::string text =
        chunk(
            R"([{"index":0,"delta":{"content":"a"},"finish_reason":null},{"index":1,"delta":{"content":"b"},"finish_reason":null}])") +
        chunk(R"([{"index":1,"delta":{"content":"c"},"finish_reason":null}])") +
        delta("{}", "\"stop\"") + "data: [DONE]\n\n";
    DecodedStream d = decode_stream(text);
    ASSERT_TRUE(d.status.ok());
    EXPECT_EQ(count_loss(d.losses, Code::LossFieldDropped), 1u) << describe_losses(d.losses);
    EXPECT_EQ(describe(d.events[2]), "TextDelta #0 text \"a\"");
}

TEST(ChatStreamDecode, BadChunksFailWithSpecificCodes) {
    struct Case {
        std::string text;
        Code code;
        const char* pointer;
    };
    const Case cases[] = {
        {"data: {not json\n\n", Code::SseBadEventData, ""},
        {"data: [1,2]\n\n", Code::JsonWrongType, ""},
        {delta(R"({"tool_calls":[{"id":"c","function":{"name":"f"}}]})"), Code::JsonMissingField,
         "/choices/0/delta/tool_calls/0/index"},
        {delta(R"({"tool_calls":[{"index":"0"}]})"), Code::JsonWrongType,
         "/choices/0/delta/tool_calls/0/index"},
        {delta(R"({"tool_calls":[{"index":0,"function":{"arguments":{}}}]})"), Code::JsonWrongType,
         "/choices/0/delta/tool_calls/0/function/arguments"},
        {delta(R"({"content":5})"), Code::JsonWrongType, "/choices/0/delta/content"},
        {delta(R"({"tool_calls":{}})"), Code::JsonWrongType, "/choices/0/delta/tool_calls"},
        {chunk("{}"), Code::JsonWrongType, "/choices"},
        {chunk("[]", ",\"usage\":{\"prompt_tokens\":\"x\"}"), Code::JsonWrongType,
         "/usage/prompt_tokens"},
    };
    for (const auto& c : cases) {
        DecodedStream d = decode_stream(c.text);
        ASSERT_FALSE(d.status.ok()) << c.text;
        EXPECT_EQ(code_name(d.status.error().code), code_name(c.code))
            << c.text << d.status.error().to_string();
        EXPECT_EQ(d.status.error().pointer, c.pointer) << c.text;
        EXPECT_NE(d.status.error().message.find("chunk 1"), std::string::npos)
            << d.status.error().message;
        ASSERT_FALSE(d.events.empty());
        EXPECT_EQ(d.events.back().kind, StreamEvent::Kind::Error)
            << "finish() still ends the sequence";
    }
}

// ---- stream encode -----------------------------------------------------------------------------

StreamEvent start_event() {
    StreamEvent e = stream_event(StreamEvent::Kind::Start);
    e.id = "resp_1";
    e.model = "m";
    e.created = 1700000000;
    return e;
}

StreamEvent finish_event(StopReason reason, std::optional<Usage> usage) {
    StreamEvent e = stream_event(StreamEvent::Kind::Finish);
    e.stop_reason = reason;
    e.usage = usage;
    return e;
}

TEST(ChatStreamEncode, WritesTheExactChatGrammar) {
    std::vector<StreamEvent> events = {
        start_event(),
        stream_event(StreamEvent::Kind::PartStart, 0, PartType::Text),
        stream_event(StreamEvent::Kind::TextDelta, 0, PartType::Text, "Hi"),
        stream_event(StreamEvent::Kind::PartEnd, 0, PartType::Text),
        tool_start(1, "call_1", "f"),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 1, PartType::ToolCall, "{}"),
        stream_event(StreamEvent::Kind::PartEnd, 1, PartType::ToolCall),
        finish_event(StopReason::ToolUse, Usage{3, 4, 0, 0, 0}),
    };
    Losses losses;
    std::string out = encode_stream(events, losses);
    const std::string head = R"({"choices":[{"delta":)";
    const std::string tail =
        R"(,"created":1700000000,"id":"resp_1","model":"m","object":"chat.completion.chunk"})";
    std::string expected =
        "data: " + head + R"({"content":"","role":"assistant"},"finish_reason":null,"index":0}])" +
        tail + "\n\n" + "data: " + head + R"({"content":"Hi"},"finish_reason":null,"index":0}])" +
        tail + "\n\n" + "data: " + head +
        R"({"tool_calls":[{"function":{"arguments":"","name":"f"},"id":"call_1","index":0,"type":"function"}]},"finish_reason":null,"index":0}])" +
        tail + "\n\n" + "data: " + head +
        R"({"tool_calls":[{"function":{"arguments":"{}"},"index":0}]},"finish_reason":null,"index":0}])" +
        tail + "\n\n" + "data: " + head + R"({},"finish_reason":"tool_calls","index":0}])" + tail +
        "\n\n" +
        R"(data: {"choices":[],"created":1700000000,"id":"resp_1","model":"m","object":"chat.completion.chunk","usage":{"completion_tokens":4,"completion_tokens_details":{"reasoning_tokens":0},"prompt_tokens":3,"prompt_tokens_details":{"cached_tokens":0},"total_tokens":7}})"
        "\n\n"
        "data: [DONE]\n\n";
    EXPECT_EQ(out, expected);
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
}

TEST(ChatStreamEncode, ReencodedFixturesDecodeToTheSameEventsAndKeepTheGrammar) {
    for (const auto& [name, text] : stream_fixtures()) {
        DecodedStream first = decode_stream(text);
        ASSERT_TRUE(first.status.ok()) << name;
        Losses losses;
        std::string reencoded = encode_stream(first.events, losses);
        DecodedStream second = decode_stream(reencoded);
        ASSERT_TRUE(second.status.ok()) << name;
        EXPECT_EQ(describe(second.events), describe(first.events)) << name << "\n" << reencoded;
        EXPECT_EQ(grammar_of(reencoded), grammar_of(text)) << name << "\n" << reencoded;
        // One id for every chunk, as OpenAI sends it.
        for (const auto& data : data_lines(reencoded)) {
            if (data == "[DONE]") continue;
            EXPECT_EQ(parse(data)["id"], first.events[0].id) << name;
        }
    }
}

// Encoders must accept any valid canonical sequence: tool calls before any text, two calls open
// at once with interleaved arguments, text after the calls.
TEST(ChatStreamEncode, AcceptsParallelToolCallsBeforeTextAndTextAfterThem) {
    std::vector<StreamEvent> events = {
        start_event(),
        tool_start(0, "call_a", "a"),
        tool_start(1, "call_b", "b"),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 1, PartType::ToolCall, "{\"y\":"),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 0, PartType::ToolCall, "{\"x\":1}"),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 1, PartType::ToolCall, "2}"),
        stream_event(StreamEvent::Kind::PartEnd, 0, PartType::ToolCall),
        stream_event(StreamEvent::Kind::PartEnd, 1, PartType::ToolCall),
        stream_event(StreamEvent::Kind::PartStart, 2, PartType::Text),
        stream_event(StreamEvent::Kind::TextDelta, 2, PartType::Text, "done"),
        stream_event(StreamEvent::Kind::PartEnd, 2, PartType::Text),
        finish_event(StopReason::EndTurn, std::nullopt),
    };
    Losses losses;
    std::string out = encode_stream(events, losses);
    DecodedStream d = decode_stream(out);
    ASSERT_TRUE(d.status.ok());
    std::vector<std::string> ends;
    for (const auto& e : d.events) {
        if (e.kind == StreamEvent::Kind::PartEnd) ends.push_back(describe(e));
    }
    // The text after the calls closes them (Chat has no explicit part ends).
    EXPECT_EQ(ends, (std::vector<std::string>{
                        "PartEnd #0 tool_call id=call_a name=a args=\"{\\\"x\\\":1}\"",
                        "PartEnd #1 tool_call id=call_b name=b args=\"{\\\"y\\\":2}\"",
                        "PartEnd #2 text"}));
    EXPECT_EQ(d.events.back().stop_reason, StopReason::ToolUse)
        << "a completed turn with tool calls finishes with tool_calls (peers.md §2.17)";
    EXPECT_TRUE(has_loss(losses, Code::LossUsageMissing, ""));
}

// peers.md §2.27: a freeform call streamed to a Chat client arrives as valid {"input": raw} JSON.
TEST(ChatStreamEncode, CustomToolCallStreamsAsInputJson) {
    std::string raw = "*** Begin Patch\n*** Add File: a.txt\n+say \"hi\"\\n\n*** End Patch";
    std::vector<StreamEvent> events = {
        start_event(),
        tool_start(0, "call_p", "apply_patch", ToolKind::Custom),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 0, PartType::ToolCall, raw.substr(0, 20)),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 0, PartType::ToolCall, raw.substr(20)),
        stream_event(StreamEvent::Kind::PartEnd, 0, PartType::ToolCall),
        finish_event(StopReason::EndTurn, Usage{1, 1, 0, 0, 0}),
    };
    Losses losses;
    DecodedStream d = decode_stream(encode_stream(events, losses));
    ASSERT_TRUE(d.status.ok());
    const StreamEvent* end = nullptr;
    for (const auto& e : d.events) {
        if (e.kind == StreamEvent::Kind::PartEnd) end = &e;
    }
    ASSERT_NE(end, nullptr);
    EXPECT_EQ(end->tool_call.kind, ToolKind::Function);
    EXPECT_EQ(parse(end->tool_call.arguments), Json({{"input", raw}}));
    EXPECT_EQ(count_loss(losses, Code::LossCustomToolAsFunction), 1u);
}

// peers.md §2.6: arguments that only come with the part's end (LM Studio) are still written.
TEST(ChatStreamEncode, ArgumentsOnlyAtPartEndAreStillWritten) {
    StreamEvent end = stream_event(StreamEvent::Kind::PartEnd, 0, PartType::ToolCall);
    end.tool_call = ToolCallPart{"call_1", "", "f", "", "{\"a\":1}", ToolKind::Function};
    std::vector<StreamEvent> events = {start_event(), tool_start(0, "call_1", "f"), end,
                                       finish_event(StopReason::ToolUse, std::nullopt)};
    Losses losses;
    DecodedStream d = decode_stream(encode_stream(events, losses));
    ASSERT_TRUE(d.status.ok());
    EXPECT_EQ(describe(d.events[d.events.size() - 2]),
              "PartEnd #0 tool_call id=call_1 name=f args=\"{\\\"a\\\":1}\"");
}

TEST(ChatStreamEncode, ReasoningSummariesBecomeReasoningContentAndSignaturesAreDropped) {
    StreamEvent reasoning_start =
        stream_event(StreamEvent::Kind::PartStart, 0, PartType::Reasoning);
    reasoning_start.reasoning.origin = Protocol::Responses;
    StreamEvent s0 =
        stream_event(StreamEvent::Kind::SummaryDelta, 0, PartType::Reasoning, "First.");
    StreamEvent s1 =
        stream_event(StreamEvent::Kind::SummaryDelta, 0, PartType::Reasoning, "Second.");
    s1.summary_index = 1;
    StreamEvent reasoning_end = stream_event(StreamEvent::Kind::PartEnd, 0, PartType::Reasoning);
    reasoning_end.reasoning.origin = Protocol::Responses;
    reasoning_end.reasoning.encrypted_content = "gAAAA";
    std::vector<StreamEvent> events = {
        start_event(),
        reasoning_start,
        s0,
        s1,
        stream_event(StreamEvent::Kind::SignatureDelta, 0, PartType::Reasoning, "sig"),
        reasoning_end,
        finish_event(StopReason::EndTurn, Usage{1, 1, 1, 0, 0})};
    Losses losses;
    std::string out = encode_stream(events, losses);
    EXPECT_EQ(out.find("gAAAA"), std::string::npos);
    EXPECT_EQ(out.find("sig\""), std::string::npos);
    DecodedStream d = decode_stream(out);
    ASSERT_TRUE(d.status.ok());
    EXPECT_EQ(describe(d.events[4]),
              "PartEnd #0 reasoning origin=chat text=\"First.\\n\\nSecond.\"");
    EXPECT_EQ(count_loss(losses, Code::LossForeignSignature), 1u) << describe_losses(losses);
    EXPECT_EQ(count_loss(losses, Code::LossValueMapped), 1u) << describe_losses(losses);
}

TEST(ChatStreamEncode, ErrorEventWritesAnErrorChunkThenDone) {
    StreamEvent error = stream_event(StreamEvent::Kind::Error);
    error.error = ApiError{"overloaded_error", "", "Overloaded"};
    Losses losses;
    std::string out = encode_stream({start_event(), error}, losses);
    auto lines = data_lines(out);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(
        parse(lines[1]),
        parse(
            R"({"error":{"message":"Overloaded","type":"overloaded_error","param":null,"code":null}})"));
    EXPECT_EQ(lines[2], "[DONE]");
    DecodedStream d = decode_stream(out);
    EXPECT_EQ(describe(d.events.back()), "Error overloaded_error/: Overloaded");
}

// peers.md §2.18: an encoder whose source stopped mid-way writes an error, never a clean end.
TEST(ChatStreamEncode, FinishWithoutTerminalEventWritesAnErrorAndDone) {
    std::vector<StreamEvent> events = {
        start_event(), stream_event(StreamEvent::Kind::PartStart, 0, PartType::Text),
        stream_event(StreamEvent::Kind::TextDelta, 0, PartType::Text, "par")};
    Losses losses;
    std::string out = encode_stream(events, losses);
    auto lines = data_lines(out);
    ASSERT_GE(lines.size(), 2u);
    EXPECT_EQ(lines.back(), "[DONE]");
    EXPECT_EQ(parse(lines[lines.size() - 2])["error"]["code"], "stream_truncated");
    EXPECT_EQ(find_loss(losses, Code::LossStreamTruncated)->severity, Severity::Error);
    // Nothing is written after the end.
    auto encoder = make_chat_stream_encoder();
    std::string twice;
    encoder->finish(twice, losses);
    std::size_t size = twice.size();
    encoder->encode(start_event(), twice, losses);
    encoder->finish(twice, losses);
    EXPECT_EQ(twice.size(), size);
}

TEST(ChatStreamEncode, UsageChunkOnlyWhenAskedFor) {
    std::vector<StreamEvent> events = {start_event(),
                                       finish_event(StopReason::EndTurn, Usage{1, 2, 0, 0, 0})};
    Losses losses;
    StreamEncoderOptions options;
    options.include_usage = false;
    EXPECT_EQ(grammar_of(encode_stream(events, losses, options)),
              (std::vector<std::string>{"role", "finish", "done"}));
    EXPECT_EQ(grammar_of(encode_stream(events, losses)),
              (std::vector<std::string>{"role", "finish", "usage", "done"}));
}

// ---- captures through Chat ---------------------------------------------------------------------

const char* kCaptures[] = {"codex-turn1.json",        "codex-turn2.json",
                           "codex-classic-turn1.json", "codex-classic-turn2.json",
                           "claude-turn1.json",        "claude-turn2.json",
                           "claude-thinking-turn1.json", "claude-thinking-turn2.json",
                           "sdk-openai-responses-turn1.json", "sdk-anthropic-messages-turn1.json"};

struct Capture {
    Json json;
    bool messages = false;  // /v1/messages (Claude Code, Anthropic SDK) vs /v1/responses (Codex)
};

Capture load_capture(const std::string& name) {
    bool ok = false;
    std::string text = test::read_file(test::shared_path("fixtures/captures/" + name), &ok);
    EXPECT_TRUE(ok) << name;
    Capture c;
    c.json = parse(text);
    c.messages = c.json.value("url", "").find("/v1/messages") != std::string::npos;
    return c;
}

// What a stream said, independent of how it was framed: text, reasoning text, tool calls.
struct StreamSummary {
    std::string text;
    std::string reasoning;
    std::vector<std::string> calls;  // "id name arguments"
    bool finished = false;
};

StreamSummary summarise(const std::vector<StreamEvent>& events, bool custom_as_input_json) {
    StreamSummary s;
    std::map<std::size_t, ToolCallPart> calls;
    for (const auto& e : events) {
        switch (e.kind) {
            case StreamEvent::Kind::TextDelta:
                if (e.part_type == PartType::Text) s.text += e.text;
                break;
            case StreamEvent::Kind::ReasoningDelta: s.reasoning += e.text; break;
            case StreamEvent::Kind::PartStart:
                if (e.part_type == PartType::ToolCall) calls[e.index] = e.tool_call;
                break;
            case StreamEvent::Kind::ArgumentsDelta: calls[e.index].arguments += e.text; break;
            case StreamEvent::Kind::Finish: s.finished = true; break;
            default: break;
        }
    }
    for (auto& [index, call] : calls) {
        (void)index;
        std::string args = call.arguments;
        if (custom_as_input_json && call.kind == ToolKind::Custom) args = Json({{"input", args}}).dump();
        if (!custom_as_input_json) args = parse(args).dump();  // compare JSON, not spacing
        s.calls.push_back(call.id + " " + flat_tool_name(call.name_space, call.name) + " " + args);
    }
    return s;
}

TEST(ChatCaptures, CaptureRequestsEncodeToValidChatRequests) {
    const std::regex kToolName("^[a-zA-Z0-9_-]{1,64}$");
    for (const char* name : kCaptures) {
        Capture cap = load_capture(name);
        Losses losses;
        auto req = cap.messages ? decode_messages_request(cap.json["body_json"], losses)
                                : decode_responses_request(cap.json["body_json"], losses);
        ASSERT_TRUE(req.ok()) << name << ": " << req.error().to_string();
        Json chat = test::encode_chat_json(*req, losses);
        const Json& messages = chat["messages"];
        ASSERT_FALSE(messages.empty()) << name;
        // protocols.md §1: every tool_call_id of an assistant turn is answered by the tool
        // messages that directly follow it; roles are ones every Chat server knows.
        for (std::size_t i = 0; i < messages.size(); ++i) {
            std::string role = messages[i]["role"];
            EXPECT_TRUE(role == "system" || role == "user" || role == "assistant" || role == "tool")
                << name << " message " << i << " role " << role;
            EXPECT_TRUE(messages[i]["content"].is_string() || messages[i]["content"].is_array() ||
                        (role == "assistant" && messages[i]["content"].is_null()))
                << name << " message " << i;
            if (role != "assistant" || !messages[i].contains("tool_calls")) continue;
            std::size_t j = i + 1;
            for (const auto& call : messages[i]["tool_calls"]) {
                ASSERT_LT(j, messages.size()) << name << ": call " << call["id"] << " unanswered";
                EXPECT_EQ(messages[j]["role"], "tool") << name;
                EXPECT_EQ(messages[j]["tool_call_id"], call["id"]) << name;
                EXPECT_TRUE(parse_json(call["function"]["arguments"].get<std::string>()).ok())
                    << name << ": arguments must be JSON text";
                ++j;
            }
        }
        for (const auto& tool : chat.value("tools", Json::array())) {
            EXPECT_EQ(tool["type"], "function") << name;
            EXPECT_TRUE(std::regex_match(tool["function"]["name"].get<std::string>(), kToolName))
                << name << ": " << tool["function"]["name"];
        }
        // And the Chat request reads back without error or unknown fields.
        Losses back;
        auto again = decode_chat_request(chat, back);
        ASSERT_TRUE(again.ok()) << name << ": " << again.error().to_string();
        EXPECT_EQ(count_loss(back, Code::LossUnknownField), 0u) << name << describe_losses(back);
        EXPECT_EQ(test::encode_chat_json(*again, back), chat) << name << ": not a fixpoint";
    }
}

TEST(ChatCaptures, CaptureStreamsReencodeAsChatWithTheSameContent) {
    for (const char* name : kCaptures) {
        Capture cap = load_capture(name);
        SseParser parser;
        std::vector<SseEvent> sse;
        ASSERT_TRUE(parser.feed(cap.json["response"]["body_text"].get<std::string>(), sse).ok());
        ASSERT_TRUE(parser.finish(sse).ok());
        auto decoder = cap.messages ? make_messages_stream_decoder() : make_responses_stream_decoder();
        std::vector<StreamEvent> source;
        Losses losses;
        for (const auto& e : sse) ASSERT_TRUE(decoder->feed(e, source, losses).ok()) << name;
        ASSERT_TRUE(decoder->finish(source, losses).ok()) << name;

        std::string chat = encode_stream(source, losses);
        EXPECT_EQ(grammar_of(chat).front(), "role") << name;
        EXPECT_EQ(grammar_of(chat).back(), "done") << name;
        DecodedStream back = decode_stream(chat);
        ASSERT_TRUE(back.status.ok()) << name << back.status.error().to_string();
        StreamSummary want = summarise(source, /*custom_as_input_json=*/true);
        StreamSummary got = summarise(back.events, /*custom_as_input_json=*/false);
        for (auto& call : want.calls) {  // normalise the source's JSON text the same way
            auto space = call.find(' ', call.find(' ') + 1);
            call = call.substr(0, space + 1) + parse(call.substr(space + 1)).dump();
        }
        EXPECT_EQ(got.text, want.text) << name;
        EXPECT_EQ(got.reasoning, want.reasoning) << name;
        EXPECT_EQ(got.calls, want.calls) << name;
        EXPECT_EQ(got.finished, want.finished) << name;
    }
}

}  // namespace
}  // namespace wirecheck
