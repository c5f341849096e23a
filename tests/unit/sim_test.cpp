// The simulated endpoints (core/sim): every built-in profile loads; the field-report scenario
// reproduces the report's numbers exactly; replies answer the actual request (echo, tool calls with
// schema-built arguments, answers after tool results, real client captures); streams decode with
// our own decoders to the same content as the non-stream replies; each faulty scenario shows its
// fault; bad requests get 400s in the protocol's envelope; bad profiles are refused precisely.
//
// Sections: helpers · profiles · field report · real answers · client captures · streams ·
//           faulty scenarios · errors and routing
#include "wirecheck/sim.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "test_util.hpp"
#include "wirecheck/codec.hpp"

namespace wirecheck {
namespace {

// ---- helpers ------------------------------------------------------------------------------------

const char* const kScenarioNames[] = {"fieldreport-deepseek-v4-pro",
                                      "openai-native",
                                      "anthropic-native",
                                      "chat-only-gateway",
                                      "responses-no-completed",
                                      "messages-bad-order",
                                      "usage-as-strings",
                                      "reasoning-hog",
                                      "cors-blocked",
                                      "stream-drop",
                                      "slow-stream"};

Simulator sim(const std::string& name) {
    auto s = builtin_simulator(name);
    if (!s) ADD_FAILURE() << "no built-in scenario " << name;
    return s ? *s : *Simulator::from_profile(R"({"name":"x","description":"x"})");
}

const char* path_of(Protocol p) {
    switch (p) {
        case Protocol::Chat:
            return "/v1/chat/completions";
        case Protocol::Responses:
            return "/v1/responses";
        case Protocol::Messages:
            return "/v1/messages";
    }
    return "";
}

SimReply post(const Simulator& s, Protocol p, const Json& body, HttpHeaders headers = {}) {
    return s.handle("POST", path_of(p), headers, body.dump());
}

Json json_of(const SimReply& reply) {
    auto parsed = parse_json(reply.body());
    EXPECT_TRUE(parsed.ok()) << reply.body();
    return parsed.ok() ? *parsed : Json();
}

bool has_header(const SimReply& r, const std::string& name) {
    return !header_value(r.headers, name).empty();
}

// One-turn requests in each protocol.
Json chat_request(const std::string& model, const std::string& prompt, int max_tokens,
                  bool stream = false) {
    Json body = {{"model", model},
                 {"messages", Json::array({{{"role", "user"}, {"content", prompt}}})},
                 {"max_tokens", max_tokens}};
    if (stream) {
        body["stream"] = true;
        body["stream_options"] = {{"include_usage", true}};
    }
    return body;
}

Json responses_request(const std::string& model, const std::string& prompt, bool stream = false) {
    Json body = {{"model", model}, {"input", prompt}, {"max_output_tokens", 512}};
    if (stream) body["stream"] = true;
    return body;
}

Json messages_request(const std::string& model, const std::string& prompt, int max_tokens,
                      bool stream = false) {
    Json body = {{"model", model},
                 {"max_tokens", max_tokens},
                 {"messages", Json::array({{{"role", "user"}, {"content", prompt}}})}};
    if (stream) body["stream"] = true;
    return body;
}

Json request_for(Protocol p, const std::string& model, const std::string& prompt, bool stream) {
    switch (p) {
        case Protocol::Chat:
            return chat_request(model, prompt, 512, stream);
        case Protocol::Responses:
            return responses_request(model, prompt, stream);
        case Protocol::Messages:
            return messages_request(model, prompt, 512, stream);
    }
    return Json();
}

// What a reply says, protocol-neutral: compared between stream and non-stream replies.
struct Digest {
    std::string text;
    std::string reasoning;
    Json calls = Json::array();  // [{id, name, kind, arguments}]
    StopReason stop = StopReason::Unknown;
    std::optional<Usage> usage;
    bool error = false;

    Json as_json() const {
        Json u = usage ? Json{{"input", usage->input},
                              {"output", usage->output},
                              {"reasoning", usage->reasoning}}
                       : Json();
        return {{"text", text},   {"reasoning", reasoning},
                {"calls", calls}, {"stop", stop_reason_name(stop)},
                {"usage", u},     {"error", error}};
    }
};

Json call_json(const ToolCallPart& c) {
    return {{"id", c.id},
            {"name", c.name},
            {"kind", c.kind == ToolKind::Custom ? "custom" : "function"},
            {"arguments", c.arguments}};
}

Digest digest_body(Protocol p, const SimReply& reply) {
    Digest d;
    Losses losses;
    auto r = decode_response(p, json_of(reply), losses);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string()) << "\n" << reply.body();
    if (!r.ok()) return d;
    for (const Part& part : r->output) {
        if (const auto* t = std::get_if<TextPart>(&part)) d.text += t->text;
        if (const auto* c = std::get_if<ToolCallPart>(&part)) d.calls.push_back(call_json(*c));
        if (const auto* x = std::get_if<ReasoningPart>(&part)) {
            d.reasoning += x->text;
            for (const auto& s : x->summary) d.reasoning += s;
        }
    }
    d.stop = r->stop_reason;
    d.usage = r->usage;
    d.error = r->error.has_value();
    return d;
}

// Feeds the reply chunk by chunk (as delivered) through SseParser and our own stream decoder.
std::vector<StreamEvent> decode_reply_stream(Protocol p, const SimReply& reply,
                                             Status* failed = nullptr) {
    auto decoder = make_stream_decoder(p);
    SseParser parser;
    Losses losses;
    std::vector<StreamEvent> out;
    for (const std::string& chunk : reply.chunks) {
        std::vector<SseEvent> events;
        EXPECT_TRUE(parser.feed(chunk, events).ok());
        for (const SseEvent& e : events) {
            Status s = decoder->feed(e, out, losses);
            if (!s.ok()) {
                if (failed) *failed = s;
                return out;
            }
        }
    }
    std::vector<SseEvent> rest;
    EXPECT_TRUE(parser.finish(rest).ok());
    for (const SseEvent& e : rest) (void)decoder->feed(e, out, losses);
    (void)decoder->finish(out, losses);
    return out;
}

Digest digest_stream(Protocol p, const SimReply& reply) {
    Digest d;
    std::map<std::size_t, ToolCallPart> calls;
    for (const StreamEvent& e : decode_reply_stream(p, reply)) {
        switch (e.kind) {
            case StreamEvent::Kind::TextDelta:
                d.text += e.text;
                break;
            case StreamEvent::Kind::ReasoningDelta:
            case StreamEvent::Kind::SummaryDelta:
                d.reasoning += e.text;
                break;
            case StreamEvent::Kind::PartStart:
                if (e.part_type == PartType::ToolCall) calls[e.index] = e.tool_call;
                break;
            case StreamEvent::Kind::ArgumentsDelta:
                calls[e.index].arguments += e.text;
                break;
            case StreamEvent::Kind::Finish:
                d.stop = e.stop_reason;
                d.usage = e.usage;
                break;
            case StreamEvent::Kind::Error:
                d.error = true;
                break;
            default:
                break;
        }
    }
    for (const auto& [index, call] : calls) d.calls.push_back(call_json(call));
    return d;
}

std::vector<SseEvent> sse_events(const SimReply& reply) {
    SseParser parser;
    std::vector<SseEvent> out;
    EXPECT_TRUE(parser.feed(reply.body(), out).ok());
    EXPECT_TRUE(parser.finish(out).ok());
    return out;
}

std::vector<std::string> event_names(const SimReply& reply) {
    std::vector<std::string> names;
    for (const SseEvent& e : sse_events(reply)) names.push_back(e.event);
    return names;
}

Json load_capture(const std::string& name) {
    bool ok = false;
    std::string text = test::read_file(test::shared_path("fixtures/captures/" + name), &ok);
    EXPECT_TRUE(ok) << name;
    auto parsed = parse_json(text);
    return parsed.ok() ? (*parsed)["body_json"] : Json();
}

const char* const kFieldReport = "fieldreport-deepseek-v4-pro";
const char* const kProbeText = "DS-OK-8147";

// ---- profiles -----------------------------------------------------------------------------------

TEST(SimProfiles, EveryBuiltinProfileLoadsAndMatchesItsFile) {
    const auto& builtins = builtin_scenarios();
    ASSERT_EQ(builtins.size(), std::size(kScenarioNames));
    EXPECT_EQ(builtins.front().name, kDefaultScenario);
    for (const char* name : kScenarioNames) {
        bool ok = false;
        std::string text = test::read_file(
            test::source_path(std::string("assets/scenarios/") + name + ".json"), &ok);
        ASSERT_TRUE(ok) << name;
        auto loaded = Simulator::from_profile(text);
        ASSERT_TRUE(loaded.ok()) << name << ": " << loaded.error().to_string();
        EXPECT_EQ(loaded->name(), name);
        EXPECT_FALSE(loaded->description().empty());
        EXPECT_EQ(loaded->description().find('\n'), std::string::npos) << "one line: " << name;
        EXPECT_FALSE(loaded->model_ids().empty()) << name;
        auto builtin = std::find_if(builtins.begin(), builtins.end(),
                                    [&](const BuiltinScenario& b) { return b.name == name; });
        ASSERT_NE(builtin, builtins.end()) << name << " is not embedded";
        EXPECT_EQ(builtin->profile_json, text) << name << ": rebuild to re-embed";
        EXPECT_EQ(builtin->description, loaded->description());
        // The page in 简体中文 shows the Chinese line: one line, in Chinese, from the file.
        EXPECT_EQ(builtin->description_zh, parse_json(text).value()["description_zh"]) << name;
        EXPECT_EQ(builtin->description_zh.find('\n'), std::string::npos) << "one line: " << name;
        const std::string& zh = builtin->description_zh;
        bool han = std::any_of(zh.begin(), zh.end(), [](char c) {  // U+4E00..U+9FFF lead bytes
            return static_cast<unsigned char>(c) >= 0xE4 && static_cast<unsigned char>(c) <= 0xE9;
        });
        EXPECT_TRUE(han) << name << " has no Chinese description";
    }
    EXPECT_FALSE(builtin_simulator("no-such-scenario"));
}

TEST(SimProfiles, BadProfilesAreRefusedWithThePointer) {
    auto unknown = Simulator::from_profile(
        R"({"name":"a","description":"d","endpoints":{"chat":{"mode":"native","quirk":{}}}})");
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, Code::SimBadProfile);
    EXPECT_EQ(unknown.error().pointer, "/endpoints/chat/quirk");

    auto type = Simulator::from_profile(
        R"({"name":"a","description":"d","model":{"reasoning_tokens_per_call":"28"}})");
    ASSERT_FALSE(type.ok());
    EXPECT_EQ(type.error().code, Code::JsonWrongType);
    EXPECT_EQ(type.error().pointer, "/model/reasoning_tokens_per_call");

    auto self = Simulator::from_profile(
        R"({"name":"a","description":"d","endpoints":{"chat":{"mode":"converted","via":"chat"}}})");
    ASSERT_FALSE(self.ok());
    EXPECT_EQ(self.error().pointer, "/endpoints/chat/via");

    auto mode = Simulator::from_profile(
        R"({"name":"a","description":"d","endpoints":{"responses":{"mode":"broken"}}})");
    ASSERT_FALSE(mode.ok());
    EXPECT_EQ(mode.error().code, Code::SimBadProfile);
    EXPECT_NE(mode.error().message.find("native, converted, error, absent"), std::string::npos);

    auto zh = Simulator::from_profile(R"({"name":"a","description":"d","description_zh":1})");
    ASSERT_FALSE(zh.ok());
    EXPECT_EQ(zh.error().code, Code::JsonWrongType);
    EXPECT_EQ(zh.error().pointer, "/description_zh");

    auto missing = Simulator::from_profile(R"({"description":"d"})");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, Code::JsonMissingField);
    EXPECT_EQ(missing.error().pointer, "/name");

    EXPECT_EQ(Simulator::from_profile("{").error().code, Code::JsonMalformed);
}

// ---- field report (2026-07-05): every number exactly --------------------------------------------

TEST(SimFieldReport, ModelListShowsNewApiEndpointTypes) {
    SimReply r = sim(kFieldReport).handle("GET", "/v1/models", {}, "");
    EXPECT_EQ(r.status, 200);
    Json body = json_of(r);
    EXPECT_EQ(body["success"], true);
    EXPECT_EQ(body["object"], "list");
    ASSERT_EQ(body["data"].size(), 1u);
    const Json& m = body["data"][0];
    EXPECT_EQ(m["id"], "deepseek-v4-pro");
    EXPECT_EQ(m["object"], "model");
    EXPECT_EQ(m["owned_by"], "custom");
    EXPECT_EQ(m["supported_endpoint_types"], Json::array({"openai"}));
    EXPECT_EQ(m["public_endpoint_types"], Json::array({"openai"}));
}

TEST(SimFieldReport, ChatWithBudget128ReturnsTheExactTextAndStop) {
    Json body = json_of(
        post(sim(kFieldReport), Protocol::Chat,
             chat_request("deepseek-v4-pro", std::string("Return exactly: ") + kProbeText, 128)));
    const Json& choice = body["choices"][0];
    EXPECT_EQ(choice["message"]["content"], kProbeText);
    EXPECT_EQ(choice["finish_reason"], "stop");
    EXPECT_FALSE(choice["message"]["reasoning_content"].get<std::string>().empty());
    EXPECT_EQ(body["usage"]["completion_tokens_details"]["reasoning_tokens"], 28);
    EXPECT_EQ(body["usage"]["completion_tokens"], 28 + 10);
    EXPECT_EQ(body["model"], "deepseek-v4-pro");
    EXPECT_EQ(body["object"], "chat.completion");
}

TEST(SimFieldReport, ChatWithBudget30LeavesTwoVisibleCharactersAndLength) {
    Json body = json_of(
        post(sim(kFieldReport), Protocol::Chat,
             chat_request("deepseek-v4-pro", std::string("Return exactly: ") + kProbeText, 30)));
    const Json& choice = body["choices"][0];
    EXPECT_EQ(choice["message"]["content"], "DS");
    EXPECT_EQ(choice["finish_reason"], "length");
    EXPECT_EQ(body["usage"]["completion_tokens"], 30);
    EXPECT_EQ(body["usage"]["completion_tokens_details"]["reasoning_tokens"], 28);
    EXPECT_EQ(body["usage"]["total_tokens"].get<int>(),
              body["usage"]["prompt_tokens"].get<int>() + 30);
}

TEST(SimFieldReport, ResponsesIsTheExact400FromNewApi) {
    SimReply r = post(sim(kFieldReport), Protocol::Responses,
                      responses_request("deepseek-v4-pro", "Return exactly: hi"));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(
        r.body(),
        R"({"error":{"message":"Invalid request.","type":"new_api_error","code":"convert_request_failed"}})");
    EXPECT_EQ(header_value(r.headers, "content-type"), "application/json");
    // Streaming or not, the gateway refuses before any conversion.
    SimReply s = post(sim(kFieldReport), Protocol::Responses,
                      responses_request("deepseek-v4-pro", "Return exactly: hi", true));
    EXPECT_EQ(s.status, 400);
    EXPECT_EQ(s.body(), r.body());
}

TEST(SimFieldReport, MessagesAnswersTextThroughTheChatConversion) {
    Json body = json_of(post(
        sim(kFieldReport), Protocol::Messages,
        messages_request("deepseek-v4-pro", std::string("Return exactly: ") + kProbeText, 128)));
    EXPECT_EQ(body["type"], "message");
    EXPECT_EQ(body["role"], "assistant");
    EXPECT_EQ(body["stop_reason"], "end_turn");
    const Json& content = body["content"];
    ASSERT_FALSE(content.empty());
    EXPECT_EQ(content.back()["type"], "text");
    EXPECT_EQ(content.back()["text"], kProbeText);
    // DeepSeek's reasoning_content crossed the gateway as a thinking block (no signature: Chat has
    // none).
    EXPECT_EQ(content.front()["type"], "thinking");
    EXPECT_EQ(body["usage"]["output_tokens"], 38);
}

TEST(SimFieldReport, ConvertedMessagesStreamStartsWithTheInputCount) {
    SimReply r = post(sim(kFieldReport), Protocol::Messages,
                      messages_request("deepseek-v4-pro", "Return exactly: hi", 128, true));
    auto events = sse_events(r);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().event, "message_start");
    Json start = parse_json(events.front().data).value();
    EXPECT_GT(start["message"]["usage"]["input_tokens"].get<int>(), 0)
        << "the gateway counts prompt tokens itself (peers.md §2.20)";
    EXPECT_EQ(events.back().event, "message_stop");
}

Json timezone_tool() {
    return {{"name", "get_city_timezone"},
            {"description", "Get the IANA timezone of a city"},
            {"input_schema",
             {{"type", "object"},
              {"properties", {{"city", {{"type", "string"}, {"description", "City name"}}}}},
              {"required", Json::array({"city"})}}}};
}

TEST(SimFieldReport, MessagesToolLoopCallsGetCityTimezoneThenAnswers) {
    Simulator s = sim(kFieldReport);
    Json turn1 =
        messages_request("deepseek-v4-pro",
                         "What is the timezone of Beijing? Use the get_city_timezone tool.", 1024);
    turn1["tools"] = Json::array({timezone_tool()});
    SimReply r1 = post(s, Protocol::Messages, turn1);
    ASSERT_EQ(r1.status, 200) << r1.body();
    Json b1 = json_of(r1);
    EXPECT_EQ(b1["stop_reason"], "tool_use");
    const Json& use = b1["content"].back();
    ASSERT_EQ(use["type"], "tool_use") << b1.dump();
    EXPECT_EQ(use["name"], "get_city_timezone");
    EXPECT_EQ(use["input"], Json({{"city", "Beijing"}}));
    std::string id = use["id"].get<std::string>();
    EXPECT_EQ(id.rfind("call_00_", 0), 0u) << id;
    EXPECT_GT(id.size(), 8u + 16u);

    Json turn2 = turn1;
    turn2["messages"].push_back({{"role", "assistant"}, {"content", b1["content"]}});
    turn2["messages"].push_back({{"role", "user"},
                                 {"content", Json::array({{{"type", "tool_result"},
                                                           {"tool_use_id", id},
                                                           {"content", "Asia/Shanghai"}}})}});
    SimReply r2 = post(s, Protocol::Messages, turn2);
    ASSERT_EQ(r2.status, 200) << r2.body();
    Json b2 = json_of(r2);
    EXPECT_EQ(b2["stop_reason"], "end_turn");
    EXPECT_EQ(b2["content"].back()["text"], "The timezone for Beijing is Asia/Shanghai.");
}

TEST(SimFieldReport, ChatToolLoopUsesDeepSeekIdsAndTheResult) {
    Simulator s = sim(kFieldReport);
    Json req = chat_request("deepseek-v4-pro", "Which timezone is Lisbon in?", 512);
    req["tools"] = Json::array(
        {{{"type", "function"},
          {"function",
           {{"name", "get_city_timezone"}, {"parameters", timezone_tool()["input_schema"]}}}}});
    Json b1 = json_of(post(s, Protocol::Chat, req));
    EXPECT_EQ(b1["choices"][0]["finish_reason"], "tool_calls");
    const Json& call = b1["choices"][0]["message"]["tool_calls"][0];
    EXPECT_EQ(call["function"]["arguments"], R"({"city":"Lisbon"})");
    EXPECT_EQ(call["id"].get<std::string>().rfind("call_00_", 0), 0u);
    req["messages"].push_back(b1["choices"][0]["message"]);
    req["messages"].push_back(
        {{"role", "tool"}, {"tool_call_id", call["id"]}, {"content", "Europe/Lisbon"}});
    Json b2 = json_of(post(s, Protocol::Chat, req));
    EXPECT_EQ(b2["choices"][0]["message"]["content"], "The timezone for Lisbon is Europe/Lisbon.");
    EXPECT_EQ(b2["choices"][0]["finish_reason"], "stop");
}

// ---- real answers to the actual request ---------------------------------------------------------

TEST(SimAnswers, ReturnExactlyEchoesArbitraryTextOnEveryProtocol) {
    const std::vector<std::string> texts = {
        "PONG", "two words", "你好，世界", "a \"quoted\" {json}", "x1-y2_z3 !?", "Tab\there"};
    struct Case {
        const char* scenario;
        Protocol protocol;
        const char* model;
    };
    for (const Case& c : {Case{"openai-native", Protocol::Chat, "gpt-5.5"},
                          Case{"openai-native", Protocol::Responses, "gpt-5.5"},
                          Case{"anthropic-native", Protocol::Messages, "claude-sonnet-4-5"},
                          Case{kFieldReport, Protocol::Chat, "deepseek-v4-pro"},
                          Case{kFieldReport, Protocol::Messages, "deepseek-v4-pro"}}) {
        Simulator s = sim(c.scenario);
        for (const std::string& text : texts) {
            SimReply r = post(s, c.protocol,
                              request_for(c.protocol, c.model, "Return exactly: " + text, false));
            ASSERT_EQ(r.status, 200) << r.body();
            Digest d = digest_body(c.protocol, r);
            EXPECT_EQ(d.text, text) << c.scenario << " " << protocol_name(c.protocol);
            EXPECT_EQ(d.stop, StopReason::EndTurn);
        }
    }
}

TEST(SimAnswers, DifferentPromptsGetDifferentAnswersAndTheSameRequestTheSameBytes) {
    Simulator s = sim("openai-native");
    SimReply a = post(s, Protocol::Chat, chat_request("gpt-5.5", "Tell me about rivers.", 512));
    SimReply b = post(s, Protocol::Chat, chat_request("gpt-5.5", "Tell me about mountains.", 512));
    SimReply a2 = post(s, Protocol::Chat, chat_request("gpt-5.5", "Tell me about rivers.", 512));
    Digest da = digest_body(Protocol::Chat, a), db = digest_body(Protocol::Chat, b);
    EXPECT_NE(da.text, db.text);
    EXPECT_NE(da.text.find("rivers"), std::string::npos) << da.text;
    EXPECT_EQ(a.body(), a2.body()) << "deterministic: no clock, no randomness";
    EXPECT_NE(json_of(a)["id"], json_of(b)["id"]);
    EXPECT_EQ(json_of(a)["created"], 1783209600);
    // "reply with exactly X" (no colon) takes the next word without the sentence's full stop.
    Digest dc = digest_body(
        Protocol::Chat,
        post(s, Protocol::Chat, chat_request("gpt-5.5", "Please reply with exactly DONE.", 512)));
    EXPECT_EQ(dc.text, "DONE");
}

TEST(SimAnswers, ToolArgumentsComeFromTheSchemaAndThePrompt) {
    Simulator s = sim("chat-only-gateway");
    Json params = {{"type", "object"},
                   {"properties",
                    {{"city", {{"type", "string"}}},
                     {"days", {{"type", "integer"}}},
                     {"unit", {{"type", "string"}, {"enum", {"celsius", "fahrenheit"}}}},
                     {"verbose", {{"type", "boolean"}}}}},
                   {"required", {"city", "days", "unit"}}};
    Json req =
        chat_request("qwen3-coder-30b", "Give me the weather forecast for Paris for 3 days.", 512);
    req["tools"] =
        Json::array({{{"type", "function"},
                      {"function", {{"name", "list_files"}, {"parameters", Json::object()}}}},
                     {{"type", "function"},
                      {"function",
                       {{"name", "get_weather_forecast"},
                        {"description", "Weather forecast"},
                        {"parameters", params}}}}});
    Json body = json_of(post(s, Protocol::Chat, req));
    const Json& call = body["choices"][0]["message"]["tool_calls"][0];
    EXPECT_EQ(call["function"]["name"], "get_weather_forecast");
    EXPECT_EQ(parse_json(call["function"]["arguments"].get<std::string>()).value(),
              Json({{"city", "Paris"}, {"days", 3}, {"unit", "celsius"}}));
    EXPECT_EQ(call["id"].get<std::string>().rfind("call_", 0), 0u);

    // tool_choice none: no call, even when a tool matches.
    req["tool_choice"] = "none";
    EXPECT_EQ(json_of(post(s, Protocol::Chat, req))["choices"][0]["finish_reason"], "stop");
    // No matching tool and no request to use one: a plain answer.
    req.erase("tool_choice");
    req["messages"][0]["content"] = "Say something nice.";
    EXPECT_FALSE(
        json_of(post(s, Protocol::Chat, req))["choices"][0]["message"].contains("tool_calls"));
}

TEST(SimAnswers, JsonToolResultsAndCustomToolsAnswerWithTheValue) {
    Simulator s = sim("openai-native");
    const std::string prompt =
        "What is the time zone of Beijing? Call the lookup_timezone tool with the city name as its "
        "input, then answer with the IANA time zone name only.";
    Json req = {
        {"model", "gpt-5.5"},
        {"input", Json::array({{{"type", "message"}, {"role", "user"}, {"content", prompt}}})},
        {"tools", Json::array({{{"type", "custom"},
                                {"name", "lookup_timezone"},
                                {"description", "Looks up the IANA time zone of a city."},
                                {"format", {{"type", "text"}}}}})}};
    Json b1 = json_of(post(s, Protocol::Responses, req));
    ASSERT_EQ(b1["output"].back()["type"], "custom_tool_call") << b1.dump();
    EXPECT_EQ(b1["output"].back()["input"], "Beijing");
    std::string call_id = b1["output"].back()["call_id"];
    req["input"].push_back({{"type", "custom_tool_call"},
                            {"call_id", call_id},
                            {"name", "lookup_timezone"},
                            {"input", "Beijing"}});
    req["input"].push_back(
        {{"type", "custom_tool_call_output"}, {"call_id", call_id}, {"output", "Asia/Shanghai"}});
    Digest d = digest_body(Protocol::Responses, post(s, Protocol::Responses, req));
    EXPECT_EQ(d.text, "The timezone for Beijing is Asia/Shanghai.");

    // A JSON tool result: the field named like the subject is the answer.
    Json chat = chat_request(
        "gpt-5.5", "What is the time zone of Beijing? Call the get_city_timezone tool.", 512);
    chat["tools"] = Json::array(
        {{{"type", "function"},
          {"function",
           {{"name", "get_city_timezone"}, {"parameters", timezone_tool()["input_schema"]}}}}});
    Json c1 = json_of(post(s, Protocol::Chat, chat));
    const Json& call = c1["choices"][0]["message"]["tool_calls"][0];
    chat["messages"].push_back(c1["choices"][0]["message"]);
    chat["messages"].push_back(
        {{"role", "tool"},
         {"tool_call_id", call["id"]},
         {"content", R"({"city":"Beijing","timezone":"Asia/Shanghai","utc_offset":"+08:00"})"}});
    EXPECT_EQ(digest_body(Protocol::Chat, post(s, Protocol::Chat, chat)).text,
              "The timezone for Beijing is Asia/Shanghai.");
    // Chat has no is_error: an error text is passed on as the value.
    chat["messages"].back()["content"] = "Error: unknown city";
    EXPECT_NE(digest_body(Protocol::Chat, post(s, Protocol::Chat, chat)).text.find("unknown city"),
              std::string::npos);
}

// ---- real client captures -----------------------------------------------------------------------

TEST(SimClients, CodexClassicRunsExecCommandThenRepliesDone) {
    Simulator s = sim("openai-native");
    Json turn1 = load_capture("codex-classic-turn1.json");
    SimReply r1 = post(s, Protocol::Responses, turn1);
    ASSERT_EQ(r1.status, 200) << r1.body();
    EXPECT_EQ(header_value(r1.headers, "Content-Type"), "text/event-stream; charset=utf-8");
    Digest d1 = digest_stream(Protocol::Responses, r1);
    ASSERT_EQ(d1.calls.size(), 1u) << d1.as_json().dump(1);
    EXPECT_EQ(d1.calls[0]["name"], "exec_command");
    EXPECT_EQ(parse_json(d1.calls[0]["arguments"].get<std::string>()).value(),
              Json({{"cmd", "echo HARNESS_OK > proof.txt"}}));
    EXPECT_EQ(event_names(r1).back(), "response.completed");

    SimReply r2 = post(s, Protocol::Responses, load_capture("codex-classic-turn2.json"));
    Digest d2 = digest_stream(Protocol::Responses, r2);
    EXPECT_EQ(d2.text, "DONE");
    EXPECT_TRUE(d2.calls.empty());
}

TEST(SimClients, CodexCustomExecToolGetsRawJavaScriptInput) {
    Simulator s = sim("openai-native");
    SimReply r1 = post(s, Protocol::Responses, load_capture("codex-turn1.json"));
    ASSERT_EQ(r1.status, 200) << r1.body();
    Digest d1 = digest_stream(Protocol::Responses, r1);
    ASSERT_EQ(d1.calls.size(), 1u) << d1.as_json().dump(1);
    EXPECT_EQ(d1.calls[0]["name"], "exec");
    EXPECT_EQ(d1.calls[0]["kind"], "custom");
    EXPECT_EQ(d1.calls[0]["arguments"],
              "const r = await tools.exec_command({ cmd: \"echo HARNESS_OK > proof.txt\" "
              "});\ntext(r);\n");
    bool custom_item = false;
    for (const SseEvent& e : sse_events(r1)) {
        custom_item = custom_item || (e.event == "response.output_item.done" &&
                                      e.data.find("\"custom_tool_call\"") != std::string::npos);
    }
    EXPECT_TRUE(custom_item) << "Codex needs a custom_tool_call item, not a function_call";

    Digest d2 = digest_stream(Protocol::Responses,
                              post(s, Protocol::Responses, load_capture("codex-turn2.json")));
    EXPECT_EQ(d2.text, "DONE");
}

TEST(SimClients, ClaudeCodeCallsBashThenRepliesDone) {
    for (const char* scenario : {"anthropic-native", kFieldReport}) {
        Simulator s = sim(scenario);
        SimReply r1 = post(s, Protocol::Messages, load_capture("claude-turn1.json"));
        ASSERT_EQ(r1.status, 200) << r1.body();
        Digest d1 = digest_stream(Protocol::Messages, r1);
        ASSERT_EQ(d1.calls.size(), 1u) << scenario << d1.as_json().dump(1);
        EXPECT_EQ(d1.calls[0]["name"], "Bash");
        EXPECT_EQ(parse_json(d1.calls[0]["arguments"].get<std::string>()).value(),
                  Json({{"command", "echo HARNESS_OK > proof.txt"}}));
        EXPECT_EQ(d1.stop, StopReason::ToolUse);
        for (const char* turn2 : {"claude-turn2.json", "claude-thinking-turn2.json"}) {
            Digest d2 =
                digest_stream(Protocol::Messages, post(s, Protocol::Messages, load_capture(turn2)));
            EXPECT_EQ(d2.text, "DONE") << scenario << " " << turn2;
        }
    }
}

TEST(SimClients, AnthropicThinksOnlyWhenAskedAndSignsIt) {
    Simulator s = sim("anthropic-native");
    Json plain =
        json_of(post(s, Protocol::Messages, messages_request("claude-sonnet-4-5", "hi", 256)));
    EXPECT_EQ(plain["content"][0]["type"], "text");
    Json req = messages_request("claude-sonnet-4-5", "hi", 4096);
    req["thinking"] = {{"type", "enabled"}, {"budget_tokens", 1024}};
    Json thinking = json_of(post(s, Protocol::Messages, req));
    ASSERT_EQ(thinking["content"][0]["type"], "thinking");
    EXPECT_FALSE(thinking["content"][0]["signature"].get<std::string>().empty());
}

// ---- streams ------------------------------------------------------------------------------------

TEST(SimStreams, StreamsDecodeToTheSameContentAsNonStreamReplies) {
    struct Case {
        const char* scenario;
        Protocol protocol;
        const char* model;
        const char* prompt;
        bool tool;
    };
    const Case cases[] = {
        {kFieldReport, Protocol::Chat, "deepseek-v4-pro", "Return exactly: DS-OK-8147", false},
        {kFieldReport, Protocol::Chat, "deepseek-v4-pro", "What is the timezone of Beijing?", true},
        {kFieldReport, Protocol::Messages, "deepseek-v4-pro", "Return exactly: 北京时间", false},
        {kFieldReport, Protocol::Messages, "deepseek-v4-pro", "Timezone of Beijing? Use the tool.",
         true},
        {"openai-native", Protocol::Chat, "gpt-5.5", "Describe the sea in a few words.", false},
        {"openai-native", Protocol::Responses, "gpt-5.5", "Return exactly: streamed text ok",
         false},
        {"openai-native", Protocol::Responses, "gpt-5.5", "What is the timezone of Beijing?", true},
        {"anthropic-native", Protocol::Messages, "claude-sonnet-4-5",
         "Return exactly: A B C D E F G H", false},
        {"anthropic-native", Protocol::Messages, "claude-sonnet-4-5",
         "Call the timezone tool for Oslo.", true},
        {"chat-only-gateway", Protocol::Chat, "qwen3-coder-30b", "Use the tool for Tokyo.", true},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(std::string(c.scenario) + " " + std::string(protocol_name(c.protocol)) + " " +
                     c.prompt);
        Simulator s = sim(c.scenario);
        Json plain = request_for(c.protocol, c.model, c.prompt, false);
        if (c.tool) {
            Json tool = timezone_tool();
            if (c.protocol == Protocol::Chat) {
                tool = {{"type", "function"},
                        {"function",
                         {{"name", tool["name"]},
                          {"description", tool["description"]},
                          {"parameters", tool["input_schema"]}}}};
            } else if (c.protocol == Protocol::Responses) {
                tool = {{"type", "function"},
                        {"name", tool["name"]},
                        {"description", tool["description"]},
                        {"parameters", tool["input_schema"]}};
            }
            plain["tools"] = Json::array({tool});
        }
        Json streamed = plain;
        streamed["stream"] = true;
        if (c.protocol == Protocol::Chat) streamed["stream_options"] = {{"include_usage", true}};
        SimReply r1 = post(s, c.protocol, plain);
        SimReply r2 = post(s, c.protocol, streamed);
        ASSERT_EQ(r1.status, 200) << r1.body();
        ASSERT_EQ(r2.status, 200) << r2.body();
        EXPECT_GT(r2.chunks.size(), 4u);
        Digest a = digest_body(c.protocol, r1), b = digest_stream(c.protocol, r2);
        EXPECT_EQ(a.as_json(), b.as_json());
        EXPECT_EQ(a.calls.size(), c.tool ? 1u : 0u);
        EXPECT_FALSE(b.error);
    }
}

TEST(SimStreams, EveryChunkIsOneSseEventAndArgumentsArriveInPieces) {
    Simulator s = sim("chat-only-gateway");
    Json req = chat_request("qwen3-coder-30b", "Use the tool for Tokyo.", 512, true);
    req["tools"] = Json::array(
        {{{"type", "function"},
          {"function",
           {{"name", "get_city_timezone"}, {"parameters", timezone_tool()["input_schema"]}}}}});
    SimReply r = post(s, Protocol::Chat, req);
    int argument_chunks = 0;
    for (const std::string& chunk : r.chunks) {
        SseParser parser;
        std::vector<SseEvent> events;
        ASSERT_TRUE(parser.feed(chunk, events).ok());
        EXPECT_EQ(events.size(), 1u) << chunk;
        if (chunk.find("\"arguments\":\"") != std::string::npos &&
            chunk.find("\"arguments\":\"\"") == std::string::npos)
            ++argument_chunks;
    }
    EXPECT_GE(argument_chunks, 2);
    EXPECT_EQ(r.chunks.back(), "data: [DONE]\n\n");
}

TEST(SimStreams, IncludeUsageIsHonoured) {
    Simulator s = sim("openai-native");
    Json req = chat_request("gpt-5.5", "Return exactly: ok", 512, true);
    EXPECT_NE(post(s, Protocol::Chat, req).body().find("\"usage\":{"), std::string::npos);
    req.erase("stream_options");
    EXPECT_EQ(post(s, Protocol::Chat, req).body().find("\"usage\":{"), std::string::npos);
}

// ---- faulty scenarios ---------------------------------------------------------------------------

TEST(SimFaults, ResponsesNoCompletedEndsWithoutTheTerminalEvent) {
    Simulator s = sim("responses-no-completed");
    SimReply r =
        post(s, Protocol::Responses, responses_request("gpt-5.5-mini", "Return exactly: hi", true));
    ASSERT_EQ(r.status, 200);
    auto names = event_names(r);
    EXPECT_EQ(std::count(names.begin(), names.end(), "response.completed"), 0);
    EXPECT_EQ(std::count(names.begin(), names.end(), "response.output_item.done"), 1);
    Digest d = digest_stream(Protocol::Responses, r);
    EXPECT_EQ(d.text, "hi");
    EXPECT_TRUE(d.error) << "our decoder reports the truncation";
    // Non-streaming is fine.
    EXPECT_EQ(json_of(post(s, Protocol::Responses,
                           responses_request("gpt-5.5-mini", "Return exactly: hi")))["status"],
              "completed");
}

TEST(SimFaults, MessagesBadOrderSendsADeltaBeforeItsBlockStart) {
    Simulator s = sim("messages-bad-order");
    SimReply r = post(s, Protocol::Messages,
                      messages_request("claude-haiku-4-5", "Return exactly: hi", 256, true));
    auto names = event_names(r);
    auto delta = std::find(names.begin(), names.end(), "content_block_delta");
    auto start = std::find(names.begin(), names.end(), "content_block_start");
    ASSERT_NE(delta, names.end());
    ASSERT_NE(start, names.end());
    EXPECT_LT(delta - names.begin(), start - names.begin());
    Status failed;
    decode_reply_stream(Protocol::Messages, r, &failed);
    EXPECT_FALSE(failed.ok());
    EXPECT_EQ(failed.error().code, Code::SseBadEventData);
    EXPECT_EQ(digest_body(Protocol::Messages,
                          post(s, Protocol::Messages,
                               messages_request("claude-haiku-4-5", "Return exactly: hi", 256)))
                  .text,
              "hi");
}

TEST(SimFaults, UsageAsStringsOnEveryEndpoint) {
    Simulator s = sim("usage-as-strings");
    Json chat = json_of(post(s, Protocol::Chat, chat_request("glm-4.6", "Return exactly: x", 64)));
    EXPECT_TRUE(chat["usage"]["prompt_tokens"].is_string());
    EXPECT_TRUE(chat["usage"]["completion_tokens_details"]["reasoning_tokens"].is_string());
    EXPECT_EQ(chat["choices"][0]["message"]["content"], "x");

    SimReply stream =
        post(s, Protocol::Chat, chat_request("glm-4.6", "Return exactly: x", 64, true));
    EXPECT_NE(stream.body().find("\"completion_tokens\":\"1\""), std::string::npos)
        << stream.body();

    SimReply responses =
        post(s, Protocol::Responses, responses_request("glm-4.6", "Return exactly: x", true));
    const auto events = sse_events(responses);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().event, "response.completed");
    Json completed = parse_json(events.back().data).value();
    EXPECT_TRUE(completed["response"]["usage"]["output_tokens"].is_string());
    EXPECT_EQ(completed["type"], "response.completed") << "event order of keys kept";
    EXPECT_EQ(events.back().data.rfind("{\"type\":\"response.completed\",\"sequence_number\":", 0),
              0u);

    Json messages =
        json_of(post(s, Protocol::Messages, messages_request("glm-4.6", "Return exactly: x", 64)));
    EXPECT_TRUE(messages["usage"]["output_tokens"].is_string());
}

TEST(SimFaults, ReasoningHogEatsTheWholeBudget) {
    Simulator s = sim("reasoning-hog");
    Json body = json_of(
        post(s, Protocol::Chat, chat_request("thinker-max", "Return exactly: hello", 1024)));
    EXPECT_EQ(body["choices"][0]["finish_reason"], "length");
    EXPECT_EQ(body["choices"][0]["message"]["content"], "");
    EXPECT_EQ(body["usage"]["completion_tokens"], 1024);
    EXPECT_EQ(body["usage"]["completion_tokens_details"]["reasoning_tokens"], 1024);
    // With room to spare the answer comes through.
    Json roomy = json_of(
        post(s, Protocol::Chat, chat_request("thinker-max", "Return exactly: hello", 5000)));
    EXPECT_EQ(roomy["choices"][0]["message"]["content"], "hello");
    EXPECT_EQ(roomy["usage"]["completion_tokens_details"]["reasoning_tokens"], 4000);
    Json messages = json_of(post(s, Protocol::Messages,
                                 messages_request("thinker-max", "Return exactly: hello", 2048)));
    EXPECT_EQ(messages["stop_reason"], "max_tokens");
}

TEST(SimFaults, CorsBlockedFailsInABrowserButStillAnswers) {
    Simulator s = sim("cors-blocked");
    SimReply r = post(s, Protocol::Chat, chat_request("gpt-5.5", "Return exactly: hi", 64),
                      {{"Origin", "http://localhost:5173"}});
    ASSERT_TRUE(r.failure);
    EXPECT_EQ(*r.failure, FailureKind::Cors);
    EXPECT_EQ(failure_kind_name(*r.failure), "cors");
    EXPECT_NE(r.failure_message.find("blocked by CORS policy"), std::string::npos);
    EXPECT_NE(r.failure_message.find("http://localhost:5173"), std::string::npos);
    EXPECT_FALSE(has_header(r, "Access-Control-Allow-Origin"));
    EXPECT_EQ(r.status, 200);  // what curl would see
    EXPECT_EQ(digest_body(Protocol::Chat, r).text, "hi");
    SimReply preflight = s.handle("OPTIONS", "/v1/chat/completions", {}, "");
    EXPECT_TRUE(preflight.failure);
    EXPECT_FALSE(has_header(preflight, "Access-Control-Allow-Headers"));

    SimReply ok = post(sim("openai-native"), Protocol::Chat, chat_request("gpt-5.5", "hi", 64));
    EXPECT_FALSE(ok.failure);
    EXPECT_EQ(header_value(ok.headers, "access-control-allow-origin"), "*");
}

TEST(SimFaults, SlowStreamPacesSeveralChunks) {
    Simulator s = sim("slow-stream");
    SimReply r =
        post(s, Protocol::Chat,
             chat_request("slow-model", "Return exactly: one two three four five six", 512, true));
    EXPECT_EQ(r.delay_ms_per_chunk, 150);
    EXPECT_GE(r.chunks.size(), 6u);
    EXPECT_FALSE(r.drop_after_chunks);
    EXPECT_EQ(post(sim("openai-native"), Protocol::Chat, chat_request("gpt-5.5", "x", 64, true))
                  .delay_ms_per_chunk,
              0);
}

TEST(SimFaults, DropMidStreamCutsTheConnection) {
    auto s = Simulator::from_profile(R"({"name":"drop","description":"drops",
        "endpoints":{"chat":{"mode":"native","headers":{"Retry-After":"3"},
                             "quirks":{"drop_mid_stream":3}}}})");
    ASSERT_TRUE(s.ok()) << s.error().to_string();
    SimReply r = post(*s, Protocol::Chat,
                      chat_request("m", "Return exactly: a b c d e f g h i j", 512, true));
    EXPECT_TRUE(r.drop_after_chunks);
    EXPECT_EQ(r.chunks.size(), 3u);
    EXPECT_TRUE(digest_stream(Protocol::Chat, r).error);
    SimReply plain = post(*s, Protocol::Chat, chat_request("m", "x", 64));
    EXPECT_FALSE(plain.drop_after_chunks) << "only streams drop";
    EXPECT_EQ(header_value(plain.headers, "Retry-After"), "3");
}

// ---- errors and routing -------------------------------------------------------------------------

TEST(SimErrors, MalformedRequestsGetA400InTheProtocolsEnvelope) {
    Simulator s = sim("openai-native");
    SimReply bad_json = s.handle("POST", "/v1/chat/completions", {}, "{\"model\":");
    EXPECT_EQ(bad_json.status, 400);
    Json e = json_of(bad_json);
    EXPECT_EQ(e["error"]["type"], "invalid_request_error");
    EXPECT_EQ(e["error"]["code"], "json.malformed");

    SimReply wrong = post(s, Protocol::Chat, Json{{"model", "gpt-5.5"}, {"messages", 5}});
    EXPECT_EQ(wrong.status, 400);
    Json w = json_of(wrong);
    EXPECT_EQ(w["error"]["code"], "json.wrong_type");
    EXPECT_NE(w["error"]["message"].get<std::string>().find("/messages"), std::string::npos);

    SimReply responses = post(s, Protocol::Responses, Json{{"model", "gpt-5.5"}, {"input", 5}});
    EXPECT_EQ(responses.status, 400);
    EXPECT_TRUE(json_of(responses)["error"].contains("message"));

    SimReply messages =
        post(sim("anthropic-native"), Protocol::Messages, Json{{"model", "claude-sonnet-4-5"}});
    EXPECT_EQ(messages.status, 400);
    Json m = json_of(messages);
    EXPECT_EQ(m["type"], "error");
    EXPECT_EQ(m["error"]["type"], "invalid_request_error");
    EXPECT_NE(m["error"]["message"].get<std::string>().find("json.missing_field"),
              std::string::npos);
}

TEST(SimErrors, AbsentEndpointsAre404InTheServersStyle) {
    SimReply openai = post(sim("chat-only-gateway"), Protocol::Responses,
                           responses_request("qwen3-coder-30b", "hi"));
    EXPECT_EQ(openai.status, 404);
    EXPECT_EQ(json_of(openai)["error"]["message"], "Invalid URL (POST /v1/responses)");
    EXPECT_EQ(post(sim("chat-only-gateway"), Protocol::Messages,
                   messages_request("qwen3-coder-30b", "hi", 64))
                  .status,
              404);
    EXPECT_EQ(post(sim("openai-native"), Protocol::Messages, messages_request("gpt-5.5", "hi", 64))
                  .status,
              404);
    SimReply anthropic =
        post(sim("anthropic-native"), Protocol::Chat, chat_request("claude-sonnet-4-5", "hi", 64));
    EXPECT_EQ(anthropic.status, 404);
    EXPECT_EQ(json_of(anthropic)["error"]["type"], "not_found_error");
    EXPECT_EQ(sim("openai-native").handle("GET", "/v1/nothing", {}, "").status, 404);
}

TEST(SimRouting, HeadOptionsModelsAndQueries) {
    Simulator s = sim("anthropic-native");
    SimReply head = s.handle("HEAD", "/", {}, "");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body().empty());
    SimReply preflight = s.handle("OPTIONS", "/v1/messages", {}, "");
    EXPECT_EQ(preflight.status, 204);
    EXPECT_NE(header_value(preflight.headers, "Access-Control-Allow-Headers")
                  .find("anthropic-dangerous-direct-browser-access"),
              std::string::npos);
    // Claude Code posts to /v1/messages?beta=true.
    SimReply beta =
        s.handle("POST", "/v1/messages?beta=true", {},
                 messages_request("claude-sonnet-4-5", "Return exactly: beta", 64).dump());
    EXPECT_EQ(digest_body(Protocol::Messages, beta).text, "beta");
    Json models = json_of(s.handle("GET", "/v1/models", {}, ""));
    EXPECT_EQ(models["data"][0]["type"], "model");
    EXPECT_EQ(models["first_id"], "claude-sonnet-4-5");
    // new-api answers in Anthropic's format to Anthropic-style headers (protocols.md §5).
    Json fr = json_of(sim(kFieldReport)
                          .handle("GET", "/v1/models",
                                  {{"x-api-key", "k"}, {"anthropic-version", "2023-06-01"}}, ""));
    EXPECT_EQ(fr["data"][0]["id"], "deepseek-v4-pro");
    EXPECT_EQ(fr["data"][0]["type"], "model");
    Json count = json_of(
        s.handle("POST", "/v1/messages/count_tokens", {},
                 Json{{"model", "claude-sonnet-4-5"},
                      {"messages", Json::array({{{"role", "user"}, {"content", "hello there"}}})}}
                     .dump()));
    EXPECT_GT(count["input_tokens"].get<int>(), 0);
}

TEST(SimHttp, HeaderLookupIgnoresCase) {
    HttpHeaders h = {{"Content-Type", "application/json"}, {"X-Api-Key", "k"}};
    EXPECT_EQ(header_value(h, "content-type"), "application/json");
    EXPECT_EQ(header_value(h, "X-API-KEY"), "k");
    EXPECT_EQ(header_value(h, "authorization"), "");
    EXPECT_EQ(failure_kind_name(FailureKind::Network), "network");
    EXPECT_EQ(failure_kind_name(FailureKind::Timeout), "timeout");
    EXPECT_EQ(failure_kind_name(FailureKind::Aborted), "aborted");
}

}  // namespace
}  // namespace wirecheck
