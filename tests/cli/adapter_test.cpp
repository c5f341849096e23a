// The protocol adapters of `wirecheck serve --upstream` over real loopback HTTP: a PlaygroundServer
// with adapters in front of an upstream that is either the simulator's chat-only-gateway (another
// in-process PlaygroundServer, answering the actual request) or a test-owned httplib server with
// scripted replies. Covers Responses and Messages clients, JSON and streams, tool loops, parallel
// calls, Codex's captured requests, upstream errors, truncated and stalled streams, a client that
// goes away, auth and model mapping, HEAD / and ?beta=true.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <thread>

#include "running_server.hpp"
#include "scripted_upstream.hpp"
#include "wirecheck/json.hpp"
#include "wirecheck/sse.hpp"

namespace wirecheck::cli {
namespace {
namespace fs = std::filesystem;
using namespace test;
using Clock = std::chrono::steady_clock;

// ---- helpers -----------------------------------------------------------------------------------

std::vector<std::string> names(const std::vector<SseEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) out.push_back(e.event);
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

// Every output item a Responses stream completed (what Codex acts on).
std::vector<Json> done_items(const std::vector<SseEvent>& events) {
    std::vector<Json> items;
    for (const auto& e : events) {
        if (e.event == "response.output_item.done") items.push_back(data_of(e)["item"]);
    }
    return items;
}

// The Responses grammar a client needs: event name == data.type, created first, completed last
// with a string id and integer usage.
void expect_responses_stream(const std::vector<SseEvent>& events) {
    ASSERT_GE(events.size(), 3u);
    for (const auto& e : events) EXPECT_EQ(e.event, data_of(e).value("type", "")) << e.data;
    EXPECT_EQ(events.front().event, "response.created");
    EXPECT_EQ(events.back().event, "response.completed");
    Json response = data_of(events.back())["response"];
    EXPECT_TRUE(response["id"].is_string());
    for (const char* k : {"input_tokens", "output_tokens", "total_tokens"})
        EXPECT_TRUE(response["usage"][k].is_number_integer()) << k << ": " << response["usage"];
}

void expect_messages_stream(const std::vector<SseEvent>& events) {
    ASSERT_GE(events.size(), 3u);
    for (const auto& e : events) EXPECT_EQ(e.event, data_of(e).value("type", "")) << e.data;
    EXPECT_EQ(events.front().event, "message_start");
    EXPECT_EQ(events.back().event, "message_stop");
    auto n = names(events);
    EXPECT_TRUE(has(n, "content_block_start"));
    EXPECT_TRUE(has(n, "content_block_stop"));
    EXPECT_TRUE(has(n, "message_delta"));
}

std::string responses_text(const std::vector<Json>& items) {
    std::string text;
    for (const Json& item : items) {
        if (item.value("type", "") != "message") continue;
        for (const Json& part : item["content"]) text += part.value("text", "");
    }
    return text;
}

Json tool_exec_command() {
    return {{"type", "function"},
            {"name", "exec_command"},
            {"description", "Runs a shell command and returns its output."},
            {"parameters",
             {{"type", "object"},
              {"properties", {{"cmd", {{"type", "string"}}}}},
              {"required", Json::array({"cmd"})}}}};
}

Json user_message(const std::string& text) {
    return {{"type", "message"},
            {"role", "user"},
            {"content", Json::array({{{"type", "input_text"}, {"text", text}}})}};
}

Json load_capture(const std::string& name) {
    std::ifstream in(std::string(WIRECHECK_SHARED_DIR) + "/fixtures/captures/" + name);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto json = parse_json(text);
    EXPECT_TRUE(json.ok()) << name;
    return json.ok() ? json.value()["body_json"] : Json();
}

// ---- fixture -----------------------------------------------------------------------------------

class AdapterTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_TRUE(sim_->ok()) << sim_->error(); }
    void TearDown() override {
        client_.reset();
        adapter_.reset();
    }

    std::string sim_url(const std::string& scenario) {
        return sim_->server().url() + "sim/" + scenario + "/v1";
    }

    // Starts the adapter (no web build: adapter-only, answering / itself).
    void start_adapter(const std::string& upstream, Protocol protocol = Protocol::Chat,
                       std::function<void(AdapterOptions&)> tweak = {}) {
        ServeOptions options;
        options.web_root = (sim_->root() / "no-web-build").string();
        options.adapter.upstream = upstream;
        options.adapter.upstream_protocol = protocol;
        if (tweak) tweak(options.adapter);
        adapter_ = std::make_unique<test::RunningServer>(options);
        ASSERT_TRUE(adapter_->ok()) << adapter_->error();
        client_ = std::make_unique<httplib::Client>("127.0.0.1", adapter_->port());
        client_->set_read_timeout(20, 0);
    }

    httplib::Result post(const std::string& path, const Json& body,
                         const httplib::Headers& headers = {}) {
        return client_->Post(path.c_str(), headers, body.dump(), "application/json");
    }

    // A Responses turn through the adapter; returns the stream's events (asserting the grammar).
    std::vector<SseEvent> responses_turn(const Json& body) {
        auto res = post("/v1/responses", body, {{"Authorization", "Bearer client-key"}});
        EXPECT_TRUE(res);
        if (!res) return {};
        EXPECT_EQ(res->status, 200) << res->body;
        EXPECT_EQ(res->get_header_value("Content-Type"), "text/event-stream");
        auto events = sse(res->body);
        expect_responses_stream(events);
        return events;
    }

    std::unique_ptr<test::RunningServer> sim_ = std::make_unique<test::RunningServer>();
    std::unique_ptr<test::RunningServer> adapter_;
    std::unique_ptr<httplib::Client> client_;
};

// ---- Responses clients (Codex) -----------------------------------------------------------------

TEST_F(AdapterTest, ResponsesJsonViaChat) {
    start_adapter(sim_url("chat-only-gateway"));
    auto res = post("/v1/responses", {{"model", "qwen3-coder-30b"},
                                      {"input", "Return exactly: ADAPTED-OK"},
                                      {"store", false}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    Json body = parse_json(res->body).value();
    EXPECT_EQ(body["object"], "response");
    EXPECT_EQ(body["status"], "completed");
    EXPECT_EQ(body["output"][0]["content"][0]["text"], "ADAPTED-OK");
    EXPECT_TRUE(body["usage"]["total_tokens"].is_number_integer());
}

TEST_F(AdapterTest, ResponsesStreamViaChat) {
    start_adapter(sim_url("chat-only-gateway"));
    auto events = responses_turn({{"model", "qwen3-coder-30b"},
                                  {"input", "Return exactly: streamed through the adapter"},
                                  {"stream", true}});
    auto n = names(events);
    EXPECT_TRUE(has(n, "response.output_item.added"));
    EXPECT_TRUE(has(n, "response.output_text.delta"));
    EXPECT_EQ(responses_text(done_items(events)), "streamed through the adapter");
    // The upstream was asked for usage, so the counts are real, not zero.
    EXPECT_GT(data_of(events.back())["response"]["usage"]["output_tokens"].get<int>(), 0);
}

// Codex's tool loop, several turns: call -> result (echoed back without item ids) -> answer ->
// a new request -> call -> result -> answer.
TEST_F(AdapterTest, ResponsesToolLoopOfSeveralTurns) {
    start_adapter(sim_url("chat-only-gateway"));
    Json input = Json::array({user_message(
        "Create a file a.txt containing ONE by running a shell command, then reply with exactly "
        "DONE-1.")});
    Json body = {{"model", "qwen3-coder-30b"},
                 {"tools", Json::array({tool_exec_command()})},
                 {"tool_choice", "auto"},
                 {"parallel_tool_calls", true},
                 {"store", false},
                 {"stream", true}};
    for (const std::string expected : {"DONE-1", "DONE-2"}) {
        body["input"] = input;
        auto items = done_items(responses_turn(body));
        ASSERT_EQ(items.size(), 1u);
        ASSERT_EQ(items[0]["type"], "function_call") << items[0];
        EXPECT_EQ(items[0]["name"], "exec_command");
        Json args = parse_json(items[0]["arguments"].get<std::string>()).value();
        EXPECT_NE(args["cmd"].get<std::string>().find("echo"), std::string::npos) << args;
        Json call = items[0];
        call.erase("id");  // Codex sends its calls back without item ids
        call.erase("status");
        input.push_back(call);
        input.push_back({{"type", "function_call_output"},
                         {"call_id", items[0]["call_id"]},
                         {"output", "exit code 0"}});
        body["input"] = input;
        auto answer = done_items(responses_turn(body));
        EXPECT_EQ(responses_text(answer), expected);
        for (const Json& item : answer) input.push_back(item);
        input.push_back(user_message(
            "Create a file b.txt containing TWO by running a shell command, then reply with "
            "exactly DONE-2."));
    }
}

// The captured Codex requests: tools inside an `additional_tools` namespace with the shell as the
// freeform `exec` tool (the call must come back as a complete custom_tool_call), and the classic
// top-level function `exec_command`.
TEST_F(AdapterTest, CodexCapturedRequestsGetTheirToolShapesBack) {
    start_adapter(sim_url("chat-only-gateway"));
    Json turn1 = load_capture("codex-turn1.json");
    turn1["model"] = "qwen3-coder-30b";
    auto items = done_items(responses_turn(turn1));
    ASSERT_FALSE(items.empty());
    const Json& custom = items.back();
    EXPECT_EQ(custom["type"], "custom_tool_call") << custom;
    EXPECT_EQ(custom["name"], "exec");
    // The raw freeform input, unwrapped from the {"input": ...} the chat upstream called with.
    ASSERT_TRUE(custom["input"].is_string());
    EXPECT_NE(custom["input"].get<std::string>().rfind("{", 0), 0u) << custom;
    EXPECT_FALSE(custom["input"].get<std::string>().empty());

    Json classic = load_capture("codex-classic-turn1.json");
    classic["model"] = "qwen3-coder-30b";
    items = done_items(responses_turn(classic));
    ASSERT_FALSE(items.empty());
    EXPECT_EQ(items.back()["type"], "function_call") << items.back();
    EXPECT_EQ(items.back()["name"], "exec_command");
    Json args = parse_json(items.back()["arguments"].get<std::string>()).value();
    EXPECT_EQ(args["cmd"], "echo HARNESS_OK > proof.txt");
}

// ---- Messages clients (Claude Code) ------------------------------------------------------------

TEST_F(AdapterTest, MessagesJsonViaChatWithBetaQuery) {
    start_adapter(sim_url("chat-only-gateway"));
    Json body = {{"model", "qwen3-coder-30b"},
                 {"max_tokens", 256},
                 {"messages", Json::array({{{"role", "user"}, {"content", "Return exactly: MSG-OK"}}})}};
    auto res = post("/v1/messages?beta=true", body,
                    {{"x-api-key", "client-key"},
                     {"anthropic-version", "2023-06-01"},
                     {"anthropic-beta", "claude-code-20250219"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    Json reply = parse_json(res->body).value();
    EXPECT_EQ(reply["type"], "message");
    EXPECT_EQ(reply["content"][0]["text"], "MSG-OK");
    EXPECT_EQ(reply["stop_reason"], "end_turn");
}

TEST_F(AdapterTest, MessagesStreamToolLoopViaChat) {
    start_adapter(sim_url("chat-only-gateway"));
    Json tools = Json::array({{{"name", "Bash"},
                               {"description", "Executes a bash command"},
                               {"input_schema",
                                {{"type", "object"},
                                 {"properties", {{"command", {{"type", "string"}}}}},
                                 {"required", Json::array({"command"})}}}}});
    Json messages = Json::array(
        {{{"role", "user"},
          {"content", "Create a file proof.txt containing HARNESS_OK using the Bash tool, then "
                      "reply with exactly DONE."}}});
    Json body = {{"model", "qwen3-coder-30b"}, {"max_tokens", 1024}, {"stream", true}, {"tools", tools}};
    body["messages"] = messages;
    auto res = post("/v1/messages?beta=true", body, {{"x-api-key", "k"}});
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    auto events = sse(res->body);
    expect_messages_stream(events);
    Json tool_use;
    std::string input_json;
    for (const auto& e : events) {
        Json d = data_of(e);
        if (e.event == "content_block_start" && d["content_block"]["type"] == "tool_use")
            tool_use = d["content_block"];
        if (e.event == "content_block_delta" && d["delta"]["type"] == "input_json_delta")
            input_json += d["delta"]["partial_json"].get<std::string>();
        if (e.event == "message_delta") EXPECT_EQ(d["delta"]["stop_reason"], "tool_use");
    }
    ASSERT_EQ(tool_use["name"], "Bash");
    Json input = parse_json(input_json).value();
    EXPECT_EQ(input["command"], "echo HARNESS_OK > proof.txt");

    tool_use["input"] = input;
    messages.push_back({{"role", "assistant"}, {"content", Json::array({tool_use})}});
    messages.push_back({{"role", "user"},
                        {"content", Json::array({{{"type", "tool_result"},
                                                  {"tool_use_id", tool_use["id"]},
                                                  {"content", ""}}})}});
    body["messages"] = messages;
    res = post("/v1/messages?beta=true", body, {{"x-api-key", "k"}});
    ASSERT_TRUE(res);
    events = sse(res->body);
    expect_messages_stream(events);
    std::string text;
    for (const auto& e : events) {
        Json d = data_of(e);
        if (e.event == "content_block_delta" && d["delta"]["type"] == "text_delta")
            text += d["delta"]["text"].get<std::string>();
    }
    EXPECT_EQ(text, "DONE");
}

// ---- parallel tool calls (scripted chat upstream) ----------------------------------------------

std::vector<std::string> parallel_calls_stream() {
    auto call = [](int index, const char* id, const char* name) {
        return Json{{"tool_calls",
                     Json::array({{{"index", index},
                                   {"id", id},
                                   {"type", "function"},
                                   {"function", {{"name", name}, {"arguments", ""}}}}})}};
    };
    auto args = [](int index, const char* piece) {
        return Json{{"tool_calls",
                     Json::array({{{"index", index}, {"function", {{"arguments", piece}}}}})}};
    };
    return {chat_chunk({{"role", "assistant"}}),
            chat_chunk(call(0, "call_a", "get_weather")),
            chat_chunk(args(0, "{\"city\":")),
            chat_chunk(call(1, "call_b", "get_weather")),
            chat_chunk(args(1, "{\"city\":\"Oslo\"}")),
            chat_chunk(args(0, "\"Paris\"}")),
            chat_chunk(Json::object(), "tool_calls"),
            chat_usage_chunk(),
            "data: [DONE]\n\n"};
}

Json weather_tool() {
    return {{"type", "function"},
            {"name", "get_weather"},
            {"parameters",
             {{"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}}}};
}

TEST_F(AdapterTest, ParallelToolCallsReachBothClients) {
    ScriptedUpstream upstream;
    upstream.reply = [](const httplib::Request&, httplib::Response& res) {
        stream_chunks(res, parallel_calls_stream());
    };
    start_adapter(upstream.url());
    auto items = done_items(responses_turn({{"model", "m"},
                                            {"input", "Weather in Paris and Oslo?"},
                                            {"tools", Json::array({weather_tool()})},
                                            {"parallel_tool_calls", true},
                                            {"stream", true}}));
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0]["call_id"], "call_a");
    EXPECT_EQ(items[0]["arguments"], "{\"city\":\"Paris\"}");
    EXPECT_EQ(items[1]["call_id"], "call_b");
    EXPECT_EQ(items[1]["arguments"], "{\"city\":\"Oslo\"}");

    Json tool = {{"name", "get_weather"}, {"input_schema", weather_tool()["parameters"]}};
    auto res = post("/v1/messages", {{"model", "m"},
                                     {"max_tokens", 100},
                                     {"stream", true},
                                     {"tools", Json::array({tool})},
                                     {"messages", Json::array({{{"role", "user"}, {"content", "w?"}}})}});
    ASSERT_TRUE(res);
    auto events = sse(res->body);
    expect_messages_stream(events);
    std::map<int, std::string> inputs;
    std::map<int, std::string> ids;
    for (const auto& e : events) {
        Json d = data_of(e);
        if (e.event == "content_block_start" && d["content_block"]["type"] == "tool_use")
            ids[d["index"].get<int>()] = d["content_block"]["id"].get<std::string>();
        if (e.event == "content_block_delta" && d["delta"]["type"] == "input_json_delta")
            inputs[d["index"].get<int>()] += d["delta"]["partial_json"].get<std::string>();
    }
    ASSERT_EQ(ids.size(), 2u);
    std::vector<std::string> cities;
    for (auto& [index, text] : inputs) cities.push_back(parse_json(text).value()["city"]);
    EXPECT_EQ(cities, (std::vector<std::string>{"Paris", "Oslo"}));
    // The upstream was asked for usage in the stream.
    Json sent = parse_json(upstream.last().body).value();
    EXPECT_EQ(sent["stream_options"]["include_usage"], true);
}

// ---- upstream faults ---------------------------------------------------------------------------

TEST_F(AdapterTest, TruncatedUpstreamStreamFailsPromptly) {
    start_adapter(sim_url("stream-drop"));
    auto started = Clock::now();
    auto events = sse(post("/v1/responses", {{"model", "flaky-model"},
                                             {"input", "Return exactly: one two three four five six seven"},
                                             {"stream", true}})
                          ->body);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().event, "response.created");
    EXPECT_EQ(events.back().event, "response.failed");
    EXPECT_FALSE(has(names(events), "response.completed"));

    auto res = post("/v1/messages", {{"model", "flaky-model"},
                                     {"max_tokens", 100},
                                     {"stream", true},
                                     {"messages", Json::array({{{"role", "user"},
                                                                {"content", "Return exactly: a b c d e f"}}})}});
    ASSERT_TRUE(res);
    events = sse(res->body);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().event, "message_start");
    EXPECT_EQ(events.back().event, "error");
    EXPECT_FALSE(has(names(events), "message_stop"));
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(3));
}

// A cut in the middle of a tool call: the call never completes (no output_item.done for it).
TEST_F(AdapterTest, CutInsideAToolCallNeverCompletesIt) {
    ScriptedUpstream upstream;
    upstream.reply = [](const httplib::Request&, httplib::Response& res) {
        auto chunks = parallel_calls_stream();
        chunks.resize(3);  // role, call a starts, half its arguments
        stream_chunks(res, chunks, 0, /*cut=*/true);
    };
    start_adapter(upstream.url());
    auto res = post("/v1/responses", {{"model", "m"},
                                      {"input", "w?"},
                                      {"tools", Json::array({weather_tool()})},
                                      {"stream", true}});
    ASSERT_TRUE(res);
    auto events = sse(res->body);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().event, "response.failed");
    EXPECT_TRUE(done_items(events).empty());
}

// An upstream that goes quiet: the idle timeout ends the client stream with an error event.
TEST_F(AdapterTest, StalledUpstreamStreamTimesOut) {
    ScriptedUpstream upstream;
    upstream.reply = [](const httplib::Request&, httplib::Response& res) {
        auto sent = std::make_shared<bool>(false);
        auto until = Clock::now() + std::chrono::seconds(6);
        res.set_chunked_content_provider(
            "text/event-stream", [sent, until](std::size_t, httplib::DataSink& sink) {
                if (!*sent) {
                    *sent = true;
                    std::string c = chat_chunk({{"role", "assistant"}}) + chat_chunk({{"content", "hel"}});
                    return sink.write(c.data(), c.size());
                }
                // Then silence, with the connection open (for a while: the server must stop).
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                return Clock::now() < until;
            });
    };
    start_adapter(upstream.url(), Protocol::Chat, [](AdapterOptions& o) { o.timeouts.idle_s = 1; });
    auto started = Clock::now();
    auto res = post("/v1/messages", {{"model", "m"},
                                     {"max_tokens", 100},
                                     {"stream", true},
                                     {"messages", Json::array({{{"role", "user"}, {"content", "hi"}}})}});
    ASSERT_TRUE(res);
    auto events = sse(res->body);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().event, "error");
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(3));
}

TEST_F(AdapterTest, Upstream400BecomesEachProtocolsErrorBody) {
    // The field report's gateway, used as a Responses upstream: its exact 400.
    start_adapter(sim_url("fieldreport-deepseek-v4-pro"), Protocol::Responses);
    auto res = post("/v1/responses", {{"model", "deepseek-v4-pro"}, {"input", "hi"}, {"stream", true}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    Json body = parse_json(res->body).value();
    EXPECT_EQ(body["error"]["code"], "convert_request_failed");
    EXPECT_EQ(body["error"]["message"], "Invalid request.");
    EXPECT_EQ(body["error"]["type"], "new_api_error");

    res = post("/v1/messages", {{"model", "deepseek-v4-pro"},
                                {"max_tokens", 10},
                                {"messages", Json::array({{{"role", "user"}, {"content", "hi"}}})}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    body = parse_json(res->body).value();
    EXPECT_EQ(body["type"], "error");
    EXPECT_EQ(body["error"]["message"], "Invalid request.");
    EXPECT_TRUE(body["error"]["type"].is_string());
}

TEST_F(AdapterTest, UpstreamErrorWithoutEnvelopeAndUnreachableUpstream) {
    ScriptedUpstream upstream;
    upstream.reply = [](const httplib::Request&, httplib::Response& res) {
        res.status = 429;
        res.set_header("Retry-After", "7");
        res.set_content("slow down", "text/plain");
    };
    start_adapter(upstream.url());
    auto res = post("/v1/messages", {{"model", "m"},
                                     {"max_tokens", 10},
                                     {"stream", true},
                                     {"messages", Json::array({{{"role", "user"}, {"content", "hi"}}})}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 429);
    EXPECT_EQ(res->get_header_value("Retry-After"), "7");
    Json body = parse_json(res->body).value();
    EXPECT_EQ(body["error"]["type"], "rate_limit_error");
    EXPECT_NE(body["error"]["message"].get<std::string>().find("slow down"), std::string::npos);

    adapter_.reset();
    start_adapter("http://127.0.0.1:1/v1");  // nothing listens on port 1
    res = post("/v1/responses", {{"model", "m"}, {"input", "hi"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 502);
    body = parse_json(res->body).value();
    EXPECT_EQ(body["error"]["code"], "upstream_unreachable");

    res = client_->Post("/v1/responses", "{not json", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_TRUE(parse_json(res->body).value()["error"]["message"].is_string());
}

// The client goes away mid-stream: the adapter closes the upstream connection soon after.
TEST_F(AdapterTest, ClientDisconnectCancelsTheUpstreamRequest) {
    ScriptedUpstream upstream;
    auto cancelled = std::make_shared<std::atomic<bool>>(false);
    upstream.reply = [cancelled](const httplib::Request&, httplib::Response& res) {
        std::vector<std::string> chunks{chat_chunk({{"role", "assistant"}})};
        for (int i = 0; i < 500; ++i) chunks.push_back(chat_chunk({{"content", " word"}}));
        chunks.push_back(chat_chunk(Json::object(), "stop"));
        chunks.push_back("data: [DONE]\n\n");
        stream_chunks(res, chunks, 20, false, cancelled.get());  // 10 s in all
    };
    start_adapter(upstream.url());
    int received = 0;
    auto started = Clock::now();
    httplib::Request req;
    req.method = "POST";
    req.path = "/v1/responses";
    req.body = Json{{"model", "m"}, {"input", "talk"}, {"stream", true}}.dump();
    req.set_header("Content-Type", "application/json");
    req.content_receiver = [&](const char*, std::size_t, std::uint64_t, std::uint64_t) {
        return ++received < 3;  // read a little, then hang up
    };
    httplib::Response res;
    httplib::Error error = httplib::Error::Success;
    client_->send(req, res, error);
    EXPECT_EQ(res.status, 200);
    client_.reset();
    while (!*cancelled && Clock::now() - started < std::chrono::seconds(8))
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_TRUE(*cancelled);
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(3));
}

// The silent upstream must see its connection closed within 3 s of `started` (waits up to 8 s).
void expect_closed_soon(const test::SilentUpstream& upstream, Clock::time_point started) {
    while (!upstream.closed && Clock::now() - started < std::chrono::seconds(8))
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_TRUE(upstream.closed) << "the upstream connection stayed open";
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(3));
}

// A non-streaming client gives up while the upstream is still thinking (nothing written to the
// client yet, so no failed write tells): the adapter notices the hang-up and closes the upstream
// connection instead of waiting for a reply nobody will read.
TEST_F(AdapterTest, ClientDisconnectCancelsAJsonRequestBeforeTheUpstreamAnswers) {
    test::SilentUpstream upstream;
    start_adapter(upstream.url() + "/v1");
    auto started = Clock::now();
    client_->set_read_timeout(0, 500000);  // the client hangs up after half a second
    auto res = post("/v1/responses", {{"model", "m"}, {"input", "think long"}});
    EXPECT_FALSE(res);
    client_.reset();
    expect_closed_soon(upstream, started);
}

// The same for the two small forwarded requests: the model list and a Messages upstream's
// count_tokens.
TEST_F(AdapterTest, ClientDisconnectCancelsModelsAndCountTokensToo) {
    for (bool models : {true, false}) {
        SCOPED_TRACE(models ? "/v1/models" : "/v1/messages/count_tokens");
        test::SilentUpstream upstream;
        start_adapter(upstream.url() + "/v1", models ? Protocol::Chat : Protocol::Messages);
        auto started = Clock::now();
        client_->set_read_timeout(0, 500000);
        auto res = models ? client_->Get("/v1/models")
                          : post("/v1/messages/count_tokens",
                                 {{"model", "m"}, {"messages", Json::array()}});
        EXPECT_FALSE(res);
        client_.reset();
        expect_closed_soon(upstream, started);
    }
}

// ---- quirks, auth, model map, models, count_tokens ---------------------------------------------

TEST_F(AdapterTest, HeadRootModelsAndCountTokens) {
    start_adapter(sim_url("chat-only-gateway"));
    auto head = client_->Head("/");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    auto models = client_->Get("/v1/models");
    ASSERT_TRUE(models);
    EXPECT_EQ(models->status, 200);
    EXPECT_EQ(parse_json(models->body).value()["data"][0]["id"], "qwen3-coder-30b");
    auto count = post("/v1/messages/count_tokens?beta=true",
                      {{"model", "m"},
                       {"messages", Json::array({{{"role", "user"}, {"content", "hello there"}}})}});
    ASSERT_TRUE(count);
    EXPECT_EQ(count->status, 200);
    EXPECT_GT(parse_json(count->body).value()["input_tokens"].get<int>(), 0);
}

TEST_F(AdapterTest, KeysBetasAndModelMap) {
    ScriptedUpstream upstream;
    upstream.reply = [](const httplib::Request&, httplib::Response& res) {
        res.set_content(Json{{"id", "chatcmpl-1"},
                             {"object", "chat.completion"},
                             {"created", 1},
                             {"model", "upstream-model"},
                             {"choices", Json::array({{{"index", 0},
                                                       {"message", {{"role", "assistant"}, {"content", "ok"}}},
                                                       {"finish_reason", "stop"}}})},
                             {"usage", {{"prompt_tokens", 1}, {"completion_tokens", 1}, {"total_tokens", 2}}}}
                            .dump(),
                        "application/json");
    };
    Json messages_body = {{"model", "claude-haiku-4-5"},
                          {"max_tokens", 10},
                          {"messages", Json::array({{{"role", "user"}, {"content", "hi"}}})}};
    httplib::Headers claude_headers{{"x-api-key", "client-key"},
                                    {"anthropic-version", "2023-06-01"},
                                    {"anthropic-beta", "interleaved-thinking-2025-05-14"}};

    // No upstream key: the client's own key goes upstream (as a Bearer token for a chat upstream).
    start_adapter(upstream.url(), Protocol::Chat, [](AdapterOptions& o) {
        o.model_map = {{"claude-*", "upstream-model"}, {"gpt-x", "other"}};
    });
    auto res = post("/v1/messages?beta=true", messages_body, claude_headers);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    EXPECT_EQ(parse_json(res->body).value()["content"][0]["text"], "ok");
    httplib::Request sent = upstream.last();
    EXPECT_EQ(sent.path, "/v1/chat/completions");
    EXPECT_EQ(sent.get_header_value("Authorization"), "Bearer client-key");
    EXPECT_FALSE(sent.has_header("anthropic-beta"));
    EXPECT_FALSE(sent.has_header("x-api-key"));
    EXPECT_EQ(parse_json(sent.body).value()["model"], "upstream-model");

    // With an upstream key, it replaces the client's.
    adapter_.reset();
    start_adapter(upstream.url() + "/", Protocol::Chat,
                  [](AdapterOptions& o) { o.upstream_key = "upstream-secret"; });
    res = post("/v1/responses", {{"model", "gpt-x"}, {"input", "hi"}},
               {{"Authorization", "Bearer client-key"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    sent = upstream.last();
    EXPECT_EQ(sent.get_header_value("Authorization"), "Bearer upstream-secret");
    EXPECT_EQ(parse_json(sent.body).value()["model"], "gpt-x");
}

TEST(AdapterModelMap, ExactBeatsPrefixAndBadEntriesAreRefused) {
    std::vector<ModelMapping> map;
    std::string error;
    ASSERT_TRUE(parse_model_map({"claude-*=small", "claude-opus-4=big", "*=fallback"}, map, error));
    EXPECT_EQ(map_model(map, "claude-opus-4"), "big");
    EXPECT_EQ(map_model(map, "claude-haiku"), "small");
    EXPECT_EQ(map_model(map, "gpt-5"), "fallback");
    std::vector<ModelMapping> none;
    EXPECT_EQ(map_model(none, "gpt-5"), "gpt-5");
    EXPECT_FALSE(parse_model_map({"no-equals"}, map, error));
    EXPECT_NE(error.find("no-equals"), std::string::npos);
    EXPECT_FALSE(parse_model_map({"=x"}, map, error));
}

TEST(AdapterBanner, NamesEndpointsAndClientConfig) {
    AdapterOptions o;
    o.upstream = "https://api.example.com/v1";
    o.model_map = {{"*", "qwen3-coder"}};
    std::string text = adapter_banner(o, "http://127.0.0.1:8080/");
    EXPECT_NE(text.find("http://127.0.0.1:8080/v1/responses"), std::string::npos);
    EXPECT_NE(text.find("base_url = \"http://127.0.0.1:8080/v1\""), std::string::npos);
    EXPECT_NE(text.find("wire_api = \"responses\""), std::string::npos);
    EXPECT_NE(text.find("ANTHROPIC_BASE_URL=http://127.0.0.1:8080\n"), std::string::npos);
    EXPECT_NE(text.find("model = \"qwen3-coder\""), std::string::npos);
}

}  // namespace
}  // namespace wirecheck::cli
