// `wirecheck serve`: the playground over HTTP on loopback. (The CORS relay, the simulated
// endpoints and the protocol adapters join this server in later steps.)
#pragma once

#include <atomic>
#include <memory>
#include <string>

namespace httplib {
class Server;
}

namespace wirecheck::cli {

struct ServeOptions {
    std::string host = "127.0.0.1";
    int port = 8080;  // 0 picks a free port
    bool open = false;
    std::string web_root;
};

class PlaygroundServer {
public:
    PlaygroundServer();
    ~PlaygroundServer();

    // Binds the port and installs routes. On failure returns false with a message that says what
    // to do (port in use -> --port; no web build -> the command that builds it).
    bool bind(const ServeOptions& options, std::string& error);
    int port() const { return port_; }
    std::string url() const;
    void listen();  // blocks until stop()
    // For callers that run listen() on another thread: true once it accepts connections.
    bool wait_until_running(int timeout_ms = 5000) const;
    void stop();

private:
    std::unique_ptr<httplib::Server> server_;
    std::string host_;
    int port_ = 0;
    std::atomic<bool> listen_called_{false};
};

// Runs the command: bind, print the URL, serve until Ctrl-C/SIGTERM. Returns the exit code.
int run_serve(const ServeOptions& options);

}  // namespace wirecheck::cli
