// ProbeRun: configuration, URLs and auth, scheduling (parallel lanes, sequential tool loops),
// timing, timeouts, the suite against every built-in scenario (each faulty one producing its
// specific finding), and each check against hand-made replies.
#include <memory>
#include <set>

#include "probe_driver.hpp"
#include "test_util.hpp"

namespace wirecheck {
namespace {

using namespace test;

// ---- hand-made replies
// ---------------------------------------------------------------------------

std::string chat_completion(
    const std::string& text, const std::string& finish = "stop",
    const std::string& extra_message = "",
    const std::string& usage = R"({"prompt_tokens":9,"completion_tokens":5,"total_tokens":14})") {
    Json message = {{"role", "assistant"}, {"content", text}};
    if (!extra_message.empty()) message.update(Json::parse(extra_message));
    Json body = {
        {"id", "chatcmpl-1"},
        {"object", "chat.completion"},
        {"created", 1},
        {"model", "m"},
        {"choices",
         Json::array({Json{{"index", 0}, {"message", message}, {"finish_reason", finish}}})}};
    if (!usage.empty()) body["usage"] = Json::parse(usage);
    return body.dump();
}

std::string chat_tool_call(const std::string& id, const std::string& name,
                           const std::string& arguments) {
    Json call = {
        {"id", id}, {"type", "function"}, {"function", {{"name", name}, {"arguments", arguments}}}};
    return chat_completion("", "tool_calls", Json{{"tool_calls", Json::array({call})}}.dump());
}

// ---- configuration, URLs, auth
// -------------------------------------------------------------------

TEST(ProbeConfig, InvalidConfigurationsAreBadConfigErrors) {
    ProbeConfig config = sim_config("m");
    config.base_url = "";
    EXPECT_EQ(ProbeRun::create(config).error().code, Code::ProbeBadConfig);
    config.base_url = "ftp://x";
    EXPECT_EQ(ProbeRun::create(config).error().code, Code::ProbeBadConfig);
    config = sim_config("");
    EXPECT_EQ(ProbeRun::create(config).error().code, Code::ProbeBadConfig);
    config = sim_config("m", {"chat.basic", "chat.nope"});
    auto bad = ProbeRun::create(config);
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("chat.nope"), std::string::npos);
    config = sim_config("m");
    config.messages_base_url = "anthropic";
    EXPECT_EQ(ProbeRun::create(config).error().code, Code::ProbeBadConfig);
}

TEST(ProbeConfig, BaseUrlWorksWithOrWithoutV1AndPerProtocolOverrides) {
    ProbeConfig config = sim_config("m");
    config.base_url = "https://gw.example/v1/";
    EXPECT_EQ(endpoint_url(config, Protocol::Chat), "https://gw.example/v1/chat/completions");
    EXPECT_EQ(models_url(config), "https://gw.example/v1/models");
    config.base_url = "https://gw.example";
    EXPECT_EQ(endpoint_url(config, Protocol::Responses), "https://gw.example/v1/responses");
    // DeepSeek-style Anthropic path on the same host, the way Claude Code appends /v1/messages.
    config.base_url = "https://api.deepseek.example/v1";
    config.messages_base_url = "/anthropic";
    EXPECT_EQ(endpoint_url(config, Protocol::Messages),
              "https://api.deepseek.example/anthropic/v1/messages");
    config.messages_base_url = "https://other.example/claude/v1";
    EXPECT_EQ(endpoint_url(config, Protocol::Messages), "https://other.example/claude/v1/messages");
    EXPECT_EQ(endpoint_url(config, Protocol::Chat),
              "https://api.deepseek.example/v1/chat/completions");
}

TEST(ProbeConfig, SuiteIdsAreStableAndInOrder) {
    std::vector<std::string> ids;
    for (const StepInfo& s : probe_suite()) ids.push_back(std::string(s.id));
    EXPECT_EQ(
        ids, (std::vector<std::string>{"models", "chat.basic", "chat.budget", "chat.stream",
                                       "chat.tools", "responses.basic", "responses.stream",
                                       "responses.tools", "responses.custom_tool", "messages.basic",
                                       "messages.stream", "messages.tools",
                                       "adapter.responses_via_chat", "adapter.messages_via_chat"}));
}

TEST(ProbeRequests, AuthHeadersPerProtocolAndExtraHeaders) {
    ProbeConfig config =
        sim_config("m", {"models", "chat.basic", "responses.basic", "messages.basic"});
    config.browser = true;
    config.extra_headers = {{"X-Team", "probe"}};
    auto run = ProbeRun::create(config);
    ASSERT_TRUE(run.ok());
    std::vector<HttpRequest> requests;
    while (auto r = run->next_request(0)) requests.push_back(*r);
    ASSERT_EQ(requests.size(), 4u);
    const std::string bearer = std::string("Bearer ") + kTestKey;
    EXPECT_EQ(requests[0].method, "GET");
    EXPECT_EQ(requests[0].url, "http://sim.test/v1/models");
    EXPECT_EQ(header_value(requests[0].headers, "authorization"), bearer);
    EXPECT_EQ(header_value(requests[1].headers, "Authorization"), bearer);
    EXPECT_EQ(header_value(requests[2].headers, "Authorization"), bearer);
    EXPECT_EQ(header_value(requests[3].headers, "x-api-key"), kTestKey);
    EXPECT_EQ(header_value(requests[3].headers, "anthropic-version"), "2023-06-01");
    EXPECT_EQ(header_value(requests[3].headers, "anthropic-dangerous-direct-browser-access"),
              "true");
    EXPECT_EQ(header_value(requests[3].headers, "Authorization"), "");
    for (const HttpRequest& r : requests) EXPECT_EQ(header_value(r.headers, "x-team"), "probe");
    // The prompts are deterministic.
    auto body = Json::parse(requests[1].body);
    EXPECT_EQ(body["messages"][0]["content"], "Return exactly: WIRECHECK_CHAT_OK");
    EXPECT_EQ(body["max_tokens"], 1024);
    // Evidence already holds the redacted copy.
    EXPECT_EQ(header_value(run->steps()[1].exchanges[0].request.headers, "Authorization"),
              "Bearer $WIRECHECK_API_KEY");
}

// ---- scheduling
// ----------------------------------------------------------------------------------

TEST(ProbeSchedule, LanesRunInParallelAndMaxParallelIsHonoured) {
    DriveLog log;
    run_scenario("fieldreport-deepseek-v4-pro", {}, false, &log);
    EXPECT_GE(log.max_in_flight, 3);
    EXPECT_LE(log.max_in_flight, 4);

    auto sim = builtin_simulator("fieldreport-deepseek-v4-pro");
    ProbeConfig config = sim_config("deepseek-v4-pro");
    config.max_parallel = 1;
    auto run = ProbeRun::create(config);
    DriveLog serial = drive(run.value(), sim_responder(*sim));
    EXPECT_EQ(serial.max_in_flight, 1);
    EXPECT_EQ(serial.requests.size(), log.requests.size());
}

TEST(ProbeSchedule, AToolLoopIsSequentialAndSendsTheToolResult) {
    DriveLog log;
    ProbeRun run = run_scenario("openai-native", {"chat.tools"}, false, &log);
    ASSERT_EQ(log.requests.size(), 2u);
    auto second = Json::parse(log.requests[1].body);
    const Json& messages = second["messages"];
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_EQ(messages[1]["role"], "assistant");
    EXPECT_EQ(messages[2]["role"], "tool");
    EXPECT_EQ(messages[2]["tool_call_id"], messages[1]["tool_calls"][0]["id"]);
    EXPECT_NE(messages[2]["content"].get<std::string>().find("Asia/Shanghai"), std::string::npos);
    const StepEvidence* step = step_of(run, "chat.tools");
    ASSERT_EQ(step->exchanges.size(), 2u);
    EXPECT_EQ(step->exchanges[0].label, "tool call");
    EXPECT_EQ(step->exchanges[1].label, "tool result -> answer");
    EXPECT_EQ(step->status, StepStatus::Passed) << dump_step(step);
}

TEST(ProbeSchedule, DeepSeekReasoningContentIsSentBackAfterToolCalls) {
    // protocols.md §1: in thinking mode the reasoning_content of a tool-call turn must come back.
    DriveLog log;
    run_scenario("fieldreport-deepseek-v4-pro", {"chat.tools"}, false, &log);
    ASSERT_EQ(log.requests.size(), 2u);
    auto second = Json::parse(log.requests[1].body);
    EXPECT_TRUE(second["messages"][1].contains("reasoning_content"));
}

TEST(ProbeSchedule, StepsWaitForTheirDependencyAndAreSkippedWhenItsEndpointIsUnusable) {
    ProbeRun run = run_scripted({"chat.basic", "chat.stream", "chat.tools"},
                                always(json_reply(401, R"({"error":{"message":"bad key",
                                       "type":"invalid_request_error","code":"invalid_api_key"}})")));
    EXPECT_TRUE(has_finding(step_of(run, "chat.basic"), Code::FindingAuthRejected));
    for (const char* id : {"chat.stream", "chat.tools"}) {
        const StepEvidence* s = step_of(run, id);
        EXPECT_EQ(s->status, StepStatus::Skipped);
        EXPECT_TRUE(s->exchanges.empty());
        EXPECT_TRUE(has_finding(s, Code::FindingStepSkipped));
    }
}

TEST(ProbeSchedule, LateAndUnknownCallbacksAreIgnoredAndCancelSkipsTheRest) {
    auto run = ProbeRun::create(sim_config("m", {"chat.basic", "chat.stream"}));
    ASSERT_TRUE(run.ok());
    auto request = run->next_request(0);
    ASSERT_TRUE(request);
    EXPECT_FALSE(run->next_request(0));  // chat.stream waits for chat.basic
    run->on_body_chunk(999, "x", 1);
    run->on_done(999, 1);
    run->cancel();
    EXPECT_EQ(run->steps()[1].status, StepStatus::Skipped);
    EXPECT_FALSE(run->finished());  // chat.basic is still in flight
    run->on_failure(request->id, FailureKind::Aborted, "user pressed stop", 5);
    EXPECT_TRUE(run->finished());
    EXPECT_TRUE(has_finding(&run->steps()[0], Code::FindingAborted));
    run->on_done(request->id, 6);  // after the end: ignored
    EXPECT_EQ(run->steps()[0].exchanges.size(), 1u);
}

// ---- timing and timeouts
// -------------------------------------------------------------------------

TEST(ProbeTiming, TtfbAndTotalComeFromTheFrontEndClock) {
    auto run = ProbeRun::create(sim_config("m", {"chat.basic"}));
    auto request = run->next_request(100);
    run->on_headers(request->id, 200, {{"Content-Type", "application/json"}}, 350);
    run->on_body_chunk(request->id, chat_completion("WIRECHECK_CHAT_OK"), 400);
    run->on_done(request->id, 420);
    const Exchange& ex = run->steps()[0].exchanges[0];
    EXPECT_EQ(ex.ttfb_ms, 250);
    EXPECT_EQ(ex.total_ms, 320);
    EXPECT_EQ(run->steps()[0].status, StepStatus::Passed) << dump_step(&run->steps()[0]);
}

TEST(ProbeTiming, DeadlinesAndTicksTurnSilenceIntoTimeouts) {
    ProbeConfig config = sim_config("m", {"chat.stream"});
    config.idle_timeout_ms = 100;
    config.timeout_ms = 1000;
    auto run = ProbeRun::create(config);
    EXPECT_FALSE(run->next_deadline());
    auto request = run->next_request(0);
    EXPECT_EQ(run->next_deadline(), 100);
    run->on_headers(request->id, 200, {{"Content-Type", "text/event-stream"}}, 50);
    EXPECT_EQ(run->next_deadline(), 150);
    EXPECT_TRUE(run->on_tick(149).empty());
    EXPECT_EQ(run->on_tick(150), std::vector<int>{request->id});
    EXPECT_TRUE(run->finished());
    const StepEvidence& s = run->steps()[0];
    EXPECT_EQ(s.exchanges[0].failure, FailureKind::Timeout);
    EXPECT_TRUE(has_finding(&s, Code::FindingStreamDropped) ||
                has_finding(&s, Code::FindingTimeout));
}

TEST(ProbeTiming, SlowStreamPassesWithDefaultsAndTimesOutWithATightIdleLimit) {
    ProbeRun ok = run_scenario("slow-stream", {"chat.stream"});
    const StepEvidence* s = step_of(ok, "chat.stream");
    EXPECT_EQ(s->status, StepStatus::Passed) << dump_step(s);
    EXPECT_GE(*s->exchanges[0].total_ms, 150 * 3);  // the pacing hint reached the fake clock

    auto sim = builtin_simulator("slow-stream");
    ProbeConfig config = sim_config(sim->model_ids()[0], {"chat.stream"});
    config.idle_timeout_ms = 100;
    auto run = ProbeRun::create(config);
    DriveLog log = drive(run.value(), sim_responder(*sim));
    EXPECT_EQ(log.timed_out.size(), 1u);
    const StepEvidence& timed = run->steps()[0];
    EXPECT_EQ(timed.status, StepStatus::Failed);
    EXPECT_EQ(timed.exchanges[0].failure, FailureKind::Timeout);
}

TEST(ProbeStreaming, EventsAreDecodedAsTheyArrive) {
    auto sim = builtin_simulator("openai-native");
    auto run = ProbeRun::create(sim_config(sim->model_ids()[0], {"responses.stream"}));
    auto request = run->next_request(0);
    SimReply reply =
        sim->handle(request->method, path_of(request->url), request->headers, request->body);
    ASSERT_GT(reply.chunks.size(), 4u);
    run->on_headers(request->id, reply.status, reply.headers, 1);
    for (std::size_t i = 0; i < 3; ++i) run->on_body_chunk(request->id, reply.chunks[i], 2);
    const Exchange& live = run->steps()[0].exchanges[0];
    EXPECT_EQ(live.events.size(), 3u);
    EXPECT_EQ(live.events[0], "response.created");
    EXPECT_EQ(run->steps()[0].status, StepStatus::Running);
    for (std::size_t i = 3; i < reply.chunks.size(); ++i)
        run->on_body_chunk(request->id, reply.chunks[i], 3);
    run->on_done(request->id, 4);
    EXPECT_EQ(run->steps()[0].exchanges[0].events.back(), "response.completed");
    EXPECT_EQ(run->steps()[0].status, StepStatus::Passed) << dump_step(&run->steps()[0]);
}

TEST(ProbeStreaming, ByteSplitStreamsGiveTheSameEvidence) {
    auto sim = builtin_simulator("fieldreport-deepseek-v4-pro");
    auto whole = run_scenario("fieldreport-deepseek-v4-pro", {"messages.stream"});
    auto run = ProbeRun::create(sim_config("deepseek-v4-pro", {"messages.stream"}));
    Responder one_byte = [&](const HttpRequest& r, const std::string& path) {
        SimReply reply = sim->handle(r.method, path, r.headers, r.body);
        std::string body = reply.body();
        reply.chunks = chunks_of(body, 1);
        return reply;
    };
    drive(run.value(), one_byte);
    const Exchange& a = whole.steps()[0].exchanges[0];
    const Exchange& b = run->steps()[0].exchanges[0];
    EXPECT_EQ(a.events, b.events);
    EXPECT_EQ(a.text, b.text);
    EXPECT_EQ(a.body, b.body);
    EXPECT_EQ(run->steps()[0].status, StepStatus::Passed);
}

// ---- the field report
// ----------------------------------------------------------------------------

TEST(ProbeFieldReport, ReproducesTheReportStepByStep) {
    ProbeRun run = run_scenario("fieldreport-deepseek-v4-pro");
    auto status = [&](const char* id) { return step_of(run, id)->status; };
    // Chat is usable.
    EXPECT_EQ(status("chat.basic"), StepStatus::Passed) << dump_run(run);
    EXPECT_EQ(status("chat.stream"), StepStatus::Passed);
    EXPECT_EQ(status("chat.tools"), StepStatus::Passed);
    EXPECT_EQ(step_of(run, "chat.basic")->exchanges[0].text, "WIRECHECK_CHAT_OK");
    // The budget: 28 of 30 tokens went to reasoning, HTTP 200, finish length.
    const StepEvidence* budget = step_of(run, "chat.budget");
    EXPECT_EQ(budget->status, StepStatus::Warned);
    const Finding* f = finding_of(budget, Code::FindingReasoningExhaustedBudget);
    ASSERT_NE(f, nullptr) << dump_step(budget);
    EXPECT_EQ(f->severity, Severity::Warn);
    EXPECT_EQ(f->data["budget"], 30);
    EXPECT_EQ(f->data["reasoning_tokens"], 28);
    EXPECT_EQ(f->data["finish"], "length");
    EXPECT_GE(f->data["recommended_max_tokens"].get<int>(), 1024);
    EXPECT_NE(f->message.find("28 of 30"), std::string::npos);
    EXPECT_EQ(budget->exchanges[0].status, 200);
    // Responses: convert_request_failed, the rest of the lane skipped.
    const StepEvidence* responses = step_of(run, "responses.basic");
    EXPECT_EQ(responses->status, StepStatus::Failed);
    const Finding* convert = finding_of(responses, Code::FindingConvertRequestFailed);
    ASSERT_NE(convert, nullptr);
    EXPECT_NE(convert->message.find("HTTP 400"), std::string::npos);
    for (const char* id : {"responses.stream", "responses.tools", "responses.custom_tool"})
        EXPECT_EQ(status(id), StepStatus::Skipped);
    // Messages: text and the tool loop work (through new-api's conversion).
    for (const char* id : {"messages.basic", "messages.stream", "messages.tools"})
        EXPECT_EQ(status(id), StepStatus::Passed) << dump_step(step_of(run, id));
    EXPECT_EQ(step_of(run, "messages.tools")->exchanges.size(), 2u);
    // The model list explains the endpoint types.
    const StepEvidence* models = step_of(run, "models");
    EXPECT_TRUE(has_finding(models, Code::FindingEndpointTypes));
    EXPECT_TRUE(has_finding(models, Code::FindingResponsesNotListed));
    EXPECT_FALSE(has_finding(models, Code::FindingModelAbsent));
    // Codex's loop through wirecheck's adapter over chat works; so does Claude Code's.
    for (const char* id : {"adapter.responses_via_chat", "adapter.messages_via_chat"}) {
        const StepEvidence* s = step_of(run, id);
        EXPECT_EQ(s->status, StepStatus::Passed) << dump_step(s);
        ASSERT_EQ(s->exchanges.size(), 2u);
        EXPECT_FALSE(s->exchanges[0].client_request.empty());
        EXPECT_FALSE(s->exchanges[0].client_stream.empty());
        EXPECT_EQ(s->exchanges[0].request.url, "http://sim.test/v1/chat/completions");
    }
    const Exchange& codex = step_of(run, "adapter.responses_via_chat")->exchanges[0];
    EXPECT_NE(codex.client_stream.find("response.completed"), std::string::npos);
    EXPECT_NE(codex.client_request.find("apply_patch"), std::string::npos);
    ASSERT_EQ(codex.tool_calls.size(), 1u);
    EXPECT_EQ(codex.tool_calls[0].name, "get_city_timezone");
}

// ---- every scenario gives its specific finding -----------------------------------------------

TEST(ProbeScenarios, OpenAiNativeServesChatAndResponsesIncludingCustomTools) {
    ProbeRun run = run_scenario("openai-native");
    for (const char* id : {"chat.basic", "chat.stream", "chat.tools", "responses.basic",
                           "responses.stream", "responses.tools", "responses.custom_tool"}) {
        EXPECT_NE(step_of(run, id)->status, StepStatus::Failed) << dump_step(step_of(run, id));
    }
    const Exchange& custom = step_of(run, "responses.custom_tool")->exchanges[0];
    ASSERT_EQ(custom.tool_calls.size(), 1u);
    EXPECT_EQ(custom.tool_calls[0].kind, ToolKind::Custom);
    EXPECT_TRUE(has_finding(step_of(run, "messages.basic"), Code::FindingEndpointMissing));
}

TEST(ProbeScenarios, AnthropicNativeServesOnlyMessages) {
    ProbeRun run = run_scenario("anthropic-native");
    EXPECT_TRUE(has_finding(step_of(run, "chat.basic"), Code::FindingEndpointMissing));
    EXPECT_TRUE(has_finding(step_of(run, "responses.basic"), Code::FindingEndpointMissing));
    for (const char* id : {"messages.basic", "messages.stream", "messages.tools"})
        EXPECT_EQ(step_of(run, id)->status, StepStatus::Passed) << dump_step(step_of(run, id));
    EXPECT_EQ(step_of(run, "adapter.messages_via_chat")->status, StepStatus::Skipped);
}

TEST(ProbeScenarios, ChatOnlyGatewayNeedsAdapters) {
    ProbeRun run = run_scenario("chat-only-gateway");
    EXPECT_TRUE(has_finding(step_of(run, "responses.basic"), Code::FindingEndpointMissing));
    EXPECT_TRUE(has_finding(step_of(run, "messages.basic"), Code::FindingEndpointMissing));
    EXPECT_EQ(step_of(run, "adapter.responses_via_chat")->status, StepStatus::Passed);
    EXPECT_EQ(step_of(run, "adapter.messages_via_chat")->status, StepStatus::Passed);
}

TEST(ProbeScenarios, ResponsesWithoutCompletedIsTheCodexTerminalFinding) {
    ProbeRun run = run_scenario("responses-no-completed");
    EXPECT_EQ(step_of(run, "responses.basic")->status, StepStatus::Passed);
    for (const char* id : {"responses.stream", "responses.tools", "responses.custom_tool"}) {
        const Finding* f = finding_of(step_of(run, id), Code::FindingTerminalMissing);
        ASSERT_NE(f, nullptr) << dump_step(step_of(run, id));
        EXPECT_EQ(f->severity, Severity::Error);
        EXPECT_NE(f->message.find("stream closed before response.completed"), std::string::npos);
    }
    // A broken turn ends the loop: Codex would never send the tool result.
    EXPECT_EQ(step_of(run, "responses.tools")->exchanges.size(), 1u);
}

TEST(ProbeScenarios, MessagesBadOrderIsAnOrderFindingOnlyWhenStreaming) {
    ProbeRun run = run_scenario("messages-bad-order");
    EXPECT_EQ(step_of(run, "messages.basic")->status, StepStatus::Passed);
    const Finding* f = finding_of(step_of(run, "messages.stream"), Code::FindingStreamOutOfOrder);
    ASSERT_NE(f, nullptr) << dump_step(step_of(run, "messages.stream"));
    EXPECT_EQ(f->severity, Severity::Error);
    EXPECT_NE(f->message.find("content_block_start"), std::string::npos);
    EXPECT_TRUE(has_finding(step_of(run, "messages.tools"), Code::FindingStreamOutOfOrder));
    // Follow-on noise (empty text, missing usage) is not reported for a stream a client cannot use.
    EXPECT_FALSE(has_finding(step_of(run, "messages.stream"), Code::FindingContentEmpty));
}

TEST(ProbeScenarios, UsageAsStringsIsUsageNotIntegerAndFatalForCodex) {
    ProbeRun run = run_scenario("usage-as-strings");
    for (const char* id : {"chat.basic", "chat.stream", "responses.basic", "messages.basic"}) {
        const Finding* f = finding_of(step_of(run, id), Code::FindingUsageNotInteger);
        ASSERT_NE(f, nullptr) << dump_step(step_of(run, id));
        EXPECT_EQ(f->severity, Severity::Warn);
        EXPECT_EQ(step_of(run, id)->status, StepStatus::Warned);
    }
    const Finding* codex =
        finding_of(step_of(run, "responses.stream"), Code::FindingCodexCompletedInvalid);
    ASSERT_NE(codex, nullptr);
    EXPECT_NE(codex->message.find("input_tokens"), std::string::npos);
    EXPECT_EQ(step_of(run, "responses.stream")->status, StepStatus::Failed);
}

TEST(ProbeScenarios, ReasoningHogExhaustsEveryBudget) {
    ProbeRun run = run_scenario("reasoning-hog", {"chat.basic", "chat.budget", "messages.basic"});
    const Finding* budget =
        finding_of(step_of(run, "chat.budget"), Code::FindingReasoningExhaustedBudget);
    ASSERT_NE(budget, nullptr) << dump_run(run);
    EXPECT_EQ(budget->severity, Severity::Warn);
    EXPECT_EQ(budget->data["reasoning_tokens"], 30);
    // With the probe's own budget (1024) nothing else could be checked: an error that says so.
    for (const char* id : {"chat.basic", "messages.basic"}) {
        const Finding* f = finding_of(step_of(run, id), Code::FindingReasoningExhaustedBudget);
        ASSERT_NE(f, nullptr) << dump_step(step_of(run, id));
        EXPECT_EQ(f->severity, Severity::Error);
        EXPECT_NE(f->message.find("max_output_tokens"), std::string::npos);
        EXPECT_FALSE(has_finding(step_of(run, id), Code::FindingContentEmpty));
    }
    EXPECT_GE(budget->data["recommended_max_tokens"].get<int>(), 4096);
}

TEST(ProbeScenarios, CorsBlockedFailsInABrowserAndIsAHintElsewhere) {
    ProbeRun browser = run_scenario("cors-blocked", {}, true);
    const Finding* f = finding_of(step_of(browser, "chat.basic"), Code::FindingCorsBlocked);
    ASSERT_NE(f, nullptr) << dump_run(browser);
    EXPECT_NE(f->message.find("authorization"), std::string::npos);    // the header to allow
    EXPECT_NE(f->message.find("wirecheck serve"), std::string::npos);  // the relay as the fix
    EXPECT_EQ(step_of(browser, "chat.stream")->status, StepStatus::Skipped);

    ProbeRun curl = run_scenario("cors-blocked", {"models", "chat.basic", "chat.stream"});
    EXPECT_EQ(step_of(curl, "chat.basic")->status, StepStatus::Passed) << dump_run(curl);
    const Finding* hint = finding_of(step_of(curl, "chat.basic"), Code::FindingNoAllowOrigin);
    ASSERT_NE(hint, nullptr);
    EXPECT_EQ(hint->severity, Severity::Info);
    EXPECT_FALSE(has_finding(step_of(curl, "chat.stream"), Code::FindingNoAllowOrigin));  // once
}

TEST(ProbeScenarios, StreamDropBreaksEveryStreamButNotPlainRequests) {
    ProbeRun run = run_scenario("stream-drop");
    for (const char* id : {"chat.stream", "responses.stream", "messages.stream"}) {
        const StepEvidence* step = step_of(run, id);
        EXPECT_EQ(step->status, StepStatus::Failed) << dump_step(step);
        const Finding* f = finding_of(step, Code::FindingStreamDropped);
        ASSERT_NE(f, nullptr) << dump_step(step);
        EXPECT_NE(f->message.find("HTTP 200 arrived"), std::string::npos) << f->message;
        EXPECT_GT(step->exchanges[0].body_bytes, 0u);  // half the events came first
    }
    for (const char* id : {"chat.basic", "responses.basic", "messages.basic"})
        EXPECT_EQ(step_of(run, id)->status, StepStatus::Passed) << dump_step(step_of(run, id));
    ProbeReport report = run.report();
    const Verdict* codex = verdict_of(report, Client::Codex);
    ASSERT_NE(codex, nullptr);
    EXPECT_EQ(code_name(codex->level), code_name(Code::VerdictNotReady)) << codex->summary;
}

// ---- each check against hand-made replies
// --------------------------------------------------------

TEST(ProbeChecks, HttpStatusClasses) {
    struct Case {
        int status;
        std::string body;
        Code code;
    } cases[] = {
        {401, R"({"error":{"message":"Incorrect API key"}})", Code::FindingAuthRejected},
        {403, R"({"error":{"message":"forbidden"}})", Code::FindingAuthRejected},
        {404, R"({"error":{"message":"not found"}})", Code::FindingEndpointMissing},
        {405, "Method Not Allowed", Code::FindingEndpointMissing},
        {500,
         R"j({"error":{"message":"not implemented (request id: x)","type":"new_api_error","code":"convert_request_failed"}})j",
         Code::FindingConvertRequestFailed},
        {400, R"({"error":{"message":"bad field","code":"invalid_request"}})",
         Code::FindingBadRequest},
        {429, R"({"error":{"message":"slow down"}})", Code::FindingRateLimited},
        {503, "upstream unavailable", Code::FindingServerError},
        {302, "", Code::FindingUnexpectedStatus},
    };
    for (const Case& c : cases) {
        ProbeRun run = run_scripted({"chat.basic"}, always(json_reply(c.status, c.body)));
        EXPECT_TRUE(has_finding(&run.steps()[0], c.code)) << c.status << "\n"
                                                          << dump_step(&run.steps()[0]);
    }
}

TEST(ProbeChecks, ErrorBodyInsideHttp200) {
    ProbeRun run = run_scripted(
        {"chat.basic"},
        always(
            json_reply(200, R"({"error":{"message":"upstream quota","type":"upstream_error"}})")));
    const Finding* f = finding_of(&run.steps()[0], Code::FindingErrorIn200);
    ASSERT_NE(f, nullptr) << dump_step(&run.steps()[0]);
    EXPECT_NE(f->message.find("upstream quota"), std::string::npos);
    ProbeRun anthropic = run_scripted(
        {"messages.basic"},
        always(json_reply(
            200,
            R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})")));
    EXPECT_TRUE(has_finding(&anthropic.steps()[0], Code::FindingErrorIn200));
}

TEST(ProbeChecks, TransportFailures) {
    SimReply network;
    network.failure = FailureKind::Network;
    network.failure_message = "getaddrinfo ENOTFOUND";
    ProbeRun run = run_scripted({"chat.basic"}, always(network), [] {
        ProbeConfig c = sim_config("m");
        c.browser = true;
        return c;
    }());
    const Finding* f = finding_of(&run.steps()[0], Code::FindingNetworkFailed);
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->message.find("ENOTFOUND"), std::string::npos);
    EXPECT_NE(f->message.find("CORS"), std::string::npos);  // a browser: it may be CORS

    SimReply dropped = sse_reply(
        {R"(data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"WIRE"}}]})"});
    dropped.drop_after_chunks = true;
    ProbeRun drop = run_scripted({"chat.stream"}, always(dropped));
    EXPECT_TRUE(has_finding(&drop.steps()[0], Code::FindingStreamDropped))
        << dump_step(&drop.steps()[0]);
}

TEST(ProbeChecks, ContentAndFinishReason) {
    ProbeRun extra = run_scripted({"chat.basic"},
                                  always(json_reply(200, chat_completion("WIRECHECK_CHAT_OK."))));
    const Finding* f = finding_of(&extra.steps()[0], Code::FindingContentInexact);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, Severity::Info);
    EXPECT_EQ(extra.steps()[0].status, StepStatus::Passed);

    ProbeRun wrong =
        run_scripted({"chat.basic"}, always(json_reply(200, chat_completion("Hello!"))));
    EXPECT_EQ(finding_of(&wrong.steps()[0], Code::FindingContentInexact)->severity, Severity::Warn);

    ProbeRun empty = run_scripted({"chat.basic"}, always(json_reply(200, chat_completion(""))));
    EXPECT_TRUE(has_finding(&empty.steps()[0], Code::FindingContentEmpty));

    ProbeRun cut = run_scripted(
        {"chat.basic"}, always(json_reply(200, chat_completion("WIRECHECK_CHAT_OK", "length"))));
    EXPECT_TRUE(has_finding(&cut.steps()[0], Code::FindingFinishUnexpected));

    Json no_finish = Json::parse(chat_completion("WIRECHECK_CHAT_OK"));
    no_finish["choices"][0]["finish_reason"] = nullptr;
    ProbeRun missing = run_scripted({"chat.basic"}, always(json_reply(200, no_finish.dump())));
    EXPECT_TRUE(has_finding(&missing.steps()[0], Code::FindingFinishMissing))
        << dump_step(&missing.steps()[0]);
}

TEST(ProbeChecks, UsageMissingAndNotInteger) {
    ProbeRun none =
        run_scripted({"chat.basic"},
                     always(json_reply(200, chat_completion("WIRECHECK_CHAT_OK", "stop", "", ""))));
    EXPECT_TRUE(has_finding(&none.steps()[0], Code::FindingUsageMissing));
    ProbeRun strings = run_scripted(
        {"chat.basic"},
        always(json_reply(
            200,
            chat_completion("WIRECHECK_CHAT_OK", "stop", "",
                            R"({"prompt_tokens":"9","completion_tokens":5,"total_tokens":14})"))));
    const Finding* f = finding_of(&strings.steps()[0], Code::FindingUsageNotInteger);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(strings.steps()[0].exchanges[0].text, "WIRECHECK_CHAT_OK");  // the rest still decoded
}

TEST(ProbeChecks, BudgetWithoutReasoningThatFits) {
    ProbeRun run = run_scripted({"chat.budget"},
                                always(json_reply(200, chat_completion("WIRECHECK_CHAT_OK"))));
    EXPECT_EQ(run.steps()[0].status, StepStatus::Passed) << dump_step(&run.steps()[0]);
    auto body = Json::parse(run.steps()[0].exchanges[0].request.body);
    EXPECT_EQ(body["max_tokens"], 30);
}

TEST(ProbeChecks, ToolCallShapes) {
    ProbeRun none =
        run_scripted({"chat.tools"}, always(json_reply(200, chat_completion("Beijing is UTC+8"))));
    EXPECT_TRUE(has_finding(&none.steps()[0], Code::FindingToolNotCalled));
    EXPECT_EQ(none.steps()[0].exchanges.size(), 1u);

    ProbeRun no_id = run_scripted(
        {"chat.tools"},
        always(json_reply(200, chat_tool_call("", "get_city_timezone", R"({"city":"Beijing"})"))));
    EXPECT_TRUE(has_finding(&no_id.steps()[0], Code::FindingToolMissingId))
        << dump_step(&no_id.steps()[0]);
    EXPECT_EQ(no_id.steps()[0].exchanges.size(), 1u);  // a call without id cannot be answered

    ProbeRun bad_args = run_scripted(
        {"chat.tools"},
        in_order({json_reply(200, chat_tool_call("call_1", "get_city_timezone", "{city: Beijing")),
                  json_reply(200, chat_completion("Asia/Shanghai"))}));
    EXPECT_TRUE(has_finding(&bad_args.steps()[0], Code::FindingToolArgumentsNotJson));

    ProbeRun wrong_finish = run_scripted(
        {"chat.tools"},
        in_order({json_reply(200,
                             [] {
                                 Json b = Json::parse(chat_tool_call("call_1", "get_city_timezone",
                                                                     R"({"city":"Beijing"})"));
                                 b["choices"][0]["finish_reason"] = "stop";
                                 return b.dump();
                             }()),
                  json_reply(200, chat_completion("Asia/Shanghai"))}));
    const Finding* f = finding_of(&wrong_finish.steps()[0], Code::FindingFinishUnexpected);
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->message.find("tool calls"), std::string::npos);
}

TEST(ProbeChecks, ContinuationRejectedOrIgnored) {
    SimReply call =
        json_reply(200, chat_tool_call("call_1", "get_city_timezone", R"({"city":"Beijing"})"));
    ProbeRun rejected = run_scripted(
        {"chat.tools"},
        in_order(
            {call,
             json_reply(
                 400,
                 R"({"error":{"message":"The reasoning_content in the thinking mode must be passed back to the API."}})")}));
    const Finding* f = finding_of(&rejected.steps()[0], Code::FindingContinuationRejected);
    ASSERT_NE(f, nullptr) << dump_step(&rejected.steps()[0]);
    EXPECT_EQ(f->exchange, 1);
    EXPECT_NE(f->message.find("reasoning_content"), std::string::npos);
    EXPECT_FALSE(has_finding(&rejected.steps()[0], Code::FindingBadRequest));

    ProbeRun again = run_scripted({"chat.tools"}, in_order({call, call}));
    EXPECT_TRUE(has_finding(&again.steps()[0], Code::FindingContinuationIgnored));
    ProbeRun ignored = run_scripted(
        {"chat.tools"}, in_order({call, json_reply(200, chat_completion("I do not know."))}));
    EXPECT_EQ(finding_of(&ignored.steps()[0], Code::FindingContinuationIgnored)->severity,
              Severity::Warn);
    ProbeRun silent =
        run_scripted({"chat.tools"}, in_order({call, json_reply(200, chat_completion(""))}));
    EXPECT_EQ(finding_of(&silent.steps()[0], Code::FindingContinuationIgnored)->severity,
              Severity::Error);
}

std::string chat_chunk(const std::string& delta, const std::string& finish = "") {
    Json c = {
        {"id", "c1"},
        {"object", "chat.completion.chunk"},
        {"created", 1},
        {"model", "m"},
        {"choices",
         Json::array({Json{{"index", 0},
                           {"delta", Json::parse(delta)},
                           {"finish_reason", finish.empty() ? Json(nullptr) : Json(finish)}}})}};
    return "data: " + c.dump();
}

const char* kUsageChunk =
    R"(data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":5,"total_tokens":14}})";

TEST(ProbeChecks, ChatStreamGrammar) {
    std::vector<std::string> good = {
        chat_chunk(R"({"role":"assistant","content":"WIRECHECK_CHAT_OK"})"),
        chat_chunk("{}", "stop"), kUsageChunk, "data: [DONE]"};
    ProbeRun ok = run_scripted({"chat.stream"}, always(sse_reply(good)));
    EXPECT_EQ(ok.steps()[0].status, StepStatus::Passed) << dump_step(&ok.steps()[0]);
    EXPECT_EQ(ok.steps()[0].exchanges[0].events,
              (std::vector<std::string>{"chunk", "chunk", "chunk", "[DONE]"}));

    ProbeRun wrong_type = run_scripted({"chat.stream"}, always(sse_reply(good, "text/plain")));
    EXPECT_TRUE(has_finding(&wrong_type.steps()[0], Code::FindingStreamContentType));

    ProbeRun plain = run_scripted({"chat.stream"},
                                  always(json_reply(200, chat_completion("WIRECHECK_CHAT_OK"))));
    EXPECT_TRUE(has_finding(&plain.steps()[0], Code::FindingNotStreamed));

    std::vector<std::string> no_done(good.begin(), good.end() - 1);
    ProbeRun tolerated = run_scripted({"chat.stream"}, always(sse_reply(no_done)));
    const Finding* f = finding_of(&tolerated.steps()[0], Code::FindingTerminalMissing);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, Severity::Warn);

    ProbeRun cut = run_scripted({"chat.stream"}, always(sse_reply({good[0]})));
    EXPECT_EQ(finding_of(&cut.steps()[0], Code::FindingTerminalMissing)->severity, Severity::Error);

    std::vector<std::string> no_usage = {good[0], good[1], good[3]};
    ProbeRun usage = run_scripted({"chat.stream"}, always(sse_reply(no_usage)));
    const Finding* u = finding_of(&usage.steps()[0], Code::FindingUsageMissing);
    ASSERT_NE(u, nullptr);
    EXPECT_NE(u->message.find("include_usage"), std::string::npos);

    std::vector<std::string> junk = {good[0], "data: {not json", good[1], good[3]};
    ProbeRun malformed = run_scripted({"chat.stream"}, always(sse_reply(junk)));
    EXPECT_TRUE(has_finding(&malformed.steps()[0], Code::FindingStreamMalformed));

    std::vector<std::string> after = {good[0], good[1], good[3], good[0]};
    ProbeRun late = run_scripted({"chat.stream"}, always(sse_reply(after)));
    EXPECT_TRUE(has_finding(&late.steps()[0], Code::FindingStreamOutOfOrder));

    std::vector<std::string> error = {R"(data: {"error":{"message":"overloaded"}})",
                                      "data: [DONE]"};
    ProbeRun err = run_scripted({"chat.stream"}, always(sse_reply(error)));
    EXPECT_TRUE(has_finding(&err.steps()[0], Code::FindingStreamErrorEvent))
        << dump_step(&err.steps()[0]);
}

std::string responses_event(const Json& data) {
    return "event: " + data["type"].get<std::string>() + "\ndata: " + data.dump();
}

// A Responses stream with one function_call item, optionally broken.
std::vector<std::string> responses_call_stream(const Json& done_item, bool added = true,
                                               const Json& usage = Json{{"input_tokens", 5},
                                                                        {"output_tokens", 3},
                                                                        {"total_tokens", 8}}) {
    Json item = {{"type", "function_call"},     {"id", "fc_1"},    {"call_id", "call_1"},
                 {"name", "get_city_timezone"}, {"arguments", ""}, {"status", "in_progress"}};
    std::vector<std::string> out;
    Json response = {{"id", "resp_1"},
                     {"object", "response"},
                     {"status", "in_progress"},
                     {"model", "m"},
                     {"output", Json::array()}};
    out.push_back(responses_event(
        {{"type", "response.created"}, {"sequence_number", 0}, {"response", response}}));
    if (added)
        out.push_back(responses_event({{"type", "response.output_item.added"},
                                       {"sequence_number", 1},
                                       {"output_index", 0},
                                       {"item", item}}));
    out.push_back(responses_event({{"type", "response.function_call_arguments.delta"},
                                   {"sequence_number", 2},
                                   {"item_id", "fc_1"},
                                   {"output_index", 0},
                                   {"delta", R"({"city":"Beijing"})"}}));
    out.push_back(responses_event({{"type", "response.output_item.done"},
                                   {"sequence_number", 3},
                                   {"output_index", 0},
                                   {"item", done_item}}));
    response["status"] = "completed";
    response["output"] = Json::array({done_item});
    response["usage"] = usage;
    out.push_back(responses_event(
        {{"type", "response.completed"}, {"sequence_number", 4}, {"response", response}}));
    return out;
}

TEST(ProbeChecks, CodexNeedsCompleteItemsAndIntegerUsage) {
    Json complete = {{"type", "function_call"},
                     {"id", "fc_1"},
                     {"call_id", "call_1"},
                     {"name", "get_city_timezone"},
                     {"arguments", R"({"city":"Beijing"})"},
                     {"status", "completed"}};
    ProbeRun ok = run_scripted(
        {"responses.tools"}, in_order({sse_reply(responses_call_stream(complete)), sse_reply({})}));
    const StepEvidence& s = ok.steps()[0];
    EXPECT_FALSE(has_finding(&s, Code::FindingCodexItemIncomplete)) << dump_step(&s);
    EXPECT_EQ(s.exchanges[0].tool_calls.size(), 1u);

    Json nameless = complete;
    nameless["name"] = "";
    ProbeRun blank =
        run_scripted({"responses.tools"}, always(sse_reply(responses_call_stream(nameless))));
    const Finding* f = finding_of(&blank.steps()[0], Code::FindingCodexItemIncomplete);
    ASSERT_NE(f, nullptr) << dump_step(&blank.steps()[0]);
    EXPECT_NE(f->message.find("no name"), std::string::npos);

    ProbeRun unannounced = run_scripted({"responses.tools"},
                                        always(sse_reply(responses_call_stream(complete, false))));
    EXPECT_TRUE(has_finding(&unannounced.steps()[0], Code::FindingStreamOutOfOrder));

    ProbeRun fractional =
        run_scripted({"responses.tools"},
                     always(sse_reply(responses_call_stream(
                         complete, true,
                         Json{{"input_tokens", 5.5}, {"output_tokens", 3}, {"total_tokens", 8}}))));
    EXPECT_TRUE(has_finding(&fractional.steps()[0], Code::FindingCodexCompletedInvalid));
}

TEST(ProbeChecks, CustomToolAnsweredAsFunctionOrWrapped) {
    Json as_function = {{"type", "function_call"},
                        {"id", "fc_1"},
                        {"call_id", "call_1"},
                        {"name", "lookup_timezone"},
                        {"arguments", R"({"input":"Beijing"})"},
                        {"status", "completed"}};
    ProbeRun fn = run_scripted({"responses.custom_tool"},
                               always(sse_reply(responses_call_stream(as_function))));
    EXPECT_TRUE(has_finding(&fn.steps()[0], Code::FindingCustomToolAsFunction))
        << dump_step(&fn.steps()[0]);

    Json wrapped = {{"type", "custom_tool_call"},
                    {"id", "ctc_1"},
                    {"call_id", "call_1"},
                    {"name", "lookup_timezone"},
                    {"input", R"({"input":"Beijing"})"},
                    {"status", "completed"}};
    ProbeRun wrap =
        run_scripted({"responses.custom_tool"}, always(sse_reply(responses_call_stream(wrapped))));
    EXPECT_TRUE(has_finding(&wrap.steps()[0], Code::FindingCustomInputWrapped))
        << dump_step(&wrap.steps()[0]);
}

TEST(ProbeChecks, ModelListAbsentModelAndEndpointTypes) {
    ProbeRun absent = run_scripted(
        {"models"},
        always(json_reply(200, R"({"object":"list","data":[{"id":"gpt-x"},{"id":"gpt-y"}]})")));
    const Finding* f = finding_of(&absent.steps()[0], Code::FindingModelAbsent);
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->message.find("gpt-x"), std::string::npos);

    ProbeRun listed = run_scripted(
        {"models"},
        always(json_reply(
            200,
            R"({"success":true,"data":[{"id":"m","supported_endpoint_types":["openai","openai-response","anthropic"]}]})")));
    EXPECT_TRUE(has_finding(&listed.steps()[0], Code::FindingEndpointTypes));
    EXPECT_FALSE(has_finding(&listed.steps()[0], Code::FindingResponsesNotListed));
    EXPECT_EQ(listed.steps()[0].status, StepStatus::Passed);

    ProbeRun garbage = run_scripted({"models"}, always(json_reply(200, "<html>")));
    EXPECT_TRUE(has_finding(&garbage.steps()[0], Code::FindingBodyMalformed));
}

TEST(ProbeChecks, BodyThatIsNotTheProtocolsJson) {
    ProbeRun html = run_scripted({"chat.basic"}, always(json_reply(200, "<html>gateway</html>")));
    EXPECT_TRUE(has_finding(&html.steps()[0], Code::FindingBodyMalformed));
    ProbeRun shape = run_scripted({"chat.basic"}, always(json_reply(200, R"({"choices":"nope"})")));
    const Finding* f = finding_of(&shape.steps()[0], Code::FindingBodyMalformed);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->pointer, "/choices");
}

TEST(ProbeEvidence, BodiesAreCappedWithANote) {
    ProbeConfig config = sim_config("m");
    config.max_body_bytes = 64;
    std::string long_text(500, 'x');
    ProbeRun run =
        run_scripted({"chat.basic"}, always(json_reply(200, chat_completion(long_text))), config);
    const Exchange& ex = run.steps()[0].exchanges[0];
    EXPECT_EQ(ex.body.size(), 64u);
    EXPECT_TRUE(ex.body_truncated);
    EXPECT_GT(ex.body_bytes, 500u);
    EXPECT_EQ(ex.text, long_text);  // decoding used the whole body
}

}  // namespace
}  // namespace wirecheck
