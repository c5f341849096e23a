// UpstreamCall (upstream.hpp): one libcurl easy handle on a multi handle of its own while it runs,
// so the caller's thread decides when the transfer runs (curl_multi_perform) and can stop it at
// any point. Multi handles are pooled: libcurl keeps finished transfers' connections in the multi
// handle, so the next request reuses a warm connection instead of opening a new one.
// TLS verification on; the proxy environment (http_proxy, https_proxy, no_proxy) honoured.
#include "upstream.hpp"

#include "curl_util.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

namespace wirecheck::cli {
namespace {

// Idle multi handles, most recently used last (its connection is the likeliest to be alive).
// A handle is used by one thread at a time; any thread may take it next.
class MultiPool {
public:
    static MultiPool& instance() {
        ensure_curl_initialized();  // first, so curl_global_cleanup runs after ~MultiPool
        static MultiPool pool;
        return pool;
    }
    ~MultiPool() { close_idle(); }
    void close_idle() {
        std::vector<CURLM*> idle;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            idle.swap(idle_);
        }
        for (CURLM* multi : idle) curl_multi_cleanup(multi);
    }
    CURLM* take() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!idle_.empty()) {
                CURLM* multi = idle_.back();
                idle_.pop_back();
                return multi;
            }
        }
        CURLM* multi = curl_multi_init();
        curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 1L);
        return multi;
    }
    void give_back(CURLM* multi) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (idle_.size() < kMaxIdle) {
                idle_.push_back(multi);
                return;
            }
        }
        curl_multi_cleanup(multi);  // closes its cached connections
    }

private:
    // Enough for the usual handful of concurrent agent requests; a burst beyond it closes the
    // surplus connections instead of keeping hundreds of idle sockets to the upstream. Each idle
    // handle holds at most 3 descriptors: its wake-up socket pair and one connection.
    static constexpr std::size_t kMaxIdle = 8;
    std::mutex mutex_;
    std::vector<CURLM*> idle_;
};

}  // namespace

void close_idle_upstream_connections() { MultiPool::instance().close_idle(); }

struct UpstreamCall::Curl {
    CURLM* multi = nullptr;
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    char error[CURL_ERROR_SIZE] = {};

    ~Curl() {
        if (multi && easy) curl_multi_remove_handle(multi, easy);
        if (easy) curl_easy_cleanup(easy);
        if (multi) MultiPool::instance().give_back(multi);
        curl_slist_free_all(headers);
    }
};

struct UpstreamCallbacks {
    // A status line starts a header block (a 1xx block is followed by another); a blank line ends
    // the final one.
    static std::size_t header(char* data, std::size_t size, std::size_t count, void* user) {
        auto* call = static_cast<UpstreamCall*>(user);
        call->last_byte_ = std::chrono::steady_clock::now();
        HeaderLine line = parse_header_line(std::string_view(data, size * count));
        if (line.kind == HeaderLine::Status) {
            call->headers_.clear();
            call->status_ = line.status;
        } else if (line.kind == HeaderLine::End) {
            if (call->status_ >= 200) call->headers_done_ = true;
        } else if (line.kind == HeaderLine::Field) {
            call->headers_.emplace_back(std::move(line.name), std::move(line.value));
        }
        return size * count;
    }
    static std::size_t body(char* data, std::size_t size, std::size_t count, void* user) {
        auto* call = static_cast<UpstreamCall*>(user);
        call->headers_done_ = true;
        call->last_byte_ = std::chrono::steady_clock::now();
        call->pending_.append(data, size * count);
        return size * count;
    }
};

UpstreamCall::UpstreamCall(const HttpRequest& request, const UpstreamTimeouts& timeouts)
    : curl_(std::make_unique<Curl>()) {
    curl_->multi = MultiPool::instance().take();
    curl_->easy = curl_easy_init();
    CURL* e = curl_->easy;
    curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, curl_->error);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "wirecheck/" WIRECHECK_VERSION);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate/br, decoded for us
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, timeouts.connect_s);
    if (timeouts.total_s > 0) curl_easy_setopt(e, CURLOPT_TIMEOUT, timeouts.total_s);
    // The idle timeout is ours (step()): libcurl's low-speed limit averages over several seconds.
    idle_ = std::chrono::seconds(timeouts.idle_s);
    last_byte_ = std::chrono::steady_clock::now();
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, UpstreamCallbacks::header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, UpstreamCallbacks::body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
    for (const auto& [name, value] : request.headers) {
        curl_->headers = curl_slist_append(curl_->headers, (name + ": " + value).c_str());
    }
    curl_->headers = curl_slist_append(curl_->headers, "Expect:");  // no 100-continue round trip
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, curl_->headers);
    if (request.method == "GET") {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
        if (request.method != "POST")
            curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, request.body.c_str());
    }
    curl_multi_add_handle(curl_->multi, e);
}

UpstreamCall::~UpstreamCall() = default;

void UpstreamCall::finish(int result) {
    ended_ = true;
    headers_done_ = true;
    auto code = static_cast<CURLcode>(result);
    if (code == CURLE_OK) return;
    timed_out_ = code == CURLE_OPERATION_TIMEDOUT;
    error_ = curl_->error[0] ? curl_->error : curl_easy_strerror(code);
}

void UpstreamCall::abort(bool timed_out) {
    if (ended_) return;
    ended_ = true;
    headers_done_ = true;
    timed_out_ = timed_out;
    cancelled_ = !timed_out;
    if (timed_out) {
        error_ = "the upstream sent nothing for " +
                 std::to_string(std::chrono::duration_cast<std::chrono::seconds>(idle_).count()) +
                 " s (idle timeout)";
    } else if (error_.empty()) {
        error_ = "cancelled";
    }
    // Removing and cleaning up the easy handle closes the upstream connection right away.
    curl_multi_remove_handle(curl_->multi, curl_->easy);
    curl_easy_cleanup(curl_->easy);
    curl_->easy = nullptr;
}

bool UpstreamCall::step(int timeout_ms) {
    if (ended_) return false;
    int running = 0;
    curl_multi_perform(curl_->multi, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(curl_->multi, &queued)) {
        if (msg->msg == CURLMSG_DONE) finish(msg->data.result);
    }
    if (ended_) return false;
    if (!pending_.empty()) return true;  // deliver before waiting for more
    if (idle_.count() > 0 && std::chrono::steady_clock::now() - last_byte_ >= idle_) {
        abort(/*timed_out=*/true);
        return false;
    }
    curl_multi_poll(curl_->multi, nullptr, 0, timeout_ms, nullptr);
    if (client_gone_ && client_gone_()) {
        error_ = "cancelled: the client went away";
        abort();
        return false;
    }
    return true;
}

bool UpstreamCall::wait_for_headers() {
    while (!headers_done_ && step(100)) {
    }
    return headers_done_ && status_ >= 200;
}

bool UpstreamCall::read_body(const std::function<bool(std::string_view)>& on_data,
                             const std::function<bool()>& on_idle, int idle_ms) {
    using Clock = std::chrono::steady_clock;
    bool idle_checks = on_idle && idle_ms > 0;
    int poll_ms = idle_checks ? std::min(idle_ms, 100) : 100;
    auto last_data = Clock::now();
    for (;;) {
        if (!pending_.empty()) {
            std::string piece;
            piece.swap(pending_);
            last_data = Clock::now();
            if (!on_data(piece)) {
                abort();
                return false;
            }
        }
        if (ended_) break;
        if (!step(poll_ms)) continue;  // ended: deliver what came with the end, then stop
        if (idle_checks && pending_.empty() &&
            Clock::now() - last_data >= std::chrono::milliseconds(idle_ms)) {
            last_data = Clock::now();
            if (!on_idle()) {
                abort();
                return false;
            }
        }
    }
    return error_.empty();
}

bool UpstreamCall::read_all(std::string& body, std::size_t max_bytes) {
    body.clear();
    bool too_large = false;
    bool ok = read_body([&](std::string_view piece) {
        if (body.size() + piece.size() > max_bytes) {
            too_large = true;
            return false;
        }
        body.append(piece);
        return true;
    });
    if (too_large) error_ = "the upstream body is larger than " + std::to_string(max_bytes) + " bytes";
    return ok;
}

}  // namespace wirecheck::cli
