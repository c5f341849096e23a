// Plain HTTP values exchanged between the core and the front ends. The core never performs a
// request: it hands out HttpRequests and is fed what came back (see probe.hpp); front ends use
// libcurl, the browser's fetch, or the in-process simulator (sim.hpp) to perform them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wirecheck {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive header lookup; returns "" when absent.
std::string_view header_value(const HttpHeaders& headers, std::string_view name);

struct HttpRequest {
    int id = 0;             // assigned by whoever hands the request out
    std::string method = "POST";
    std::string url;        // absolute URL
    HttpHeaders headers;
    std::string body;
    bool stream = false;    // the body will be SSE: feed chunks as they arrive
};

// Why a request got no HTTP response at all.
enum class FailureKind { Network, Cors, Timeout, Aborted };
std::string_view failure_kind_name(FailureKind k);  // "network", "cors", "timeout", "aborted"

}  // namespace wirecheck
