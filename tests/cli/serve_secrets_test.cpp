// `wirecheck serve` never writes an API key: not in the adapter's log lines (--log), not in the
// relay's (which logs nothing), not in the startup banner, whatever the upstream does with the
// key (echoes it in an error body or a header, fails the connection). The upstream key replaces
// the client's and goes nowhere else. (The probe command's outputs: probe_command_test.cpp;
// reports and curl: tests/unit/report_test.cpp; the page: tests/app and tests/e2e.)
#include <gtest/gtest.h>
#include <httplib.h>

#include <string>

#include "running_server.hpp"
#include "scripted_upstream.hpp"
#include "serve.hpp"

namespace wirecheck::cli {
namespace {
using namespace test;

constexpr const char* kClientKey = "sk-client-SECRET-97531";
constexpr const char* kUpstreamKey = "sk-upstream-SECRET-86420";

void expect_no_key(const std::string& where, const std::string& text) {
    EXPECT_EQ(text.find("SECRET"), std::string::npos) << "a key leaked into " << where << ":\n"
                                                       << text;
}

// An upstream that echoes whatever key it got in a 401 body and a header (as some gateways do);
// streams are answered normally.
void echo_key(const httplib::Request& req, httplib::Response& res) {
    std::string key = req.get_header_value("Authorization");
    if (req.body.find("\"stream\":true") != std::string::npos) {
        stream_chunks(res, {chat_chunk({{"role", "assistant"}, {"content", "hello"}}),
                            chat_chunk(Json::object(), "stop"), "data: [DONE]\n\n"});
        return;
    }
    res.status = 401;
    res.set_header("X-Echo", key);
    res.set_content(R"({"error":{"message":"Incorrect API key provided: )" + key + R"("}})",
                    "application/json");
}

TEST(ServeSecrets, AdapterLogLinesAndBannerNeverHoldAKey) {
    ScriptedUpstream upstream;
    upstream.reply = echo_key;
    for (bool own_key : {false, true}) {
        SCOPED_TRACE(own_key ? "upstream key" : "client key forwarded");
        ServeOptions options;
        options.adapter.upstream = upstream.url();
        options.adapter.log = true;
        if (own_key) {
            options.adapter.upstream_key = kUpstreamKey;
            options.adapter.upstream_key_env = "WIRECHECK_UPSTREAM_KEY";
        }
        expect_no_key("the banner", adapter_banner(options.adapter, "http://127.0.0.1:8080/"));
        ::testing::internal::CaptureStderr();
        ::testing::internal::CaptureStdout();
        {
            RunningServer adapter(options);
            ASSERT_TRUE(adapter.ok()) << adapter.error();
            httplib::Client client("127.0.0.1", adapter.port());
            client.set_read_timeout(10, 0);
            httplib::Headers bearer{{"Authorization", std::string("Bearer ") + kClientKey}};
            httplib::Headers x_api_key{{"x-api-key", kClientKey}};
            auto json = client.Post("/v1/responses", bearer, R"({"model":"m","input":"hi"})",
                                    "application/json");
            ASSERT_TRUE(json);
            EXPECT_EQ(json->status, 401);
            auto stream = client.Post("/v1/messages", x_api_key,
                                      R"({"model":"m","max_tokens":5,"stream":true,)"
                                      R"("messages":[{"role":"user","content":"hi"}]})",
                                      "application/json");
            ASSERT_TRUE(stream);
            EXPECT_EQ(stream->status, 200);
            // What the upstream got: exactly one key, the right one.
            httplib::Request sent = upstream.last();
            EXPECT_EQ(sent.get_header_value("Authorization"),
                      std::string("Bearer ") + (own_key ? kUpstreamKey : kClientKey));
            if (own_key) {
                for (const auto& [name, value] : sent.headers)
                    EXPECT_EQ(value.find(kClientKey), std::string::npos) << name;
                // The upstream echoed the adapter's own key: the client must not see it.
                EXPECT_EQ(json->body.find(kUpstreamKey), std::string::npos) << json->body;
                for (const auto& [name, value] : json->headers)
                    EXPECT_EQ(value.find(kUpstreamKey), std::string::npos) << name;
            }
            auto bad = client.Post("/v1/messages", x_api_key,
                                   std::string(R"({"model":")") + kClientKey + R"(","max_tokens":"x"})",
                                   "application/json");
            ASSERT_TRUE(bad);
            EXPECT_EQ(bad->status, 400);
        }
        std::string out = ::testing::internal::GetCapturedStdout();
        std::string err = ::testing::internal::GetCapturedStderr();
        EXPECT_NE(err.find("wirecheck adapter: POST /v1/responses"), std::string::npos) << err;
        expect_no_key("the adapter's stderr", err);
        expect_no_key("the adapter's stdout", out);
    }
}

TEST(ServeSecrets, TheRelayLogsNothingAndKeepsTheKeyInItsHeader) {
    ScriptedUpstream upstream;
    upstream.reply = echo_key;
    ::testing::internal::CaptureStderr();
    ::testing::internal::CaptureStdout();
    {
        RunningServer relay;
        ASSERT_TRUE(relay.ok()) << relay.error();
        httplib::Client client("127.0.0.1", relay.port());
        client.set_read_timeout(10, 0);
        for (const std::string& target :
             {upstream.url() + "/chat/completions", std::string("http://127.0.0.1:1/v1/models")}) {
            httplib::Headers headers{{"X-Wirecheck-Relay-Token", relay.server().relay_token()},
                                     {"X-Wirecheck-Target", target},
                                     {"X-Wirecheck-Method", "POST"},
                                     {"Origin", relay.origin()},
                                     {"Authorization", std::string("Bearer ") + kClientKey}};
            auto res = client.Post("/relay", headers, R"({"model":"m"})", "application/json");
            ASSERT_TRUE(res);
            if (res->status == 502) expect_no_key("a relay failure", res->body);
        }
        EXPECT_EQ(upstream.last().get_header_value("Authorization"),
                  std::string("Bearer ") + kClientKey);
    }
    expect_no_key("the relay's stdout", ::testing::internal::GetCapturedStdout());
    expect_no_key("the relay's stderr", ::testing::internal::GetCapturedStderr());
}

}  // namespace
}  // namespace wirecheck::cli
