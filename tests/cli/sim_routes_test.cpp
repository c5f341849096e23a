// The simulated endpoints over real loopback HTTP (`wirecheck serve` at /sim/<scenario>/v1/...):
// JSON and streamed replies, the field report's 400, unknown scenarios, CORS headers present or
// absent, a slow stream arriving in several pieces.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "running_server.hpp"
#include "wirecheck/json.hpp"
#include "wirecheck/sim.hpp"
#include "wirecheck/sse.hpp"

namespace wirecheck::cli {
namespace {

class SimRoutesTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(running_.ok()) << running_.error();
        client_ = std::make_unique<httplib::Client>("127.0.0.1", running_.port());
        client_->set_read_timeout(10, 0);
    }

    httplib::Result post(const std::string& path, const Json& body,
                         const httplib::Headers& headers = {}) {
        return client_->Post(path.c_str(), headers, body.dump(), "application/json");
    }

    test::RunningServer running_;
    std::unique_ptr<httplib::Client> client_;
};

Json chat(const std::string& prompt, int max_tokens, bool stream = false) {
    Json body = {{"model", "deepseek-v4-pro"},
                 {"max_tokens", max_tokens},
                 {"messages", Json::array({{{"role", "user"}, {"content", prompt}}})}};
    if (stream) {
        body["stream"] = true;
        body["stream_options"] = {{"include_usage", true}};
    }
    return body;
}

std::vector<SseEvent> sse(const std::string& text) {
    SseParser parser;
    std::vector<SseEvent> events;
    EXPECT_TRUE(parser.feed(text, events).ok());
    EXPECT_TRUE(parser.finish(events).ok());
    return events;
}

const char* const kChat = "/sim/fieldreport-deepseek-v4-pro/v1/chat/completions";

TEST_F(SimRoutesTest, ChatAnswersTheActualRequest) {
    auto res = post(kChat, chat("Return exactly: DS-OK-8147", 30));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
    Json body = parse_json(res->body).value();
    EXPECT_EQ(body["choices"][0]["message"]["content"], "DS");
    EXPECT_EQ(body["choices"][0]["finish_reason"], "length");
    EXPECT_EQ(body["usage"]["completion_tokens_details"]["reasoning_tokens"], 28);

    auto other = post(kChat, chat("Return exactly: hello over HTTP", 128));
    ASSERT_TRUE(other);
    EXPECT_EQ(parse_json(other->body).value()["choices"][0]["message"]["content"],
              "hello over HTTP");
}

TEST_F(SimRoutesTest, ChatStreamsServerSentEvents) {
    auto res = post(kChat, chat("Return exactly: streamed over HTTP", 128, true));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    // The bare type: httplib leaves exactly "text/event-stream" uncompressed (a compressor would
    // hold events back), even for a client that accepts gzip and br.
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/event-stream");
    EXPECT_EQ(res->get_header_value("Transfer-Encoding"), "chunked");
    auto compressed = post(kChat, chat("Return exactly: plain", 128, true),
                           {{"Accept-Encoding", "gzip, deflate, br"}});
    ASSERT_TRUE(compressed);
    EXPECT_FALSE(compressed->has_header("Content-Encoding"));
    auto events = sse(res->body);
    ASSERT_GE(events.size(), 4u);
    EXPECT_TRUE(events.back().is_done());
    std::string text;
    for (const auto& e : events) {
        Json chunk = parse_json(e.data).ok() ? parse_json(e.data).value() : Json();
        if (chunk.contains("choices") && !chunk["choices"].empty()) {
            const Json& delta = chunk["choices"][0]["delta"];
            if (delta.contains("content") && delta["content"].is_string())
                text += delta["content"].get<std::string>();
        }
    }
    EXPECT_EQ(text, "streamed over HTTP");
}

TEST_F(SimRoutesTest, FieldReportResponsesIsTheExact400) {
    auto res = post("/sim/fieldreport-deepseek-v4-pro/v1/responses",
                    Json{{"model", "deepseek-v4-pro"}, {"input", "hi"}});
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_EQ(
        res->body,
        R"({"error":{"message":"Invalid request.","type":"new_api_error","code":"convert_request_failed"}})");
}

TEST_F(SimRoutesTest, UnknownScenarioIs404ListingTheAvailableOnes) {
    auto res = client_->Get("/sim/no-such-scenario/v1/models");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    Json body = parse_json(res->body).value();
    EXPECT_EQ(body["error"]["code"], "unknown_scenario");
    EXPECT_NE(body["error"]["message"].get<std::string>().find("fieldreport-deepseek-v4-pro"),
              std::string::npos);
    EXPECT_EQ(body["scenarios"].size(), builtin_scenarios().size());
    auto list = client_->Get("/sim/");
    ASSERT_TRUE(list);
    EXPECT_EQ(list->status, 200);
    EXPECT_EQ(parse_json(list->body).value()["scenarios"][0]["name"],
              "fieldreport-deepseek-v4-pro");
}

TEST_F(SimRoutesTest, ModelsHeadAndAbsentEndpoints) {
    auto models = client_->Get("/sim/fieldreport-deepseek-v4-pro/v1/models");
    ASSERT_TRUE(models);
    Json body = parse_json(models->body).value();
    EXPECT_EQ(body["data"][0]["owned_by"], "custom");
    auto head = client_->Head("/sim/anthropic-native/");
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    auto absent = post("/sim/chat-only-gateway/v1/messages",
                       Json{{"model", "m"}, {"max_tokens", 5}, {"messages", Json::array()}});
    ASSERT_TRUE(absent);
    EXPECT_EQ(absent->status, 404);
    // Claude Code appends ?beta=true.
    auto beta = post(
        "/sim/anthropic-native/v1/messages?beta=true",
        Json{{"model", "claude-sonnet-4-5"},
             {"max_tokens", 64},
             {"messages", Json::array({{{"role", "user"}, {"content", "Return exactly: yes"}}})}});
    ASSERT_TRUE(beta);
    EXPECT_EQ(parse_json(beta->body).value()["content"][0]["text"], "yes");
}

TEST_F(SimRoutesTest, CorsHeadersForEveryScenarioButCorsBlocked) {
    httplib::Headers origin = {{"Origin", "http://localhost:5173"}};
    auto ok = post(kChat, chat("hi", 64), origin);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->get_header_value("Access-Control-Allow-Origin"), "*");
    auto preflight = client_->Options("/sim/openai-native/v1/chat/completions", origin);
    ASSERT_TRUE(preflight);
    EXPECT_EQ(preflight->status, 204);
    EXPECT_EQ(preflight->get_header_value("Access-Control-Allow-Origin"), "*");
    std::string allowed = preflight->get_header_value("Access-Control-Allow-Headers");
    for (const char* h : {"authorization", "content-type", "x-api-key", "anthropic-version",
                          "anthropic-beta", "anthropic-dangerous-direct-browser-access"}) {
        EXPECT_NE(allowed.find(h), std::string::npos) << h;
    }

    auto blocked = post(
        "/sim/cors-blocked/v1/chat/completions",
        Json{{"model", "gpt-5.5"},
             {"messages", Json::array({{{"role", "user"}, {"content", "Return exactly: hi"}}})}},
        origin);
    ASSERT_TRUE(blocked);
    EXPECT_EQ(blocked->status, 200) << "curl still gets the answer";
    EXPECT_FALSE(blocked->has_header("Access-Control-Allow-Origin"));
    EXPECT_EQ(parse_json(blocked->body).value()["choices"][0]["message"]["content"], "hi");
    auto blocked_preflight = client_->Options("/sim/cors-blocked/v1/chat/completions", origin);
    ASSERT_TRUE(blocked_preflight);
    EXPECT_FALSE(blocked_preflight->has_header("Access-Control-Allow-Origin"));
    EXPECT_FALSE(blocked_preflight->has_header("Access-Control-Allow-Headers"));
}

TEST_F(SimRoutesTest, SlowStreamArrivesInSeveralPieces) {
    httplib::Request req;
    req.method = "POST";
    req.path = "/sim/slow-stream/v1/chat/completions";
    req.headers = {{"Content-Type", "application/json"}};
    req.body = Json{{"model", "slow-model"},
                    {"stream", true},
                    {"messages",
                     Json::array({{{"role", "user"}, {"content", "Return exactly: a b c d"}}})}}
                   .dump();
    std::vector<std::string> pieces;
    std::vector<std::chrono::steady_clock::time_point> arrivals;
    req.content_receiver = [&](const char* data, size_t len, uint64_t, uint64_t) {
        pieces.emplace_back(data, len);
        arrivals.push_back(std::chrono::steady_clock::now());
        return true;
    };
    auto start = std::chrono::steady_clock::now();
    auto res = client_->send(req);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    ASSERT_GE(pieces.size(), 4u);
    auto spread =
        std::chrono::duration_cast<std::chrono::milliseconds>(arrivals.back() - arrivals.front());
    EXPECT_GE(spread.count(), 150 * static_cast<long>(pieces.size() - 2)) << "paced, not one burst";
    EXPECT_GE(
        std::chrono::duration_cast<std::chrono::milliseconds>(arrivals.front() - start).count(),
        100);
    std::string all;
    for (const auto& p : pieces) all += p;
    EXPECT_TRUE(sse(all).back().is_done());
}

}  // namespace
}  // namespace wirecheck::cli
