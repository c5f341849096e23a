// run_with_curl (curl_transport.hpp): the libcurl front end of ProbeRun.
#include "curl_transport.hpp"

#include "curl_util.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace wirecheck::cli {
namespace {

std::int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// One request in flight. Callbacks feed the core directly: libcurl calls them from inside
// curl_multi_perform on this thread.
struct Transfer {
    ProbeRun* run = nullptr;
    int id = 0;
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    int status = 0;
    HttpHeaders response_headers;
    bool headers_delivered = false;
    char error[CURL_ERROR_SIZE] = {};

    ~Transfer() {
        if (easy) curl_easy_cleanup(easy);
        curl_slist_free_all(headers);
    }

    void deliver_headers() {
        if (headers_delivered) return;
        headers_delivered = true;
        if (status == 0) {
            long code = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
            status = static_cast<int>(code);
        }
        run->on_headers(id, status, response_headers, now_ms());
    }
};

std::size_t on_header_line(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    HeaderLine line = parse_header_line(std::string_view(data, size * count));
    if (line.kind == HeaderLine::Status) {
        t->response_headers.clear();
        t->status = line.status;
    } else if (line.kind == HeaderLine::End) {
        if (t->status >= 200 && !t->headers_delivered) t->deliver_headers();
    } else if (line.kind == HeaderLine::Field) {
        t->response_headers.emplace_back(std::move(line.name), std::move(line.value));
    }
    return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    t->deliver_headers();
    t->run->on_body_chunk(t->id, std::string_view(data, size * count), now_ms());
    return size * count;
}

std::unique_ptr<Transfer> start(ProbeRun& run, const HttpRequest& request) {
    auto t = std::make_unique<Transfer>();
    t->run = &run;
    t->id = request.id;
    t->easy = curl_easy_init();
    CURL* e = t->easy;
    curl_easy_setopt(e, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "wirecheck/" WIRECHECK_VERSION);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate/br, decoded for the core
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 15000L);
    // The core times requests out itself (on_tick); this only guarantees no transfer outlives it.
    std::int64_t safety = run.config().timeout_ms + 10000;
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(safety));
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header_line);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t.get());
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t.get());
    for (const auto& [name, value] : request.headers) {
        t->headers = curl_slist_append(t->headers, (name + ": " + value).c_str());
    }
    t->headers = curl_slist_append(t->headers, "Expect:");  // no 100-continue round trip
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    if (request.method == "GET") {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
        if (request.method != "POST") curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, request.body.c_str());
    }
    return t;
}

// A finished transfer: a clean end, or why there was none (the core says when it broke off).
void finish(Transfer& t, CURLcode result) {
    if (result == CURLE_OK) {
        t.deliver_headers();
        t.run->on_done(t.id, now_ms());
        return;
    }
    std::string detail = t.error[0] ? t.error : curl_easy_strerror(result);
    FailureKind kind = result == CURLE_OPERATION_TIMEDOUT ? FailureKind::Timeout : FailureKind::Network;
    t.run->on_failure(t.id, kind, detail, now_ms());
}


}  // namespace

void run_with_curl(ProbeRun& run, const std::function<void()>& on_progress,
                   const std::atomic<bool>* interrupt) {
    ensure_curl_initialized();
    CURLM* multi = curl_multi_init();
    std::vector<std::unique_ptr<Transfer>> active;
    auto remove = [&](int id) {
        auto it = std::find_if(active.begin(), active.end(), [id](auto& t) { return t->id == id; });
        if (it == active.end()) return;
        curl_multi_remove_handle(multi, (*it)->easy);
        active.erase(it);
    };
    bool cancelled = false;
    while (!run.finished()) {
        if (interrupt && interrupt->load() && !cancelled) {
            cancelled = true;
            run.cancel();
            while (!active.empty()) {
                int id = active.back()->id;
                run.on_failure(id, FailureKind::Aborted, "interrupted (Ctrl-C)", now_ms());
                remove(id);
            }
        }
        while (auto request = run.next_request(now_ms())) {
            active.push_back(start(run, *request));
            curl_multi_add_handle(multi, active.back()->easy);
        }
        if (active.empty()) {  // nothing in flight and nothing to start: never expected
            run.cancel();
            break;
        }
        int running = 0;
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg != CURLMSG_DONE) continue;
            auto it = std::find_if(active.begin(), active.end(),
                                   [&](auto& t) { return t->easy == msg->easy_handle; });
            if (it == active.end()) continue;
            CURLcode result = msg->data.result;
            finish(**it, result);
            remove((*it)->id);
        }
        for (int id : run.on_tick(now_ms())) remove(id);  // timed out: the core recorded why
        on_progress();
        if (run.finished()) break;
        int wait = 100;
        if (auto deadline = run.next_deadline()) {
            wait = static_cast<int>(std::clamp<std::int64_t>(*deadline - now_ms(), 0, wait));
        }
        if (!active.empty()) curl_multi_poll(multi, nullptr, 0, wait, nullptr);
    }
    for (auto& t : active) curl_multi_remove_handle(multi, t->easy);
    active.clear();
    curl_multi_cleanup(multi);
}

}  // namespace wirecheck::cli
