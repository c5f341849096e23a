// One HTTP request to the adapter's upstream (`wirecheck serve --upstream`), with libcurl, driven
// step by step: the adapter first waits for the status and headers (to choose its own answer),
// then pumps the body through, piece by piece for streams. Returning false from a body callback
// aborts the transfer and closes the upstream connection (a client that went away cancels the
// upstream request). No protocol knowledge here: bytes in, bytes out.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "wirecheck/http.hpp"

namespace wirecheck::cli {

struct UpstreamTimeouts {
    long connect_s = 10;  // TCP + TLS handshake
    long idle_s = 300;    // no byte from the upstream for this long fails the request (Codex: 300 s)
    long total_s = 0;     // the whole request, 0 = no limit (agent turns can stream for minutes)
};

class UpstreamCall {
public:
    // Starts the request (nothing happens on the wire until a wait/read call runs the transfer).
    // method "GET" sends no body.
    UpstreamCall(const HttpRequest& request, const UpstreamTimeouts& timeouts);
    ~UpstreamCall();
    UpstreamCall(const UpstreamCall&) = delete;
    UpstreamCall& operator=(const UpstreamCall&) = delete;

    // Consulted between rounds of the transfer (at least every 100 ms) while waiting for the
    // headers or reading the body: true aborts the request, as cancelled.
    void cancel_if(std::function<bool()> client_gone) { client_gone_ = std::move(client_gone); }

    // Runs the transfer until the final status line and headers are in. False: no HTTP response
    // (connection refused, timeout, DNS...): see error().
    bool wait_for_headers();
    int status() const { return status_; }
    const HttpHeaders& headers() const { return headers_; }

    // Delivers the body, bytes already received first, until the end of the transfer. on_data
    // returning false aborts (cancelled() becomes true). on_idle, when set, is called whenever
    // idle_ms pass without body bytes; returning false aborts too. Returns true for a clean end,
    // false for an abort or a transfer error (error() says which).
    bool read_body(const std::function<bool(std::string_view)>& on_data,
                   const std::function<bool()>& on_idle = {}, int idle_ms = 0);
    // The whole body, at most max_bytes (more is a failure).
    bool read_all(std::string& body, std::size_t max_bytes);

    const std::string& error() const { return error_; }  // "" when none
    bool timed_out() const { return timed_out_; }
    bool cancelled() const { return cancelled_; }

private:
    struct Curl;
    bool step(int timeout_ms);  // one round of the transfer; false once it has ended
    void finish(int result);
    void abort(bool timed_out = false);  // closes the upstream connection

    std::unique_ptr<Curl> curl_;
    std::function<bool()> client_gone_;
    int status_ = 0;
    HttpHeaders headers_;
    bool headers_done_ = false;
    bool ended_ = false;
    bool cancelled_ = false;
    bool timed_out_ = false;
    std::chrono::steady_clock::duration idle_{};
    std::chrono::steady_clock::time_point last_byte_;  // of headers or body
    std::string pending_;  // body bytes received and not yet delivered
    std::string error_;

    friend struct UpstreamCallbacks;
};

// Finished calls leave their connection open for the next call (a pool of at most 8 idle
// connections, 3 descriptors each). This closes them: tests that count file descriptors call it
// first.
void close_idle_upstream_connections();

}  // namespace wirecheck::cli
