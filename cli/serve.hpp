// `wirecheck serve`: the playground over HTTP on loopback, its CORS relay (/relay:
// relay_routes.hpp), the simulated endpoints (/sim/...) and, with --upstream, the protocol
// adapters (/v1/...: adapter_routes.hpp).
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "adapter_routes.hpp"
#include "relay_routes.hpp"

namespace httplib {
class Server;
}

namespace wirecheck::cli {

struct ServeOptions {
    std::string host = "127.0.0.1";
    int port = 8080;  // 0 picks a free port
    bool open = false;
    std::string web_root;
    AdapterOptions adapter;  // enabled() with --upstream; the web build is then optional
    bool allow_remote_relay = false;       // the relay on a non-loopback bind (--allow-remote-relay)
    std::size_t relay_max_body = 32u << 20;
};

class PlaygroundServer {
public:
    PlaygroundServer();
    ~PlaygroundServer();

    // Binds the port and installs routes. On failure returns false with a message that says what
    // to do (port in use -> --port; no web build -> the command that builds it).
    bool bind(const ServeOptions& options, std::string& error);
    int port() const { return port_; }
    bool serves_site() const { return serves_site_; }
    // The relay's per-process token (only the served page gets it; tests use this).
    const std::string& relay_token() const { return relay_.token; }
    std::string url() const;
    void listen();  // blocks until stop()
    // For callers that run listen() on another thread: true once it accepts connections.
    bool wait_until_running(int timeout_ms = 5000) const;
    void stop();

private:
    void add_site_route(const std::string& web_root);
    bool bind_port(const ServeOptions& options, std::string& error);

    std::unique_ptr<httplib::Server> server_;
    std::string host_;
    int port_ = 0;
    bool serves_site_ = false;
    RelayOptions relay_;  // read by the /relay route and the page route on every request
    std::atomic<bool> listen_called_{false};
};

// Binds `server` to host:port (0 = any free port) and returns the port, or -1. Unlike httplib's
// own bind_to_port: SO_REUSEADDR only (httplib's SO_REUSEPORT would let a second server share the
// port silently instead of "port in use"), and a listen backlog of SOMAXCONN. Debian's
// libcpp-httplib 0.11.4 is a compiled library that listens with a backlog of 5
// (CPPHTTPLIB_LISTEN_BACKLOG, fixed when the .so was built: defining it here changes nothing), so
// in a burst of new connections (many agents starting streams at once) the kernel dropped the
// SYNs beyond the sixth waiting one and those clients only connected on their retry, 1 s or
// 3 s later.
int bind_server(httplib::Server& server, const std::string& host, int port);

// Runs the command: bind, print the URL, serve until Ctrl-C/SIGTERM. Returns the exit code.
int run_serve(const ServeOptions& options);

}  // namespace wirecheck::cli
