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

// Runs the command: bind, print the URL, serve until Ctrl-C/SIGTERM. Returns the exit code.
int run_serve(const ServeOptions& options);

}  // namespace wirecheck::cli
