// HTTP for the front end: one interface, one implementation per platform (http_web.cpp uses the
// browser's fetch through shell/fetch_bridge.js; http_headless.cpp serves native tests). Requests
// are asynchronous; callbacks arrive on the main thread (in the browser, from fetch promises).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wirecheck::web {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct FetchRequest {
    std::string method = "GET";
    std::string url;
    Headers headers;
    std::string body;
    int timeout_ms = 60000;
};

// Why a request produced no HTTP response. A failed fetch() says nothing about why; the bridge
// asks again in no-cors mode: an opaque answer means the server is there and CORS refused us.
enum class FetchFailure { Network, Timeout, Aborted, Cors };
std::string_view fetch_failure_name(FetchFailure f);

struct FetchCallbacks {
    std::function<void(int status, const Headers& headers)> on_headers;
    std::function<void(std::string_view bytes)> on_chunk;
    std::function<void()> on_done;
    std::function<void(FetchFailure kind, const std::string& message)> on_failure;
};

class HttpClient {
public:
    virtual ~HttpClient() = default;
    // Starts a request; returns its id. Exactly one of on_done / on_failure ends it.
    virtual int start(const FetchRequest& request, FetchCallbacks callbacks) = 0;
    virtual void cancel(int id) = 0;
};

std::unique_ptr<HttpClient> make_http_client();

}  // namespace wirecheck::web
