// `wirecheck serve` in front of a faulty upstream, on loopback: an upstream that stalls (before
// its headers or mid-stream), drops the connection mid-stream, sends garbage instead of SSE or
// JSON, answers with an HTML error page, or dribbles its stream byte by byte; and clients that hang
// up mid-stream (the upstream request must be cancelled, through the adapter and the relay). The
// relay judges no protocol: it passes garbage and drops on as they are.
// Every client gets its protocol's complete answer or its protocol's error, with every event sent
// before the fault, in order. Bounded: each upstream stops by itself within a few seconds.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "process_stats.hpp"
#include "running_server.hpp"
#include "scripted_upstream.hpp"
#include "serve.hpp"

namespace wirecheck::cli {
namespace {
using namespace test;
using Clock = std::chrono::steady_clock;

constexpr int kDeltas = 5;

// The upstream's script: "d0 ".."d4 ", then the finish chunk, usage and [DONE].
std::vector<std::string> script_deltas() {
    std::vector<std::string> out;
    for (int i = 0; i < kDeltas; ++i) out.push_back("d" + std::to_string(i) + " ");
    return out;
}

std::vector<std::string> script_chunks(int deltas = kDeltas, bool end = true) {
    std::vector<std::string> chunks{chat_chunk({{"role", "assistant"}, {"content", ""}})};
    for (int i = 0; i < deltas; ++i) chunks.push_back(chat_chunk({{"content", script_deltas()[i]}}));
    if (end) {
        chunks.push_back(chat_chunk(Json::object(), "stop"));
        chunks.push_back(chat_usage_chunk());
        chunks.push_back("data: [DONE]\n\n");
    }
    return chunks;
}

// Sends the first `deltas` script chunks, then holds the connection open, silent, for at most
// `silence_ms` (so the upstream always stops by itself).
void stall_after(httplib::Response& res, int deltas, int silence_ms) {
    auto chunks = std::make_shared<std::vector<std::string>>(script_chunks(deltas, false));
    auto next = std::make_shared<std::size_t>(0);
    auto until = std::make_shared<Clock::time_point>();
    res.set_chunked_content_provider(
        "text/event-stream", [=](std::size_t, httplib::DataSink& sink) {
            if (*next < chunks->size()) {
                const std::string& c = (*chunks)[(*next)++];
                if (*next == chunks->size())
                    *until = Clock::now() + std::chrono::milliseconds(silence_ms);
                return sink.write(c.data(), c.size());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            return Clock::now() < *until;  // false ends (cuts) the response
        });
}

enum class Expect {
    Complete,     // 200, every delta in order, the terminal event
    StreamError,  // 200, the deltas sent before the fault in order, then the protocol's error event
    ErrorBody,    // a 5xx with the protocol's JSON error envelope
};

struct Fault {
    const char* name;
    std::function<void(const httplib::Request&, httplib::Response&)> reply;
    Expect expect;
    int deltas_before_fault = 0;  // StreamError: how many deltas the client must still get
    int status = 0;               // ErrorBody: the status the client must get
};

std::vector<Fault> faults() {
    return {
        {"stalls before its headers",
         [](const httplib::Request&, httplib::Response& res) {
             std::this_thread::sleep_for(std::chrono::milliseconds(2500));
             res.set_content("{}", "application/json");
         },
         Expect::ErrorBody, 0, 504},
        {"stalls mid-stream",
         [](const httplib::Request&, httplib::Response& res) { stall_after(res, 3, 2500); },
         Expect::StreamError, 3},
        {"drops mid-stream",
         [](const httplib::Request&, httplib::Response& res) {
             stream_chunks(res, script_chunks(2, false), 0, /*cut=*/true);
         },
         Expect::StreamError, 2},
        {"sends garbage instead of SSE",
         [](const httplib::Request&, httplib::Response& res) {
             res.set_content("<html><body>upstream connect error</body></html>",
                             "text/event-stream");
         },
         Expect::StreamError, 0},
        {"sends events that are not JSON",
         [](const httplib::Request&, httplib::Response& res) {
             auto chunks = script_chunks(1, false);
             chunks.push_back("data: {\"choices\": [oops\n\n");
             chunks.push_back("data: [DONE]\n\n");
             stream_chunks(res, chunks);
         },
         Expect::StreamError, 1},
        {"answers a stream with a non-JSON body",
         [](const httplib::Request&, httplib::Response& res) {
             res.set_content("<html>oops</html>", "application/json");
         },
         Expect::ErrorBody, 0, 502},
        {"answers with an HTML error page",
         [](const httplib::Request&, httplib::Response& res) {
             res.status = 502;
             res.set_content("<html><head><title>502 Bad Gateway</title></head></html>",
                             "text/html");
         },
         Expect::ErrorBody, 0, 502},
        {"answers slowly, byte by byte",
         [](const httplib::Request&, httplib::Response& res) {
             std::string all;
             for (const std::string& c : script_chunks()) all += c;
             std::vector<std::string> bytes;
             for (char c : all) bytes.emplace_back(1, c);
             stream_chunks(res, bytes, 1);
         },
         Expect::Complete},
    };
}

struct ClientStream {
    int status = 0;
    std::string body;
    std::vector<std::string> deltas;
    std::vector<std::string> events;
};

ClientStream stream_request(int port, Protocol protocol) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(20, 0);
    httplib::Result res =
        protocol == Protocol::Responses
            ? client.Post("/v1/responses", R"({"model":"m","input":"count","stream":true})",
                          "application/json")
            : client.Post("/v1/messages",
                          R"({"model":"m","max_tokens":50,"stream":true,)"
                          R"("messages":[{"role":"user","content":"count"}]})",
                          "application/json");
    ClientStream out;
    if (!res) return out;
    out.status = res->status;
    out.body = res->body;
    if (res->status != 200) return out;
    for (const SseEvent& e : sse(res->body)) {
        out.events.push_back(e.event);
        Json data = data_of(e);
        if (e.event == "response.output_text.delta") out.deltas.push_back(data.value("delta", ""));
        if (e.event == "content_block_delta") out.deltas.push_back(data["delta"].value("text", ""));
    }
    out.deltas.erase(std::remove(out.deltas.begin(), out.deltas.end(), ""), out.deltas.end());
    return out;
}

bool has_event(const ClientStream& s, const std::string& name) {
    return std::find(s.events.begin(), s.events.end(), name) != s.events.end();
}

TEST(ServeFaults, EveryClientGetsAnAnswerOrItsProtocolsError) {
    int clients = 0, errors = 0;
    long events = 0;
    FdCounts fds = fds_over_two_rounds([&] {
        ScriptedUpstream upstream;
        std::function<void(const httplib::Request&, httplib::Response&)> current;
        upstream.reply = [&](const httplib::Request& req, httplib::Response& res) {
            current(req, res);
        };
        ServeOptions options;
        options.adapter.upstream = upstream.url();
        options.adapter.timeouts.idle_s = 1;
        RunningServer adapter(options);
        ASSERT_TRUE(adapter.ok()) << adapter.error();
        const std::vector<std::string> script = script_deltas();
        for (const Fault& fault : faults()) {
            current = fault.reply;
            for (Protocol protocol : {Protocol::Responses, Protocol::Messages}) {
                SCOPED_TRACE(std::string(fault.name) + ", " + std::string(protocol_name(protocol)) +
                             " client");
                ClientStream got = stream_request(adapter.port(), protocol);
                ++clients;
                events += static_cast<long>(got.events.size());
                const bool responses = protocol == Protocol::Responses;
                const char* success = responses ? "response.completed" : "message_stop";
                const char* failure = responses ? "response.failed" : "error";
                switch (fault.expect) {
                    case Expect::Complete:
                        EXPECT_EQ(got.status, 200);
                        EXPECT_EQ(got.deltas, script) << got.body;
                        ASSERT_FALSE(got.events.empty());
                        EXPECT_EQ(got.events.back(), success) << got.body;
                        break;
                    case Expect::StreamError: {
                        ++errors;
                        EXPECT_EQ(got.status, 200);
                        std::vector<std::string> before(script.begin(),
                                                        script.begin() + fault.deltas_before_fault);
                        EXPECT_EQ(got.deltas, before) << "lost or reordered events\n" << got.body;
                        ASSERT_FALSE(got.events.empty()) << got.body;
                        // Responses clients (Codex) need response.created first; a Messages
                        // stream may fail with `event: error` before message_start.
                        if (responses) EXPECT_EQ(got.events.front(), "response.created");
                        EXPECT_EQ(got.events.back(), failure) << got.body;
                        EXPECT_FALSE(has_event(got, success)) << got.body;
                        break;
                    }
                    case Expect::ErrorBody: {
                        ++errors;
                        EXPECT_EQ(got.status, fault.status) << got.body;
                        auto body = parse_json(got.body);
                        ASSERT_TRUE(body.ok()) << got.body;
                        if (!responses) EXPECT_EQ(body.value()["type"], "error") << got.body;
                        EXPECT_TRUE(body.value()["error"]["message"].is_string()) << got.body;
                        break;
                    }
                }
            }
        }
        current = [](const httplib::Request&, httplib::Response& res) {
            res.set_content("{}", "application/json");
        };
    });
    EXPECT_LE(fds.after_second, fds.after_first) << "file descriptors leaked";
    print_load_figures("adapter faults, 2 rounds", clients, events, errors, fds);
}

// The relay judges no protocol: garbage passes through byte for byte, and an upstream that drops
// mid-stream reaches the page as a broken transfer (no final chunk), after every byte it sent, so
// the probe reports net.stream_dropped rather than a clean but short stream.
TEST(ServeFaults, TheRelayPassesGarbageAndDropsOnAsTheyAre) {
    ScriptedUpstream upstream;
    const std::string garbage = "<html><body>upstream connect error</body></html>";
    std::vector<std::string> before_drop = script_chunks(2, false);
    upstream.reply = [&](const httplib::Request& req, httplib::Response& res) {
        if (req.body.find("garbage") != std::string::npos) {
            res.set_content(garbage, "text/event-stream");
        } else {
            stream_chunks(res, before_drop, 0, /*cut=*/true);
        }
    };
    RunningServer relay;
    ASSERT_TRUE(relay.ok()) << relay.error();
    auto send = [&](const std::string& body, std::string& received) {
        httplib::Client client("127.0.0.1", relay.port());
        client.set_read_timeout(10, 0);
        httplib::Request req;
        req.method = "POST";
        req.path = "/relay";
        req.body = body;
        req.set_header("Content-Type", "application/json");
        req.set_header("X-Wirecheck-Relay-Token", relay.server().relay_token());
        req.set_header("X-Wirecheck-Target", upstream.url() + "/chat/completions");
        req.set_header("X-Wirecheck-Method", "POST");
        req.set_header("Origin", relay.origin());
        req.content_receiver = [&](const char* data, std::size_t size, std::uint64_t,
                                   std::uint64_t) {
            received.append(data, size);
            return true;
        };
        httplib::Response res;
        httplib::Error error = httplib::Error::Success;
        client.send(req, res, error);
        return error;
    };
    std::string got;
    EXPECT_EQ(send(R"({"garbage":true})", got), httplib::Error::Success);
    EXPECT_EQ(got, garbage);
    got.clear();
    EXPECT_NE(send(R"({"stream":true})", got), httplib::Error::Success)
        << "the drop arrived as a clean end";
    std::string sent;
    for (const std::string& c : before_drop) sent += c;
    EXPECT_EQ(got, sent);
}

// Clients that hang up mid-stream: the upstream request of each must be cancelled (the upstream
// sees its write fail) long before its 10 s script would have ended. Through the adapter (both
// client protocols) and through the relay.
TEST(ServeFaults, ClientsThatHangUpCancelTheirUpstreamRequests) {
    constexpr int kClients = 20;
    std::mutex mutex;
    std::deque<std::atomic<bool>> cancelled;  // one per upstream request (stable addresses)
    auto cancelled_count = [&] {
        std::lock_guard<std::mutex> lock(mutex);
        return static_cast<int>(std::count(cancelled.begin(), cancelled.end(), true));
    };
    FdCounts fds = fds_over_two_rounds([&] {
        {
            std::lock_guard<std::mutex> lock(mutex);
            cancelled.clear();
        }
        ScriptedUpstream upstream;
        upstream.reply = [&](const httplib::Request&, httplib::Response& res) {
            std::vector<std::string> chunks{chat_chunk({{"role", "assistant"}})};
            for (int i = 0; i < 500; ++i) chunks.push_back(chat_chunk({{"content", " word"}}));
            chunks.push_back("data: [DONE]\n\n");
            std::atomic<bool>* flag;
            {
                std::lock_guard<std::mutex> lock(mutex);
                flag = &cancelled.emplace_back(false);
            }
            stream_chunks(res, chunks, 20, false, flag);  // 10 s in all
        };
        ServeOptions options;
        options.adapter.upstream = upstream.url();
        RunningServer server(options);
        ASSERT_TRUE(server.ok()) << server.error();
        auto started = Clock::now();
        std::vector<std::thread> threads;
        for (int i = 0; i < kClients; ++i) {
            threads.emplace_back([&, i] {
                httplib::Client client("127.0.0.1", server.port());
                client.set_read_timeout(20, 0);
                httplib::Request req;
                req.method = "POST";
                if (i % 3 == 0) {
                    req.path = "/v1/responses";
                    req.body = R"({"model":"m","input":"talk","stream":true})";
                } else if (i % 3 == 1) {
                    req.path = "/v1/messages";
                    req.body = R"({"model":"m","max_tokens":9,"stream":true,)"
                               R"("messages":[{"role":"user","content":"talk"}]})";
                } else {
                    req.path = "/relay";
                    req.body = R"({"model":"m","stream":true,"messages":[]})";
                    req.set_header("X-Wirecheck-Relay-Token", server.server().relay_token());
                    req.set_header("X-Wirecheck-Target", upstream.url() + "/chat/completions");
                    req.set_header("X-Wirecheck-Method", "POST");
                    req.set_header("Origin", server.origin());
                }
                req.set_header("Content-Type", "application/json");
                int received = 0;
                req.content_receiver = [&](const char*, std::size_t, std::uint64_t, std::uint64_t) {
                    return ++received < 3;  // read a little, then hang up
                };
                httplib::Response res;
                httplib::Error error = httplib::Error::Success;
                client.send(req, res, error);
                EXPECT_EQ(res.status, 200) << req.path;
            });
        }
        for (std::thread& t : threads) t.join();
        while (cancelled_count() < kClients && Clock::now() - started < std::chrono::seconds(9))
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        EXPECT_EQ(cancelled_count(), kClients)
            << "upstream requests left running after their client left";
    });
    EXPECT_LE(fds.after_second, fds.after_first) << "file descriptors leaked";
    print_load_figures("client disconnects, 2 rounds", kClients, 0, 0, fds);
}

}  // namespace
}  // namespace wirecheck::cli
