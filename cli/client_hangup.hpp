// Whether the client of a request being served has hung up, for the waits in which nothing is
// written to it (an upstream thinking before its status line, or a JSON reply still arriving): a
// stream notices a gone client when a write fails, these would not until the upstream finished.
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>

namespace wirecheck::cli {

class ClientHangup {
public:
    explicit ClientHangup(const httplib::Request& req);

    // True once the client has closed the connection (or it failed). Never blocks. Checks at most
    // every 100 ms, and only after the request's first 200 ms: quick exchanges never pay for the
    // lookup below.
    bool hung_up();

private:
    // httplib 0.11 (Debian 12) gives a handler no handle on its connection, so the socket is found
    // once, among the process's descriptors, by its two addresses.
    int find_socket() const;

    std::string remote_addr_;
    int remote_port_;
    std::string local_addr_;
    int local_port_;
    int fd_ = -2;  // -2: not looked up yet, -1: not found (then never reported as gone)
    std::chrono::steady_clock::time_point next_check_;
};

}  // namespace wirecheck::cli
