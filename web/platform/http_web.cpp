// HttpClient over the browser's fetch API. The JS half (shell/fetch_bridge.js) streams each body
// chunk from response.body.getReader() into the exported wc_fetch_on_* functions below.
#include <emscripten/emscripten.h>

#include <map>

#include "platform/http.hpp"

extern "C" {
// Implemented in shell/fetch_bridge.js.
void wc_fetch_start(int id, const char* method, const char* url, const char* headers_json,
                    const char* body, int body_len, int timeout_ms);
void wc_fetch_cancel(int id);
}

namespace wirecheck::web {
namespace {

std::map<int, FetchCallbacks>& pending() {
    static std::map<int, FetchCallbacks> calls;
    return calls;
}

// Minimal JSON string escaping for header names/values handed to JS.
std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
        else if (c < 0x20) {
            static const char* hex = "0123456789abcdef";
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else out += static_cast<char>(c);
    }
    return out + "\"";
}

class WebHttpClient : public HttpClient {
public:
    int start(const FetchRequest& request, FetchCallbacks callbacks) override {
        int id = next_id_++;
        pending()[id] = std::move(callbacks);
        std::string headers = "[";
        for (const auto& [name, value] : request.headers) {
            if (headers.size() > 1) headers += ',';
            headers += "[" + json_string(name) + "," + json_string(value) + "]";
        }
        headers += "]";
        wc_fetch_start(id, request.method.c_str(), request.url.c_str(), headers.c_str(),
                       request.body.data(), static_cast<int>(request.body.size()), request.timeout_ms);
        return id;
    }
    void cancel(int id) override { wc_fetch_cancel(id); }

private:
    int next_id_ = 1;
};

}  // namespace

std::unique_ptr<HttpClient> make_http_client() { return std::make_unique<WebHttpClient>(); }

}  // namespace wirecheck::web

using wirecheck::web::pending;

extern "C" {

// headers: "name\nvalue\n" pairs, as the JS side flattens them.
EMSCRIPTEN_KEEPALIVE void wc_fetch_on_headers(int id, int status, const char* headers) {
    auto it = pending().find(id);
    if (it == pending().end() || !it->second.on_headers) return;
    wirecheck::web::Headers list;
    std::string_view rest(headers);
    while (!rest.empty()) {
        auto nl = rest.find('\n');
        if (nl == std::string_view::npos) break;
        auto nl2 = rest.find('\n', nl + 1);
        if (nl2 == std::string_view::npos) break;
        list.emplace_back(std::string(rest.substr(0, nl)), std::string(rest.substr(nl + 1, nl2 - nl - 1)));
        rest.remove_prefix(nl2 + 1);
    }
    it->second.on_headers(status, list);
}

EMSCRIPTEN_KEEPALIVE void wc_fetch_on_chunk(int id, const char* bytes, int len) {
    auto it = pending().find(id);
    if (it != pending().end() && it->second.on_chunk) it->second.on_chunk(std::string_view(bytes, len));
}

EMSCRIPTEN_KEEPALIVE void wc_fetch_on_done(int id) {
    auto it = pending().find(id);
    if (it == pending().end()) return;
    auto callbacks = std::move(it->second);
    pending().erase(it);
    if (callbacks.on_done) callbacks.on_done();
}

// kind: 0 network (incl. CORS), 1 timeout, 2 aborted.
EMSCRIPTEN_KEEPALIVE void wc_fetch_on_failure(int id, int kind, const char* message) {
    auto it = pending().find(id);
    if (it == pending().end()) return;
    auto callbacks = std::move(it->second);
    pending().erase(it);
    if (callbacks.on_failure) {
        callbacks.on_failure(static_cast<wirecheck::web::FetchFailure>(kind), message);
    }
}

}  // extern "C"
