// `wirecheck serve`'s CORS relay: lets the served page probe endpoints that send no CORS headers.
// The page POSTs each request to /relay with the target URL, the method and the relay token in
// headers (web/probe_session.hpp names them); the relay forwards it from this machine and streams
// the answer back unbuffered. When it cannot reach the target it answers 502 with
// X-Wirecheck-Relay-Failure: network|timeout and the reason as the body; refusals carry "refused".
//
// Not an open proxy: the token is random per process and only the served page gets it (injected
// into index.html, and only for a loopback Host); Host and Origin must name this server (DNS
// rebinding, other sites); only http(s) targets; bodies and times are bounded; nothing is logged.
// On a non-loopback bind the relay stays off unless --allow-remote-relay.
#pragma once

#include <cstddef>
#include <string>

namespace httplib {
class Server;
}

namespace wirecheck::cli {

struct RelayOptions {
    bool enabled = true;             // false: /relay answers 403 with the reason
    std::string disabled_reason;
    std::string token;               // make_relay_token()
    int port = 0;                    // the server's port: Host and Origin must name it
    std::size_t max_body = 32u << 20;  // request bodies above this are refused (413)
    long connect_timeout_s = 15;
    long idle_timeout_s = 120;       // no byte from the target for this long ends the request
    long total_timeout_s = 600;      // no relayed request lives longer
};

// 128 random bits as 32 hex digits.
std::string make_relay_token();

// True when `host` (a Host header or Origin authority, "name:port") is this server on loopback.
bool is_local_authority(const std::string& host, int port);

// Registers POST (and OPTIONS) /relay. `options` is read on every request (the port is known only
// after binding), so it must outlive the server.
void add_relay_routes(httplib::Server& server, const RelayOptions& options);

// index.html with the token filled into <meta name="wirecheck-relay" content="">.
std::string with_relay_token(const std::string& html, const std::string& token);

}  // namespace wirecheck::cli
