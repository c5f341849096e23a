// The Responses codec (what the Codex CLI speaks): requests, response bodies and SSE streams,
// against the real captures in shared/fixtures/captures and the edge cases of shared/peers.md §2.
//
// Sections: helpers · requests (captures, mapping, round trips, bad input) · response bodies ·
// stream decoding · stream encoding
#include "wirecheck/responses_codec.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "test_util.hpp"

namespace wirecheck {
namespace {

// ==== helpers ====================================================================================

Json parse(const std::string& text) {
    auto parsed = parse_json(text);
    EXPECT_TRUE(parsed.ok()) << (parsed.ok() ? "" : parsed.error().to_string());
    return parsed.ok() ? parsed.value() : Json();
}

using test::DecodedStream;
using test::describe_losses;
using test::has_loss;
using test::load_capture;
using test::stream_event;

std::string capture_stream(const Json& capture) {
    return capture["response"]["body_text"].get<std::string>();
}

const char* const kCodexCaptures[] = {"codex-turn1.json", "codex-turn2.json",
                                      "codex-classic-turn1.json", "codex-classic-turn2.json",
                                      "sdk-openai-responses-turn1.json"};

// Canonical values as JSON, so whole structures compare in one EXPECT_EQ with a readable diff.
Json to_json(const ToolCallPart& c) {
    return Json{{"id", c.id},
                {"item_id", c.item_id},
                {"name", c.name},
                {"ns", c.name_space},
                {"arguments", c.arguments},
                {"kind", c.kind == ToolKind::Custom ? "custom" : "function"}};
}

Json to_json(const ReasoningPart& r) {
    return Json{{"text", r.text},
                {"summary", r.summary},
                {"signature", r.signature},
                {"encrypted", r.encrypted_content},
                {"redacted", r.redacted_data},
                {"item_id", r.item_id},
                {"origin", protocol_name(r.origin)}};
}

Json to_json(const ImagePart& i) {
    return Json{
        {"image", i.url}, {"media", i.media_type}, {"data", i.data_base64}, {"detail", i.detail}};
}

Json to_json(const Part& part) {
    if (const auto* t = std::get_if<TextPart>(&part))
        return Json{{"text", t->text}, {"extras", t->extras}};
    if (const auto* i = std::get_if<ImagePart>(&part)) return to_json(*i);
    if (const auto* c = std::get_if<ToolCallPart>(&part)) return Json{{"call", to_json(*c)}};
    if (const auto* r = std::get_if<ReasoningPart>(&part)) return Json{{"reasoning", to_json(*r)}};
    if (const auto* f = std::get_if<RefusalPart>(&part)) return Json{{"refusal", f->text}};
    const auto& result = std::get<ToolResultPart>(part);
    Json content = Json::array();
    for (const auto& c : result.content) {
        if (const auto* t = std::get_if<TextPart>(&c.value))
            content.push_back(Json{{"text", t->text}});
        else
            content.push_back(to_json(std::get<ImagePart>(c.value)));
    }
    return Json{{"result",
                 {{"call_id", result.call_id},
                  {"content", content},
                  {"is_error", result.is_error},
                  {"kind", result.kind == ToolKind::Custom ? "custom" : "function"}}}};
}

Json to_json(const std::vector<Part>& parts) {
    Json out = Json::array();
    for (const auto& p : parts) out.push_back(to_json(p));
    return out;
}

template <class T>
Json opt(const std::optional<T>& v) {
    return v ? Json(*v) : Json(nullptr);
}

Json to_json(const std::optional<Usage>& u) {
    if (!u) return nullptr;
    return Json{{"input", u->input},
                {"output", u->output},
                {"reasoning", u->reasoning},
                {"cache_read", u->cache_read},
                {"cache_write", u->cache_write}};
}

Json to_json(const std::optional<ApiError>& e) {
    if (!e) return nullptr;
    return Json{{"type", e->type}, {"code", e->code}, {"message", e->message}};
}

// Canonical "strict unset" goes out as strict:false (peers.md §2.25), so compare them as equal.
Json to_json(const Request& r) {
    Json turns = Json::array();
    for (const auto& t : r.turns)
        turns.push_back(Json{{"role", role_name(t.role)}, {"parts", to_json(t.parts)}});
    Json tools = Json::array();
    for (const auto& t : r.tools) {
        tools.push_back(Json{{"type", static_cast<int>(t.type)},
                             {"name", t.name},
                             {"ns", t.name_space},
                             {"description", t.description},
                             {"parameters", t.parameters.json()},
                             {"strict", t.strict.value_or(false)},
                             {"format", t.format},
                             {"hosted", t.hosted}});
    }
    Json choice = nullptr;
    if (r.tool_choice)
        choice =
            Json{{"mode", static_cast<int>(r.tool_choice->mode)}, {"name", r.tool_choice->name}};
    Json reasoning = nullptr;
    if (r.reasoning) {
        reasoning = Json{{"effort", r.reasoning->effort},
                         {"budget", opt(r.reasoning->budget_tokens)},
                         {"enabled", opt(r.reasoning->enabled)},
                         {"summary", r.reasoning->summary}};
    }
    return Json{{"model", r.model},
                {"turns", turns},
                {"tools", tools},
                {"tool_choice", choice},
                {"parallel", opt(r.parallel_tool_calls)},
                {"temperature", opt(r.temperature)},
                {"top_p", opt(r.top_p)},
                {"top_k", opt(r.top_k)},
                {"stop", r.stop},
                {"max_output_tokens", opt(r.max_output_tokens)},
                {"stream", r.stream},
                {"include_usage", r.stream_include_usage},
                {"response_format", r.response_format},
                {"reasoning", reasoning},
                {"metadata", r.metadata},
                {"user", r.user}};
}

Json to_json(const Response& r) {
    return Json{{"id", r.id},
                {"model", r.model},
                {"created", r.created},
                {"output", to_json(r.output)},
                {"stop", stop_reason_name(r.stop_reason)},
                {"usage", to_json(r.usage)},
                {"error", to_json(r.error)}};
}

const char* kind_name(StreamEvent::Kind k) {
    switch (k) {
        case StreamEvent::Kind::Start:
            return "start";
        case StreamEvent::Kind::PartStart:
            return "part_start";
        case StreamEvent::Kind::TextDelta:
            return "text";
        case StreamEvent::Kind::ArgumentsDelta:
            return "arguments";
        case StreamEvent::Kind::ReasoningDelta:
            return "reasoning";
        case StreamEvent::Kind::SummaryDelta:
            return "summary";
        case StreamEvent::Kind::SignatureDelta:
            return "signature";
        case StreamEvent::Kind::PartEnd:
            return "part_end";
        case StreamEvent::Kind::Finish:
            return "finish";
        case StreamEvent::Kind::Error:
            return "error";
    }
    return "?";
}

// with_end_payload=false ignores what PartEnd carries (the decoder fills the complete part there;
// hand-written canonical input need not).
Json to_json(const StreamEvent& e, bool with_end_payload = true) {
    Json j{{"kind", kind_name(e.kind)}};
    switch (e.kind) {
        case StreamEvent::Kind::Start:
            j["id"] = e.id;
            j["model"] = e.model;
            j["created"] = e.created;
            break;
        case StreamEvent::Kind::PartStart:
            j["index"] = e.index;
            j["type"] = static_cast<int>(e.part_type);
            if (e.part_type == PartType::ToolCall) j["call"] = to_json(e.tool_call);
            if (e.part_type == PartType::Reasoning) j["reasoning"] = to_json(e.reasoning);
            break;
        case StreamEvent::Kind::SummaryDelta:
            j["summary_index"] = e.summary_index;
            [[fallthrough]];
        case StreamEvent::Kind::TextDelta:
        case StreamEvent::Kind::ArgumentsDelta:
        case StreamEvent::Kind::ReasoningDelta:
        case StreamEvent::Kind::SignatureDelta:
            j["index"] = e.index;
            j["text"] = e.text;
            break;
        case StreamEvent::Kind::PartEnd:
            j["index"] = e.index;
            j["type"] = static_cast<int>(e.part_type);
            if (with_end_payload && e.part_type == PartType::ToolCall)
                j["call"] = to_json(e.tool_call);
            if (with_end_payload && e.part_type == PartType::Reasoning)
                j["reasoning"] = to_json(e.reasoning);
            break;
        case StreamEvent::Kind::Finish:
            j["stop"] = stop_reason_name(e.stop_reason);
            j["usage"] = to_json(e.usage);
            break;
        case StreamEvent::Kind::Error:
            j["error"] = to_json(e.error);
            break;
    }
    return j;
}

Json to_json(const std::vector<StreamEvent>& events, bool with_end_payload = true) {
    Json out = Json::array();
    for (const auto& e : events) out.push_back(to_json(e, with_end_payload));
    return out;
}

DecodedStream decode_pieces(const std::vector<std::string>& pieces) {
    return test::decode_stream(Protocol::Responses, pieces);
}

DecodedStream decode_stream(const std::string& text) {
    return decode_pieces({text});
}

std::string encode_events(const std::vector<StreamEvent>& events, Losses& losses,
                          bool call_finish = true) {
    return test::encode_stream(Protocol::Responses, events, losses, call_finish);
}

// The SSE frames of a stream as (event name, parsed data).
std::vector<std::pair<std::string, Json>> frames(const std::string& text) {
    return test::sse_frames(text, /*skip_done=*/true);
}

std::vector<std::string> frame_types(const std::string& text) {
    std::vector<std::string> types;
    for (const auto& [name, data] : frames(text)) types.push_back(data["type"].get<std::string>());
    return types;
}

// Grammar checks every Responses stream we write must pass (protocols.md §2, §7 Open Responses).
void expect_wire_rules(const std::string& text) {
    auto fs = frames(text);
    ASSERT_FALSE(fs.empty());
    for (std::size_t i = 0; i < fs.size(); ++i) {
        const auto& [name, data] = fs[i];
        EXPECT_EQ(name, data["type"].get<std::string>()) << "event: must equal type at frame " << i;
        EXPECT_EQ(data["sequence_number"], Json(i)) << "sequence_number must count from 0";
    }
    EXPECT_EQ(fs[0].second["type"], "response.created");
    const std::string last = fs.back().second["type"].get<std::string>();
    EXPECT_TRUE(last == "response.completed" || last == "response.incomplete" ||
                last == "response.failed")
        << last;
    // Every added item is closed by a done item of the same index, except on failure.
    std::map<std::int64_t, int> open;
    for (const auto& [name, data] : fs) {
        if (name == "response.output_item.added") ++open[data["output_index"].get<std::int64_t>()];
        if (name == "response.output_item.done") --open[data["output_index"].get<std::int64_t>()];
    }
    if (last != "response.failed") {
        for (const auto& [index, count] : open)
            EXPECT_EQ(count, 0) << "item " << index << " never done";
    }
    if (last != "response.failed") {
        const Json& usage = fs.back().second["response"]["usage"];
        for (const char* key : {"input_tokens", "output_tokens", "total_tokens"}) {
            EXPECT_TRUE(usage[key].is_number_integer()) << key << " must be an integer (Codex)";
        }
    }
}

Request decode_ok(const Json& body, Losses& losses) {
    auto result = decode_responses_request(body, losses);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().to_string());
    return result.ok() ? result.value() : Request{};
}

Response decode_response_ok(const Json& body, Losses& losses) {
    auto result = decode_responses_response(body, losses);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().to_string());
    return result.ok() ? result.value() : Response{};
}

const Tool* find_tool(const Request& r, const std::string& flat_name) {
    for (const auto& t : r.tools) {
        if (t.flat_name() == flat_name) return &t;
    }
    return nullptr;
}

StreamEvent start_event(const std::string& id) {
    StreamEvent e = stream_event(StreamEvent::Kind::Start);
    e.id = id;
    e.model = "m";
    e.created = 1700000000;
    return e;
}
StreamEvent part_start(std::size_t index, PartType type) {
    StreamEvent e = stream_event(StreamEvent::Kind::PartStart, index, type);
    if (type == PartType::Reasoning) e.reasoning.origin = Protocol::Responses;
    return e;
}
StreamEvent call_start(std::size_t index, const std::string& id, const std::string& name,
                       ToolKind kind = ToolKind::Function, const std::string& ns = "") {
    StreamEvent e = part_start(index, PartType::ToolCall);
    e.tool_call.id = id;
    e.tool_call.item_id = "fc_" + id;
    e.tool_call.name = name;
    e.tool_call.name_space = ns;
    e.tool_call.kind = kind;
    return e;
}
StreamEvent delta(StreamEvent::Kind kind, std::size_t index, const std::string& text,
                  PartType type) {
    return stream_event(kind, index, type, text);
}
StreamEvent summary(std::size_t index, std::size_t summary_index, const std::string& text) {
    StreamEvent e = delta(StreamEvent::Kind::SummaryDelta, index, text, PartType::Reasoning);
    e.summary_index = summary_index;
    return e;
}
StreamEvent part_end(std::size_t index, PartType type) {
    return stream_event(StreamEvent::Kind::PartEnd, index, type);
}
StreamEvent finish_event(StopReason reason, std::optional<Usage> usage = Usage{12, 7, 3, 4, 0}) {
    StreamEvent e = stream_event(StreamEvent::Kind::Finish);
    e.stop_reason = reason;
    e.usage = usage;
    return e;
}

// ==== requests: captures =========================================================================

TEST(ResponsesRequest, DecodesCodexTurn1AdditionalToolsIntoNamespacedTools) {
    Json capture = load_capture("codex-turn1.json");
    Losses losses;
    Request r = decode_ok(capture["body_json"], losses);
    EXPECT_EQ(r.model, "gpt-6.1-sol");
    EXPECT_TRUE(r.stream);
    EXPECT_TRUE(r.stream_include_usage);
    EXPECT_EQ(r.parallel_tool_calls, std::optional<bool>(false));
    ASSERT_TRUE(r.tool_choice);
    EXPECT_EQ(r.tool_choice->mode, ToolChoice::Mode::Auto);
    ASSERT_TRUE(r.reasoning);
    EXPECT_EQ(r.reasoning->effort, "low");

    // 4 developer messages then 2 user messages, each its own turn, in order.
    ASSERT_EQ(r.turns.size(), 6u);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(r.turns[i].role, Role::Developer) << i;
    EXPECT_EQ(r.turns[4].role, Role::User);
    EXPECT_EQ(r.turns[5].role, Role::User);
    ASSERT_EQ(r.turns[5].parts.size(), 1u);
    EXPECT_EQ(std::get<TextPart>(r.turns[5].parts[0]).text,
              "Create a file proof.txt containing HARNESS_OK by running a shell command, then "
              "reply with exactly DONE.");

    // additional_tools: namespaces functions (4), clock (1), collaboration (6).
    ASSERT_EQ(r.tools.size(), 11u);
    const Tool* exec = find_tool(r, "exec");  // namespace "functions" adds no prefix
    ASSERT_NE(exec, nullptr);
    EXPECT_EQ(exec->type, ToolType::Custom);
    EXPECT_EQ(exec->name_space, "functions");
    EXPECT_EQ(exec->format["type"], "grammar");
    EXPECT_EQ(exec->format["syntax"], "lark");
    const Tool* sleep = find_tool(r, "clock__sleep");
    ASSERT_NE(sleep, nullptr);
    EXPECT_EQ(sleep->type, ToolType::Function);
    EXPECT_EQ(sleep->name, "sleep");
    EXPECT_EQ(sleep->strict, std::optional<bool>(false));
    EXPECT_EQ(sleep->parameters.json()["required"][0], "duration_ms");
    EXPECT_NE(find_tool(r, "collaboration__spawn_agent"), nullptr);

    // Nothing dropped silently: where the tools came from, and each Codex option we cannot hold.
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/input/0", Severity::Info))
        << describe_losses(losses);
    EXPECT_TRUE(
        has_loss(losses, Code::LossFieldDropped, "/input/0/tools/1/description", Severity::Info));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/store", Severity::Info));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/include", Severity::Info));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/prompt_cache_key", Severity::Info));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/client_metadata", Severity::Info));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/text/verbosity", Severity::Warn));
    EXPECT_TRUE(has_loss(losses, Code::LossUnknownField, "/reasoning/context", Severity::Warn));
    EXPECT_FALSE(has_loss(losses, Code::LossUnknownField, "")) << describe_losses(losses);
}

TEST(ResponsesRequest, DecodesCodexTurn2CustomToolCallAndArrayOutput) {
    Losses losses;
    Request r = decode_ok(load_capture("codex-turn2.json")["body_json"], losses);
    ASSERT_EQ(r.turns.size(), 8u);
    const Turn& assistant = r.turns[6];
    EXPECT_EQ(assistant.role, Role::Assistant);
    ASSERT_EQ(assistant.parts.size(), 1u);
    const auto& call = std::get<ToolCallPart>(assistant.parts[0]);
    EXPECT_EQ(call.kind, ToolKind::Custom);
    EXPECT_EQ(call.id, "call_gm9j6kczcrmww1z6gw");
    EXPECT_EQ(call.item_id, "fc_hrtwh5fj1ymww1z6gw");  // both ids kept (peers.md §2.2)
    EXPECT_EQ(call.name, "exec");
    EXPECT_EQ(call.arguments,
              "const r = await tools.exec_command({ cmd: \"echo HARNESS_OK > proof.txt\", "
              "yield_time_ms: 10000 "
              "});\ntext(r);\n");
    const Turn& tool = r.turns[7];
    EXPECT_EQ(tool.role, Role::Tool);
    ASSERT_EQ(tool.parts.size(), 1u);
    const auto& result = std::get<ToolResultPart>(tool.parts[0]);
    EXPECT_EQ(result.kind, ToolKind::Custom);
    EXPECT_EQ(result.call_id, "call_gm9j6kczcrmww1z6gw");
    ASSERT_EQ(result.content.size(), 2u);
    EXPECT_EQ(std::get<TextPart>(result.content[0].value).text,
              "Script completed\nWall time 0.1 seconds\nOutput:\n");
}

TEST(ResponsesRequest, DecodesCodexClassicTopLevelToolsWithCustomAndHosted) {
    Losses losses;
    Request r = decode_ok(load_capture("codex-classic-turn1.json")["body_json"], losses);
    ASSERT_EQ(r.tools.size(), 10u);
    EXPECT_EQ(r.tools[0].name, "exec_command");
    EXPECT_EQ(r.tools[0].type, ToolType::Function);
    EXPECT_EQ(r.tools[0].name_space, "");
    const Tool* patch = find_tool(r, "apply_patch");
    ASSERT_NE(patch, nullptr);
    EXPECT_EQ(patch->type, ToolType::Custom);
    EXPECT_EQ(patch->format["type"], "grammar");
    EXPECT_NE(patch->format["definition"].get<std::string>().find("begin_patch"),
              std::string::npos);
    EXPECT_EQ(r.tools[8].type, ToolType::Hosted);
    EXPECT_EQ(r.tools[8].name, "tool_search");
    EXPECT_EQ(r.tools[8].hosted, load_capture("codex-classic-turn1.json")["body_json"]["tools"][8]);
    EXPECT_EQ(r.tools[9].type, ToolType::Hosted);
    EXPECT_EQ(r.tools[9].hosted["type"], "web_search");
    EXPECT_EQ(r.parallel_tool_calls, std::optional<bool>(true));
}

TEST(ResponsesRequest, DecodesCodexClassicTurn2FunctionCallAndStringOutput) {
    Losses losses;
    Request r = decode_ok(load_capture("codex-classic-turn2.json")["body_json"], losses);
    ASSERT_EQ(r.turns.size(), 6u);
    const auto& call = std::get<ToolCallPart>(r.turns[4].parts.at(0));
    EXPECT_EQ(call.kind, ToolKind::Function);
    EXPECT_EQ(call.id, "call_in4jf5w4cimww1z88l");
    EXPECT_EQ(call.item_id, "fc_28scno987kmww1z88l");
    EXPECT_EQ(call.arguments, "{\"cmd\":\"echo HARNESS_OK > proof.txt\",\"yield_time_ms\":10000}");
    const auto& result = std::get<ToolResultPart>(r.turns[5].parts.at(0));
    EXPECT_EQ(result.kind, ToolKind::Function);
    ASSERT_EQ(result.content.size(), 1u);
    EXPECT_EQ(std::get<TextPart>(result.content[0].value).text.rfind("Chunk ID: ed50bd", 0), 0u);
}

TEST(ResponsesRequest, DecodesSdkStringInputAsOneUserTurn) {
    Losses losses;
    Request r = decode_ok(load_capture("sdk-openai-responses-turn1.json")["body_json"], losses);
    ASSERT_EQ(r.turns.size(), 1u);
    EXPECT_EQ(r.turns[0].role, Role::User);
    EXPECT_EQ(std::get<TextPart>(r.turns[0].parts.at(0)).text, "make proof");
    ASSERT_EQ(r.tools.size(), 1u);
    EXPECT_FALSE(r.tools[0].strict.has_value());
    EXPECT_EQ(r.tools[0].description, "run");
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
}

TEST(ResponsesRequest, CaptureRequestsRoundTripThroughTheCanonicalModel) {
    for (const char* name : kCodexCaptures) {
        SCOPED_TRACE(name);
        Losses losses;
        Request first = decode_ok(load_capture(name)["body_json"], losses);
        Losses encode_losses;
        Json encoded = test::encode_responses_json(first, encode_losses);
        Losses again_losses;
        Request second = decode_ok(encoded, again_losses);
        EXPECT_EQ(to_json(first), to_json(second));
        EXPECT_EQ(encoded["store"], false);
    }
}

// ==== requests: mapping rules ====================================================================

TEST(ResponsesRequest, InstructionsBecomeALeadingSystemTurnAndBack) {
    Losses losses;
    Request r = decode_ok(parse(R"({"model":"m","instructions":"Be brief.","input":[
        {"type":"message","role":"system","content":"later system"},
        {"role":"user","content":"hi"},
        {"type":"message","role":"developer","content":[{"type":"input_text","text":"dev"}]}]})"),
                          losses);
    ASSERT_EQ(r.turns.size(), 4u);
    EXPECT_EQ(r.turns[0].role, Role::System);
    EXPECT_EQ(std::get<TextPart>(r.turns[0].parts[0]).text, "Be brief.");
    EXPECT_EQ(r.turns[1].role, Role::System);
    EXPECT_EQ(r.turns[2].role, Role::User);  // EasyInputMessage: no `type`
    EXPECT_EQ(r.turns[3].role, Role::Developer);

    Losses out_losses;
    Json body = test::encode_responses_json(r, out_losses);
    EXPECT_EQ(body["instructions"], "Be brief.");
    ASSERT_EQ(body["input"].size(), 3u);
    EXPECT_EQ(body["input"][0]["role"], "system");
    EXPECT_EQ(body["input"][0]["content"][0],
              (Json{{"type", "input_text"}, {"text", "later system"}}));
    EXPECT_EQ(body["input"][2]["role"], "developer");
}

TEST(ResponsesRequest, AssistantItemsGroupIntoOneTurnAndEachOutputIsAToolTurn) {
    Losses losses;
    Request r = decode_ok(parse(R"({"model":"m","input":[
        {"role":"user","content":"go"},
        {"type":"reasoning","summary":[{"type":"summary_text","text":"plan"}],
            "encrypted_content":null},
        {"type":"message","role":"assistant","content":[{"type":"output_text",
            "text":"Running both."}]},
        {"type":"function_call","call_id":"c1","name":"a","arguments":"{}"},
        {"type":"function_call","call_id":"c2","name":"b","arguments":"{\"x\":1}","namespace":"ns"},
        {"type":"function_call_output","call_id":"c1","output":"one"},
        {"type":"function_call_output","call_id":"c2","output":"two"},
        {"type":"message","role":"assistant","content":"Done."}]})"),
                          losses);
    ASSERT_EQ(r.turns.size(), 5u);
    EXPECT_EQ(r.turns[1].role, Role::Assistant);
    ASSERT_EQ(r.turns[1].parts.size(), 4u);
    const auto& reasoning = std::get<ReasoningPart>(r.turns[1].parts[0]);
    EXPECT_EQ(reasoning.origin, Protocol::Responses);
    EXPECT_EQ(reasoning.summary, std::vector<std::string>{"plan"});
    EXPECT_TRUE(reasoning.item_id.empty());  // Codex sends reasoning without id
    EXPECT_EQ(std::get<ToolCallPart>(r.turns[1].parts[3]).name_space, "ns");
    EXPECT_EQ(r.turns[2].role, Role::Tool);  // one Tool turn per output, like Chat and Messages
    EXPECT_EQ(r.turns[3].role, Role::Tool);
    EXPECT_EQ(std::get<ToolResultPart>(r.turns[3].parts.at(0)).call_id, "c2");
    EXPECT_EQ(r.turns[4].role, Role::Assistant);

    Losses out_losses;
    Json body = test::encode_responses_json(r, out_losses);
    const Json& input = body["input"];
    ASSERT_EQ(input.size(), 8u);
    EXPECT_EQ(input[1]["type"], "reasoning");
    EXPECT_FALSE(input[1].contains("id"));
    EXPECT_EQ(input[2]["content"][0]["type"], "output_text");
    EXPECT_FALSE(input[3].contains("id"));  // no item id in, none out (as Codex sends them)
    EXPECT_EQ(input[4]["namespace"], "ns");
    EXPECT_EQ(input[5],
              (Json{{"type", "function_call_output"}, {"call_id", "c1"}, {"output", "one"}}));
    EXPECT_FALSE(body.contains("include"));  // no reasoning config, no encrypted reasoning to keep
}

TEST(ResponsesRequest, NamespacedToolsRegroupUnderNamespaceOnEncode) {
    Losses losses;
    Request r = decode_ok(load_capture("codex-turn1.json")["body_json"], losses);
    Losses out_losses;
    Json body = test::encode_responses_json(r, out_losses);
    ASSERT_EQ(body["tools"].size(), 3u);
    EXPECT_EQ(body["tools"][0]["type"], "namespace");
    EXPECT_EQ(body["tools"][0]["name"], "functions");
    EXPECT_EQ(body["tools"][0]["tools"].size(), 4u);
    EXPECT_EQ(body["tools"][0]["tools"][0]["type"], "custom");
    EXPECT_EQ(body["tools"][1]["name"], "clock");
    EXPECT_EQ(body["tools"][2]["tools"].size(), 6u);
    EXPECT_EQ(body["reasoning"], (Json{{"effort", "low"}}));
    EXPECT_EQ(body["include"], Json::array({"reasoning.encrypted_content"}));
}

TEST(ResponsesRequest, ToolResultIsErrorCarriedAsErrorPrefix) {  // peers.md §2.8
    Request r;
    r.model = "m";
    ToolResultPart result;
    result.call_id = "c1";
    result.is_error = true;
    result.content.push_back(ToolResultContent{TextPart{"file not found", nullptr}});
    r.turns.push_back(Turn{Role::Tool, {result}});
    Losses losses;
    Json body = test::encode_responses_json(r, losses);
    EXPECT_EQ(body["input"][0]["output"], "Error: file not found");
    EXPECT_TRUE(has_loss(losses, Code::LossIsErrorAsText, "/turns/0/parts/0/is_error"));

    // No text to prefix: an "Error" text leads (alone, or before the images); otherwise the
    // first text gets the prefix wherever it is.
    ImagePart image;
    image.url = "https://example.com/shot.png";
    auto output_of = [&](std::vector<ToolResultContent> content) {
        r.turns[0].parts[0] = ToolResultPart{"c1", std::move(content), true, ToolKind::Function,
                                             nullptr};
        Losses ignored;
        return test::encode_responses_json(r, ignored)["input"][0]["output"];
    };
    EXPECT_EQ(output_of({}), "Error");
    EXPECT_EQ(output_of({ToolResultContent{image}}), parse(R"([
        {"type":"input_text","text":"Error"},
        {"type":"input_image","image_url":"https://example.com/shot.png"}])"));
    EXPECT_EQ(output_of({ToolResultContent{image}, ToolResultContent{TextPart{"gone", nullptr}}}),
              parse(R"([{"type":"input_image","image_url":"https://example.com/shot.png"},
                        {"type":"input_text","text":"Error: gone"}])"));
}

TEST(ResponsesRequest, ImagesInToolResultsStayInsideTheOutput) {  // peers.md §2.9
    Losses losses;
    Request r = decode_ok(parse(R"({"model":"m","input":[
        {"type":"function_call","call_id":"c1","name":"shot","arguments":"{}"},
        {"type":"function_call_output","call_id":"c1","output":[
            {"type":"input_text","text":"screenshot:"},
            {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=",
                "detail":"high"}]}]})"),
                          losses);
    const auto& result = std::get<ToolResultPart>(r.turns[1].parts[0]);
    ASSERT_EQ(result.content.size(), 2u);
    const auto& image = std::get<ImagePart>(result.content[1].value);
    EXPECT_EQ(image.media_type, "image/png");
    EXPECT_EQ(image.data_base64, "iVBORw0KGgo=");
    EXPECT_EQ(image.detail, "high");
    Losses out_losses;
    Json body = test::encode_responses_json(r, out_losses);
    EXPECT_EQ(body["input"][1]["output"][1],
              (Json{{"type", "input_image"},
                    {"image_url", "data:image/png;base64,iVBORw0KGgo="},
                    {"detail", "high"}}));
    EXPECT_FALSE(has_loss(out_losses, Code::LossImageMoved));
}

TEST(ResponsesRequest, ForeignReasoningSignatureIsDroppedButTextCrosses) {
    Request r;
    r.model = "m";
    ReasoningPart thinking;
    thinking.origin = Protocol::Messages;
    thinking.text = "Let me think.";
    thinking.signature = "EqQBCkgIBxABGAIiQ...";
    ReasoningPart redacted;
    redacted.origin = Protocol::Messages;
    redacted.redacted_data = "opaque";
    r.turns.push_back(Turn{Role::Assistant, {thinking, redacted, TextPart{"Answer", nullptr}}});
    Losses losses;
    Json body = test::encode_responses_json(r, losses);
    ASSERT_EQ(body["input"].size(), 2u);
    EXPECT_EQ(body["input"][0]["content"][0],
              (Json{{"type", "reasoning_text"}, {"text", "Let me think."}}));
    EXPECT_FALSE(body["input"][0].contains("encrypted_content"));
    EXPECT_TRUE(has_loss(losses, Code::LossForeignSignature, "/turns/0/parts/0"));
    EXPECT_TRUE(has_loss(losses, Code::LossReasoningDropped, "/turns/0/parts/1"));
}

TEST(ResponsesRequest, ResponsesReasoningKeepsEncryptedContentVerbatim) {
    Losses losses;
    Json body = parse(R"({"model":"m","input":[{"type":"reasoning","id":"rs_1","summary":[],
        "content":[{"type":"reasoning_text","text":"a"},{"type":"reasoning_text","text":"b"}],
        "encrypted_content":"gAAAAB=="}]})");
    Request r = decode_ok(body, losses);
    const auto& reasoning = std::get<ReasoningPart>(r.turns[0].parts[0]);
    EXPECT_EQ(reasoning.text, "a\nb");
    EXPECT_EQ(reasoning.encrypted_content, "gAAAAB==");
    EXPECT_EQ(reasoning.item_id, "rs_1");
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/input/0/content"));
    Losses out_losses;
    Json out = test::encode_responses_json(r, out_losses);
    EXPECT_EQ(out["input"][0]["encrypted_content"], "gAAAAB==");
    EXPECT_EQ(out["input"][0]["id"], "rs_1");
    EXPECT_EQ(out["include"], Json::array({"reasoning.encrypted_content"}));
}

TEST(ResponsesRequest, CodexHistoryItemTypesAreAcceptedAsLosses) {
    Losses losses;
    Request r = decode_ok(parse(R"({"model":"m","input":[
        {"type":"local_shell_call","call_id":"s1","status":"completed","action":{"type":"exec",
            "command":["ls"]}},
        {"type":"local_shell_call_output","call_id":"s1","output":"a.txt"},
        {"type":"web_search_call","status":"completed","action":{"type":"search","query":"x"}},
        {"type":"compaction","encrypted_content":"zzz"},
        {"type":"item_reference","id":"msg_1"},
        {"role":"user","content":"continue"}]})"),
                          losses);
    ASSERT_EQ(r.turns.size(), 1u);
    for (int i = 0; i < 4; ++i) {
        EXPECT_TRUE(
            has_loss(losses, Code::LossPartDropped, "/input/" + std::to_string(i), Severity::Warn))
            << i;
    }
    // item_reference needs server-side storage a stateless translator does not have.
    EXPECT_TRUE(has_loss(losses, Code::LossPartDropped, "/input/4", Severity::Error));
}

TEST(ResponsesRequest, StatefulAndUnknownTopLevelFieldsAreLossesNotErrors) {
    Losses losses;
    decode_ok(parse(R"({"model":"m","input":"hi","previous_response_id":"resp_1","store":true,
        "frobnicate":1,"truncation":"auto","text":{"format":{"type":"json_schema","name":"x",
            "schema":{"type":"object"},"strict":true}}})"),
              losses);
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/previous_response_id", Severity::Error));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/store", Severity::Warn));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/truncation", Severity::Warn));
    EXPECT_TRUE(has_loss(losses, Code::LossUnknownField, "/frobnicate", Severity::Warn));
}

TEST(ResponsesRequest, FlatJsonSchemaFormatIsTheCanonicalResponseFormat) {
    Losses losses;
    Json format =
        parse(R"({"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true})");
    Request r =
        decode_ok(Json{{"model", "m"}, {"input", "q"}, {"text", {{"format", format}}}}, losses);
    EXPECT_EQ(r.response_format, format);
    Losses out_losses;
    EXPECT_EQ(test::encode_responses_json(r, out_losses)["text"]["format"], format);
}

TEST(ResponsesRequest, ToolsWithoutStrictAreSentNonStrict) {  // peers.md §2.25
    Request r;
    r.model = "m";
    Tool tool;
    tool.name = "read";
    tool.parameters = parse(R"({"type":"object","properties":{"path":{"type":"string"}}})");
    r.tools.push_back(tool);
    Losses losses;
    Json body = test::encode_responses_json(r, losses);
    EXPECT_EQ(body["tools"][0]["strict"], false);
    EXPECT_TRUE(has_loss(losses, Code::LossDefaultApplied, "/tools", Severity::Info));
}

TEST(ResponsesRequest, AnthropicServerToolsAreDroppedResponsesHostedToolsKept) {
    Request r;
    r.model = "m";
    Tool anthropic;
    anthropic.type = ToolType::Hosted;
    anthropic.name = "web_search";
    anthropic.hosted = parse(R"({"type":"web_search_20250305","name":"web_search","max_uses":5})");
    Tool openai;
    openai.type = ToolType::Hosted;
    openai.name = "web_search_preview";
    openai.hosted = parse(R"({"type":"web_search_preview","search_context_size":"low"})");
    r.tools = {anthropic, openai};
    r.tool_choice = ToolChoice{ToolChoice::Mode::Named, "web_search_preview"};
    Losses losses;
    Json body = test::encode_responses_json(r, losses);
    ASSERT_EQ(body["tools"].size(), 1u);
    EXPECT_EQ(body["tools"][0], openai.hosted);
    EXPECT_EQ(body["tool_choice"], (Json{{"type", "web_search_preview"}}));
    EXPECT_TRUE(has_loss(losses, Code::LossToolDropped, "/tools/0"));
}

TEST(ResponsesRequest, ToolChoiceFormsRoundTrip) {
    for (const char* choice :
         {R"("auto")", R"("none")", R"("required")", R"({"type":"function","name":"exec_command"})",
          R"({"type":"custom","name":"apply_patch"})"}) {
        SCOPED_TRACE(choice);
        Json body = load_capture("codex-classic-turn1.json")["body_json"];
        body["tool_choice"] = parse(choice);
        Losses losses;
        Request r = decode_ok(body, losses);
        Losses out_losses;
        EXPECT_EQ(test::encode_responses_json(r, out_losses)["tool_choice"], parse(choice));
    }
}

TEST(ResponsesRequest, ThinkingBudgetMapsToEffort) {
    Request r;
    r.model = "m";
    r.reasoning = ReasoningConfig{};
    r.reasoning->budget_tokens = 10000;
    Losses losses;
    Json body = test::encode_responses_json(r, losses);
    EXPECT_EQ(body["reasoning"]["effort"], "high");
    EXPECT_TRUE(has_loss(losses, Code::LossValueMapped, "/reasoning/budget_tokens"));
}

TEST(ResponsesRequest, MessagesCacheControlIsReportedNotForwarded) {
    Request r;
    r.model = "m";
    r.turns.push_back(
        Turn{Role::User, {TextPart{"hi", Json{{"cache_control", {{"type", "ephemeral"}}}}}}});
    ToolResultPart result;
    result.call_id = "toolu_1";
    result.content.push_back(ToolResultContent{TextPart{"ok", nullptr}});
    result.extras = Json{{"cache_control", {{"type", "ephemeral"}}}};
    r.turns.push_back(Turn{Role::Tool, {result}});
    Tool tool;
    tool.name = "Read";
    tool.extras = Json{{"cache_control", {{"type", "ephemeral"}}}};
    r.tools.push_back(tool);
    Losses losses;
    Json body = test::encode_responses_json(r, losses);
    EXPECT_EQ(body["input"][1],
              (Json{{"type", "function_call_output"}, {"call_id", "toolu_1"}, {"output", "ok"}}));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/turns/1/parts/0/extras/cache_control",
                         Severity::Info));
    EXPECT_TRUE(
        has_loss(losses, Code::LossFieldDropped, "/tools/0/extras/cache_control", Severity::Info));
    EXPECT_EQ(body["input"][0]["content"][0], (Json{{"type", "input_text"}, {"text", "hi"}}));
    EXPECT_TRUE(has_loss(losses, Code::LossFieldDropped, "/turns/0/parts/0/extras/cache_control",
                         Severity::Info));
}

// ==== requests: bad input ========================================================================

struct BadRequestCase {
    const char* body;
    Code code;
    const char* pointer;
};

TEST(ResponsesRequest, BadInputGivesSpecificCodeAndPointer) {
    const BadRequestCase cases[] = {
        {R"([1,2])", Code::JsonWrongType, ""},
        {R"({"input":"hi"})", Code::JsonMissingField, "/model"},
        {R"({"model":7,"input":"hi"})", Code::JsonWrongType, "/model"},
        {R"({"model":"m","input":42})", Code::JsonWrongType, "/input"},
        {R"({"model":"m","input":[{"role":"user","content":"a"},"oops"]})", Code::JsonWrongType,
         "/input/1"},
        {R"({"model":"m","input":[{"type":"telepathy"}]})", Code::JsonUnknownType, "/input/0/type"},
        {R"({"model":"m","input":[{"content":"no type, no role"}]})", Code::JsonMissingField,
         "/input/0/type"},
        {R"({"model":"m","input":[{"type":"message","role":"user"}]})", Code::JsonMissingField,
         "/input/0/content"},
        {R"({"model":"m","input":[{"type":"message","role":"tool","content":"x"}]})",
         Code::JsonUnknownType, "/input/0/role"},
        {R"({"model":"m","input":[{"role":"user","content":[{"type":"text",
            "text":"chat-style"}]}]})",
         Code::JsonUnknownType, "/input/0/content/0/type"},
        {R"({"model":"m","input":[{"role":"user","content":[{"type":"input_text","text":5}]}]})",
         Code::JsonWrongType, "/input/0/content/0/text"},
        {R"({"model":"m","input":[{"type":"function_call","name":"a","arguments":"{}"}]})",
         Code::JsonMissingField, "/input/0/call_id"},
        {R"({"model":"m","input":[{"type":"function_call","call_id":"c","name":"a",
            "arguments":{"x":1}}]})",
         Code::JsonWrongType, "/input/0/arguments"},
        {R"({"model":"m","input":[{"type":"function_call_output","call_id":"c",
            "output":{"content":"x"}}]})",
         Code::JsonWrongType, "/input/0/output"},
        {R"({"model":"m","input":[{"type":"custom_tool_call","call_id":"c","name":"exec"}]})",
         Code::JsonMissingField, "/input/0/input"},
        {R"({"model":"m","input":[{"type":"reasoning","summary":[{"type":"thought",
            "text":"x"}]}]})",
         Code::JsonUnknownType, "/input/0/summary/0/type"},
        {R"({"model":"m","input":[{"type":"reasoning","summary":[],"encrypted_content":5}]})",
         Code::JsonWrongType, "/input/0/encrypted_content"},
        {R"({"model":"m","input":[{"type":"additional_tools","tools":[{"type":"namespace",
            "name":"n",
            "tools":[{"type":"function","name":"f","parameters":"{}"}]}]}]})",
         Code::JsonWrongType, "/input/0/tools/0/tools/0/parameters"},
        {R"({"model":"m","tools":[{"type":"function","function":{"name":"chat_shape"}}]})",
         Code::JsonMissingField, "/tools/0/name"},
        {R"({"model":"m","tools":[{"name":"untyped"}]})", Code::JsonMissingField, "/tools/0/type"},
        {R"({"model":"m","tools":[{"type":"custom","name":"c","format":"lark"}]})",
         Code::JsonWrongType, "/tools/0/format"},
        {R"({"model":"m","tool_choice":"any"})", Code::JsonUnknownType, "/tool_choice"},
        {R"({"model":"m","tool_choice":{"type":"function"}})", Code::JsonMissingField,
         "/tool_choice/name"},
        {R"({"model":"m","text":{"format":{"type":"yaml"}}})", Code::JsonUnknownType,
         "/text/format/type"},
        {R"({"model":"m","temperature":"hot"})", Code::JsonWrongType, "/temperature"},
        {R"({"model":"m","max_output_tokens":1.5})", Code::JsonWrongType, "/max_output_tokens"},
        {R"({"model":"m","reasoning":{"effort":3}})", Code::JsonWrongType, "/reasoning/effort"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.body);
        Losses losses;
        auto result = decode_responses_request(parse(c.body), losses);
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(code_name(result.error().code), code_name(c.code)) << result.error().to_string();
        EXPECT_EQ(result.error().pointer, c.pointer) << result.error().to_string();
        EXPECT_FALSE(result.error().message.empty());
    }
}

// max_output_tokens is read leniently (Codex parses token counts as integers, protocols.md §3):
// 12.0 is 12, a value beyond int64 is clamped, 1.5 is not an integer.
TEST(ResponsesRequest, MaxOutputTokensIsReadLeniently) {
    auto limit = [](const char* value) {
        Losses losses;
        return decode_request(Protocol::Responses,
                              std::string(R"({"model":"m","max_output_tokens":)") + value + "}",
                              JsonLimits{}, losses);
    };
    EXPECT_EQ(limit("12")->max_output_tokens, 12);
    EXPECT_EQ(limit("12.0")->max_output_tokens, 12);
    EXPECT_EQ(limit("18446744073709551615")->max_output_tokens,
              std::numeric_limits<std::int64_t>::max());
    EXPECT_FALSE(limit("1.5").ok());
    EXPECT_FALSE(limit("\"12\"").ok());
}

TEST(ResponsesRequest, WrongTypeMessageNamesExpectedAndFoundTypes) {
    Losses losses;
    auto result = decode_responses_request(
        parse(
            R"({"model":"m","input":[{"role":"user","content":[{"type":"input_text",
                "text":5}]}]})"),
        losses);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message, "expected a string, got number");
}

// ==== response bodies ===========================================================================

// The final response object a capture's stream carried in response.completed.
Json completed_response_of(const Json& capture) {
    for (const auto& [name, data] : frames(capture_stream(capture))) {
        if (data["type"] == "response.completed") return data["response"];
    }
    ADD_FAILURE() << "no response.completed in capture";
    return Json();
}

TEST(ResponsesResponse, DecodesCaptureResponseObjects) {
    {
        Losses losses;
        Response r =
            decode_response_ok(completed_response_of(load_capture("codex-turn1.json")), losses);
        EXPECT_EQ(r.id, "resp_16if9jhxzdmww1z6gj");
        EXPECT_EQ(r.model, "gpt-6.1-sol");
        EXPECT_EQ(r.created, 1795606883);
        EXPECT_EQ(r.stop_reason, StopReason::ToolUse);
        ASSERT_EQ(r.output.size(), 1u);
        const auto& call = std::get<ToolCallPart>(r.output[0]);
        EXPECT_EQ(call.kind, ToolKind::Custom);
        EXPECT_EQ(call.item_id, "fc_hrtwh5fj1ymww1z6gw");
        EXPECT_EQ(call.id, "call_gm9j6kczcrmww1z6gw");
        ASSERT_TRUE(r.usage);
        EXPECT_EQ(r.usage->input, 100);
        EXPECT_EQ(r.usage->output, 10);
        EXPECT_TRUE(losses.empty())
            << describe_losses(losses);  // echo fields are known, not losses
    }
    {
        Losses losses;
        Response r = decode_response_ok(
            completed_response_of(load_capture("codex-classic-turn2.json")), losses);
        EXPECT_EQ(r.stop_reason, StopReason::EndTurn);
        ASSERT_EQ(r.output.size(), 1u);
        EXPECT_EQ(std::get<TextPart>(r.output[0]).text, "DONE");
        EXPECT_TRUE(std::get<TextPart>(r.output[0])
                        .extras.is_null());  // empty annotations: nothing to keep
    }
}

Response rich_response() {
    Response r;
    r.id = "resp_rich";
    r.model = "gpt-5.5";
    r.created = 1795606885;
    ReasoningPart reasoning;
    reasoning.origin = Protocol::Responses;
    reasoning.item_id = "rs_abc";
    reasoning.text = "thinking";
    reasoning.summary = {"first", "second"};
    reasoning.encrypted_content = "gAAA==";
    r.output.push_back(reasoning);
    r.output.push_back(TextPart{
        "See [1].", Json{{"annotations", Json::array({Json{{"type", "url_citation"},
                                                           {"url", "https://x.test"}}})}}});
    r.output.push_back(RefusalPart{"I can't help with that part."});
    ToolCallPart call;
    call.id = "call_1";
    call.item_id = "fc_custom_item";
    call.name = "sleep";
    call.name_space = "clock";
    call.arguments = "{\"duration_ms\":5}";
    r.output.push_back(call);
    ToolCallPart patch;
    patch.id = "call_2";
    patch.name = "apply_patch";
    patch.kind = ToolKind::Custom;
    patch.arguments = "*** Begin Patch\n*** End Patch\n";
    r.output.push_back(patch);
    r.stop_reason = StopReason::ToolUse;
    r.usage = Usage{120, 40, 16, 100, 0};
    return r;
}

TEST(ResponsesResponse, EncodeDecodeRoundTripPreservesEverything) {
    Response original = rich_response();
    Losses losses;
    Json body = encode_responses_response(original, losses);
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
    Losses back_losses;
    Response decoded = decode_response_ok(body, back_losses);
    Response expected = original;
    std::get<ToolCallPart>(expected.output[4]).item_id = "fc_call_2";  // derived on encode
    EXPECT_EQ(to_json(decoded), to_json(expected));
    EXPECT_TRUE(back_losses.empty()) << describe_losses(back_losses);
    EXPECT_EQ(body["usage"],
              parse(R"({"input_tokens":120,"input_tokens_details":{"cached_tokens":100},
        "output_tokens":40,"output_tokens_details":{"reasoning_tokens":16},"total_tokens":160})"));
}

TEST(ResponsesResponse, ItemIdsAreKeptOrDerivedDeterministically) {  // peers.md §2.2
    Losses losses;
    Json body = encode_responses_response(rich_response(), losses);
    const Json& out = body["output"];
    EXPECT_EQ(out[0]["id"], "rs_abc");
    EXPECT_EQ(out[1]["id"], "msg_resp_rich_1");
    EXPECT_EQ(out[2]["id"], "msg_resp_rich_2");
    EXPECT_EQ(out[3]["id"], "fc_custom_item");
    EXPECT_EQ(out[3]["call_id"], "call_1");
    EXPECT_EQ(out[3]["namespace"], "clock");
    EXPECT_EQ(out[4]["id"], "fc_call_2");
    EXPECT_EQ(out[4]["type"], "custom_tool_call");
    EXPECT_EQ(out[4]["input"], "*** Begin Patch\n*** End Patch\n");
    EXPECT_EQ(out[0]["summary"][1], (Json{{"type", "summary_text"}, {"text", "second"}}));
    EXPECT_EQ(out[0]["encrypted_content"], "gAAA==");
}

TEST(ResponsesResponse, EveryStopReasonMapsToAStatus) {
    struct Case {
        StopReason reason;
        const char* status;
        const char* incomplete;
        bool exact;
        StopReason back;
    };
    const Case cases[] = {
        {StopReason::EndTurn, "completed", "", true, StopReason::EndTurn},
        {StopReason::ToolUse, "completed", "", true,
         StopReason::EndTurn},  // no call in output here
        {StopReason::MaxTokens, "incomplete", "max_output_tokens", true, StopReason::MaxTokens},
        {StopReason::ContentFilter, "incomplete", "content_filter", true,
         StopReason::ContentFilter},
        {StopReason::Error, "failed", "", true, StopReason::Error},
        {StopReason::StopSequence, "completed", "", false, StopReason::EndTurn},
        {StopReason::Refusal, "incomplete", "content_filter", false, StopReason::ContentFilter},
        {StopReason::PauseTurn, "completed", "", false, StopReason::EndTurn},
        {StopReason::ContextWindow, "incomplete", "max_output_tokens", false,
         StopReason::MaxTokens},
        {StopReason::Unknown, "completed", "", false, StopReason::EndTurn},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(stop_reason_name(c.reason));
        Response r;
        r.id = "resp_1";
        r.output.push_back(TextPart{"x", nullptr});
        r.stop_reason = c.reason;
        r.usage = Usage{};
        Losses losses;
        Json body = encode_responses_response(r, losses);
        EXPECT_EQ(body["status"], c.status);
        if (*c.incomplete) {
            EXPECT_EQ(body["incomplete_details"]["reason"], c.incomplete);
        } else {
            EXPECT_TRUE(body["incomplete_details"].is_null());
        }
        EXPECT_EQ(has_loss(losses, Code::LossValueMapped, "/stop_reason"), !c.exact)
            << describe_losses(losses);
        if (c.reason == StopReason::Error) {
            EXPECT_EQ(body["error"]["code"], "server_error");
        }
        Losses back;
        EXPECT_EQ(decode_response_ok(body, back).stop_reason, c.back);
    }
}

TEST(ResponsesResponse, NewApiConvertRequestFailedEnvelopeDecodesIntoError) {  // protocols.md §5
    Json body = parse(
        R"js({"error":{"message":"not implemented (request id: 20260705)","type":"new_api_error",
        "param":"","code":"convert_request_failed"}})js");
    Losses losses;
    Response r = decode_response_ok(body, losses);
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->code, "convert_request_failed");
    EXPECT_EQ(r.error->type, "new_api_error");
    EXPECT_EQ(r.error->message, "not implemented (request id: 20260705)");
    EXPECT_EQ(r.stop_reason, StopReason::Error);
    Losses out;
    Json again = encode_responses_response(r, out);
    EXPECT_EQ(again["error"]["code"], "convert_request_failed");
    EXPECT_EQ(again["error"]["type"], "new_api_error");
    EXPECT_FALSE(again.contains("output"));
}

TEST(ResponsesResponse, FailedResponseCarriesItsError) {
    Losses losses;
    Response r = decode_response_ok(parse(R"({"id":"resp_f","object":"response","status":"failed",
        "error":{"code":"context_length_exceeded","message":"too long"},"output":[],
            "usage":null})"),
                                    losses);
    EXPECT_EQ(r.stop_reason, StopReason::Error);
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->code, "context_length_exceeded");
    EXPECT_FALSE(r.usage);
    Losses out;
    Json body = encode_responses_response(r, out);
    EXPECT_EQ(body["status"], "failed");
    EXPECT_EQ(body["error"], (Json{{"code", "context_length_exceeded"}, {"message", "too long"}}));
}

// peers.md §2.20; Codex parses usage as integers.
TEST(ResponsesResponse, MissingUsageIsSentAsIntegerZeros) {
    Response r;
    r.id = "resp_1";
    r.output.push_back(TextPart{"hi", nullptr});
    Losses losses;
    Json body = encode_responses_response(r, losses);
    EXPECT_EQ(body["usage"]["input_tokens"], 0);
    EXPECT_EQ(body["usage"]["output_tokens"], 0);
    EXPECT_EQ(body["usage"]["total_tokens"], 0);
    EXPECT_TRUE(has_loss(losses, Code::LossUsageMissing, "/usage"));
}

TEST(ResponsesResponse, HostedToolItemsInOutputAreLossesNotErrors) {
    Losses losses;
    Response r = decode_response_ok(parse(R"({"id":"resp_1","status":"completed","output":[
        {"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search",
            "query":"q"}},
        {"type":"message","id":"m","role":"assistant","content":[{"type":"output_text",
            "text":"found","annotations":[]}]}]})"),
                                    losses);
    ASSERT_EQ(r.output.size(), 1u);
    EXPECT_TRUE(has_loss(losses, Code::LossPartDropped, "/output/0"));
}

TEST(ResponsesResponse, BadBodiesGiveSpecificCodeAndPointer) {
    const BadRequestCase cases[] = {
        {R"("text")", Code::JsonWrongType, ""},
        {R"({"id":"r","status":"completed"})", Code::JsonMissingField, "/output"},
        {R"({"status":"completed","output":[]})", Code::JsonMissingField, "/id"},
        {R"({"id":"r","status":"completed","output":{}})", Code::JsonWrongType, "/output"},
        {R"({"id":"r","status":"completed","output":[7]})", Code::JsonWrongType, "/output/0"},
        {R"({"id":"r","status":"completed","output":[{"type":"function_call","call_id":"c",
            "arguments":"{}"}]})",
         Code::JsonMissingField, "/output/0/name"},
        {R"({"id":"r","status":"completed","output":[],"usage":{"input_tokens":"100"}})",
         Code::JsonWrongType, "/usage/input_tokens"},
        {R"({"id":"r","status":"completed","output":[],
            "usage":{"output_tokens_details":{"reasoning_tokens":1.5}}})",
         Code::JsonWrongType, "/usage/output_tokens_details/reasoning_tokens"},
        {R"({"id":"r","output":[]})", Code::JsonMissingField, "/status"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.body);
        Losses losses;
        auto result = decode_responses_response(parse(c.body), losses);
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(code_name(result.error().code), code_name(c.code)) << result.error().to_string();
        EXPECT_EQ(result.error().pointer, c.pointer) << result.error().to_string();
    }
}

// ==== stream decoding ============================================================================

TEST(ResponsesStreamDecode, CodexCustomToolCallCapture) {
    DecodedStream d = decode_stream(capture_stream(load_capture("codex-turn1.json")));
    ASSERT_TRUE(d.status.ok()) << d.status.error().to_string();
    ASSERT_EQ(d.events.size(), 7u);
    EXPECT_EQ(d.events[0].kind, StreamEvent::Kind::Start);
    EXPECT_EQ(d.events[0].id, "resp_16if9jhxzdmww1z6gj");
    EXPECT_EQ(d.events[0].model, "gpt-6.1-sol");
    EXPECT_EQ(d.events[0].created, 1795606883);
    EXPECT_EQ(d.events[1].kind, StreamEvent::Kind::PartStart);
    EXPECT_EQ(d.events[1].part_type, PartType::ToolCall);
    EXPECT_EQ(d.events[1].tool_call.kind, ToolKind::Custom);
    EXPECT_EQ(d.events[1].tool_call.id, "call_gm9j6kczcrmww1z6gw");
    EXPECT_EQ(d.events[1].tool_call.item_id, "fc_hrtwh5fj1ymww1z6gw");
    EXPECT_EQ(d.events[1].tool_call.name, "exec");
    std::string input;
    for (int i = 2; i <= 4; ++i) {
        EXPECT_EQ(d.events[i].kind, StreamEvent::Kind::ArgumentsDelta);
        input += d.events[i].text;
    }
    EXPECT_EQ(
        input,
        "const r = await tools.exec_command({ cmd: \"echo HARNESS_OK > proof.txt\", yield_time_ms: "
        "10000 });\ntext(r);\n");
    EXPECT_EQ(d.events[5].kind, StreamEvent::Kind::PartEnd);
    EXPECT_EQ(d.events[5].tool_call.arguments, input);
    EXPECT_EQ(d.events[6].kind, StreamEvent::Kind::Finish);
    EXPECT_EQ(d.events[6].stop_reason, StopReason::ToolUse);
    ASSERT_TRUE(d.events[6].usage);
    EXPECT_EQ(d.events[6].usage->input, 100);
    EXPECT_TRUE(d.losses.empty()) << describe_losses(d.losses);
}

TEST(ResponsesStreamDecode, TextAndFunctionCallCaptures) {
    DecodedStream text = decode_stream(capture_stream(load_capture("codex-turn2.json")));
    ASSERT_TRUE(text.status.ok());
    EXPECT_EQ(to_json(text.events), parse(R"([
        {"kind":"start","id":"resp_6wps77q8cjmww1z6kw","model":"gpt-6.1-sol","created":1795606883},
        {"kind":"part_start","index":0,"type":0},
        {"kind":"text","index":0,"text":"DO"},
        {"kind":"text","index":0,"text":"NE"},
        {"kind":"part_end","index":0,"type":0},
        {"kind":"finish","stop":"end_turn","usage":{"input":100,"output":10,"reasoning":0,
            "cache_read":0,"cache_write":0}}])"));

    DecodedStream call = decode_stream(capture_stream(load_capture("codex-classic-turn1.json")));
    ASSERT_TRUE(call.status.ok());
    EXPECT_EQ(call.events[1].tool_call.kind, ToolKind::Function);
    EXPECT_EQ(call.events[1].tool_call.name, "exec_command");
    EXPECT_EQ(call.events[1].tool_call.id, "call_in4jf5w4cimww1z88l");
    EXPECT_EQ(call.events[5].tool_call.arguments,
              "{\"cmd\":\"echo HARNESS_OK > proof.txt\",\"yield_time_ms\":10000}");
    EXPECT_EQ(call.events.back().stop_reason, StopReason::ToolUse);
}

TEST(ResponsesStreamDecode, ChunkingDoesNotChangeTheEvents) {
    std::vector<std::string> streams;
    for (const char* name : kCodexCaptures) streams.push_back(capture_stream(load_capture(name)));
    Losses losses;
    streams.push_back(encode_events(
        {start_event("resp_mix"), part_start(0, PartType::Reasoning),
         delta(StreamEvent::Kind::SummaryDelta, 0, "Plan ✓ ünïcode", PartType::Reasoning),
         delta(StreamEvent::Kind::ReasoningDelta, 0, "deep", PartType::Reasoning),
         part_end(0, PartType::Reasoning), part_start(1, PartType::Text),
         delta(StreamEvent::Kind::TextDelta, 1, "日本語のテキスト", PartType::Text),
         part_end(1, PartType::Text), finish_event(StopReason::EndTurn)},
        losses));
    for (const auto& text : streams) {
        Json whole = to_json(decode_stream(text).events);
        EXPECT_EQ(to_json(decode_pieces(test::chunks_of(text, 1)).events), whole);
        for (unsigned seed : {1u, 7u, 42u, 1234u}) {
            EXPECT_EQ(to_json(decode_pieces(test::random_chunks(text, seed)).events), whole)
                << "seed " << seed;
        }
    }
}

TEST(ResponsesStreamDecode,
     OnlyArgumentsDoneWithoutDeltasStillYieldsTheArguments) {  // peers.md §2.6
    std::string stream =
        "data: "
        "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_lm\","
        "\"model\":\"qwen\"}}\n\n"
        "data: "
        "{\"type\":\"response.output_item.added\",\"sequence_number\":1,\"output_index\":0,"
        "\"item\":"
        "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"get_"
        "weather\",\"arguments\":\"\"}}\n\n"
        "data: "
        "{\"type\":\"response.function_call_arguments.done\",\"sequence_number\":2,\"output_"
        "index\":0,"
        "\"item_id\":\"fc_1\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}\n\n"
        "data: "
        "{\"type\":\"response.output_item.done\",\"sequence_number\":3,\"output_index\":0,\"item\":"
        "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"get_"
        "weather\","
        "\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}\n\n"
        "data: "
        "{\"type\":\"response.completed\",\"sequence_number\":4,\"response\":{\"id\":\"resp_lm\","
        "\"status\":\"completed\","
        "\"output\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":3,\"total_tokens\":8}}}\n\n";
    DecodedStream d = decode_stream(stream);
    ASSERT_TRUE(d.status.ok()) << d.status.error().to_string();
    std::string args;
    int deltas = 0;
    for (const auto& e : d.events) {
        if (e.kind == StreamEvent::Kind::ArgumentsDelta) {
            args += e.text;
            ++deltas;
        }
    }
    EXPECT_EQ(args, "{\"city\":\"Paris\"}");
    EXPECT_EQ(deltas, 1);  // once, not again at output_item.done
    EXPECT_EQ(d.events.back().stop_reason, StopReason::ToolUse);
}

// store:false: response.completed has an empty output, items exist only in output_item.done
// (peers.md §2.19), and the stop reason must still be tool_use (§2.17).
TEST(ResponsesStreamDecode, OutputOnlyInItemDoneWithEmptyCompletedOutput) {
    std::string stream =
        "event: response.output_item.done\n"
        "data: "
        "{\"type\":\"response.output_item.done\",\"sequence_number\":0,\"output_index\":0,\"item\":"
        "{\"type\":\"message\",\"id\":\"msg_1\",\"role\":\"assistant\",\"content\":[{\"type\":"
        "\"output_text\",\"text\":\"Calling.\"}]}}\n\n"
        "event: response.output_item.done\n"
        "data: "
        "{\"type\":\"response.output_item.done\",\"sequence_number\":1,\"output_index\":1,\"item\":"
        "{\"type\":\"function_call\",\"id\":\"fc_2\",\"call_id\":\"call_2\",\"name\":\"ls\","
        "\"arguments\":\"{}\"}}\n\n"
        "event: response.completed\n"
        "data: "
        "{\"type\":\"response.completed\",\"sequence_number\":2,\"response\":{\"id\":\"resp_s\","
        "\"status\":\"completed\",\"output\":[]}}\n\n";
    DecodedStream d = decode_stream(stream);
    ASSERT_TRUE(d.status.ok()) << d.status.error().to_string();
    EXPECT_EQ(to_json(d.events, false), parse(R"([
        {"kind":"start","id":"","model":"","created":0},
        {"kind":"part_start","index":0,"type":0},
        {"kind":"text","index":0,"text":"Calling."},
        {"kind":"part_end","index":0,"type":0},
        {"kind":"part_start","index":1,"type":1,"call":{"id":"call_2","item_id":"fc_2","name":"ls",
            "ns":"","arguments":"","kind":"function"}},
        {"kind":"arguments","index":1,"text":"{}"},
        {"kind":"part_end","index":1,"type":1},
        {"kind":"finish","stop":"tool_use","usage":null}])"));
}

TEST(ResponsesStreamDecode, ItemsOnlyInTheFinalOutputAreEmittedBeforeFinish) {
    std::string stream =
        "data: "
        "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_f\"}}\n\n"
        "data: "
        "{\"type\":\"response.completed\",\"sequence_number\":1,\"response\":{\"id\":\"resp_f\","
        "\"status\":\"completed\","
        "\"output\":[{\"type\":\"message\",\"id\":\"msg_9\",\"role\":\"assistant\",\"content\":[{"
        "\"type\":\"output_text\",\"text\":\"late\"}]}]}}\n\n";
    DecodedStream d = decode_stream(stream);
    ASSERT_EQ(d.events.size(), 5u);
    EXPECT_EQ(d.events[2].text, "late");
    EXPECT_EQ(d.events[4].stop_reason, StopReason::EndTurn);
}

TEST(ResponsesStreamDecode, ToleratesNoEventLinesDoneSentinelAndUnknownEvents) {
    std::string stream =
        "data: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_t\",\"model\":\"m\"}}\n\n"
        ": keep-alive comment\n\n"
        "data: {\"type\":\"response.future_feature.delta\",\"whatever\":true}\n\n"
        "data: "
        "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":0,\"delta\":"
        "\"hi\"}\n\n"
        "data: "
        "{\"type\":\"response.completed\",\"response\":{\"id\":\"resp_t\",\"status\":\"completed\","
        "\"output\":[]}}\n\n"
        "data: [DONE]\n\n";
    DecodedStream d = decode_stream(stream);
    ASSERT_TRUE(d.status.ok()) << d.status.error().to_string();
    // The text part opened on its first delta (no output_item.added / content_part.added).
    EXPECT_EQ(to_json(d.events, false), parse(R"([
        {"kind":"start","id":"resp_t","model":"m","created":0},
        {"kind":"part_start","index":0,"type":0},
        {"kind":"text","index":0,"text":"hi"},
        {"kind":"part_end","index":0,"type":0},
        {"kind":"finish","stop":"end_turn","usage":null}])"));
    EXPECT_TRUE(
        has_loss(d.losses, Code::LossStreamTruncated, "", Severity::Warn));  // item never done
}

TEST(ResponsesStreamDecode, ErrorEventFollowedByFailedGivesOneError) {
    std::string stream =
        "event: response.created\ndata: "
        "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_e\"}}\n\n"
        "event: error\ndata: "
        "{\"type\":\"error\",\"sequence_number\":1,\"code\":\"rate_limit_exceeded\",\"message\":"
        "\"slow down\",\"param\":null}\n\n"
        "event: response.failed\ndata: "
        "{\"type\":\"response.failed\",\"sequence_number\":2,\"response\":{\"id\":\"resp_e\","
        "\"status\":\"failed\","
        "\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\"}}}\n\n";
    DecodedStream d = decode_stream(stream);
    ASSERT_TRUE(d.status.ok());
    ASSERT_EQ(d.events.size(), 2u);
    EXPECT_EQ(d.events[1].kind, StreamEvent::Kind::Error);
    EXPECT_EQ(d.events[1].error->code, "rate_limit_exceeded");
    EXPECT_EQ(d.events[1].error->message, "slow down");
    EXPECT_FALSE(has_loss(d.losses, Code::LossStreamTruncated));
}

TEST(ResponsesStreamDecode, FailedAloneCarriesTheResponseError) {
    DecodedStream d = decode_stream(
        "data: {\"type\":\"response.failed\",\"response\":{\"id\":\"r\",\"status\":\"failed\","
        "\"error\":{\"code\":\"context_length_exceeded\",\"message\":\"too long\"}}}\n\n");
    ASSERT_EQ(d.events.size(), 2u);
    EXPECT_EQ(d.events[1].error->code, "context_length_exceeded");
}

TEST(ResponsesStreamDecode, IncompleteMapsToMaxTokens) {
    DecodedStream d = decode_stream(
        "data: "
        "{\"type\":\"response.incomplete\",\"response\":{\"id\":\"r\",\"status\":\"incomplete\","
        "\"incomplete_details\":{\"reason\":\"max_output_tokens\"},\"output\":[],"
        "\"usage\":{\"input_tokens\":9,\"output_tokens\":64,\"output_tokens_details\":{\"reasoning_"
        "tokens\":60},\"total_tokens\":73}}}\n\n");
    ASSERT_EQ(d.events.size(), 2u);
    EXPECT_EQ(d.events[1].stop_reason, StopReason::MaxTokens);
    EXPECT_EQ(d.events[1].usage->reasoning, 60);
}

// Codex: "stream closed before response.completed" (peers.md §2.18). The canonical Error is what
// lets a translator tell its client instead of ending silently.
TEST(ResponsesStreamDecode, MissingTerminalEventGivesErrorAndStreamTruncated) {
    std::string full = capture_stream(load_capture("codex-classic-turn1.json"));
    std::string cut = full.substr(0, full.find("event: response.function_call_arguments.done"));
    DecodedStream d = decode_stream(cut);
    ASSERT_TRUE(d.status.ok());
    ASSERT_GE(d.events.size(), 3u);
    const StreamEvent& end = d.events[d.events.size() - 2];
    EXPECT_EQ(end.kind, StreamEvent::Kind::PartEnd);  // the open call is closed before the error
    const StreamEvent& last = d.events.back();
    EXPECT_EQ(last.kind, StreamEvent::Kind::Error);
    EXPECT_EQ(last.error->code, "stream_truncated");
    EXPECT_TRUE(has_loss(d.losses, Code::LossStreamTruncated, "", Severity::Error));
}

TEST(ResponsesStreamDecode, ReasoningSummaryTextAndEncryptedContent) {
    std::string stream =
        "data: "
        "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"type\":"
        "\"reasoning\",\"id\":\"rs_1\",\"summary\":[]}}\n\n"
        "data: "
        "{\"type\":\"response.reasoning_summary_part.added\",\"output_index\":0,\"summary_index\":"
        "0,\"part\":{\"type\":\"summary_text\",\"text\":\"\"}}\n\n"
        "data: "
        "{\"type\":\"response.reasoning_summary_text.delta\",\"output_index\":0,\"summary_index\":"
        "0,\"delta\":\"Look\"}\n\n"
        "data: "
        "{\"type\":\"response.reasoning_summary_text.done\",\"output_index\":0,\"summary_index\":0,"
        "\"text\":\"Look around\"}\n\n"
        "data: "
        "{\"type\":\"response.reasoning_summary_part.done\",\"output_index\":0,\"summary_index\":0,"
        "\"part\":{\"type\":\"summary_text\",\"text\":\"Look around\"}}\n\n"
        "data: "
        "{\"type\":\"response.reasoning_text.delta\",\"output_index\":0,\"content_index\":0,"
        "\"delta\":\"raw\"}\n\n"
        "data: "
        "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"type\":"
        "\"reasoning\",\"id\":\"rs_1\","
        "\"summary\":[{\"type\":\"summary_text\",\"text\":\"Look "
        "around\"}],\"content\":[{\"type\":\"reasoning_text\",\"text\":\"raw\"}],"
        "\"encrypted_content\":\"gAAAenc\"}}\n\n"
        "data: "
        "{\"type\":\"response.completed\",\"response\":{\"id\":\"r\",\"status\":\"completed\","
        "\"output\":[]}}\n\n";
    DecodedStream d = decode_stream(stream);
    ASSERT_TRUE(d.status.ok()) << d.status.error().to_string();
    EXPECT_EQ(to_json(d.events), parse(R"([
        {"kind":"start","id":"","model":"","created":0},
        {"kind":"part_start","index":0,"type":2,"reasoning":{"text":"","summary":[],"signature":"",
            "encrypted":"","redacted":"","item_id":"rs_1","origin":"responses"}},
        {"kind":"summary","index":0,"summary_index":0,"text":"Look"},
        {"kind":"summary","index":0,"summary_index":0,"text":" around"},
        {"kind":"reasoning","index":0,"text":"raw"},
        {"kind":"signature","index":0,"text":"gAAAenc"},
        {"kind":"part_end","index":0,"type":2,"reasoning":{"text":"raw","summary":["Look around"],
            "signature":"","encrypted":"gAAAenc","redacted":"","item_id":"rs_1",
                "origin":"responses"}},
        {"kind":"finish","stop":"end_turn","usage":null}])"));
    EXPECT_TRUE(d.losses.empty()) << describe_losses(d.losses);
}

TEST(ResponsesStreamDecode, ParallelCallDeltasGoToTheirOwnParts) {  // peers.md §2.7
    std::string stream =
        "data: "
        "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"type\":\"function_"
        "call\",\"id\":\"fc_a\",\"call_id\":\"a\",\"name\":\"f\",\"arguments\":\"\"}}\n\n"
        "data: "
        "{\"type\":\"response.output_item.added\",\"output_index\":1,\"item\":{\"type\":\"function_"
        "call\",\"id\":\"fc_b\",\"call_id\":\"b\",\"name\":\"g\",\"arguments\":\"\"}}\n\n"
        "data: "
        "{\"type\":\"response.function_call_arguments.delta\",\"output_index\":1,\"item_id\":\"fc_"
        "b\",\"delta\":\"{\\\"y\\\"\"}\n\n"
        "data: "
        "{\"type\":\"response.function_call_arguments.delta\",\"item_id\":\"fc_a\",\"delta\":\"{"
        "\\\"x\\\":1}\"}\n\n"
        "data: "
        "{\"type\":\"response.function_call_arguments.delta\",\"output_index\":1,\"delta\":\":2}\"}"
        "\n\n"
        "data: "
        "{\"type\":\"response.completed\",\"response\":{\"id\":\"r\",\"status\":\"completed\","
        "\"output\":["
        "{\"type\":\"function_call\",\"id\":\"fc_a\",\"call_id\":\"a\",\"name\":\"f\","
        "\"arguments\":\"{\\\"x\\\":1}\"},"
        "{\"type\":\"function_call\",\"id\":\"fc_b\",\"call_id\":\"b\",\"name\":\"g\","
        "\"arguments\":\"{\\\"y\\\":2}\"}]}}\n\n";
    DecodedStream d = decode_stream(stream);
    ASSERT_TRUE(d.status.ok()) << d.status.error().to_string();
    std::map<std::size_t, std::string> args;
    for (const auto& e : d.events) {
        if (e.kind == StreamEvent::Kind::ArgumentsDelta) args[e.index] += e.text;
    }
    EXPECT_EQ(args[0], "{\"x\":1}");
    EXPECT_EQ(args[1], "{\"y\":2}");
    EXPECT_FALSE(has_loss(d.losses, Code::LossStreamTruncated))
        << describe_losses(d.losses);  // completed by the final output
}

TEST(ResponsesStreamDecode, BadEventDataIsAHardError) {
    DecodedStream not_json = decode_stream("data: {not json\n\n");
    ASSERT_FALSE(not_json.status.ok());
    EXPECT_EQ(not_json.status.error().code, Code::SseBadEventData);

    DecodedStream bad_delta = decode_stream(
        "data: "
        "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":0,\"delta\":"
        "5}\n\n");
    ASSERT_FALSE(bad_delta.status.ok());
    EXPECT_EQ(bad_delta.status.error().code, Code::JsonWrongType);
    EXPECT_EQ(bad_delta.status.error().pointer, "/delta");
    EXPECT_NE(bad_delta.status.error().message.find("response.output_text.delta"),
              std::string::npos);

    DecodedStream no_item =
        decode_stream("data: {\"type\":\"response.output_item.added\",\"output_index\":0}\n\n");
    ASSERT_FALSE(no_item.status.ok());
    EXPECT_EQ(no_item.status.error().code, Code::JsonMissingField);
    EXPECT_EQ(no_item.status.error().pointer, "/item");
}

TEST(ResponsesStreamDecode, HostedToolItemsAreReportedOnce) {
    DecodedStream d = decode_stream(
        "data: "
        "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"type\":\"web_"
        "search_call\",\"id\":\"ws_1\"}}\n\n"
        "data: {\"type\":\"response.web_search_call.searching\",\"output_index\":0}\n\n"
        "data: "
        "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":{\"type\":\"web_"
        "search_call\",\"id\":\"ws_1\"}}\n\n"
        "data: "
        "{\"type\":\"response.completed\",\"response\":{\"id\":\"r\",\"status\":\"completed\","
        "\"output\":[]}}\n\n");
    ASSERT_TRUE(d.status.ok());
    EXPECT_EQ(std::count_if(d.losses.begin(), d.losses.end(),
                            [](const Loss& l) { return l.code == Code::LossPartDropped; }),
              1);
}

// ==== stream encoding ============================================================================

TEST(ResponsesStreamEncode, CaptureStreamsReencodeWithTheSameGrammar) {
    for (const char* name : kCodexCaptures) {
        SCOPED_TRACE(name);
        std::string original = capture_stream(load_capture(name));
        DecodedStream d = decode_stream(original);
        ASSERT_TRUE(d.status.ok());
        Losses losses;
        std::string encoded = encode_events(d.events, losses);
        EXPECT_EQ(frame_types(encoded), frame_types(original));
        expect_wire_rules(encoded);
        EXPECT_TRUE(losses.empty()) << describe_losses(losses);
        DecodedStream again = decode_stream(encoded);
        ASSERT_TRUE(again.status.ok());
        EXPECT_EQ(to_json(again.events), to_json(d.events));
        // Call item ids the client saw are the ones it will send back (peers.md §2.2); message ids
        // are regenerated (msg_<response id>_<index>).
        const Json original_item = frames(original)[2].second["item"];
        if (original_item["type"] != "message") {
            EXPECT_EQ(frames(encoded)[2].second["item"]["id"], original_item["id"]);
        }
    }
}

std::vector<StreamEvent> mixed_events() {
    StreamEvent custom = call_start(3, "call_p", "apply_patch", ToolKind::Custom);
    custom.tool_call.item_id.clear();
    return {
        start_event("resp_mix"),
        call_start(0, "call_a", "sleep", ToolKind::Function, "clock"),  // a call before any text
        part_start(1, PartType::Reasoning),
        summary(1, 0, "Plan"),
        summary(1, 0, " A"),
        summary(1, 1, "Plan B"),
        delta(StreamEvent::Kind::ArgumentsDelta, 0, "{\"duration_ms\":", PartType::ToolCall),
        delta(StreamEvent::Kind::ReasoningDelta, 1, "thinking", PartType::Reasoning),
        delta(StreamEvent::Kind::SignatureDelta, 1, "gAAA", PartType::Reasoning),
        part_end(1, PartType::Reasoning),
        part_start(2, PartType::Text),  // text after reasoning, while the call is still open
        delta(StreamEvent::Kind::TextDelta, 2, "Working", PartType::Text),
        delta(StreamEvent::Kind::ArgumentsDelta, 0, "5}", PartType::ToolCall),
        part_end(2, PartType::Text),
        part_end(0, PartType::ToolCall),
        custom,
        delta(StreamEvent::Kind::ArgumentsDelta, 3, "*** Begin Patch\n", PartType::ToolCall),
        delta(StreamEvent::Kind::ArgumentsDelta, 3, "*** End Patch\n", PartType::ToolCall),
        part_end(3, PartType::ToolCall),
        part_start(4, PartType::Refusal),
        delta(StreamEvent::Kind::TextDelta, 4, "no", PartType::Refusal),
        part_end(4, PartType::Refusal),
        finish_event(StopReason::ToolUse)};
}

TEST(ResponsesStreamEncode, EncodedStreamRedecodesToTheSameEvents) {
    std::vector<StreamEvent> events = mixed_events();
    Losses losses;
    std::string encoded = encode_events(events, losses);
    expect_wire_rules(encoded);
    EXPECT_TRUE(losses.empty()) << describe_losses(losses);
    DecodedStream d = decode_stream(encoded);
    ASSERT_TRUE(d.status.ok()) << d.status.error().to_string();
    std::vector<StreamEvent> expected = events;
    expected[2].reasoning.item_id = "rs_resp_mix_1";  // derived on encode
    expected[15].tool_call.item_id = "fc_call_p";
    EXPECT_EQ(to_json(d.events, false), to_json(expected, false));
    EXPECT_TRUE(d.losses.empty()) << describe_losses(d.losses);
}

TEST(ResponsesStreamEncode,
     ItemsGetDistinctOutputIndexesAndCompleteDoneItems) {  // peers.md §2.7, §2.19
    Losses losses;
    std::string encoded = encode_events(mixed_events(), losses);
    std::map<std::int64_t, Json> done;
    std::set<std::string> ids;
    for (const auto& [name, data] : frames(encoded)) {
        if (name == "response.output_item.added") ids.insert(data["item"]["id"].get<std::string>());
        if (name == "response.output_item.done")
            done[data["output_index"].get<std::int64_t>()] = data["item"];
    }
    ASSERT_EQ(done.size(), 5u);
    EXPECT_EQ(ids.size(), 5u);
    EXPECT_EQ(
        done[0],
        parse(R"({"id":"fc_call_a","type":"function_call","status":"completed","call_id":"call_a",
        "name":"sleep","namespace":"clock","arguments":"{\"duration_ms\":5}"})"));
    EXPECT_EQ(done[1],
              parse(
                  R"({"id":"rs_resp_mix_1","type":"reasoning","summary":[{"type":"summary_text",
                "text":"Plan A"},
        {"type":"summary_text","text":"Plan B"}],"content":[{"type":"reasoning_text",
            "text":"thinking"}],"encrypted_content":"gAAA"})"));
    EXPECT_EQ(done[2]["content"][0]["text"], "Working");
    EXPECT_EQ(done[3]["type"], "custom_tool_call");
    EXPECT_EQ(done[3]["input"], "*** Begin Patch\n*** End Patch\n");
    EXPECT_EQ(done[4]["content"][0], (Json{{"type", "refusal"}, {"refusal", "no"}}));
    // response.completed carries the same complete items, in output order.
    const Json completed = frames(encoded).back().second;
    EXPECT_EQ(completed["type"], "response.completed");
    ASSERT_EQ(completed["response"]["output"].size(), 5u);
    for (std::int64_t i = 0; i < 5; ++i) EXPECT_EQ(completed["response"]["output"][i], done[i]);
    EXPECT_EQ(completed["response"]["usage"]["total_tokens"], 19);
}

TEST(ResponsesStreamEncode, MissingUsageBecomesIntegerZeros) {  // peers.md §2.20
    Losses losses;
    std::string encoded = encode_events(
        {start_event("r"), part_start(0, PartType::Text),
         delta(StreamEvent::Kind::TextDelta, 0, "hi", PartType::Text), part_end(0, PartType::Text),
         finish_event(StopReason::EndTurn, std::nullopt)},
        losses);
    expect_wire_rules(encoded);
    EXPECT_TRUE(has_loss(losses, Code::LossUsageMissing));
}

TEST(ResponsesStreamEncode, FinishWithoutTerminalWritesResponseFailed) {  // peers.md §2.18
    Losses losses;
    std::string encoded =
        encode_events({start_event("r"), part_start(0, PartType::Text),
                       delta(StreamEvent::Kind::TextDelta, 0, "partial", PartType::Text)},
                      losses);
    auto types = frame_types(encoded);
    ASSERT_GE(types.size(), 2u);
    EXPECT_EQ(types[types.size() - 2], "error");
    EXPECT_EQ(types.back(), "response.failed");
    expect_wire_rules(encoded);
    EXPECT_TRUE(has_loss(losses, Code::LossStreamTruncated, "", Severity::Error));
    const Json failed = frames(encoded).back().second["response"];
    EXPECT_EQ(failed["status"], "failed");
    EXPECT_EQ(failed["error"]["code"], "stream_truncated");
    EXPECT_TRUE(failed["output"].empty());  // the unfinished message is not passed off as complete
    DecodedStream d = decode_stream(encoded);
    EXPECT_EQ(d.events.back().kind, StreamEvent::Kind::Error);
    EXPECT_EQ(d.events.back().error->code, "stream_truncated");
}

TEST(ResponsesStreamEncode, EmptyStreamStillTerminatesProtocolCorrectly) {
    Losses losses;
    std::string encoded = encode_events({}, losses);
    EXPECT_EQ(frame_types(encoded),
              (std::vector<std::string>{"response.created", "response.in_progress", "error",
                                        "response.failed"}));
    expect_wire_rules(encoded);
}

TEST(ResponsesStreamEncode, ErrorEventWritesErrorThenFailed) {
    StreamEvent error;
    error.kind = StreamEvent::Kind::Error;
    error.error = ApiError{"overloaded_error", "", "Overloaded"};
    Losses losses;
    std::string encoded = encode_events({start_event("r"), error}, losses);
    auto fs = frames(encoded);
    ASSERT_EQ(fs.size(), 4u);
    EXPECT_EQ(fs[2].second["type"], "error");
    EXPECT_EQ(fs[2].second["code"], "overloaded_error");
    EXPECT_EQ(fs[2].second["message"], "Overloaded");
    EXPECT_EQ(fs[3].second["response"]["error"]["code"], "overloaded_error");
    EXPECT_FALSE(has_loss(losses, Code::LossStreamTruncated));
}

TEST(ResponsesStreamEncode, IncompleteAndContentFilterStopReasons) {
    Losses losses;
    std::string encoded =
        encode_events({start_event("r"), finish_event(StopReason::MaxTokens)}, losses);
    const Json last = frames(encoded).back().second;
    EXPECT_EQ(last["type"], "response.incomplete");
    EXPECT_EQ(last["response"]["incomplete_details"]["reason"], "max_output_tokens");
    DecodedStream d = decode_stream(encoded);
    EXPECT_EQ(d.events.back().stop_reason, StopReason::MaxTokens);
}

TEST(ResponsesStreamEncode, ForeignReasoningSignatureIsNotForwarded) {
    StreamEvent start = part_start(0, PartType::Reasoning);
    start.reasoning.origin = Protocol::Messages;
    Losses losses;
    std::string encoded =
        encode_events({start_event("r"), start,
                       delta(StreamEvent::Kind::ReasoningDelta, 0, "hmm", PartType::Reasoning),
                       delta(StreamEvent::Kind::SignatureDelta, 0, "EqQB", PartType::Reasoning),
                       delta(StreamEvent::Kind::SignatureDelta, 0, "more", PartType::Reasoning),
                       part_end(0, PartType::Reasoning), finish_event(StopReason::EndTurn)},
                      losses);
    for (const auto& [name, data] : frames(encoded)) {
        if (name == "response.output_item.done") {
            EXPECT_FALSE(data["item"].contains("encrypted_content"));
            EXPECT_EQ(data["item"]["content"][0]["text"], "hmm");
        }
    }
    EXPECT_EQ(std::count_if(losses.begin(), losses.end(),
                            [](const Loss& l) { return l.code == Code::LossForeignSignature; }),
              1);
}

TEST(ResponsesStreamEncode,
     CallWithoutArgumentsSendsEmptyObjectAndKeepsItsName) {  // peers.md §2.19
    StreamEvent start = call_start(0, "call_x", "");
    StreamEvent end = part_end(0, PartType::ToolCall);
    end.tool_call.name = "list_files";
    Losses losses;
    std::string encoded =
        encode_events({start_event("r"), start, end, finish_event(StopReason::ToolUse)}, losses);
    for (const auto& [name, data] : frames(encoded)) {
        if (name == "response.function_call_arguments.done") {
            EXPECT_EQ(data["arguments"], "{}");
            EXPECT_EQ(data["name"], "list_files");
        }
        if (name == "response.output_item.done") {
            EXPECT_EQ(data["item"]["name"], "list_files");
        }
    }
    EXPECT_TRUE(has_loss(losses, Code::LossDefaultApplied));
}

TEST(ResponsesStreamEncode, DefaultNamespaceIsNotWrittenOnCalls) {
    Losses losses;
    std::string encoded =
        encode_events({start_event("r"), call_start(0, "c", "exec", ToolKind::Custom, "functions"),
                       part_end(0, PartType::ToolCall), finish_event(StopReason::ToolUse)},
                      losses);
    for (const auto& [name, data] : frames(encoded)) {
        if (name == "response.output_item.done") {
            EXPECT_FALSE(data["item"].contains("namespace"));
        }
    }
}

TEST(ResponsesStreamEncode, ReasoningCompletedFromPartEndWhenNoDeltasCame) {
    StreamEvent end = part_end(0, PartType::Reasoning);
    end.reasoning.origin = Protocol::Responses;
    end.reasoning.summary = {"s"};
    end.reasoning.text = "t";
    end.reasoning.encrypted_content = "enc";
    Losses losses;
    std::string encoded = encode_events({start_event("r"), part_start(0, PartType::Reasoning), end,
                                         finish_event(StopReason::EndTurn)},
                                        losses);
    expect_wire_rules(encoded);
    DecodedStream d = decode_stream(encoded);
    ASSERT_TRUE(d.status.ok());
    const StreamEvent& part_end_event = d.events[d.events.size() - 2];
    ReasoningPart want = end.reasoning;
    want.item_id = "rs_r_0";
    EXPECT_EQ(to_json(part_end_event.reasoning), to_json(want));
}

}  // namespace
}  // namespace wirecheck
