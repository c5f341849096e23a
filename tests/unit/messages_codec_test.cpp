// The Anthropic Messages codec: real Claude Code / SDK captures, request and response mapping
// rules, round trips, stream grammar both ways, bad input, and peers.md §2 edge cases (tests named
// after what they prevent).
//
// Sections: helpers · request decode · request encode (edge cases) · request errors · responses ·
// stream decode · stream encode
#include "wirecheck/messages_codec.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "test_util.hpp"

namespace wirecheck {
namespace {

// ---- helpers
// -------------------------------------------------------------------------------------

using test::DecodedStream;
using test::describe_losses;
using test::find_loss;
using test::has_loss;
using test::load_capture;
using test::sse_frames;
using test::stream_event;
using test::tool_start;

const char* kClaudeCaptures[] = {"claude-turn1.json", "claude-turn2.json",
                                 "claude-thinking-turn1.json", "claude-thinking-turn2.json",
                                 "sdk-anthropic-messages-turn1.json"};

// Canonical values as JSON, so whole structures compare with one EXPECT_EQ and print readably.
Json canon(const TextPart& t) {
    return {{"text", t.text}, {"extras", t.extras}};
}
Json canon(const ImagePart& i) {
    return {
        {"image", i.url}, {"media", i.media_type}, {"data", i.data_base64}, {"detail", i.detail}};
}
Json canon(const ReasoningPart& r) {
    return {{"reasoning", r.text},
            {"summary", r.summary},
            {"signature", r.signature},
            {"encrypted", r.encrypted_content},
            {"redacted", r.redacted_data},
            {"item_id", r.item_id},
            {"origin", protocol_name(r.origin)}};
}
Json canon(const ToolCallPart& c) {
    return {
        {"call", c.id},       {"item_id", c.item_id},     {"name", c.name},
        {"ns", c.name_space}, {"arguments", c.arguments}, {"custom", c.kind == ToolKind::Custom}};
}
Json canon(const Part& part) {
    if (const auto* t = std::get_if<TextPart>(&part)) return canon(*t);
    if (const auto* i = std::get_if<ImagePart>(&part)) return canon(*i);
    if (const auto* c = std::get_if<ToolCallPart>(&part)) return canon(*c);
    if (const auto* r = std::get_if<ReasoningPart>(&part)) return canon(*r);
    if (const auto* f = std::get_if<RefusalPart>(&part)) return {{"refusal", f->text}};
    const auto& res = std::get<ToolResultPart>(part);
    Json content = Json::array();
    for (const auto& c : res.content) {
        if (const auto* t = std::get_if<TextPart>(&c.value))
            content.push_back(canon(*t));
        else
            content.push_back(canon(std::get<ImagePart>(c.value)));
    }
    return {{"result", res.call_id},
            {"content", content},
            {"is_error", res.is_error},
            {"custom", res.kind == ToolKind::Custom},
            {"extras", res.extras}};
}
Json canon(const Usage& u) {
    return {{"input", u.input},
            {"output", u.output},
            {"reasoning", u.reasoning},
            {"cache_read", u.cache_read},
            {"cache_write", u.cache_write}};
}
Json canon(const Request& r) {
    Json turns = Json::array();
    for (const Turn& t : r.turns) {
        Json parts = Json::array();
        for (const Part& p : t.parts) parts.push_back(canon(p));
        turns.push_back({{"role", role_name(t.role)}, {"parts", parts}});
    }
    Json tools = Json::array();
    for (const Tool& t : r.tools) {
        tools.push_back({{"type", static_cast<int>(t.type)},
                         {"name", t.name},
                         {"ns", t.name_space},
                         {"description", t.description},
                         {"parameters", t.parameters.json()},
                         {"strict", t.strict ? Json(*t.strict) : Json()},
                         {"format", t.format},
                         {"hosted", t.hosted},
                         {"extras", t.extras}});
    }
    Json out = {{"model", r.model},       {"turns", turns},
                {"tools", tools},         {"stop", r.stop},
                {"stream", r.stream},     {"response_format", r.response_format},
                {"metadata", r.metadata}, {"user", r.user}};
    if (r.tool_choice)
        out["tool_choice"] = {static_cast<int>(r.tool_choice->mode), r.tool_choice->name};
    if (r.parallel_tool_calls) out["parallel"] = *r.parallel_tool_calls;
    if (r.temperature) out["temperature"] = *r.temperature;
    if (r.top_p) out["top_p"] = *r.top_p;
    if (r.top_k) out["top_k"] = *r.top_k;
    if (r.max_output_tokens) out["max"] = *r.max_output_tokens;
    if (r.reasoning) {
        out["reasoning"] = {
            {"effort", r.reasoning->effort},
            {"summary", r.reasoning->summary},
            {"budget", r.reasoning->budget_tokens ? Json(*r.reasoning->budget_tokens) : Json()},
            {"enabled", r.reasoning->enabled ? Json(*r.reasoning->enabled) : Json()}};
    }
    return out;
}
Json canon(const Response& r) {
    Json output = Json::array();
    for (const Part& p : r.output) output.push_back(canon(p));
    Json out = {{"id", r.id},
                {"model", r.model},
                {"output", output},
                {"stop", stop_reason_name(r.stop_reason)},
                {"stop_sequence", r.stop_sequence}};
    if (r.usage) out["usage"] = canon(*r.usage);
    if (r.error) out["error"] = {r.error->type, r.error->code, r.error->message};
    return out;
}
Json canon(const StreamEvent& e) {
    Json out = {{"kind", static_cast<int>(e.kind)},
                {"index", e.index},
                {"part_type", static_cast<int>(e.part_type)},
                {"text", e.text},
                {"summary_index", e.summary_index},
                {"id", e.id},
                {"model", e.model},
                {"created", e.created},
                {"tool_call", canon(e.tool_call)},
                {"reasoning", canon(e.reasoning)},
                {"stop", stop_reason_name(e.stop_reason)},
                {"stop_sequence", e.stop_sequence}};
    if (e.usage) out["usage"] = canon(*e.usage);
    if (e.error) out["error"] = {e.error->type, e.error->code, e.error->message};
    return out;
}
Json canon(const std::vector<StreamEvent>& events) {
    Json out = Json::array();
    for (const auto& e : events) out.push_back(canon(e));
    return out;
}

Request decode_ok(const Json& body, Losses& losses) {
    Result<Request> r = decode_messages_request(body, losses);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    return r.ok() ? *r : Request{};
}

Error decode_err(const Json& body) {
    Losses losses;
    Result<Request> r = decode_messages_request(body, losses);
    EXPECT_FALSE(r.ok());
    return r.ok() ? Error{} : r.error();
}

DecodedStream decode_stream(const std::vector<std::string>& pieces) {
    return test::decode_stream(Protocol::Messages, pieces);
}
DecodedStream decode_stream(const std::string& text) {
    return decode_stream(std::vector<std::string>{text});
}

std::string encode_stream(const std::vector<StreamEvent>& events, Losses& losses,
                          bool finish = true) {
    return test::encode_stream(Protocol::Messages, events, losses, finish);
}

// Checks the exact Messages stream grammar (protocols.md §4); returns "" when it holds.
std::string grammar_violation(const std::string& text) {
    auto events = sse_frames(text);
    if (events.empty()) return "no events";
    std::size_t next_block = 0;
    std::optional<std::size_t> open;
    bool started = false, delta_seen = false, stopped = false;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& [name, data] = events[i];
        std::string at = "event " + std::to_string(i) + " (" + name + "): ";
        if (!data.is_object() || !data.contains("type") || data["type"] != name) {
            return at + "event name differs from data type";
        }
        if (stopped) return at + "after message_stop";
        if (name == "ping") continue;
        if (name == "error") return i + 1 == events.size() ? "" : at + "events after error";
        if (name == "message_start") {
            if (started) return at + "second message_start";
            started = true;
            continue;
        }
        if (!started) return at + "before message_start";
        if (name == "content_block_start") {
            if (open) return at + "block started while another is open";
            if (data["index"] != next_block) return at + "index out of order";
            open = next_block++;
        } else if (name == "content_block_delta" || name == "content_block_stop") {
            if (!open || data["index"] != *open) return at + "not for the open block";
            if (name == "content_block_stop") open.reset();
        } else if (name == "message_delta") {
            if (open) return at + "message_delta while a block is open";
            delta_seen = true;
        } else if (name == "message_stop") {
            if (!delta_seen) return at + "message_stop without message_delta";
            stopped = true;
        }
    }
    return stopped ? "" : "no message_stop";
}

StreamEvent start_event(std::string id = "msg_1", std::optional<Usage> usage = std::nullopt) {
    StreamEvent e = stream_event(StreamEvent::Kind::Start);
    e.id = std::move(id);
    e.model = "claude-test";
    e.usage = usage;
    return e;
}
StreamEvent finish_event(StopReason reason, std::optional<Usage> usage = Usage{100, 20, 0, 0, 0}) {
    StreamEvent e = stream_event(StreamEvent::Kind::Finish);
    e.stop_reason = reason;
    e.usage = usage;
    return e;
}

// The tool_use input a stream assembled, per wire block index.
std::map<std::size_t, std::string> streamed_inputs(const std::string& text) {
    std::map<std::size_t, std::string> out;
    for (const auto& [name, data] : sse_frames(text)) {
        if (name == "content_block_delta" && data["delta"]["type"] == "input_json_delta") {
            out[data["index"].get<std::size_t>()] +=
                data["delta"]["partial_json"].get<std::string>();
        }
    }
    return out;
}

bool matches_id_charset(const std::string& s) {
    return std::regex_match(s, std::regex("^[a-zA-Z0-9_-]+$"));
}

ToolCallPart call(std::string id, std::string name, std::string args) {
    ToolCallPart c;
    c.id = std::move(id);
    c.name = std::move(name);
    c.arguments = std::move(args);
    return c;
}
ToolResultPart result(std::string id, std::string text) {
    ToolResultPart r;
    r.call_id = std::move(id);
    r.content.push_back({TextPart{std::move(text), Json()}});
    return r;
}
Turn turn(Role role, std::vector<Part> parts) {
    return Turn{role, std::move(parts)};
}
TextPart text(std::string t) {
    return TextPart{std::move(t), Json()};
}

// ---- request decode: captures
// ----------------------------------------------------------------------

TEST(MessagesRequest, DecodesClaudeCodeTurn1) {
    Json capture = load_capture("claude-turn1.json");
    const Json& body = capture["body_json"];
    Losses losses;
    Request r = decode_ok(body, losses);
    EXPECT_EQ(r.model, "claude-opus-4-8");
    EXPECT_EQ(r.max_output_tokens, 64000);
    EXPECT_TRUE(r.stream);
    ASSERT_EQ(r.tools.size(), 24u);
    for (const Tool& t : r.tools) EXPECT_EQ(t.type, ToolType::Function) << t.name;
    EXPECT_EQ(r.tools[1].name, "Bash");
    EXPECT_TRUE(r.tools[1].parameters.is_object());
    // system blocks -> one leading System turn, one TextPart each, cache_control kept.
    ASSERT_GE(r.turns.size(), 3u);
    EXPECT_EQ(r.turns[0].role, Role::System);
    ASSERT_EQ(r.turns[0].parts.size(), body["system"].size());
    const auto& billing = std::get<TextPart>(r.turns[0].parts[0]);
    EXPECT_EQ(billing.text.rfind("x-anthropic-billing-header", 0), 0u);
    EXPECT_EQ(std::get<TextPart>(r.turns[0].parts[1]).extras,
              (Json{{"cache_control", {{"type", "ephemeral"}}}}));
    // messages[0] (user, 2 text blocks) then Claude Code's role:"system" message in place.
    EXPECT_EQ(r.turns[1].role, Role::User);
    ASSERT_EQ(r.turns[1].parts.size(), 2u);
    EXPECT_EQ(std::get<TextPart>(r.turns[1].parts[1]).extras["cache_control"]["type"], "ephemeral");
    EXPECT_EQ(r.turns[2].role, Role::System);
    EXPECT_EQ(std::get<TextPart>(r.turns[2].parts[0]).text.rfind("Available agent types", 0), 0u);
    // thinking adaptive + output_config.effort
    ASSERT_TRUE(r.reasoning);
    EXPECT_EQ(r.reasoning->enabled, true);
    EXPECT_FALSE(r.reasoning->budget_tokens);
    EXPECT_EQ(r.reasoning->effort, "high");
    EXPECT_EQ(r.user, body["metadata"]["user_id"].get<std::string>());
    EXPECT_TRUE(has_loss(losses, Code::LossUnknownField, "/context_management"))
        << describe_losses(losses);
    EXPECT_EQ(losses.size(), 1u) << describe_losses(losses);
}

TEST(MessagesRequest, DecodesClaudeCodeTurn2ToolLoop) {
    Json body = load_capture("claude-turn2.json")["body_json"];
    Losses losses;
    Request r = decode_ok(body, losses);
    ASSERT_EQ(r.turns.size(), 5u);  // system, user, system, assistant, tool
    const Turn& assistant = r.turns[3];
    EXPECT_EQ(assistant.role, Role::Assistant);
    ASSERT_EQ(assistant.parts.size(), 2u);
    EXPECT_EQ(std::get<TextPart>(assistant.parts[0]).text, "Running the harness command.");
    const auto& c = std::get<ToolCallPart>(assistant.parts[1]);
    EXPECT_EQ(c.id, "toolu_4apltgx60rmww1zu2m");
    EXPECT_EQ(c.name, "Bash");
    EXPECT_EQ(c.kind, ToolKind::Function);
    EXPECT_EQ(
        c.arguments,
        R"({"command":"echo HARNESS_OK > proof.txt","description":"Write harness proof file"})");
    const Turn& tool = r.turns[4];
    EXPECT_EQ(tool.role, Role::Tool);
    ASSERT_EQ(tool.parts.size(), 1u);
    const auto& res = std::get<ToolResultPart>(tool.parts[0]);
    EXPECT_EQ(res.call_id, "toolu_4apltgx60rmww1zu2m");
    EXPECT_FALSE(res.is_error);
    ASSERT_EQ(res.content.size(), 1u);
    EXPECT_EQ(std::get<TextPart>(res.content[0].value).text, "(Bash completed with no output)");
    EXPECT_EQ(res.extras, (Json{{"cache_control", {{"type", "ephemeral"}}}}));
}

TEST(MessagesRequest, DecodesThinkingBlockWithSignatureVerbatim) {
    Json body = load_capture("claude-thinking-turn2.json")["body_json"];
    Losses losses;
    Request r = decode_ok(body, losses);
    const Turn& assistant = r.turns[3];
    ASSERT_EQ(assistant.parts.size(), 3u);
    const auto& thinking = std::get<ReasoningPart>(assistant.parts[0]);
    EXPECT_EQ(thinking.origin, Protocol::Messages);
    EXPECT_EQ(thinking.text, "The user wants a proof file; a single shell command does it.");
    EXPECT_EQ(thinking.signature, "bW9jay1zaWduYXR1cmU6bXNnX3J3ZGtzNzI0YWRtd3cyMDI0cQ==");
    EXPECT_EQ(std::get<ToolCallPart>(assistant.parts[2]).id, "toolu_efcul26udqmww2024q");
}

TEST(MessagesRequest, DecodesSdkRequestWithStringContent) {
    Json body = load_capture("sdk-anthropic-messages-turn1.json")["body_json"];
    Losses losses;
    Request r = decode_ok(body, losses);
    EXPECT_EQ(r.model, "claude-mock");
    EXPECT_EQ(r.max_output_tokens, 256);
    ASSERT_EQ(r.turns.size(), 1u);
    EXPECT_EQ(std::get<TextPart>(r.turns[0].parts[0]).text, "make proof");
    ASSERT_EQ(r.tools.size(), 1u);
    EXPECT_EQ(r.tools[0].name, "Bash");
    EXPECT_FALSE(r.reasoning);
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
}

TEST(MessagesRequest, CaptureReencodesToTheSameRequest) {
    for (const char* name : kClaudeCaptures) {
        SCOPED_TRACE(name);
        Json body = load_capture(name)["body_json"];
        Losses losses;
        Request r = decode_ok(body, losses);
        Json encoded = test::encode_messages_json(r, losses);
        for (const char* key :
             {"model", "max_tokens", "tools", "thinking", "output_config", "metadata", "stream"}) {
            EXPECT_EQ(encoded.contains(key), body.contains(key)) << key;
            if (body.contains(key)) {
                EXPECT_EQ(encoded[key], body[key]) << key;
            }
        }
        // Messages come back block for block, except Claude Code's in-conversation system
        // messages, which are hoisted into `system` (strict upstreams reject them).
        Json expected_messages = Json::array();
        Json expected_system = body.contains("system") ? body["system"] : Json::array();
        for (const Json& m : body["messages"]) {
            Json content = m["content"];
            if (content.is_string()) content = Json::array({{{"type", "text"}, {"text", content}}});
            // is_error:false is the default; the encoder writes is_error only when true.
            for (Json& block : content) {
                if (block.value("is_error", true) == false) block.erase("is_error");
            }
            if (m["role"] == "system") {
                for (const Json& b : content) expected_system.push_back(b);
            } else {
                expected_messages.push_back({{"role", m["role"]}, {"content", content}});
            }
        }
        EXPECT_EQ(encoded["messages"], expected_messages);
        if (!expected_system.empty()) {
            EXPECT_EQ(encoded["system"], expected_system);
        }
        // Encoding is idempotent through the canonical model.
        Losses again;
        Request r2 = decode_ok(encoded, again);
        EXPECT_EQ(test::encode_messages_json(r2, again), encoded);
    }
}

TEST(MessagesRequest, ClaudeCodeSystemMessageIsHoistedWithLoss) {
    Json body = load_capture("claude-turn1.json")["body_json"];
    Losses losses;
    Request r = decode_ok(body, losses);
    losses.clear();
    Json encoded = test::encode_messages_json(r, losses);
    for (const Json& m : encoded["messages"]) EXPECT_NE(m["role"], "system");
    const Loss* hoisted = find_loss(losses, Code::LossValueMapped);
    ASSERT_NE(hoisted, nullptr) << describe_losses(losses);
    EXPECT_EQ(hoisted->pointer, "/turns/2");
    EXPECT_EQ(hoisted->severity, Severity::Info);
}

// A canonical request using everything Messages can carry survives encode -> decode unchanged.
Request rich_request() {
    Request r;
    r.model = "claude-x";
    r.max_output_tokens = 4096;
    TextPart cached{"be brief", Json{{"cache_control", {{"type", "ephemeral"}}}}};
    r.turns.push_back(turn(Role::System, {text("you are a test"), cached}));
    ImagePart png;
    png.media_type = "image/png";
    png.data_base64 = "iVBORw0KGgo=";
    ImagePart url;
    url.url = "https://example.com/cat.jpg";
    r.turns.push_back(turn(Role::User, {text("look"), png, url}));
    ReasoningPart thinking;
    thinking.origin = Protocol::Messages;
    thinking.text = "hmm";
    thinking.signature = "c2ln";
    ReasoningPart redacted;
    redacted.origin = Protocol::Messages;
    redacted.redacted_data = "EncryptedBlob==";
    r.turns.push_back(turn(Role::Assistant, {thinking, redacted, text("calling"),
                                             call("toolu_1", "Bash", R"({"command":"ls"})"),
                                             call("toolu_2", "Read", R"({"path":"a.txt"})")}));
    ToolResultPart failed = result("toolu_2", "no such file");
    failed.is_error = true;
    failed.content.push_back({url});
    failed.extras = Json{{"cache_control", {{"type", "ephemeral"}}}};
    r.turns.push_back(turn(Role::Tool, {result("toolu_1", "a.txt")}));
    r.turns.push_back(turn(Role::Tool, {failed}));
    r.turns.push_back(turn(Role::User, {text("and now?")}));
    Tool bash;
    bash.name = "Bash";
    bash.description = "run";
    bash.parameters = Json{{"type", "object"}, {"properties", {{"command", {{"type", "string"}}}}}};
    bash.strict = true;
    bash.extras = Json{{"cache_control", {{"type", "ephemeral"}}}};
    Tool read;
    read.name = "Read";
    read.parameters = Json{{"type", "object"}};
    Tool search;
    search.type = ToolType::Hosted;
    search.name = "web_search";
    search.hosted = {{"type", "web_search_20250305"}, {"name", "web_search"}, {"max_uses", 3}};
    r.tools = {bash, read, search};
    r.tool_choice = ToolChoice{ToolChoice::Mode::Named, "Bash"};
    r.parallel_tool_calls = false;
    r.stop = {"END", "STOP"};
    r.temperature = 0.5;
    r.top_p = 0.9;
    r.top_k = 40;
    r.stream = true;
    r.user = "user-1";
    ReasoningConfig rc;
    rc.enabled = true;
    rc.budget_tokens = 2048;
    rc.effort = "medium";
    r.reasoning = rc;
    r.response_format = {{"type", "json_schema"}, {"schema", {{"type", "object"}}}};
    return r;
}

// A Json request may nest deeper than a translated body (kJsonMaxDepth, not 128); the schema the
// model kept as text must still reach a Messages upstream, which reads it back.
TEST(MessagesRequest, DeepToolSchemaOfAJsonRequestReachesTheMessagesBody) {
    Json nested = Json::object();
    for (int i = 0; i < 200; ++i) nested = Json{{"a", std::move(nested)}};
    Json body = {{"model", "m"},
                 {"messages", Json::array({{{"role", "user"}, {"content", "x"}}})},
                 {"tools", Json::array({{{"type", "function"},
                                         {"function",
                                          {{"name", "f"},
                                           {"parameters",
                                            {{"type", "object"}, {"properties", nested}}}}}}})}};
    Losses losses;
    auto request = decode_request(Protocol::Chat, body, losses);
    ASSERT_TRUE(request.ok()) << request.error().to_string();
    std::string text = encode_messages_request(*request, losses);
    auto out = parse_json(text, JsonLimits{text.size(), kJsonMaxDepth});
    ASSERT_TRUE(out.ok()) << out.error().to_string();
    EXPECT_EQ((*out)["tools"][0]["input_schema"]["properties"], nested);
}

TEST(MessagesRequest, RichCanonicalRequestRoundTrips) {
    Request original = rich_request();
    Losses losses;
    Json wire = test::encode_messages_json(original, losses);
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
    ASSERT_EQ(wire["messages"].size(), 3u);  // user, assistant, user(tool_result x2 + text)
    Losses back_losses;
    Request back = decode_ok(wire, back_losses);
    EXPECT_TRUE(back_losses.empty()) << describe_losses(back_losses);
    EXPECT_EQ(canon(back), canon(original));
}

TEST(MessagesRequest, ThinkingConfigsRoundTrip) {
    for (Json thinking : {Json{{"type", "enabled"}, {"budget_tokens", 5000}},
                          Json{{"type", "adaptive"}}, Json{{"type", "disabled"}}}) {
        Json body = {{"model", "m"},
                     {"max_tokens", 9000},
                     {"messages", Json::array()},
                     {"thinking", thinking}};
        Losses losses;
        Request r = decode_ok(body, losses);
        Json again = test::encode_messages_json(r, losses);
        EXPECT_EQ(again["thinking"], thinking);
        EXPECT_TRUE(losses.empty()) << describe_losses(losses);
    }
    // Effort without thinking: Anthropic does not think, and the canonical model says so.
    Json body = {{"model", "m"},
                 {"max_tokens", 100},
                 {"messages", Json::array()},
                 {"output_config", {{"effort", "low"}}}};
    Losses losses;
    Request r = decode_ok(body, losses);
    ASSERT_TRUE(r.reasoning);
    EXPECT_EQ(r.reasoning->enabled, false);
    EXPECT_EQ(test::encode_messages_json(r, losses), body);
}

TEST(MessagesRequest, UserTextBeforeToolResultIsPlacedAfterTheResults) {
    Json body = {{"model", "m"},
                 {"messages",
                  {{{"role", "user"},
                    {"content",
                     {{{"type", "text"}, {"text", "note"}},
                      {{"type", "tool_result"}, {"tool_use_id", "t1"}},
                      {{"type", "tool_result"}, {"tool_use_id", "t2"}, {"content", "two"}}}}}}}};
    Losses losses;
    Request r = decode_ok(body, losses);
    ASSERT_EQ(r.turns.size(), 3u);
    EXPECT_EQ(r.turns[0].role, Role::Tool);
    EXPECT_EQ(std::get<ToolResultPart>(r.turns[0].parts[0]).call_id, "t1");
    EXPECT_TRUE(std::get<ToolResultPart>(r.turns[0].parts[0]).content.empty());
    EXPECT_EQ(r.turns[1].role, Role::Tool);
    EXPECT_EQ(r.turns[2].role, Role::User);
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/messages/0/content/1"))
        << describe_losses(losses);
}

TEST(MessagesRequest, UnrepresentableBlocksAreDroppedWithLoss) {
    Json body = {{"model", "m"},
                 {"messages",
                  {{{"role", "user"},
                    {"content",
                     {{{"type", "document"}, {"source", {{"type", "text"}, {"data", "x"}}}},
                      {{"type", "text"}, {"text", "hi"}}}}},
                   {{"role", "assistant"},
                    {"content",
                     {{{"type", "server_tool_use"}, {"id", "srvtoolu_1"}, {"name", "web_search"}},
                      {{"type", "web_search_tool_result"}, {"tool_use_id", "srvtoolu_1"}},
                      {{"type", "text"}, {"text", "found"}}}}}}},
                 {"service_tier", "auto"}};
    Losses losses;
    Request r = decode_ok(body, losses);
    EXPECT_EQ(r.turns[0].parts.size(), 1u);
    EXPECT_EQ(r.turns[1].parts.size(), 1u);
    EXPECT_TRUE(has_loss(losses, Code::LossPartDropped, "/messages/0/content/0"));
    EXPECT_TRUE(has_loss(losses, Code::LossPartDropped, "/messages/1/content/0"));
    EXPECT_TRUE(has_loss(losses, Code::LossPartDropped, "/messages/1/content/1"));
    EXPECT_TRUE(has_loss(losses, Code::LossUnknownField, "/service_tier"));
}

TEST(MessagesRequest, AnthropicServerToolsStayOpaqueAndRoundTrip) {
    Json tool = {{"type", "bash_20250124"}, {"name", "bash"}};
    Json body = {
        {"model", "m"},
        {"max_tokens", 10},
        {"messages", Json::array()},
        {"tools",
         {tool, {{"type", "custom"}, {"name", "f"}, {"input_schema", {{"type", "object"}}}}}}};
    Losses losses;
    Request r = decode_ok(body, losses);
    ASSERT_EQ(r.tools.size(), 2u);
    EXPECT_EQ(r.tools[0].type, ToolType::Hosted);
    EXPECT_EQ(r.tools[0].name, "bash");
    EXPECT_EQ(r.tools[1].type, ToolType::Function);
    Json wire = test::encode_messages_json(r, losses);
    EXPECT_EQ(wire["tools"][0], tool);
    EXPECT_EQ(wire["tools"][1], (Json{{"name", "f"}, {"input_schema", {{"type", "object"}}}}));
}

// ---- request encode: edge cases (peers.md §2)
// ------------------------------------------------------

TEST(MessagesEdgeCase, EmptyTextBlocksAreNeverSent) {  // edge case 10
    Request r;
    r.model = "m";
    r.turns.push_back(turn(Role::User, {text(""), text("hi")}));
    r.turns.push_back(turn(Role::Assistant, {text(""), call("t1", "Bash", "{}")}));
    r.turns.push_back(turn(Role::Tool, {result("t1", "")}));
    r.turns.push_back(turn(Role::User, {text("")}));
    r.turns.push_back(turn(Role::Assistant, {text("")}));  // would become an empty message
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    std::string dumped = wire.dump();
    EXPECT_EQ(dumped.find(R"("text":"")"), std::string::npos) << dumped;
    ASSERT_EQ(wire["messages"].size(), 3u) << dumped;
    EXPECT_EQ(wire["messages"][2]["content"].size(), 1u);  // only the tool_result
    EXPECT_FALSE(wire["messages"][2]["content"][0].contains("content"));
    EXPECT_TRUE(has_loss(losses, Code::LossPartDropped, "/turns/0/parts/0"))
        << describe_losses(losses);
    EXPECT_TRUE(has_loss(losses, Code::LossPartDropped, "/turns/4/parts/0"));
}

TEST(MessagesEdgeCase, ToolResultsMergeIntoTheNextUserMessage) {  // edge case 11
    Request r;
    r.model = "m";
    r.max_output_tokens = 100;
    r.turns.push_back(turn(Role::User, {text("do two things")}));
    r.turns.push_back(turn(Role::Assistant, {call("a", "Bash", "{}"), call("b", "Bash", "{}")}));
    r.turns.push_back(turn(Role::Tool, {result("a", "one")}));
    r.turns.push_back(turn(Role::Tool, {result("b", "two")}));
    r.turns.push_back(turn(Role::User, {text("thanks")}));
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    ASSERT_EQ(wire["messages"].size(), 3u) << wire.dump();
    const Json& user = wire["messages"][2];
    EXPECT_EQ(user["role"], "user");
    ASSERT_EQ(user["content"].size(), 3u);
    EXPECT_EQ(user["content"][0]["tool_use_id"], "a");
    EXPECT_EQ(user["content"][1]["tool_use_id"], "b");
    EXPECT_EQ(user["content"][2], (Json{{"type", "text"}, {"text", "thanks"}}));
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
}

TEST(MessagesEdgeCase, UserTextBeforeToolResultsNeverPrecedesThem) {  // edge case 11
    Request r;
    r.model = "m";
    r.turns.push_back(turn(Role::Assistant, {call("a", "Bash", "{}")}));
    r.turns.push_back(turn(Role::User, {text("interjection")}));
    r.turns.push_back(turn(Role::Tool, {result("a", "one")}));
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    ASSERT_EQ(wire["messages"].size(), 2u);
    EXPECT_EQ(wire["messages"][1]["content"][0]["type"], "tool_result");
    EXPECT_EQ(wire["messages"][1]["content"][1]["type"], "text");
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/turns/2"));
}

TEST(MessagesEdgeCase, ConsecutiveSameRoleTurnsAlternate) {
    Request r;
    r.model = "m";
    r.turns.push_back(turn(Role::User, {text("a")}));
    r.turns.push_back(turn(Role::User, {text("b")}));
    r.turns.push_back(turn(Role::Assistant, {text("c")}));
    r.turns.push_back(turn(Role::Assistant, {call("t", "Bash", "{}")}));
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    ASSERT_EQ(wire["messages"].size(), 2u);
    EXPECT_EQ(wire["messages"][0]["content"].size(), 2u);
    EXPECT_EQ(wire["messages"][1]["content"].size(), 2u);
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/turns/1"));
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/turns/3"));
}

TEST(MessagesEdgeCase, ToolIdsFromKimiAndDeepSeekAreSanitisedConsistently) {  // edge case 1
    Request r;
    r.model = "m";
    r.turns.push_back(turn(Role::Assistant, {call("functions.Bash:0", "Bash", "{}"),
                                             call("functions.Bash:1", "Bash", "{}"),
                                             call("call_ok-1", "Bash", "{}")}));
    r.turns.push_back(turn(Role::Tool, {result("functions.Bash:0", "x")}));
    r.turns.push_back(turn(Role::Tool, {result("functions.Bash:1", "y")}));
    r.turns.push_back(turn(Role::Tool, {result("call_ok-1", "z")}));
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    const Json& uses = wire["messages"][0]["content"];
    const Json& results = wire["messages"][1]["content"];
    for (std::size_t i = 0; i < 3; ++i) {
        std::string id = uses[i]["id"];
        EXPECT_TRUE(matches_id_charset(id)) << id;
        EXPECT_EQ(results[i]["tool_use_id"], id);
    }
    EXPECT_NE(uses[0]["id"], uses[1]["id"]);
    EXPECT_EQ(uses[0]["id"].get<std::string>().rfind("functions_Bash_0_", 0), 0u);
    EXPECT_EQ(uses[2]["id"], "call_ok-1");  // valid ids are untouched
    EXPECT_TRUE(has_loss(losses, Code::LossIdRewritten, "/turns/0/parts/0/id"));
    EXPECT_TRUE(has_loss(losses, Code::LossIdRewritten, "/turns/1/parts/0/call_id"));
}

TEST(MessagesEdgeCase, IdSanitisingKeepsDistinctIdsDistinct) {  // edge case 1
    std::set<std::string> seen;
    for (const char* id : {"a.b", "a_b", "a:b", "a b", "", "é"}) {
        ToolCallPart c = call(id, "f", "{}");
        Request r;
        r.model = "m";
        r.turns.push_back(turn(Role::Assistant, {c}));
        Losses losses;
        std::string wire = test::encode_messages_json(r, losses)["messages"][0]["content"][0]["id"];
        EXPECT_TRUE(matches_id_charset(wire)) << wire;
        EXPECT_TRUE(seen.insert(wire).second) << id << " -> " << wire;
    }
}

TEST(MessagesEdgeCase, ToolNamesFitTheMessagesCharset) {  // edge case 3
    Request r;
    r.model = "m";
    Tool ns;
    ns.name = "read_file";
    ns.name_space = "mcp_fs";
    Tool dotted;
    dotted.name = "files.read";
    Tool longname;
    longname.name = std::string(80, 'x');
    Tool plain;
    plain.name = "exec_command";
    plain.name_space = "functions";  // Codex's default namespace adds no prefix
    r.tools = {ns, dotted, longname, plain};
    ToolCallPart c = call("t", "read_file", "{}");
    c.name_space = "mcp_fs";
    r.turns.push_back(turn(Role::Assistant, {c, call("u", "files.read", "{}")}));
    r.tool_choice = ToolChoice{ToolChoice::Mode::Named, "files.read"};
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    std::regex name_re("^[a-zA-Z0-9_-]{1,64}$");
    for (const Json& t : wire["tools"]) {
        EXPECT_TRUE(std::regex_match(t["name"].get<std::string>(), name_re)) << t["name"];
    }
    EXPECT_EQ(wire["tools"][0]["name"], "mcp_fs__read_file");
    EXPECT_EQ(wire["tools"][3]["name"], "exec_command");
    EXPECT_EQ(wire["messages"][0]["content"][0]["name"], "mcp_fs__read_file");
    EXPECT_EQ(wire["messages"][0]["content"][1]["name"], wire["tools"][1]["name"]);
    EXPECT_EQ(wire["tool_choice"]["name"], wire["tools"][1]["name"]);
    EXPECT_TRUE(has_loss(losses, Code::LossNamespaceFlattened, "/tools/0/name"));
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/tools/2/name"));
}

TEST(MessagesEdgeCase, ForeignReasoningIsNeverForgedAsThinking) {  // edge cases 12, 29
    ReasoningPart openai;
    openai.origin = Protocol::Responses;
    openai.summary = {"thought"};
    openai.encrypted_content = "gAAAA";
    ReasoningPart deepseek;
    deepseek.origin = Protocol::Chat;
    deepseek.text = "let me think";
    ReasoningPart unsigned_own;
    unsigned_own.origin = Protocol::Messages;
    unsigned_own.text = "no signature";
    Request r;
    r.model = "m";
    r.turns.push_back(turn(Role::Assistant, {openai, deepseek, unsigned_own, text("done")}));
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    ASSERT_EQ(wire["messages"][0]["content"].size(), 1u) << wire.dump();
    EXPECT_EQ(wire["messages"][0]["content"][0]["type"], "text");
    EXPECT_TRUE(has_loss(losses, Code::LossForeignSignature, "/turns/0/parts/0"));
    EXPECT_TRUE(has_loss(losses, Code::LossReasoningDropped, "/turns/0/parts/1"));
    EXPECT_TRUE(has_loss(losses, Code::LossReasoningDropped, "/turns/0/parts/2"));
}

TEST(MessagesEdgeCase, SignatureOnlyThinkingBlocksAreStillSentBack) {  // edge case 13
    ReasoningPart omitted;
    omitted.origin = Protocol::Messages;
    omitted.signature = "EqQBCkYIARgCKkA";
    Request r;
    r.model = "m";
    r.max_output_tokens = 100;
    r.turns.push_back(turn(Role::Assistant, {omitted, call("t", "Bash", "{}")}));
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    EXPECT_EQ(wire["messages"][0]["content"][0],
              (Json{{"type", "thinking"}, {"thinking", ""}, {"signature", "EqQBCkYIARgCKkA"}}));
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
}

TEST(MessagesEdgeCase, MaxTokensIsAlwaysWritten) {  // protocols.md §4: required
    Request r;
    r.model = "m";
    Losses losses;
    EXPECT_EQ(test::encode_messages_json(r, losses)["max_tokens"], 8192);
    ASSERT_TRUE(has_loss(losses, Code::LossDefaultApplied, "/max_output_tokens"));
    EXPECT_EQ(find_loss(losses, Code::LossDefaultApplied)->severity, Severity::Info);
    EncodeOptions options;
    options.default_max_tokens = 1000;
    EXPECT_EQ(test::encode_messages_json(r, losses, options)["max_tokens"], 1000);
    r.max_output_tokens = 77;
    Losses none;
    EXPECT_EQ(test::encode_messages_json(r, none)["max_tokens"], 77);
    EXPECT_TRUE(none.empty());
}

TEST(MessagesEdgeCase, ToolChoiceAnyIsRequiredBothWays) {  // edge case 24
    auto wire_choice = [](ToolChoice::Mode mode, std::optional<bool> parallel = std::nullopt) {
        Request r;
        r.model = "m";
        r.tool_choice = ToolChoice{mode, mode == ToolChoice::Mode::Named ? "Bash" : ""};
        r.parallel_tool_calls = parallel;
        Losses losses;
        return test::encode_messages_json(r, losses)["tool_choice"];
    };
    EXPECT_EQ(wire_choice(ToolChoice::Mode::Required), (Json{{"type", "any"}}));
    EXPECT_EQ(wire_choice(ToolChoice::Mode::Auto), (Json{{"type", "auto"}}));
    EXPECT_EQ(wire_choice(ToolChoice::Mode::None), (Json{{"type", "none"}}));
    EXPECT_EQ(wire_choice(ToolChoice::Mode::Named, false),
              (Json{{"type", "tool"}, {"name", "Bash"}, {"disable_parallel_tool_use", true}}));
    Request no_choice;
    no_choice.model = "m";
    no_choice.parallel_tool_calls = false;
    Losses losses;
    EXPECT_EQ(test::encode_messages_json(no_choice, losses)["tool_choice"],
              (Json{{"type", "auto"}, {"disable_parallel_tool_use", true}}));

    Json body = {{"model", "m"}, {"messages", Json::array()}, {"tool_choice", {{"type", "any"}}}};
    Request r = decode_ok(body, losses);
    EXPECT_EQ(r.tool_choice->mode, ToolChoice::Mode::Required);
    // Cursor's nameless {type:"tool"} means "use a tool".
    body["tool_choice"] = {{"type", "tool"}};
    Losses cursor;
    r = decode_ok(body, cursor);
    EXPECT_EQ(r.tool_choice->mode, ToolChoice::Mode::Required);
    EXPECT_TRUE(has_loss(cursor, Code::LossValueMapped, "/tool_choice"));
}

TEST(MessagesEdgeCase, DeveloperAndMidConversationSystemTurnsAreHoisted) {
    Request r;
    r.model = "m";
    r.turns.push_back(turn(Role::Developer, {text("rules")}));
    r.turns.push_back(turn(Role::User, {text("hi")}));
    r.turns.push_back(turn(Role::System, {text("late rule")}));
    r.turns.push_back(turn(Role::Assistant, {text("ok")}));
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    EXPECT_EQ(wire["system"], (Json::array({{{"type", "text"}, {"text", "rules"}},
                                            {{"type", "text"}, {"text", "late rule"}}})));
    EXPECT_EQ(wire["messages"].size(), 2u);
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/turns/0"));
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/turns/2"));
}

TEST(MessagesEdgeCase, CustomToolsTravelAsFunctionsWithInput) {  // edge case 27 (the way back)
    Request r;
    r.model = "m";
    Tool patch;
    patch.type = ToolType::Custom;
    patch.name = "apply_patch";
    patch.format = {{"type", "grammar"}, {"syntax", "lark"}, {"definition", "start: x"}};
    r.tools = {patch};
    ToolCallPart c = call("call_1", "apply_patch", "*** Begin Patch\n\"quoted\"\n*** End Patch");
    c.kind = ToolKind::Custom;
    r.turns.push_back(turn(Role::Assistant, {c}));
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    EXPECT_EQ(wire["tools"][0]["input_schema"],
              (Json{{"type", "object"},
                    {"properties", {{"input", {{"type", "string"}}}}},
                    {"required", {"input"}}}));
    EXPECT_EQ(wire["messages"][0]["content"][0]["input"],
              (Json{{"input", "*** Begin Patch\n\"quoted\"\n*** End Patch"}}));
    EXPECT_TRUE(has_loss(losses, Code::LossCustomToolAsFunction, "/tools/0"));
    EXPECT_TRUE(has_loss(losses, Code::LossCustomToolAsFunction, "/turns/0/parts/0"));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/tools/0/format"));
}

TEST(MessagesEdgeCase, OpenAIHostedToolsAreDroppedWithLoss) {  // edge case 28
    Request r;
    r.model = "m";
    Tool shell;
    shell.type = ToolType::Hosted;
    shell.hosted = {{"type", "local_shell"}};
    r.tools = {shell};
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    EXPECT_FALSE(wire.contains("tools"));
    EXPECT_TRUE(has_loss(losses, Code::LossToolDropped, "/tools/0"));
}

TEST(MessagesEdgeCase, UnparsableArgumentsBecomeEmptyInputWithError) {
    Request r;
    r.model = "m";
    r.turns.push_back(turn(Role::Assistant, {call("t1", "Bash", "{\"command\": \"ls"),
                                             call("t2", "Bash", "[1,2]"), call("t3", "Bash", "")}));
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(wire["messages"][0]["content"][i]["input"], Json::object());
    }
    ASSERT_TRUE(has_loss(losses, Code::LossValueMapped, "/turns/0/parts/0/arguments"));
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/turns/0/parts/1/arguments"));
    EXPECT_FALSE(has_loss(losses, Code::LossValueMapped, "/turns/0/parts/2/arguments"));
    EXPECT_EQ(find_loss(losses, Code::LossValueMapped)->severity, Severity::Error);
}

TEST(MessagesEdgeCase, OpenAIEffortBecomesAClampedThinkingBudget) {
    Request r;
    r.model = "m";
    ReasoningConfig rc;
    rc.effort = "high";
    r.reasoning = rc;
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);  // default max_tokens 8192
    EXPECT_EQ(wire["thinking"], (Json{{"type", "enabled"}, {"budget_tokens", 8191}}));
    EXPECT_FALSE(wire.contains("output_config"));
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/reasoning/effort"));
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/reasoning/budget_tokens"));
    r.max_output_tokens = 1000;  // too small to think
    Losses small;
    EXPECT_FALSE(test::encode_messages_json(r, small).contains("thinking"));
    EXPECT_TRUE(has_loss(small, Code::LossFieldDropped, "/reasoning"));
    r.reasoning->effort = "none";
    Losses none;
    EXPECT_FALSE(test::encode_messages_json(r, none).contains("thinking"));
}

TEST(MessagesEdgeCase, OpenAIMetadataAndJsonObjectFormatAreReported) {
    Request r;
    r.model = "m";
    r.metadata = {{"trace", "1"}};
    r.response_format = {{"type", "json_object"}};
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    EXPECT_FALSE(wire.contains("metadata"));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/metadata"));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/response_format"));
}

TEST(MessagesEdgeCase, ForeignAttachmentsNeverLeakToStrictUpstreams) {  // edge case 22
    Request r;
    r.model = "m";
    r.max_output_tokens = 10;
    TextPart annotated{"see [1]", Json{{"annotations", {{{"type", "url_citation"}}}},
                                       {"cache_control", {{"type", "ephemeral"}}}}};
    TextPart empty_annotations{"plain", Json{{"annotations", Json::array()}}};
    r.turns.push_back(turn(Role::Assistant, {annotated, empty_annotations}));
    Losses losses;
    Json wire = test::encode_messages_json(r, losses);
    EXPECT_EQ(
        wire["messages"][0]["content"][0],
        (Json{{"type", "text"}, {"text", "see [1]"}, {"cache_control", {{"type", "ephemeral"}}}}));
    EXPECT_EQ(wire["messages"][0]["content"][1], (Json{{"type", "text"}, {"text", "plain"}}));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/turns/0/parts/0/extras/annotations"))
        << describe_losses(losses);
    EXPECT_EQ(losses.size(), 1u) << describe_losses(losses);

    // Unknown keys on Messages blocks and tools are reported, not stored or replayed.
    Json body = {
        {"model", "m"},
        {"messages",
         {{{"role", "user"}, {"content", {{{"type", "text"}, {"text", "hi"}, {"x_trace", 1}}}}}}},
        {"tools",
         {{{"name", "f"},
           {"input_schema", {{"type", "object"}}},
           {"x_tag", "a"},
           {"cache_control", {{"type", "ephemeral"}}}}}}};
    Losses decoded;
    Request back = decode_ok(body, decoded);
    EXPECT_TRUE(has_loss(decoded, Code::LossUnknownField, "/messages/0/content/0/x_trace"));
    EXPECT_TRUE(has_loss(decoded, Code::LossUnknownField, "/tools/0/x_tag"));
    EXPECT_EQ(back.tools[0].extras, (Json{{"cache_control", {{"type", "ephemeral"}}}}));
    EXPECT_TRUE(std::get<TextPart>(back.turns[0].parts[0]).extras.is_null());
}

// ---- request decode errors
// -------------------------------------------------------------------------

Json minimal_body() {
    return {
        {"model", "m"},
        {"max_tokens", 10},
        {"messages",
         {{{"role", "user"}, {"content", "hi"}},
          {{"role", "assistant"},
           {"content",
            {{{"type", "tool_use"}, {"id", "t"}, {"name", "f"}, {"input", Json::object()}}}}},
          {{"role", "user"},
           {"content", {{{"type", "tool_result"}, {"tool_use_id", "t"}, {"content", "ok"}}}}}}}};
}

TEST(MessagesRequestErrors, SpecificCodesAndPointers) {
    struct Case {
        const char* what;
        std::function<void(Json&)> edit;
        Code code;
        const char* pointer;
    };
    const Case cases[] = {
        {"model missing", [](Json& b) { b.erase("model"); }, Code::JsonMissingField, "/model"},
        {"model number", [](Json& b) { b["model"] = 3; }, Code::JsonWrongType, "/model"},
        {"messages missing", [](Json& b) { b.erase("messages"); }, Code::JsonMissingField,
         "/messages"},
        {"messages object", [](Json& b) { b["messages"] = Json::object(); }, Code::JsonWrongType,
         "/messages"},
        {"role number", [](Json& b) { b["messages"][0]["role"] = 1; }, Code::JsonWrongType,
         "/messages/0/role"},
        {"role unknown", [](Json& b) { b["messages"][0]["role"] = "robot"; }, Code::JsonUnknownType,
         "/messages/0/role"},
        {"content missing", [](Json& b) { b["messages"][0].erase("content"); },
         Code::JsonMissingField, "/messages/0/content"},
        {"content number", [](Json& b) { b["messages"][0]["content"] = 5; }, Code::JsonWrongType,
         "/messages/0/content"},
        {"block type unknown", [](Json& b) { b["messages"][1]["content"][0]["type"] = "bogus"; },
         Code::JsonUnknownType, "/messages/1/content/0/type"},
        {"block type missing", [](Json& b) { b["messages"][1]["content"][0].erase("type"); },
         Code::JsonMissingField, "/messages/1/content/0/type"},
        {"tool_use input string", [](Json& b) { b["messages"][1]["content"][0]["input"] = "{}"; },
         Code::JsonWrongType, "/messages/1/content/0/input"},
        {"tool_use id missing", [](Json& b) { b["messages"][1]["content"][0].erase("id"); },
         Code::JsonMissingField, "/messages/1/content/0/id"},
        {"tool_result content number",
         [](Json& b) { b["messages"][2]["content"][0]["content"] = 1; }, Code::JsonWrongType,
         "/messages/2/content/0/content"},
        {"tool_result inner type",
         [](Json& b) {
             b["messages"][2]["content"][0]["content"] = {{{"type", "video"}}};
         },
         Code::JsonUnknownType, "/messages/2/content/0/content/0/type"},
        {"is_error string", [](Json& b) { b["messages"][2]["content"][0]["is_error"] = "yes"; },
         Code::JsonWrongType, "/messages/2/content/0/is_error"},
        {"max_tokens string", [](Json& b) { b["max_tokens"] = "many"; }, Code::JsonWrongType,
         "/max_tokens"},
        {"system block image",
         [](Json& b) {
             b["system"] = {{{"type", "image"}}};
         },
         Code::JsonUnknownType, "/system/0/type"},
        {"system number", [](Json& b) { b["system"] = 1; }, Code::JsonWrongType, "/system"},
        {"tools object", [](Json& b) { b["tools"] = Json::object(); }, Code::JsonWrongType,
         "/tools"},
        {"tool name missing",
         [](Json& b) {
             b["tools"] = {{{"input_schema", Json::object()}}};
         },
         Code::JsonMissingField, "/tools/0/name"},
        {"tool schema string",
         [](Json& b) {
             b["tools"] = {{{"name", "f"}, {"input_schema", "x"}}};
         },
         Code::JsonWrongType, "/tools/0/input_schema"},
        {"tool_choice type",
         [](Json& b) {
             b["tool_choice"] = {{"type", "sometimes"}};
         },
         Code::JsonUnknownType, "/tool_choice/type"},
        {"thinking type",
         [](Json& b) {
             b["thinking"] = {{"type", "maybe"}};
         },
         Code::JsonUnknownType, "/thinking/type"},
        {"budget string",
         [](Json& b) {
             b["thinking"] = {{"type", "enabled"}, {"budget_tokens", "lots"}};
         },
         Code::JsonWrongType, "/thinking/budget_tokens"},
        {"stop_sequences item",
         [](Json& b) {
             b["stop_sequences"] = {"a", 2};
         },
         Code::JsonWrongType, "/stop_sequences/1"},
        {"image source type",
         [](Json& b) {
             b["messages"][0]["content"] = {{{"type", "image"}, {"source", {{"type", "ftp"}}}}};
         },
         Code::JsonUnknownType, "/messages/0/content/0/source/type"},
        {"image data missing",
         [](Json& b) {
             b["messages"][0]["content"] = {{{"type", "image"}, {"source", {{"type", "base64"}}}}};
         },
         Code::JsonMissingField, "/messages/0/content/0/source/data"},
    };
    Losses losses;
    decode_ok(minimal_body(), losses);
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        Json body = minimal_body();
        c.edit(body);
        Error e = decode_err(body);
        EXPECT_EQ(code_name(e.code), code_name(c.code)) << e.to_string();
        EXPECT_EQ(e.pointer, c.pointer) << e.to_string();
        EXPECT_FALSE(e.message.empty());
    }
    Error e = decode_err(Json::array());
    EXPECT_EQ(e.code, Code::JsonWrongType);
    EXPECT_EQ(e.pointer, "");
    EXPECT_EQ(e.message, "expected an object, got array");
}

// ---- responses
// ------------------------------------------------------------------------------------

Json sample_response() {
    return {{"id", "msg_01"},
            {"type", "message"},
            {"role", "assistant"},
            {"model", "claude-x"},
            {"content",
             {{{"type", "thinking"}, {"thinking", "plan"}, {"signature", "sig=="}},
              {{"type", "redacted_thinking"}, {"data", "blob"}},
              {{"type", "text"}, {"text", "Running."}},
              {{"type", "tool_use"},
               {"id", "toolu_9"},
               {"name", "Bash"},
               {"input", {{"command", "ls"}}}}}},
            {"stop_reason", "tool_use"},
            {"stop_sequence", nullptr},
            {"usage",
             {{"input_tokens", 10},
              {"output_tokens", 30},
              {"cache_creation_input_tokens", 5},
              {"cache_read_input_tokens", 100}}}};
}

TEST(MessagesResponse, DecodesAndReencodesExactly) {
    Losses losses;
    Result<Response> r = decode_messages_response(sample_response(), losses);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(r->id, "msg_01");
    ASSERT_EQ(r->output.size(), 4u);
    EXPECT_EQ(std::get<ReasoningPart>(r->output[0]).signature, "sig==");
    EXPECT_EQ(std::get<ReasoningPart>(r->output[1]).redacted_data, "blob");
    EXPECT_EQ(std::get<ToolCallPart>(r->output[3]).arguments, R"({"command":"ls"})");
    EXPECT_EQ(r->stop_reason, StopReason::ToolUse);
    EXPECT_EQ(encode_messages_response(*r, losses), sample_response());
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
}

TEST(MessagesResponse, CacheTokensAreCountedOnceBothWays) {  // edge case 21
    Losses losses;
    Result<Response> r = decode_messages_response(sample_response(), losses);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->usage->input, 115);  // 10 + 100 read + 5 written
    EXPECT_EQ(r->usage->cache_read, 100);
    EXPECT_EQ(r->usage->cache_write, 5);
    EXPECT_EQ(r->usage->output, 30);
    Response openai;
    openai.id = "msg_2";
    openai.usage = Usage{50, 7, 3, 80, 0};  // inconsistent source: cache larger than input
    Json wire = encode_messages_response(openai, losses);
    EXPECT_EQ(wire["usage"]["input_tokens"], 0);
    EXPECT_EQ(wire["usage"]["cache_read_input_tokens"], 80);
    openai.usage = Usage{1000, 7, 3, 800, 0};
    EXPECT_EQ(encode_messages_response(openai, losses)["usage"]["input_tokens"], 200);
}

TEST(MessagesResponse, StopReasonTableBothWays) {
    const std::pair<const char*, StopReason> table[] = {
        {"end_turn", StopReason::EndTurn},
        {"max_tokens", StopReason::MaxTokens},
        {"stop_sequence", StopReason::StopSequence},
        {"tool_use", StopReason::ToolUse},
        {"pause_turn", StopReason::PauseTurn},
        {"refusal", StopReason::Refusal},
        {"model_context_window_exceeded", StopReason::ContextWindow},
    };
    for (const auto& [wire, reason] : table) {
        Json body = sample_response();
        body["stop_reason"] = wire;
        if (reason == StopReason::StopSequence) body["stop_sequence"] = "END";
        Losses losses;
        Result<Response> r = decode_messages_response(body, losses);
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(r->stop_reason, reason) << wire;
        Json back = encode_messages_response(*r, losses);
        EXPECT_EQ(back["stop_reason"], wire);
        EXPECT_EQ(back["stop_sequence"], body["stop_sequence"]);
        EXPECT_TRUE(losses.empty()) << describe_losses(losses);
    }
    for (StopReason reason : {StopReason::ContentFilter, StopReason::Error, StopReason::Unknown}) {
        Response r;
        r.id = "msg_1";
        r.usage = Usage{};
        r.stop_reason = reason;
        Losses losses;
        Json wire = encode_messages_response(r, losses);
        EXPECT_EQ(wire["stop_reason"],
                  reason == StopReason::ContentFilter ? "refusal" : "end_turn");
        EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/stop_reason"));
    }
    Json odd = sample_response();
    odd["stop_reason"] = "compaction";
    Losses losses;
    EXPECT_EQ(decode_messages_response(odd, losses)->stop_reason, StopReason::Unknown);
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/stop_reason"));
}

TEST(MessagesResponse, ErrorBodiesBothWays) {
    Json body = {{"type", "error"},
                 {"error", {{"type", "overloaded_error"}, {"message", "Overloaded"}}},
                 {"request_id", "req_1"}};
    Losses losses;
    Result<Response> r = decode_messages_response(body, losses);
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r->error);
    EXPECT_EQ(r->error->type, "overloaded_error");
    EXPECT_EQ(r->error->message, "Overloaded");
    body.erase("request_id");
    EXPECT_EQ(encode_messages_response(*r, losses), body);
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);

    Response gateway;
    gateway.error = ApiError{"new_api_error", "convert_request_failed", "not implemented"};
    Json wire = encode_messages_response(gateway, losses);
    EXPECT_EQ(wire, (Json{{"type", "error"},
                          {"error", {{"type", "api_error"}, {"message", "not implemented"}}}}));
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/error/type"));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/error/code"));
}

TEST(MessagesResponse, ForeignReasoningReachesClientsUnsigned) {
    ReasoningPart deepseek;
    deepseek.origin = Protocol::Chat;
    deepseek.text = "thinking in chat";
    ReasoningPart openai;
    openai.origin = Protocol::Responses;
    openai.summary = {"step one", "step two"};
    openai.encrypted_content = "gAAA";
    Response r;
    r.id = "msg_1";
    r.usage = Usage{};
    r.output = {deepseek, openai, text(""), text("answer")};
    Losses losses;
    Json wire = encode_messages_response(r, losses);
    ASSERT_EQ(wire["content"].size(), 3u) << wire.dump();  // the empty text is not sent
    EXPECT_EQ(wire["content"][0],
              (Json{{"type", "thinking"}, {"thinking", "thinking in chat"}, {"signature", ""}}));
    EXPECT_EQ(wire["content"][1]["thinking"], "step one\n\nstep two");
    EXPECT_EQ(wire["content"][1]["signature"], "");
    EXPECT_TRUE(has_loss(losses, Code::LossForeignSignature, "/output/1"));
    EXPECT_TRUE(has_loss(losses, Code::LossPartDropped, "/output/2"));
}

TEST(MessagesResponse, MissingUsageIsReported) {
    Response r;
    r.id = "x";
    Losses losses;
    Json wire = encode_messages_response(r, losses);
    EXPECT_EQ(wire["usage"]["input_tokens"], 0);
    EXPECT_TRUE(has_loss(losses, Code::LossUsageMissing, "/usage"));
}

TEST(MessagesResponse, BadInputGivesCodeAndPointer) {
    struct Case {
        std::function<void(Json&)> edit;
        Code code;
        const char* pointer;
    };
    const Case cases[] = {
        {[](Json& b) { b.erase("content"); }, Code::JsonMissingField, "/content"},
        {[](Json& b) { b["content"] = "hi"; }, Code::JsonWrongType, "/content"},
        {[](Json& b) { b["content"][2]["type"] = "video"; }, Code::JsonUnknownType,
         "/content/2/type"},
        {[](Json& b) { b["usage"]["input_tokens"] = "10"; }, Code::JsonWrongType,
         "/usage/input_tokens"},
        {[](Json& b) { b["type"] = "banana"; }, Code::JsonUnknownType, "/type"},
        {[](Json& b) { b.erase("id"); }, Code::JsonMissingField, "/id"},
        {[](Json& b) { b["stop_reason"] = 1; }, Code::JsonWrongType, "/stop_reason"},
        {[](Json& b) { b["content"][3]["input"] = Json::array(); }, Code::JsonWrongType,
         "/content/3/input"},
        {[](Json& b) {
             b = {{"type", "error"}, {"error", "boom"}};
         },
         Code::JsonWrongType, "/error"},
    };
    for (const Case& c : cases) {
        Json body = sample_response();
        c.edit(body);
        Losses losses;
        Result<Response> r = decode_messages_response(body, losses);
        ASSERT_FALSE(r.ok()) << c.pointer;
        EXPECT_EQ(r.error().code, c.code) << r.error().to_string();
        EXPECT_EQ(r.error().pointer, c.pointer) << r.error().to_string();
    }
}

// ---- stream decode
// -----------------------------------------------------------------------------------

std::string capture_stream(const char* name) {
    return load_capture(name)["response"]["body_text"].get<std::string>();
}

// Concatenated text per canonical part index, by delta kind.
std::map<std::size_t, std::string> joined(const std::vector<StreamEvent>& events,
                                          StreamEvent::Kind kind) {
    std::map<std::size_t, std::string> out;
    for (const auto& e : events) {
        if (e.kind == kind) out[e.index] += e.text;
    }
    return out;
}

TEST(MessagesStream, DecodesClaudeCodeToolTurn) {
    DecodedStream d = decode_stream(capture_stream("claude-turn1.json"));
    ASSERT_TRUE(d.status.ok()) << d.status.error().to_string();
    ASSERT_FALSE(d.events.empty());
    const StreamEvent& start = d.events.front();
    EXPECT_EQ(start.kind, StreamEvent::Kind::Start);
    EXPECT_EQ(start.id, "msg_4fnua0knc6mww1zu2m");
    EXPECT_EQ(start.model, "claude-opus-4-8");
    ASSERT_TRUE(start.usage);
    EXPECT_EQ(start.usage->input, 100);
    EXPECT_EQ(joined(d.events, StreamEvent::Kind::TextDelta)[0], "Running the harness command.");
    std::string args = joined(d.events, StreamEvent::Kind::ArgumentsDelta)[1];
    EXPECT_EQ(
        args,
        R"({"command":"echo HARNESS_OK > proof.txt","description":"Write harness proof file"})");
    int part_starts = 0;
    for (const auto& e : d.events) {
        if (e.kind != StreamEvent::Kind::PartStart) continue;
        ++part_starts;
        if (e.part_type == PartType::ToolCall) {
            EXPECT_EQ(e.index, 1u);
            EXPECT_EQ(e.tool_call.id, "toolu_4apltgx60rmww1zu2m");
            EXPECT_EQ(e.tool_call.name, "Bash");
        }
    }
    EXPECT_EQ(part_starts, 2);
    const StreamEvent& tool_end = d.events[d.events.size() - 2];
    EXPECT_EQ(tool_end.kind, StreamEvent::Kind::PartEnd);
    EXPECT_EQ(tool_end.tool_call.arguments, args);
    const StreamEvent& finish = d.events.back();
    EXPECT_EQ(finish.kind, StreamEvent::Kind::Finish);
    EXPECT_EQ(finish.stop_reason, StopReason::ToolUse);
    ASSERT_TRUE(finish.usage);
    EXPECT_EQ(finish.usage->input, 100);
    EXPECT_EQ(finish.usage->output, 12);
    EXPECT_TRUE(d.losses.empty()) << describe_losses(d.losses);
}

TEST(MessagesStream, DecodesThinkingWithSignature) {
    DecodedStream d = decode_stream(capture_stream("claude-thinking-turn1.json"));
    ASSERT_TRUE(d.status.ok());
    EXPECT_EQ(joined(d.events, StreamEvent::Kind::ReasoningDelta)[0],
              "The user wants a proof file; a single shell command does it.");
    EXPECT_EQ(joined(d.events, StreamEvent::Kind::SignatureDelta)[0],
              "bW9jay1zaWduYXR1cmU6bXNnX3J3ZGtzNzI0YWRtd3cyMDI0cQ==");
    bool saw_end = false;
    for (const auto& e : d.events) {
        if (e.kind == StreamEvent::Kind::PartStart && e.index == 0) {
            EXPECT_EQ(e.part_type, PartType::Reasoning);
            EXPECT_EQ(e.reasoning.origin, Protocol::Messages);
        }
        if (e.kind == StreamEvent::Kind::PartEnd && e.index == 0) {
            saw_end = true;
            EXPECT_EQ(e.reasoning.signature,
                      "bW9jay1zaWduYXR1cmU6bXNnX3J3ZGtzNzI0YWRtd3cyMDI0cQ==");
            EXPECT_EQ(e.reasoning.text,
                      "The user wants a proof file; a single shell command does it.");
        }
    }
    EXPECT_TRUE(saw_end);
    EXPECT_EQ(joined(d.events, StreamEvent::Kind::ArgumentsDelta).count(2), 1u);
}

TEST(MessagesStream, ChunkingDoesNotChangeTheEvents) {
    for (const char* name : kClaudeCaptures) {
        SCOPED_TRACE(name);
        std::string text = capture_stream(name);
        Json whole = canon(decode_stream(text).events);
        EXPECT_EQ(canon(decode_stream(test::chunks_of(text, 1)).events), whole);
        for (unsigned seed : {1u, 7u, 42u, 1234u}) {
            EXPECT_EQ(canon(decode_stream(test::random_chunks(text, seed)).events), whole) << seed;
        }
    }
}

TEST(MessagesStream, EveryPartIsOpenedAndClosedInOrder) {
    for (const char* name : kClaudeCaptures) {
        DecodedStream d = decode_stream(capture_stream(name));
        std::size_t next = 0;
        std::set<std::size_t> open;
        for (const auto& e : d.events) {
            if (e.kind == StreamEvent::Kind::PartStart) {
                EXPECT_EQ(e.index, next++) << name;
                open.insert(e.index);
            } else if (e.kind == StreamEvent::Kind::PartEnd) {
                EXPECT_EQ(open.erase(e.index), 1u) << name;
            }
        }
        EXPECT_TRUE(open.empty()) << name;
    }
}

TEST(MessagesStream, TruncatedStreamEndsWithErrorNotSilence) {  // edge cases 18, 31
    std::string text = capture_stream("claude-turn1.json");
    std::string cut = text.substr(
        0, text.find(
               "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}"));
    DecodedStream d = decode_stream(cut);
    ASSERT_TRUE(d.status.ok());
    ASSERT_GE(d.events.size(), 2u);
    EXPECT_EQ(d.events[d.events.size() - 2].kind, StreamEvent::Kind::PartEnd);  // closed first
    EXPECT_EQ(d.events.back().kind, StreamEvent::Kind::Error);
    const Loss* truncated = find_loss(d.losses, Code::LossStreamTruncated);
    ASSERT_NE(truncated, nullptr);
    EXPECT_EQ(truncated->severity, Severity::Error);
}

TEST(MessagesStream, MidStreamOverloadedErrorIsSurfaced) {  // edge case 31
    std::string text = capture_stream("claude-turn1.json");
    std::string cut = text.substr(0, text.find("event: content_block_stop"));
    cut +=
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
        "\"message\":\"Overloaded\"}}\n\n";
    DecodedStream d = decode_stream(cut);
    ASSERT_TRUE(d.status.ok());
    const StreamEvent& last = d.events.back();
    ASSERT_EQ(last.kind, StreamEvent::Kind::Error);
    EXPECT_EQ(last.error->type, "overloaded_error");
    EXPECT_EQ(last.error->message, "Overloaded");
    EXPECT_EQ(d.events[d.events.size() - 2].kind, StreamEvent::Kind::PartEnd);
    EXPECT_FALSE(has_loss(d.losses, Code::LossStreamTruncated));
}

TEST(MessagesStream, DoneSentinelAndUnknownEventsAreReportedNotFatal) {  // edge case 31
    std::string text = capture_stream("sdk-anthropic-messages-turn1.json");
    std::string odd = text;
    odd.insert(odd.find("event: content_block_start"),
               "event: future_event\ndata: {\"type\":\"future_event\"}\n\n");
    odd += "data: [DONE]\n\n";
    DecodedStream d = decode_stream(odd);
    ASSERT_TRUE(d.status.ok());
    EXPECT_EQ(canon(d.events), canon(decode_stream(text).events));
    EXPECT_TRUE(has_loss(d.losses, Code::SseBadEventData));
    EXPECT_TRUE(has_loss(d.losses, Code::LossUnknownField));
}

TEST(MessagesStream, DeltaBeforeBlockStartIsAHardError) {
    const std::string start =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
        "\"model\":\"m\",\"usage\":{\"input_tokens\":3}}}\n\n";
    const std::string delta =
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
        "\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}\n\n";
    DecodedStream d = decode_stream(start + delta);
    ASSERT_FALSE(d.status.ok());
    EXPECT_EQ(d.status.error().code, Code::SseBadEventData);
    EXPECT_EQ(d.status.error().pointer, "/index");

    DecodedStream before = decode_stream(delta);
    ASSERT_FALSE(before.status.ok());
    EXPECT_EQ(before.status.error().code, Code::SseBadEventData);

    DecodedStream bad_index =
        decode_stream(start +
                      "event: content_block_start\ndata: {\"type\":\"content_block_start\","
                      "\"index\":\"0\",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    ASSERT_FALSE(bad_index.status.ok());
    EXPECT_EQ(bad_index.status.error().code, Code::JsonWrongType);
    EXPECT_EQ(bad_index.status.error().pointer, "/index");

    DecodedStream not_json = decode_stream(start + "event: ping\ndata: {oops\n\n");
    ASSERT_FALSE(not_json.status.ok());
    EXPECT_EQ(not_json.status.error().code, Code::SseBadEventData);

    DecodedStream wrong_delta = decode_stream(
        start +
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
        "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
        "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\"}}\n\n");
    ASSERT_FALSE(wrong_delta.status.ok());
    EXPECT_EQ(wrong_delta.status.error().pointer, "/delta/type");
}

// ---- stream encode
// -------------------------------------------------------------------------------

// (event name, index, block or delta type) per event, pings and empty deltas left out.
std::vector<std::string> grammar_shape(const std::string& text) {
    std::vector<std::string> out;
    for (const auto& [name, data] : sse_frames(text)) {
        if (name == "ping") continue;
        std::string item = name;
        if (data.contains("index")) item += " " + data["index"].dump();
        if (name == "content_block_start")
            item += " " + data["content_block"]["type"].get<std::string>();
        if (name == "content_block_delta") {
            const Json& delta = data["delta"];
            std::string type = delta["type"];
            std::string field = type == "text_delta"         ? "text"
                                : type == "input_json_delta" ? "partial_json"
                                : type == "thinking_delta"   ? "thinking"
                                                             : "signature";
            if (delta[field].get<std::string>().empty()) continue;
            item += " " + type + " " + delta[field].get<std::string>();
        }
        if (name == "message_delta") item += " " + data["delta"]["stop_reason"].get<std::string>();
        out.push_back(item);
    }
    return out;
}

TEST(MessagesStream, CaptureStreamsReencodeToTheSameGrammar) {
    for (const char* name : kClaudeCaptures) {
        SCOPED_TRACE(name);
        std::string text = capture_stream(name);
        DecodedStream d = decode_stream(text);
        Losses losses;
        std::string encoded = encode_stream(d.events, losses);
        EXPECT_EQ(grammar_violation(encoded), "");
        EXPECT_EQ(grammar_shape(encoded), grammar_shape(text));
        EXPECT_EQ(encoded.find("[DONE]"), std::string::npos);
        EXPECT_TRUE(losses.empty()) << describe_losses(losses);
        // message_start and message_delta carry the same usage as the capture.
        auto wire = sse_frames(encoded);
        EXPECT_EQ(wire.front().second["message"]["usage"]["input_tokens"], 100);
        EXPECT_EQ(wire[wire.size() - 2].second["usage"]["output_tokens"], 12);
    }
}

TEST(MessagesStream, EncoderOutputDecodesToTheSameEvents) {
    for (const char* name : kClaudeCaptures) {
        SCOPED_TRACE(name);
        DecodedStream d = decode_stream(capture_stream(name));
        Losses losses;
        std::string encoded = encode_stream(d.events, losses);
        DecodedStream again = decode_stream(encoded);
        ASSERT_TRUE(again.status.ok());
        EXPECT_EQ(canon(again.events), canon(d.events));
    }
}

TEST(MessagesStream, ParallelToolCallsAreSerialisedIntoWholeBlocks) {  // edge cases 4, 7
    std::vector<StreamEvent> events = {
        start_event("msg_1", Usage{100, 1, 0, 0, 0}),
        tool_start(0, "call_a", "Read"),
        tool_start(1, "call_b", "Bash"),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 1, PartType::ToolCall, "{\"comm"),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 0, PartType::ToolCall, "{\"path\":"),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 1, PartType::ToolCall, "and\":\"ls\"}"),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 0, PartType::ToolCall, "\"a\"}"),
        stream_event(StreamEvent::Kind::PartEnd, 1, PartType::ToolCall),
        stream_event(StreamEvent::Kind::PartEnd, 0, PartType::ToolCall),
        finish_event(StopReason::ToolUse),
    };
    Losses losses;
    std::string wire = encode_stream(events, losses);
    EXPECT_EQ(grammar_violation(wire), "") << wire;
    auto inputs = streamed_inputs(wire);
    EXPECT_EQ(inputs[0], "{\"path\":\"a\"}");
    EXPECT_EQ(inputs[1], "{\"command\":\"ls\"}");
    DecodedStream back = decode_stream(wire);
    ASSERT_TRUE(back.status.ok());
    EXPECT_EQ(back.events[1].tool_call.id, "call_a");
    EXPECT_EQ(back.events.back().stop_reason, StopReason::ToolUse);
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
}

TEST(MessagesStream, ToolCallFirstThenTextAfterReasoning) {
    StreamEvent reasoning = stream_event(StreamEvent::Kind::PartStart, 1, PartType::Reasoning);
    reasoning.reasoning.origin = Protocol::Chat;
    std::vector<StreamEvent> events = {
        start_event(),
        tool_start(0, "functions.Bash:0", "Bash"),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 0, PartType::ToolCall, "{}"),
        stream_event(StreamEvent::Kind::PartEnd, 0, PartType::ToolCall),
        reasoning,
        stream_event(StreamEvent::Kind::ReasoningDelta, 1, PartType::Reasoning, "deepseek thinks"),
        stream_event(StreamEvent::Kind::SignatureDelta, 1, PartType::Reasoning, "not-anthropic"),
        stream_event(StreamEvent::Kind::PartEnd, 1, PartType::Reasoning),
        stream_event(StreamEvent::Kind::PartStart, 2, PartType::Text),
        stream_event(StreamEvent::Kind::TextDelta, 2, PartType::Text, "done"),
        stream_event(StreamEvent::Kind::PartEnd, 2, PartType::Text),
        finish_event(StopReason::EndTurn),
    };
    Losses losses;
    std::string wire = encode_stream(events, losses);
    EXPECT_EQ(grammar_violation(wire), "") << wire;
    EXPECT_EQ(wire.find("signature_delta"), std::string::npos);
    EXPECT_EQ(wire.find("not-anthropic"), std::string::npos);
    EXPECT_TRUE(has_loss(losses, Code::LossForeignSignature));
    EXPECT_TRUE(has_loss(losses, Code::LossIdRewritten));
    auto shape = grammar_shape(wire);
    EXPECT_EQ(shape[1], "content_block_start 0 tool_use");
    EXPECT_EQ(shape[4], "content_block_start 1 thinking");
    EXPECT_EQ(shape[5], "content_block_delta 1 thinking_delta deepseek thinks");
    auto starts = sse_frames(wire);
    std::string id = starts[1].second["content_block"]["id"];
    EXPECT_TRUE(matches_id_charset(id)) << id;  // edge case 1 in streams too
}

TEST(MessagesStream, SignaturesAreForwardedForMessagesReasoning) {  // edge case 13
    StreamEvent reasoning = stream_event(StreamEvent::Kind::PartStart, 0, PartType::Reasoning);
    reasoning.reasoning.origin = Protocol::Messages;
    StreamEvent end = stream_event(StreamEvent::Kind::PartEnd, 0, PartType::Reasoning);
    end.reasoning.origin = Protocol::Messages;
    end.reasoning.signature = "sig-only";
    std::vector<StreamEvent> events = {start_event(), reasoning, end,
                                       finish_event(StopReason::EndTurn)};
    Losses losses;
    std::string wire = encode_stream(events, losses);
    EXPECT_EQ(grammar_violation(wire), "");
    auto shape = grammar_shape(wire);
    EXPECT_EQ(shape[1], "content_block_start 0 thinking");
    EXPECT_EQ(shape[2], "content_block_delta 0 signature_delta sig-only");
}

TEST(MessagesStream, EmptyTextPartsAreNotStreamed) {  // edge case 10
    std::vector<StreamEvent> events = {
        start_event(),
        stream_event(StreamEvent::Kind::PartStart, 0, PartType::Text),
        stream_event(StreamEvent::Kind::TextDelta, 0, PartType::Text, ""),
        stream_event(StreamEvent::Kind::PartEnd, 0, PartType::Text),
        tool_start(1, "toolu_1", "Bash"),
        stream_event(StreamEvent::Kind::PartEnd, 1, PartType::ToolCall),
        finish_event(StopReason::ToolUse),
    };
    Losses losses;
    std::string wire = encode_stream(events, losses);
    EXPECT_EQ(grammar_violation(wire), "") << wire;
    EXPECT_EQ(grammar_shape(wire)[1], "content_block_start 0 tool_use");
    EXPECT_EQ(wire.find("\"type\":\"text\""), std::string::npos);
    EXPECT_TRUE(has_loss(losses, Code::LossPartDropped));
}

TEST(MessagesStream, ArgumentsOnlyInPartEndAreStillSent) {  // edge case 6
    StreamEvent end = stream_event(StreamEvent::Kind::PartEnd, 0, PartType::ToolCall);
    end.tool_call.arguments = "{\"cmd\":\"ls\"}";
    std::vector<StreamEvent> events = {start_event(), tool_start(0, "toolu_1", "Bash"), end,
                                       finish_event(StopReason::ToolUse)};
    Losses losses;
    std::string wire = encode_stream(events, losses);
    EXPECT_EQ(streamed_inputs(wire)[0], "{\"cmd\":\"ls\"}");
}

TEST(MessagesStream, CustomToolInputIsWrappedAsJson) {  // edge case 27
    std::vector<StreamEvent> events = {
        start_event(),
        tool_start(0, "call_1", "apply_patch", ToolKind::Custom),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 0, PartType::ToolCall,
                     "*** Begin Patch\n\"q"),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 0, PartType::ToolCall, "uoted\"\n"),
        stream_event(StreamEvent::Kind::PartEnd, 0, PartType::ToolCall),
        finish_event(StopReason::ToolUse),
    };
    Losses losses;
    std::string wire = encode_stream(events, losses);
    Result<Json> input = parse_json(streamed_inputs(wire)[0]);
    ASSERT_TRUE(input.ok()) << streamed_inputs(wire)[0];
    EXPECT_EQ(*input, (Json{{"input", "*** Begin Patch\n\"quoted\"\n"}}));
    EXPECT_TRUE(has_loss(losses, Code::LossCustomToolAsFunction));
}

TEST(MessagesStream, MessageStartCarriesInputTokens) {  // edge case 20
    Losses losses;
    std::string wire =
        encode_stream({start_event("msg_1", Usage{1000, 0, 0, 800, 50}),
                       finish_event(StopReason::EndTurn, Usage{1000, 42, 0, 800, 50})},
                      losses);
    auto events = sse_frames(wire);
    const Json& usage = events[0].second["message"]["usage"];
    EXPECT_EQ(usage["input_tokens"], 150);
    EXPECT_EQ(usage["cache_read_input_tokens"], 800);
    EXPECT_EQ(usage["cache_creation_input_tokens"], 50);
    const Json& final_usage = events[1].second["usage"];
    EXPECT_EQ(final_usage["output_tokens"], 42);
    EXPECT_EQ(final_usage["input_tokens"], 150);
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);

    Losses missing;
    wire = encode_stream({start_event("msg_1"), finish_event(StopReason::EndTurn, std::nullopt)},
                         missing);
    EXPECT_EQ(sse_frames(wire)[0].second["message"]["usage"]["input_tokens"], 0);
    EXPECT_TRUE(has_loss(missing, Code::LossUsageMissing));
}

TEST(MessagesStream, ErrorsAreWrittenAsErrorEventsNeverDone) {  // edge case 31
    StreamEvent failure = stream_event(StreamEvent::Kind::Error);
    failure.error = ApiError{"overloaded_error", "", "Overloaded"};
    Losses losses;
    std::string wire =
        encode_stream({start_event(), stream_event(StreamEvent::Kind::PartStart), failure}, losses);
    auto events = sse_frames(wire);
    EXPECT_EQ(events.back().first, "error");
    EXPECT_EQ(events.back().second,
              (Json{{"type", "error"},
                    {"error", {{"type", "overloaded_error"}, {"message", "Overloaded"}}}}));
    EXPECT_EQ(wire.find("[DONE]"), std::string::npos);
    EXPECT_EQ(grammar_violation(wire), "");
}

TEST(MessagesStream, FinishWithoutTerminalEventWritesAnError) {  // edge case 18
    Losses losses;
    std::string wire =
        encode_stream({start_event(), stream_event(StreamEvent::Kind::PartStart),
                       stream_event(StreamEvent::Kind::TextDelta, 0, PartType::Text, "hal")},
                      losses);
    auto events = sse_frames(wire);
    EXPECT_EQ(events.back().first, "error");
    EXPECT_EQ(events.back().second["error"]["type"], "api_error");
    const Loss* truncated = find_loss(losses, Code::LossStreamTruncated);
    ASSERT_NE(truncated, nullptr);
    EXPECT_EQ(truncated->severity, Severity::Error);
    DecodedStream back = decode_stream(wire);
    EXPECT_EQ(back.events.back().kind, StreamEvent::Kind::Error);
}

TEST(MessagesStream, FinishClosesPartsLeftOpen) {
    std::vector<StreamEvent> events = {
        start_event(),
        stream_event(StreamEvent::Kind::PartStart, 0, PartType::Text),
        stream_event(StreamEvent::Kind::TextDelta, 0, PartType::Text, "hi"),
        tool_start(1, "t", "Bash"),
        stream_event(StreamEvent::Kind::ArgumentsDelta, 1, PartType::ToolCall, "{}"),
        finish_event(StopReason::ToolUse)};
    Losses losses;
    std::string wire = encode_stream(events, losses);
    EXPECT_EQ(grammar_violation(wire), "") << wire;
    EXPECT_EQ(streamed_inputs(wire)[1], "{}");
}

TEST(MessagesStream, StopSequenceAndMappedStopReasons) {
    StreamEvent finish = finish_event(StopReason::StopSequence);
    finish.stop_sequence = "END";
    Losses losses;
    auto events = sse_frames(encode_stream({start_event(), finish}, losses));
    EXPECT_EQ(events[1].second["delta"],
              (Json{{"stop_reason", "stop_sequence"}, {"stop_sequence", "END"}}));
    Losses mapped;
    events =
        sse_frames(encode_stream({start_event(), finish_event(StopReason::ContentFilter)}, mapped));
    EXPECT_EQ(events[1].second["delta"]["stop_reason"], "refusal");
    EXPECT_TRUE(has_loss(mapped, Code::LossValueMapped));
}

}  // namespace
}  // namespace wirecheck
