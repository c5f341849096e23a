// `wirecheck serve` under a burst of connections: the listen backlog (serve.hpp bind_server), and
// many adapter streams held at once with no event lost or reordered. Correctness only: speed is
// measured by tests/bench/adapter_bench.cpp, never asserted here.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "running_server.hpp"
#include "serve.hpp"

namespace wirecheck::cli {
namespace {
using Clock = std::chrono::steady_clock;

// Regression: Debian's libcpp-httplib listens with a backlog of 5, so of 200 Codex streams started
// at once the kernel dropped the SYNs beyond the sixth queued connection; some clients connected
// only on a retry seconds later and some timed out. With nobody accepting, every connection of a
// burst must still complete its handshake into the queue.
TEST(ServeLoad, BurstOfConnectionsIsQueued) {
    ServeOptions options;
    options.port = 0;
    options.web_root = "/nonexistent-wirecheck-web-build";
    options.adapter.upstream = "http://127.0.0.1:9/v1";  // adapters only; nothing is sent upstream
    PlaygroundServer server;
    std::string error;
    ASSERT_TRUE(server.bind(options, error)) << error;  // listening, but listen() not run: no accept

    constexpr int kConnections = 64;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(server.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::vector<pollfd> fds;
    for (int i = 0; i < kConnections; ++i) {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        ASSERT_GE(fd, 0);
        int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ASSERT_TRUE(rc == 0 || errno == EINPROGRESS);
        fds.push_back({fd, POLLOUT, 0});
    }
    // A queued connection completes at once; one whose SYN was dropped never does while the queue
    // stays full. The deadline only bounds the failure.
    int connected = 0;
    auto deadline = Clock::now() + std::chrono::seconds(5);
    while (connected < kConnections && Clock::now() < deadline) {
        ::poll(fds.data(), fds.size(), 100);
        connected = 0;
        for (pollfd& p : fds) {
            int err = 0;
            socklen_t len = sizeof err;
            ::getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if ((p.revents & POLLOUT) && err == 0) ++connected;
        }
    }
    for (pollfd& p : fds) ::close(p.fd);
    EXPECT_EQ(connected, kConnections);
}

// A chat upstream streaming "e0 ".."e{n-1} " deltas; each stream sends its first event only once
// `clients` streams are open (bounded), so all are held through the adapter at the same time.
struct HoldingChatUpstream {
    httplib::Server server;
    std::thread thread;
    int port = 0;
    int clients = 0;
    int events = 0;
    std::atomic<int> opened{0};

    HoldingChatUpstream(int clients_, int events_) : clients(clients_), events(events_) {
        server.new_task_queue = [this] { return new httplib::ThreadPool(clients + 8); };
        server.Post("/v1/chat/completions", [this](const httplib::Request&, httplib::Response& res) {
            ++opened;
            auto next = std::make_shared<int>(-1);
            res.set_chunked_content_provider(
                "text/event-stream", [this, next](std::size_t, httplib::DataSink& sink) {
                    if (*next == -1) {
                        auto limit = Clock::now() + std::chrono::seconds(20);
                        while (opened < clients && Clock::now() < limit)
                            std::this_thread::sleep_for(std::chrono::milliseconds(2));
                    }
                    std::string text;
                    if (*next < events) {
                        std::string delta = *next < 0 ? R"({"role":"assistant","content":""})"
                                                      : R"({"content":"e)" + std::to_string(*next) + R"( "})";
                        text = R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":)" +
                               delta + R"(,"finish_reason":null}]})" "\n\n";
                        ++*next;
                        return sink.write(text.data(), text.size());
                    }
                    text = R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})" "\n\n"
                           R"(data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":3,"total_tokens":6}})" "\n\n"
                           "data: [DONE]\n\n";
                    sink.write(text.data(), text.size());
                    sink.done();
                    return true;
                });
        });
        port = bind_server(server, "127.0.0.1", 0);
        thread = std::thread([this] { server.listen_after_bind(); });
        while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~HoldingChatUpstream() {
        server.stop();
        thread.join();
    }
};

// 50 Responses clients stream through the adapter at once; each must get every text delta, in
// order, and response.completed.
TEST(ServeLoad, ConcurrentAdapterStreamsLoseNoEvents) {
    constexpr int kClients = 50;
    constexpr int kEvents = 50;
    HoldingChatUpstream upstream(kClients, kEvents);
    ASSERT_GT(upstream.port, 0);
    ServeOptions options;
    options.adapter.upstream = "http://127.0.0.1:" + std::to_string(upstream.port) + "/v1";
    test::RunningServer adapter(options);
    ASSERT_TRUE(adapter.ok()) << adapter.error();

    std::vector<std::string> bodies(kClients);
    std::vector<int> statuses(kClients, 0);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i) {
        threads.emplace_back([&, i] {
            httplib::Client client("127.0.0.1", adapter.port());
            client.set_read_timeout(60, 0);
            auto res = client.Post("/v1/responses",
                                   R"({"model":"m","input":"count","stream":true})",
                                   "application/json");
            if (res) {
                statuses[i] = res->status;
                bodies[i] = res->body;
            }
        });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(upstream.opened, kClients);
    for (int i = 0; i < kClients; ++i) {
        SCOPED_TRACE("client " + std::to_string(i));
        EXPECT_EQ(statuses[i], 200);
        const std::string& body = bodies[i];
        // The deltas, in order: "e0 ", "e1 ", ... (Responses response.output_text.delta).
        int expected = 0;
        for (std::size_t at = 0; (at = body.find(R"("delta":"e)", at)) != std::string::npos; ++at) {
            int seq = std::stoi(body.substr(at + 10, 8));
            ASSERT_EQ(seq, expected) << "lost or reordered event";
            ++expected;
        }
        EXPECT_EQ(expected, kEvents);
        EXPECT_NE(body.find("event: response.completed"), std::string::npos);
    }
}

}  // namespace
}  // namespace wirecheck::cli
