// The CORS relay (relay_routes.hpp).
#include "relay_routes.hpp"

#include <httplib.h>

#include <memory>
#include <random>

#include "client_hangup.hpp"
#include "upstream.hpp"

namespace wirecheck::cli {
namespace {

constexpr const char* kToken = "X-Wirecheck-Relay-Token";
constexpr const char* kTarget = "X-Wirecheck-Target";
constexpr const char* kMethod = "X-Wirecheck-Method";
constexpr const char* kFailure = "X-Wirecheck-Relay-Failure";

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Request headers that describe the browser or this hop, not the request to the target.
bool forwardable_request_header(const std::string& name) {
    static const char* const dropped[] = {"host", "origin", "referer", "cookie", "connection",
                                          "content-length", "accept-encoding", "user-agent",
                                          "keep-alive", "transfer-encoding", "te", "upgrade"};
    std::string n = lower(name);
    for (const char* d : dropped)
        if (n == d) return false;
    return n.rfind("sec-", 0) != 0 && n.rfind("x-wirecheck-", 0) != 0;
}

// Response headers that belong to the target's hop (libcurl already decoded the body).
bool forwardable_response_header(const std::string& name) {
    static const char* const dropped[] = {"connection", "content-length", "content-encoding",
                                          "transfer-encoding", "keep-alive", "set-cookie"};
    std::string n = lower(name);
    for (const char* d : dropped)
        if (n == d) return false;
    return true;
}

void refuse(httplib::Response& res, int status, const std::string& why) {
    res.status = status;
    res.set_header(kFailure, "refused");
    res.set_content("wirecheck relay: " + why + "\n", "text/plain; charset=utf-8");
}

bool equal_constant_time(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

// Why the request may not be relayed, or "".
std::string check(const httplib::Request& req, const RelayOptions& o, int& status) {
    status = 403;
    if (!o.enabled) return o.disabled_reason;
    if (!is_local_authority(req.get_header_value("Host"), o.port))
        return "Host must be this server on loopback (got '" + req.get_header_value("Host") + "')";
    std::string origin = req.get_header_value("Origin");
    if (!origin.empty()) {
        std::string authority = origin.rfind("http://", 0) == 0 ? origin.substr(7) : "";
        if (!is_local_authority(authority, o.port))
            return "requests from another site are refused (Origin " + origin + ")";
    }
    if (!equal_constant_time(req.get_header_value(kToken), o.token))
        return "missing or wrong relay token (only the page served here has it)";
    std::string target = req.get_header_value(kTarget);
    status = 400;
    if (target.rfind("http://", 0) != 0 && target.rfind("https://", 0) != 0)
        return "only http:// and https:// targets are relayed (got '" + target.substr(0, 60) + "')";
    std::string method = req.get_header_value(kMethod);
    if (method != "GET" && method != "POST") return "only GET and POST are relayed";
    status = 413;
    if (req.body.size() > o.max_body)
        return "request body over " + std::to_string(o.max_body >> 20) + " MiB";
    return "";
}

}  // namespace

std::string make_relay_token() {
    std::random_device random;
    std::string token;
    static const char* hex = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) token += hex[random() & 15];
    return token;
}

bool is_local_authority(const std::string& host, int port) {
    std::string p = ":" + std::to_string(port);
    for (const char* name : {"127.0.0.1", "localhost", "[::1]"}) {
        if (host == std::string(name) + p) return true;
    }
    return false;
}

std::string with_relay_token(const std::string& html, const std::string& token) {
    const std::string placeholder = R"(<meta name="wirecheck-relay" content="">)";
    std::size_t at = html.find(placeholder);
    if (at == std::string::npos) return html;
    return html.substr(0, at) + R"(<meta name="wirecheck-relay" content=")" + token + R"(">)" +
           html.substr(at + placeholder.size());
}

void add_relay_routes(httplib::Server& server, const RelayOptions& options) {
    server.Post("/relay", [&options](const httplib::Request& req, httplib::Response& res) {
        int status = 0;
        if (std::string why = check(req, options, status); !why.empty()) return refuse(res, status, why);
        HttpRequest forward;
        forward.method = req.get_header_value(kMethod);
        forward.url = req.get_header_value(kTarget);
        forward.body = forward.method == "GET" ? std::string() : req.body;
        for (const auto& [name, value] : req.headers)
            if (forwardable_request_header(name)) forward.headers.emplace_back(name, value);
        UpstreamTimeouts timeouts;
        timeouts.connect_s = options.connect_timeout_s;
        timeouts.idle_s = options.idle_timeout_s;
        timeouts.total_s = options.total_timeout_s;
        auto call = std::make_shared<UpstreamCall>(forward, timeouts);
        call->cancel_if([hangup = ClientHangup(req)]() mutable { return hangup.hung_up(); });
        if (!call->wait_for_headers()) {
            if (call->cancelled()) return;  // the page gave up: nobody to answer
            res.status = 502;
            res.set_header(kFailure, call->timed_out() ? "timeout" : "network");
            res.set_content(call->error(), "text/plain; charset=utf-8");
            return;
        }
        res.status = call->status();
        std::string content_type = "application/octet-stream";
        for (const auto& [name, value] : call->headers()) {
            if (lower(name) == "content-type") content_type = value;
            else if (forwardable_response_header(name)) res.set_header(name, value);
        }
        // Streamed as it arrives. httplib compresses (and so holds back) text/* except the bare
        // text/event-stream type: SSE gets exactly that type.
        if (content_type.rfind("text/event-stream", 0) == 0) content_type = "text/event-stream";
        res.set_chunked_content_provider(content_type, [call](std::size_t, httplib::DataSink& sink) {
            bool clean = call->read_body([&sink](std::string_view bytes) {
                return sink.write(bytes.data(), bytes.size());
            });
            if (!clean) return false;  // close without the final chunk: the page sees the break
            sink.done();
            return true;
        });
    });
    // Same-origin requests need no preflight; anything else asking is refused plainly.
    server.Options("/relay", [](const httplib::Request&, httplib::Response& res) { res.status = 403; });
}

}  // namespace wirecheck::cli
