// `wirecheck serve`: routes, port binding with helpful errors, clean shutdown on signals.
#include "serve.hpp"

#include <arpa/inet.h>
#include <httplib.h>
#include <malloc.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>

#include "adapter_routes.hpp"
#include "lifo_thread_pool.hpp"
#include "sim_routes.hpp"
#include "static_site.hpp"

namespace wirecheck::cli {
namespace {

// Worker threads: each open connection holds one (a stream for its whole length), and httplib's
// default pool is sized by the CPU count, too small for many concurrent agent streams.
constexpr std::size_t kServeThreads = 256;

bool is_loopback(const std::string& host) {
    return host == "127.0.0.1" || host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// httplib compresses text/* itself (gzip or brotli, per request: fine for the small HTML); the
// rest is gzipped once and cached (brotli at httplib's quality costs ~1 s per page load for
// index.js on a busy 2-core machine).
bool httplib_compresses(const std::string& type) { return type.rfind("text/", 0) == 0; }

// httplib's bind only says yes or no; ask the OS why, so the user learns "in use" vs "not allowed".
std::string bind_failure_reason(const std::string& host, int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return std::strerror(errno);
    int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    std::string reason = "cannot bind";
    if (::inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(), &addr.sin_addr) != 1) {
        reason = "'" + host + "' is not an IPv4 address";
    } else if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        reason = errno == EADDRINUSE ? "the port is already in use" : std::strerror(errno);
    }
    ::close(fd);
    return reason;
}

}  // namespace

int bind_server(httplib::Server& server, const std::string& host, int port) {
    // httplib hands each socket it tries (one per address of `host`) to the options callback
    // before bind() and listen(); the last one is the one that got bound when binding succeeds.
    auto listening = std::make_shared<socket_t>(INVALID_SOCKET);
    server.set_socket_options([listening](socket_t sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        *listening = sock;
    });
    int bound = port == 0 ? server.bind_to_any_port(host.c_str())
                          : (server.bind_to_port(host.c_str(), port) ? port : -1);
    if (bound <= 0) return -1;
    // listen() again on a listening socket only changes its backlog (Linux caps it at
    // net.core.somaxconn).
    if (*listening == INVALID_SOCKET || ::listen(*listening, SOMAXCONN) != 0) {
        std::fprintf(stderr, "wirecheck serve: cannot raise the listen backlog (%s); new "
                     "connections beyond 5 at once will wait for their retry\n",
                     std::strerror(errno));
    }
    return bound;
}

PlaygroundServer::PlaygroundServer() : server_(std::make_unique<httplib::Server>()) {
    // Each adapted request allocates and frees a few hundred kB on its worker thread's arena. By
    // default glibc hands the freed top of a thread arena back to the kernel at 128 kB
    // (madvise), so the next request page-faults it all in again: that was about half of the
    // adapter's added time (tests/bench/adapter_bench.sh, 1.6 -> 0.8 ms per Codex request). Keep
    // up to 8 MB per arena; a fixed mmap threshold, as setting the trim threshold stops glibc
    // from raising it by itself.
    mallopt(M_TRIM_THRESHOLD, 8 << 20);
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    server_->new_task_queue = [] { return new LifoThreadPool(kServeThreads); };
    server_->set_tcp_nodelay(true);  // stream events go out at once, not after Nagle's delay
}
PlaygroundServer::~PlaygroundServer() { stop(); }

std::string PlaygroundServer::url() const {
    std::string host = host_ == "0.0.0.0" ? "127.0.0.1" : host_;
    return "http://" + host + ":" + std::to_string(port_) + "/";
}

bool PlaygroundServer::bind(const ServeOptions& options, std::string& error) {
    namespace fs = std::filesystem;
    serves_site_ = fs::exists(fs::path(options.web_root) / "index.html");
    if (!serves_site_ && !options.adapter.enabled()) {
        error = "no web build found in " + options.web_root +
                "\n  build it with: cmake --preset wasm && cmake --build --preset wasm"
                "\n  (or run ./run serve, which sets up, builds and serves in one go)";
        return false;
    }
    relay_.token = make_relay_token();
    relay_.max_body = options.relay_max_body;
    relay_.enabled = is_loopback(options.host) || options.allow_remote_relay;
    if (!relay_.enabled) {
        relay_.disabled_reason = "the relay is off while serving on " + options.host +
                                 " (reachable from other machines); pass --allow-remote-relay to "
                                 "turn it on anyway";
    }
    // Specific routes first: httplib tries routes in the order they were added.
    add_relay_routes(*server_, relay_);
    add_sim_routes(*server_);
    if (options.adapter.enabled()) add_adapter_routes(*server_, options.adapter, !serves_site_);
    if (serves_site_) add_site_route(options.web_root);
    return bind_port(options, error);
}

void PlaygroundServer::add_site_route(const std::string& web_root) {
    auto site = std::make_shared<StaticSite>(web_root);
    server_->Get(".*", [this, site](const httplib::Request& req, httplib::Response& res) {
        bool gzip = req.get_header_value("Accept-Encoding").find("gzip") != std::string::npos;
        auto file = site->get(req.path, gzip);
        if (!file) {
            res.status = 404;
            res.set_content("not found: " + req.path + "\n", "text/plain");
            return;
        }
        res.set_header("Cache-Control", "no-cache");
        // The page gets the relay token, but only when asked for under this server's own
        // loopback name: a DNS-rebinding page (another Host) gets none.
        bool page = req.path == "/" || req.path == "/index.html";
        if (page && relay_.enabled && is_local_authority(req.get_header_value("Host"), port_)) {
            res.set_content(with_relay_token(file->body, relay_.token), file->content_type.c_str());
            return;
        }
        if (gzip && !httplib_compresses(file->content_type) && !file->gzip_body.empty()) {
            res.set_header("Content-Encoding", "gzip");
            res.set_header("Vary", "Accept-Encoding");
            res.set_content(file->gzip_body, file->content_type.c_str());
        } else {
            res.set_content(file->body, file->content_type.c_str());
        }
    });
}

bool PlaygroundServer::bind_port(const ServeOptions& options, std::string& error) {
    host_ = options.host;
    port_ = bind_server(*server_, options.host, options.port);
    if (port_ <= 0) {
        if (options.port == 0) {
            error = "cannot listen on " + options.host + ": " + bind_failure_reason(options.host, 0);
        } else {
            error = "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " +
                    bind_failure_reason(options.host, options.port) +
                    "\n  choose another port with --port N (or --port 0 for any free port)";
        }
        port_ = 0;
        return false;
    }
    relay_.port = port_;
    return true;
}

void PlaygroundServer::listen() {
    listen_called_ = true;
    server_->listen_after_bind();
}

bool PlaygroundServer::wait_until_running(int timeout_ms) const {
    for (int waited = 0; !server_->is_running(); ++waited) {
        if (waited >= timeout_ms) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

void PlaygroundServer::stop() {
    // A listen() starting on another thread would miss a stop() issued before it runs.
    if (listen_called_) wait_until_running(1000);
    if (server_->is_running()) server_->stop();
}

int run_serve(const ServeOptions& options) {
    // Block SIGINT/SIGTERM in every thread; one thread waits for them and stops the server.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    PlaygroundServer server;
    std::string error;
    if (!server.bind(options, error)) {
        std::cerr << "wirecheck serve: " << error << "\n";
        return 1;
    }
    if (!is_loopback(options.host)) {
        std::cerr << "wirecheck serve: WARNING: listening on " << options.host
                  << ", reachable from other machines\n";
    }
    if (server.serves_site()) {
        std::cout << "wirecheck: serving the playground at " << server.url() << "  (Ctrl-C to stop)"
                  << std::endl;
    } else {
        std::cout << "wirecheck: serving at " << server.url()
                  << "  (no web build: adapters and /sim only; Ctrl-C to stop)" << std::endl;
    }
    if (options.adapter.enabled()) std::cout << adapter_banner(options.adapter, server.url()) << std::flush;
    if (options.open && server.serves_site()) {
        std::string cmd = "xdg-open '" + server.url() + "' >/dev/null 2>&1 &";
        if (std::system(cmd.c_str()) != 0) std::cerr << "wirecheck serve: could not open a browser\n";
    }
    std::thread waiter([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        server.stop();
    });
    server.listen();
    std::cout << "wirecheck: stopped" << std::endl;
    // listen() also returns if the server fails; wake the waiter so it can be joined.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return 0;
}

}  // namespace wirecheck::cli
