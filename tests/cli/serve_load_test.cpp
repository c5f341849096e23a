// `wirecheck serve` under a burst of connections: the listen backlog (serve.hpp bind_server), and
// 200 adapter and 200 relayed streams held at once with no event lost or reordered and no file
// descriptor left open (faults: serve_fault_test.cpp). Correctness only: speed is
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
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "process_stats.hpp"
#include "running_server.hpp"
#include "scripted_upstream.hpp"
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

// The upstream's script as a client should see it: "e0 ", "e1 ", ...
std::vector<std::string> scripted_deltas(int events) {
    std::vector<std::string> out;
    for (int i = 0; i < events; ++i) out.push_back("e" + std::to_string(i) + " ");
    return out;
}

// The text deltas of a stream, in arrival order, and whether it ended with its terminal event.
struct ReceivedStream {
    std::vector<std::string> deltas;
    bool terminal = false;
};

ReceivedStream received(Protocol protocol, const std::string& body) {
    ReceivedStream r;
    for (const SseEvent& e : test::sse(body)) {
        if (e.event == "response.completed" || e.event == "message_stop" ||
            (protocol == Protocol::Chat && e.is_done()))
            r.terminal = true;
        Json data = test::data_of(e);
        if (!data.is_object()) continue;
        if (protocol == Protocol::Responses && e.event == "response.output_text.delta") {
            if (!data.value("delta", "").empty()) r.deltas.push_back(data.value("delta", ""));
        } else if (protocol == Protocol::Messages && e.event == "content_block_delta") {
            if (!data["delta"].value("text", "").empty())
                r.deltas.push_back(data["delta"].value("text", ""));
        } else if (protocol == Protocol::Chat && data.contains("choices") &&
                   !data["choices"].empty()) {
            const Json& content = data["choices"][0]["delta"]["content"];
            if (content.is_string() && !content.get<std::string>().empty())
                r.deltas.push_back(content.get<std::string>());
        }
    }
    return r;
}

// Runs `clients` requests at once (one thread each) and checks every stream against the script:
// status 200, every delta, in order, and the terminal event. Returns how many clients failed.
int run_clients(int clients, int events, const std::function<httplib::Result(int)>& request,
                const std::function<Protocol(int)>& protocol_of) {
    std::vector<std::string> bodies(clients);
    std::vector<int> statuses(clients, 0);
    std::vector<std::thread> threads;
    for (int i = 0; i < clients; ++i) {
        threads.emplace_back([&, i] {
            auto res = request(i);
            if (res) {
                statuses[i] = res->status;
                bodies[i] = res->body;
            }
        });
    }
    for (std::thread& t : threads) t.join();
    int errors = 0;
    const std::vector<std::string> script = scripted_deltas(events);
    for (int i = 0; i < clients; ++i) {
        SCOPED_TRACE("client " + std::to_string(i));
        ReceivedStream got = received(protocol_of(i), bodies[i]);
        bool ok = statuses[i] == 200 && got.deltas == script && got.terminal;
        EXPECT_EQ(statuses[i], 200);
        EXPECT_EQ(got.deltas, script) << "lost or reordered events";
        EXPECT_TRUE(got.terminal) << bodies[i].substr(0, 300);
        if (!ok) ++errors;
    }
    return errors;
}

// 200 clients stream through the adapter at once (half Responses like Codex, half Messages like
// Claude Code); each must get every text delta, in order, and its terminal event. The servers'
// file descriptors are all closed again afterwards.
TEST(ServeLoad, TwoHundredAdapterStreamsLoseNoEvents) {
    constexpr int kClients = 200;
    constexpr int kEvents = 50;
    int errors = 0;
    test::FdCounts fds = test::fds_over_two_rounds([&] {
        HoldingChatUpstream upstream(kClients, kEvents);
        ASSERT_GT(upstream.port, 0);
        ServeOptions options;
        options.adapter.upstream = "http://127.0.0.1:" + std::to_string(upstream.port) + "/v1";
        test::RunningServer adapter(options);
        ASSERT_TRUE(adapter.ok()) << adapter.error();
        auto protocol_of = [](int i) { return i % 2 ? Protocol::Messages : Protocol::Responses; };
        errors += run_clients(
            kClients, kEvents,
            [&](int i) {
                httplib::Client client("127.0.0.1", adapter.port());
                client.set_read_timeout(60, 0);
                if (protocol_of(i) == Protocol::Responses) {
                    return client.Post("/v1/responses",
                                       R"({"model":"m","input":"count","stream":true})",
                                       "application/json");
                }
                return client.Post("/v1/messages",
                                   R"({"model":"m","max_tokens":100,"stream":true,)"
                                   R"("messages":[{"role":"user","content":"count"}]})",
                                   "application/json");
            },
            protocol_of);
        EXPECT_EQ(upstream.opened, kClients);
    });
    EXPECT_LE(fds.after_second, fds.after_first) << "file descriptors leaked";
    test::print_load_figures("adapter, 2 rounds", kClients, 2L * kClients * kEvents, errors, fds);
}

// The same through the CORS relay: 200 page requests relayed at once to a Chat endpoint, each
// stream passed through byte for byte (every chunk in order, then [DONE]).
TEST(ServeLoad, TwoHundredRelayedStreamsLoseNoEvents) {
    constexpr int kClients = 200;
    constexpr int kEvents = 50;
    int errors = 0;
    test::FdCounts fds = test::fds_over_two_rounds([&] {
        HoldingChatUpstream upstream(kClients, kEvents);
        ASSERT_GT(upstream.port, 0);
        test::RunningServer relay;
        ASSERT_TRUE(relay.ok()) << relay.error();
        const std::string target =
            "http://127.0.0.1:" + std::to_string(upstream.port) + "/v1/chat/completions";
        errors += run_clients(
            kClients, kEvents,
            [&](int) {
                httplib::Client client("127.0.0.1", relay.port());
                client.set_read_timeout(60, 0);
                httplib::Headers headers = {
                    {"X-Wirecheck-Relay-Token", relay.server().relay_token()},
                    {"X-Wirecheck-Target", target},
                    {"X-Wirecheck-Method", "POST"},
                    {"Origin", relay.origin()},
                    {"Authorization", "Bearer sk-load"}};
                return client.Post("/relay", headers,
                                   R"({"model":"m","stream":true,"messages":[]})",
                                   "application/json");
            },
            [](int) { return Protocol::Chat; });
        EXPECT_EQ(upstream.opened, kClients);
    });
    EXPECT_LE(fds.after_second, fds.after_first) << "file descriptors leaked";
    test::print_load_figures("relay, 2 rounds", kClients, 2L * kClients * kEvents, errors, fds);
}

}  // namespace
}  // namespace wirecheck::cli
