#include "client_hangup.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace wirecheck::cli {
namespace {

using Clock = std::chrono::steady_clock;

// The numeric address and port of a socket address, as httplib writes them into a Request.
bool address_of(const sockaddr_storage& addr, std::string& host, int& port) {
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
        const auto& v4 = reinterpret_cast<const sockaddr_in&>(addr);
        if (!inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text)) return false;
        port = ntohs(v4.sin_port);
    } else if (addr.ss_family == AF_INET6) {
        const auto& v6 = reinterpret_cast<const sockaddr_in6&>(addr);
        if (!inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text)) return false;
        port = ntohs(v6.sin6_port);
    } else {
        return false;
    }
    host = text;
    return true;
}

}  // namespace

ClientHangup::ClientHangup(const httplib::Request& req)
    : remote_addr_(req.remote_addr),
      remote_port_(req.remote_port),
      local_addr_(req.local_addr),
      local_port_(req.local_port),
      next_check_(Clock::now() + std::chrono::milliseconds(200)) {}

int ClientHangup::find_socket() const {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
        int fd = std::atoi(entry.path().filename().c_str());
        sockaddr_storage peer{}, local{};
        socklen_t peer_len = sizeof peer, local_len = sizeof local;
        if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) continue;
        if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0) continue;
        std::string peer_host, local_host;
        int peer_port = 0, local_port = 0;
        if (address_of(peer, peer_host, peer_port) && address_of(local, local_host, local_port) &&
            peer_port == remote_port_ && local_port == local_port_ && peer_host == remote_addr_ &&
            local_host == local_addr_) {
            return fd;
        }
    }
    return -1;
}

bool ClientHangup::hung_up() {
    auto now = Clock::now();
    if (now < next_check_) return false;
    next_check_ = now + std::chrono::milliseconds(100);
    if (fd_ == -2) fd_ = find_socket();
    if (fd_ < 0) return false;
    // POLLRDHUP: the client sent its FIN. Bytes it may have sent (a pipelined request) are left
    // for httplib.
    pollfd p{fd_, POLLIN | POLLRDHUP, 0};
    if (poll(&p, 1, 0) != 1) return false;
    return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

}  // namespace wirecheck::cli
