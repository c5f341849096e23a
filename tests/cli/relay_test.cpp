// The CORS relay of `wirecheck serve` over real loopback HTTP: it forwards (streams unbuffered)
// to the simulated endpoints of the same server, reports unreachable targets as such, and refuses
// what would make it an open proxy: no token, another site's Origin, a rebinding Host, a non-http
// target, an oversized body, a non-loopback bind without --allow-remote-relay.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "relay_routes.hpp"
#include "running_server.hpp"
#include "scripted_upstream.hpp"
#include "wirecheck/json.hpp"

namespace wirecheck::cli {
namespace {

constexpr const char* kPage =
    R"(<!doctype html><meta name="wirecheck-relay" content=""><title>t</title>)";

class RelayTest : public ::testing::Test {
  protected:
    void start(ServeOptions options = {}) {
        running_ = std::make_unique<test::RunningServer>(options, kPage);
        ASSERT_TRUE(running_->ok()) << running_->error();
        client_ = std::make_unique<httplib::Client>("127.0.0.1", running_->port());
        client_->set_read_timeout(20, 0);
        client_->set_decompress(true);
    }
    PlaygroundServer& server() { return running_->server(); }
    std::string origin() const { return running_->origin(); }
    // The page's way of calling the relay.
    httplib::Headers relay_headers(const std::string& target, const std::string& method = "POST") {
        return {{"X-Wirecheck-Relay-Token", server().relay_token()},
                {"X-Wirecheck-Target", target},
                {"X-Wirecheck-Method", method},
                {"Origin", origin()},
                {"Authorization", "Bearer sk-relay-test"}};
    }
    httplib::Result relay(const httplib::Headers& headers, const std::string& body = "{}") {
        return client_->Post("/relay", headers, body, "application/json");
    }

    std::unique_ptr<test::RunningServer> running_;
    std::unique_ptr<httplib::Client> client_;
};

TEST_F(RelayTest, ForwardsAStreamAndAGetToTheTarget) {
    start();
    Json body = {{"model", "gpt-5.5"},
                 {"stream", true},
                 {"messages", Json::array({{{"role", "user"}, {"content", "Return exactly: RELAYED"}}})}};
    auto res = relay(relay_headers(origin() + "/sim/openai-native/v1/chat/completions"), body.dump());
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/event-stream");
    EXPECT_EQ(res->get_header_value("X-Wirecheck-Scenario"), "openai-native");  // target's header
    EXPECT_NE(res->body.find("RELAYED"), std::string::npos) << res->body;
    EXPECT_NE(res->body.find("data: [DONE]"), std::string::npos);

    auto models = relay(relay_headers(origin() + "/sim/openai-native/v1/models", "GET"), "");
    ASSERT_TRUE(models);
    EXPECT_EQ(models->status, 200);
    EXPECT_NE(models->body.find("\"object\":\"list\""), std::string::npos) << models->body;

    auto missing = relay(relay_headers(origin() + "/sim/anthropic-native/v1/chat/completions"));
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);  // the target's own status, passed through
    EXPECT_FALSE(missing->has_header("X-Wirecheck-Relay-Failure"));
}

// The page aborts its fetch while the target has not answered: the relay closes the target
// connection too.
TEST_F(RelayTest, APageThatGivesUpCancelsTheForwardedRequest) {
    start();
    test::SilentUpstream target;
    auto started = std::chrono::steady_clock::now();
    client_->set_read_timeout(0, 500000);
    EXPECT_FALSE(relay(relay_headers(target.url() + "/v1/chat/completions")));
    client_.reset();
    while (!target.closed && std::chrono::steady_clock::now() - started < std::chrono::seconds(8))
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_TRUE(target.closed) << "the target connection stayed open";
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST_F(RelayTest, AnUnreachableTargetIsANetworkFailure) {
    start();
    auto res = relay(relay_headers("http://127.0.0.1:9/v1/chat/completions"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 502);
    EXPECT_EQ(res->get_header_value("X-Wirecheck-Relay-Failure"), "network");
    EXPECT_NE(res->body.find("onnect"), std::string::npos) << res->body;
}

TEST_F(RelayTest, RefusesWhatWouldMakeItAnOpenProxy) {
    ServeOptions options;
    options.relay_max_body = 1024;
    start(options);
    std::string target = origin() + "/sim/openai-native/v1/chat/completions";
    auto expect_refused = [&](httplib::Headers headers, int status, const char* why,
                              const std::string& body = "{}") {
        auto res = relay(headers, body);
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, status) << why;
        EXPECT_EQ(res->get_header_value("X-Wirecheck-Relay-Failure"), "refused") << why;
        EXPECT_NE(res->body.find(why), std::string::npos) << res->body;
    };
    auto without = [&](const char* name) {
        httplib::Headers h = relay_headers(target);
        h.erase(name);
        return h;
    };
    auto with = [&](const char* name, const std::string& value, std::string t = "") {
        httplib::Headers h = relay_headers(t.empty() ? target : t);
        h.erase(name);
        h.emplace(name, value);
        return h;
    };
    expect_refused(without("X-Wirecheck-Relay-Token"), 403, "relay token");
    expect_refused(with("X-Wirecheck-Relay-Token", "0123456789abcdef0123456789abcdef"), 403, "relay token");
    expect_refused(with("Origin", "https://evil.example"), 403, "another site");
    expect_refused(with("Host", "evil.example:" + std::to_string(running_->port())), 403, "Host must be");
    expect_refused(with("X-Wirecheck-Target", "file:///etc/passwd"), 400, "only http:// and https://");
    expect_refused(with("X-Wirecheck-Method", "DELETE"), 400, "only GET and POST");
    expect_refused(relay_headers(target), 413, "request body over", std::string(2048, 'x'));
}

TEST_F(RelayTest, OnlyTheServedPageGetsTheToken) {
    start();
    ASSERT_EQ(server().relay_token().size(), 32u);
    auto page = client_->Get("/");
    ASSERT_TRUE(page);
    EXPECT_NE(page->body.find(R"(content=")" + server().relay_token() + R"(")"), std::string::npos)
        << page->body;
    // A rebinding page (another Host) gets no token.
    auto rebound = client_->Get("/", {{"Host", "evil.example:" + std::to_string(running_->port())}});
    ASSERT_TRUE(rebound);
    EXPECT_EQ(rebound->body.find(server().relay_token()), std::string::npos);
    // Two servers, two tokens.
    PlaygroundServer other;
    ServeOptions options;
    options.port = 0;
    options.web_root = running_->root().string();
    std::string error;
    ASSERT_TRUE(other.bind(options, error));
    EXPECT_NE(other.relay_token(), server().relay_token());
}

TEST_F(RelayTest, OffOnANonLoopbackBindUnlessAllowed) {
    ServeOptions options;
    options.host = "0.0.0.0";
    start(options);
    auto res = relay(relay_headers(origin() + "/sim/openai-native/v1/models", "GET"), "");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403);
    EXPECT_NE(res->body.find("--allow-remote-relay"), std::string::npos) << res->body;
    auto page = client_->Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->body.find(server().relay_token()), std::string::npos);  // no token handed out
}

}  // namespace
}  // namespace wirecheck::cli
