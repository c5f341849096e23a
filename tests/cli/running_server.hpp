// A PlaygroundServer for tests: a temporary web root holding index.html, a free loopback port,
// listen() on its own thread; stopped and cleaned up on destruction.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "serve.hpp"

namespace wirecheck::cli::test {

class RunningServer {
  public:
    explicit RunningServer(ServeOptions options = {},
                           const std::string& index_html = "<!doctype html><title>t</title>") {
        static std::atomic<int> counter{0};
        root_ = std::filesystem::temp_directory_path() /
                ("wirecheck-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
        std::filesystem::create_directories(root_);
        std::ofstream(root_ / "index.html") << index_html;
        options.port = 0;
        if (options.web_root.empty()) options.web_root = root_.string();
        ok_ = server_.bind(options, error_);
        if (!ok_) return;
        thread_ = std::thread([this] { server_.listen(); });
        ok_ = server_.wait_until_running();
    }
    ~RunningServer() {
        server_.stop();
        if (thread_.joinable()) thread_.join();
        std::filesystem::remove_all(root_);
    }
    RunningServer(const RunningServer&) = delete;
    RunningServer& operator=(const RunningServer&) = delete;

    bool ok() const { return ok_; }
    const std::string& error() const { return error_; }
    PlaygroundServer& server() { return server_; }
    int port() const { return server_.port(); }
    std::string origin() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
    const std::filesystem::path& root() const { return root_; }

  private:
    std::filesystem::path root_;
    PlaygroundServer server_;
    std::thread thread_;
    bool ok_ = false;
    std::string error_;
};

}  // namespace wirecheck::cli::test
