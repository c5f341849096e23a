// Scripted loopback upstreams for the adapter and relay tests: a test-owned httplib server whose
// replies a test writes (recording what it was sent), Chat stream chunks, a paced/cut chunk
// writer, and an SSE reader for what clients got.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "wirecheck/json.hpp"
#include "wirecheck/sse.hpp"

namespace wirecheck::cli::test {

inline std::vector<SseEvent> sse(const std::string& text) {
    SseParser parser;
    std::vector<SseEvent> events;
    EXPECT_TRUE(parser.feed(text, events).ok());
    EXPECT_TRUE(parser.finish(events).ok());
    return events;
}

inline Json data_of(const SseEvent& e) {
    auto parsed = parse_json(e.data);
    return parsed.ok() ? parsed.value() : Json();
}

// A test-owned upstream with scripted replies; it records what it was sent.
struct ScriptedUpstream {
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::mutex mutex;
    std::vector<httplib::Request> requests;
    std::function<void(const httplib::Request&, httplib::Response&)> reply;

    ScriptedUpstream() {
        server.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
            {
                std::lock_guard<std::mutex> lock(mutex);
                requests.push_back(req);
            }
            reply(req, res);
        });
        port = server.bind_to_any_port("127.0.0.1");
        thread = std::thread([this] { server.listen_after_bind(); });
        while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~ScriptedUpstream() {
        server.stop();
        thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/v1"; }
    httplib::Request last() {
        std::lock_guard<std::mutex> lock(mutex);
        return requests.empty() ? httplib::Request() : requests.back();
    }
};

// Chat stream chunks for scripted upstreams.
inline std::string chat_chunk(const Json& delta, const Json& finish = nullptr) {
    Json chunk = {{"id", "chatcmpl-scripted"},
                  {"object", "chat.completion.chunk"},
                  {"created", 1783209600},
                  {"model", "scripted"},
                  {"choices", Json::array({{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}})}};
    return "data: " + chunk.dump() + "\n\n";
}

inline std::string chat_usage_chunk() {
    Json chunk = {{"id", "chatcmpl-scripted"},
                  {"object", "chat.completion.chunk"},
                  {"created", 1783209600},
                  {"model", "scripted"},
                  {"choices", Json::array()},
                  {"usage", {{"prompt_tokens", 20}, {"completion_tokens", 9}, {"total_tokens", 29}}}};
    return "data: " + chunk.dump() + "\n\n";
}

// An upstream that takes one connection, reads the request and never answers, as a model does
// while it thinks before a non-streaming reply; `closed` turns true when the caller hangs up.
struct SilentUpstream {
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    int port = 0;
    std::atomic<int> connection{-1};
    std::atomic<bool> closed{false};
    std::thread thread;

    SilentUpstream() {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        bool ok = bind(listener, reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
                  listen(listener, 4) == 0 &&
                  getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
        EXPECT_TRUE(ok) << "silent upstream: no listening socket";
        port = ntohs(addr.sin_port);
        thread = std::thread([this] {
            int conn = accept(listener, nullptr, nullptr);
            if (conn < 0) return;  // the destructor shut the listener down
            connection = conn;
            char buf[4096];
            while (recv(conn, buf, sizeof buf, 0) > 0) {
            }
            closed = true;
            close(conn);
        });
    }
    ~SilentUpstream() {
        shutdown(listener, SHUT_RDWR);  // ends a pending accept
        // ends the read of a caller that never hung up (the test has failed): no hang
        if (int conn = connection; conn >= 0) shutdown(conn, SHUT_RDWR);
        close(listener);
        thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

// Sends `chunks` one by one, each after delay_ms; if `cut`, closes without the final chunk. Sets
// *cancelled when a write fails (the adapter closed the connection).
inline void stream_chunks(httplib::Response& res, std::vector<std::string> chunks, int delay_ms = 0,
                   bool cut = false, std::atomic<bool>* cancelled = nullptr) {
    auto shared = std::make_shared<std::vector<std::string>>(std::move(chunks));
    auto next = std::make_shared<std::size_t>(0);
    res.set_chunked_content_provider(
        "text/event-stream", [=](std::size_t, httplib::DataSink& sink) {
            if (*next < shared->size()) {
                if (delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
                const std::string& c = (*shared)[(*next)++];
                bool ok = sink.write(c.data(), c.size());
                if (!ok && cancelled) *cancelled = true;
                return ok;
            }
            if (cut) return false;
            sink.done();
            return true;
        });
}

}  // namespace wirecheck::cli::test
