// What the protocol adapters of `wirecheck serve --upstream` add over loopback (README
// "Performance"; run tests/bench/adapter_bench.sh). One process holds a scripted chat upstream (an
// httplib server that answers at once), the adapter (a PlaygroundServer, as `serve` runs it) and
// libcurl clients:
//   overhead     the Codex capture's body as a non-streaming /v1/responses request through the
//                adapter vs the chat body the adapter sends upstream, sent to the upstream directly
//                (alternating, keep-alive clients); median and p95 of both and their difference
//   ttfb         the same with stream:true: time to the first body byte of a stream whose events
//                come 1 ms apart; then the whole of a 200-event stream sent at once
//   concurrent   C clients at once (one libcurl multi handle), each streaming E events paced by
//                the upstream; every text delta carries its sequence number ("e17 "), so lost,
//                duplicated or reordered events are counted; wall time, errors, peak RSS
// Not a test: nothing here asserts a time. Exit code 1 only if events were lost or requests failed.
//
//   sections  inputs · the scripted upstream · clients · statistics · phases · main
#include <curl/curl.h>
#include <httplib.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "serve.hpp"
#include "wirecheck/json.hpp"
#include "wirecheck/translate.hpp"

namespace wirecheck::cli {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0, Clock::time_point t1 = Clock::now()) {
    return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

// ---- inputs -------------------------------------------------------------------------------------

// The request body Codex sent (`body_json` of the capture), with `stream` set as asked.
std::string codex_body(bool stream) {
    std::string path = std::string(WIRECHECK_SHARED_DIR) + "/fixtures/captures/codex-turn1.json";
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    Result<Json> capture = parse_json(text.str());
    if (!capture.ok() || !capture->is_object() || !capture->contains("body_json")) {
        std::fprintf(stderr, "cannot read the capture %s\n", path.c_str());
        std::exit(2);
    }
    Json body = (*capture)["body_json"];
    body["stream"] = stream;
    return body.dump();
}

// ---- the scripted upstream ----------------------------------------------------------------------

std::string chat_chunk(const std::string& delta_json, const char* finish = "null") {
    return "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1783209600,"
           "\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":" +
           delta_json + ",\"finish_reason\":" + finish + "}]}\n\n";
}

const char* const kChatCompletion =
    "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1783209600,"
    "\"model\":\"bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
    "\"content\":\"Done: the repository builds and the tests pass.\"},\"finish_reason\":\"stop\"}],"
    "\"usage\":{\"prompt_tokens\":15000,\"completion_tokens\":12,\"total_tokens\":15012}}";

// A chat upstream that answers at once: a fixed completion, or a stream of `events` text deltas
// "e0 ", "e1 "... (one write each, `pace_ms` apart) with usage and [DONE]. It keeps the last body
// it was sent (the adapter's translation, replayed by the direct requests).
struct ScriptedChatUpstream {
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::atomic<int> events{200};
    std::atomic<int> pace_ms{0};
    // The concurrent phase: streams send their first event only once this many are open at the
    // same time (or after 30 s), so every client is held at once, whatever the ramp-up takes.
    std::atomic<int> hold_until{0};
    std::atomic<int> open_streams{0};
    std::atomic<int> peak_streams{0};
    std::atomic<bool> released{false};
    Clock::time_point released_at;
    std::mutex mutex;
    std::string last_body;

    ScriptedChatUpstream() {
        server.new_task_queue = [] { return new httplib::ThreadPool(512); };
        server.set_tcp_nodelay(true);
        server.Post("/v1/chat/completions", [this](const httplib::Request& req,
                                                   httplib::Response& res) {
            {
                std::lock_guard<std::mutex> lock(mutex);
                last_body = req.body;
            }
            if (req.body.find("\"stream\":true") == std::string::npos) {
                // Not "application/json", which httplib brotli-compresses (quality 11) for the
                // adapter's libcurl, which accepts br: model servers do not, and it would put the
                // upstream's compression on the adapter's side of the ledger.
                res.set_content(kChatCompletion, "application/json; charset=utf-8");
                return;
            }
            auto chunks = std::make_shared<std::vector<std::string>>();
            chunks->push_back(chat_chunk("{\"role\":\"assistant\",\"content\":\"\"}"));
            for (int i = 0, n = events; i < n; ++i)
                chunks->push_back(chat_chunk("{\"content\":\"e" + std::to_string(i) + " \"}"));
            chunks->push_back(chat_chunk("{}", "\"stop\""));
            chunks->push_back(
                "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":"
                "1783209600,\"model\":\"bench\",\"choices\":[],\"usage\":{\"prompt_tokens\":15000,"
                "\"completion_tokens\":200,\"total_tokens\":15200}}\n\ndata: [DONE]\n\n");
            auto next = std::make_shared<std::size_t>(0);
            int pace = pace_ms;
            int open = ++open_streams;
            for (int peak = peak_streams; open > peak && !peak_streams.compare_exchange_weak(peak, open);) {
            }
            res.set_chunked_content_provider(
                "text/event-stream",
                [this, chunks, next, pace](std::size_t, httplib::DataSink& sink) {
                    if (*next == 0) hold();
                    if (*next == chunks->size()) {
                        sink.done();
                        return true;
                    }
                    if (pace > 0 && *next > 0)
                        std::this_thread::sleep_for(std::chrono::milliseconds(pace));
                    const std::string& c = (*chunks)[(*next)++];
                    return sink.write(c.data(), c.size());
                },
                [this](bool) { --open_streams; });
        });
        port = bind_server(server, "127.0.0.1", 0);
        if (port <= 0) {
            std::fprintf(stderr, "the scripted upstream cannot bind\n");
            std::exit(2);
        }
        thread = std::thread([this] { server.listen_after_bind(); });
        while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    void hold() {
        if (hold_until <= 0 || released) return;
        auto limit = Clock::now() + std::chrono::seconds(30);
        while (peak_streams < hold_until && Clock::now() < limit)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        std::lock_guard<std::mutex> lock(mutex);
        if (!released) released_at = Clock::now();
        released = true;
    }
    ~ScriptedChatUpstream() {
        server.stop();
        thread.join();
    }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port); }
};

// ---- clients ------------------------------------------------------------------------------------

// One streaming or JSON request on a libcurl easy handle; it checks the stream as it arrives: text
// deltas must be "e0 ", "e1 "... in order (Responses `response.output_text.delta` through the
// adapter, Chat `delta.content` directly), ending in `response.completed` / [DONE].
struct Exchange {
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    std::string url;
    const std::string* body = nullptr;
    Clock::time_point start;
    Clock::time_point first_byte;
    bool got_byte = false;
    std::string pending;  // an incomplete SSE event
    std::string json;     // a JSON reply
    bool stream = false;
    int next_seq = 0;
    int deltas = 0;
    int out_of_order = 0;
    bool completed = false;
    bool failed_event = false;

    Exchange() {
        easy = curl_easy_init();
        headers = curl_slist_append(headers, "Content-Type: application/json");
        headers = curl_slist_append(headers, "Authorization: Bearer bench-key");
        headers = curl_slist_append(headers, "Expect:");
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
        curl_easy_setopt(easy, CURLOPT_TIMEOUT, 120L);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Exchange::on_data);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
        curl_easy_setopt(easy, CURLOPT_PRIVATE, this);
    }
    ~Exchange() {
        curl_easy_cleanup(easy);
        curl_slist_free_all(headers);
    }
    Exchange(const Exchange&) = delete;
    Exchange& operator=(const Exchange&) = delete;

    // Sets up the next request on this handle (the connection is kept alive between them).
    void prepare(const std::string& target, const std::string& request_body, bool is_stream) {
        url = target;
        body = &request_body;
        stream = is_stream;
        got_byte = completed = failed_event = false;
        pending.clear();
        json.clear();
        next_seq = deltas = out_of_order = 0;
        curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body->data());
        curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
        start = Clock::now();
    }
    long status() const {
        long code = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
        return code;
    }
    bool ok(int expected_deltas) const {
        if (status() != 200) return false;
        if (!stream) return !json.empty() && json.front() == '{';
        return completed && !failed_event && deltas == expected_deltas && out_of_order == 0;
    }

    static std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
        auto* self = static_cast<Exchange*>(user);
        std::size_t n = size * count;
        if (!self->got_byte) {
            self->got_byte = true;
            self->first_byte = Clock::now();
        }
        if (!self->stream) {
            self->json.append(data, n);
            return n;
        }
        self->pending.append(data, n);
        std::size_t from = 0;
        for (std::size_t end; (end = self->pending.find("\n\n", from)) != std::string::npos; from = end + 2)
            self->on_event(std::string_view(self->pending).substr(from, end - from));
        self->pending.erase(0, from);
        return n;
    }
    void on_event(std::string_view event) {
        if (event.find("response.completed") != std::string_view::npos ||
            event.find("data: [DONE]") != std::string_view::npos) {
            completed = true;
            return;
        }
        if (event.find("response.failed") != std::string_view::npos) failed_event = true;
        // The sequence number of a text delta: `"delta":"e17 "` (Responses) or
        // `"content":"e17 "` (Chat).
        std::size_t at = event.find("\"delta\":\"e");
        if (at == std::string_view::npos) at = event.find("\"content\":\"e");
        if (at == std::string_view::npos) return;
        at = event.find("\"e", at + 8) + 2;
        int seq = std::atoi(std::string(event.substr(at, 12)).c_str());
        if (seq != next_seq) ++out_of_order;
        next_seq = seq + 1;
        ++deltas;
    }
};

// ---- statistics ---------------------------------------------------------------------------------

double quantile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    std::size_t i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

std::string loadavg() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

long rss_kb(const char* field) {  // VmRSS / VmHWM of this process
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::strlen(field) + 1);
    }
    return 0;
}

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Samples {
    std::vector<double> direct, adapter;
    double direct_cpu_s = 0, adapter_cpu_s = 0;  // the whole process's CPU while each ran
    int errors = 0;
};

// Alternates direct and adapter requests (which goes first alternates too), after `warmup` pairs;
// `measure` picks the time of one exchange (whole request, or time to first byte).
Samples paired(ScriptedChatUpstream& upstream, const std::string& adapter_base, bool stream, int n,
               double (*measure)(const Exchange&)) {
    const std::string client_body = codex_body(stream);
    Exchange via, direct;
    // One request through the adapter records the chat body it sends upstream: the direct
    // requests send exactly that.
    via.prepare(adapter_base + "/v1/responses", client_body, stream);
    curl_easy_perform(via.easy);
    std::string chat_body;
    {
        std::lock_guard<std::mutex> lock(upstream.mutex);
        chat_body = upstream.last_body;
    }
    const int expected = stream ? upstream.events.load() : 0;
    Samples s;
    const int warmup = 20;
    for (int i = 0; i < warmup + n; ++i) {
        for (int k = 0; k < 2; ++k) {
            bool through_adapter = (i + k) % 2 == 0;
            Exchange& x = through_adapter ? via : direct;
            if (through_adapter) {
                x.prepare(adapter_base + "/v1/responses", client_body, stream);
            } else {
                x.prepare(upstream.base() + "/v1/chat/completions", chat_body, stream);
            }
            double cpu0 = cpu_seconds();
            CURLcode rc = curl_easy_perform(x.easy);
            if (i >= warmup) (through_adapter ? s.adapter_cpu_s : s.direct_cpu_s) += cpu_seconds() - cpu0;
            if (rc != CURLE_OK || !x.ok(expected)) {
                ++s.errors;
                continue;
            }
            if (i >= warmup) (through_adapter ? s.adapter : s.direct).push_back(measure(x));
        }
    }
    return s;
}

void print_row(const char* what, const Samples& s) {
    double dm = quantile(s.direct, 0.5), dp = quantile(s.direct, 0.95);
    double am = quantile(s.adapter, 0.5), ap = quantile(s.adapter, 0.95);
    double n = static_cast<double>(std::max<std::size_t>(1, s.adapter.size()));
    double cpu_added_ms = (s.adapter_cpu_s - s.direct_cpu_s) * 1000.0 / n;
    std::printf("| %s | %zu | %.3f / %.3f | %.3f / %.3f | **%.3f / %.3f** | %.3f | %d |\n", what,
                s.adapter.size(), dm, dp, am, ap, am - dm, ap - dp, cpu_added_ms, s.errors);
}

// The adapter's protocol work alone, in this thread: the request translated and dumped, the reply
// translated and dumped (what Adapter::serve does besides HTTP). Median and p95 in ms.
std::pair<double, double> translation_alone(const std::string& reply_json, int n) {
    const std::string body = codex_body(false);
    std::vector<double> t;
    for (int i = 0; i < n + 5; ++i) {
        auto t0 = Clock::now();
        auto request = translate_client_request(Protocol::Responses, Protocol::Chat, body);
        if (!request.ok()) std::exit(2);
        std::string up = std::move(request->upstream_request.output);
        auto reply = translate_response(Protocol::Chat, Protocol::Responses, reply_json,
                                        request->reply_options);
        if (!reply.ok()) std::exit(2);
        std::string down = std::move(reply->output);
        if (i >= 5) t.push_back(ms_since(t0));
    }
    return {quantile(t, 0.5), quantile(t, 0.95)};
}

// ---- phases -------------------------------------------------------------------------------------

struct ConcurrentResult {
    int clients = 0, ok = 0, http_errors = 0, transfer_errors = 0;
    long events = 0, expected = 0, out_of_order = 0;
    double wall_ms = 0, connect_max_ms = 0, cpu_s = 0;
    int peak_upstream_streams = 0;
    double all_open_ms = 0;  // until the last stream was open upstream (the hold released)
};

ConcurrentResult concurrent(ScriptedChatUpstream& upstream, const std::string& adapter_base,
                            int clients, int events, int pace_ms) {
    upstream.events = events;
    upstream.pace_ms = pace_ms;
    upstream.peak_streams = 0;
    upstream.hold_until = clients;
    upstream.released = false;
    const std::string body = codex_body(true);
    std::vector<std::unique_ptr<Exchange>> xs;
    CURLM* multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
    curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 0L);
    ConcurrentResult r;
    r.clients = clients;
    r.expected = static_cast<long>(clients) * events;
    double cpu0 = cpu_seconds();
    auto t0 = Clock::now();
    for (int i = 0; i < clients; ++i) {
        xs.push_back(std::make_unique<Exchange>());
        xs.back()->prepare(adapter_base + "/v1/responses", body, true);
        xs.back()->start = t0;
        // Each client on its own connection, as separate agent processes would be.
        curl_easy_setopt(xs.back()->easy, CURLOPT_FRESH_CONNECT, 1L);
        curl_easy_setopt(xs.back()->easy, CURLOPT_FORBID_REUSE, 1L);
        curl_multi_add_handle(multi, xs.back()->easy);
    }
    int running = clients;
    while (running > 0) {
        curl_multi_perform(multi, &running);
        int queued = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
            if (msg->msg != CURLMSG_DONE) continue;
            Exchange* x = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, reinterpret_cast<char**>(&x));
            if (msg->data.result != CURLE_OK) {
                ++r.transfer_errors;
                std::fprintf(stderr, "client: %s\n", curl_easy_strerror(msg->data.result));
            }
        }
        if (running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
    }
    r.wall_ms = ms_since(t0);
    r.cpu_s = cpu_seconds() - cpu0;
    for (auto& x : xs) {
        r.events += x->deltas;
        r.out_of_order += x->out_of_order;
        if (x->status() != 200) ++r.http_errors;
        if (x->ok(events)) ++r.ok;
        curl_off_t connect_us = 0;
        curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
        r.connect_max_ms = std::max(r.connect_max_ms, static_cast<double>(connect_us) / 1000.0);
        curl_multi_remove_handle(multi, x->easy);
    }
    curl_multi_cleanup(multi);
    r.peak_upstream_streams = upstream.peak_streams;
    r.all_open_ms = upstream.released ? ms_since(t0, upstream.released_at) : -1;
    upstream.hold_until = 0;
    return r;
}

// ---- main ---------------------------------------------------------------------------------------

int int_arg(int argc, char** argv, const char* name, int fallback) {
    for (int i = 1; i + 1 < argc; ++i) {
        if (std::strcmp(argv[i], name) == 0) return std::atoi(argv[i + 1]);
    }
    return fallback;
}

int run(int argc, char** argv) {
    const int requests = int_arg(argc, argv, "--requests", 300);
    const int clients = int_arg(argc, argv, "--clients", 200);
    const int events = int_arg(argc, argv, "--events", 200);
    const int pace_ms = int_arg(argc, argv, "--pace-ms", 5);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    std::printf("load average %s on %u cores at the start\n", loadavg().c_str(),
                std::thread::hardware_concurrency());

    ScriptedChatUpstream upstream;
    ServeOptions options;
    options.port = 0;
    options.web_root = "/nonexistent-wirecheck-web-build";  // adapters only, as without a web build
    options.adapter.upstream = upstream.base() + "/v1";
    options.adapter.upstream_protocol = Protocol::Chat;
    PlaygroundServer adapter;
    std::string error;
    if (!adapter.bind(options, error)) {
        std::fprintf(stderr, "adapter: %s\n", error.c_str());
        return 2;
    }
    std::thread listener([&] { adapter.listen(); });
    adapter.wait_until_running();
    std::string base = adapter.url();
    base.pop_back();  // no trailing '/'

    std::printf("\n| Codex turn 1 (55 kB body) | n | direct ms median / p95 | via adapter ms median / "
                "p95 | added ms median / p95 | added CPU ms | errors |\n|---|---|---|---|---|---|---|\n");
    upstream.events = events;
    upstream.pace_ms = 0;
    Samples json = paired(upstream, base, false, requests, [](const Exchange& x) {
        return ms_since(x.start);
    });
    print_row("request, JSON reply: whole exchange", json);
    auto [tm, tp] = translation_alone(kChatCompletion, requests);
    std::printf("| of which translation alone (request in, reply out, in one thread) | %d | | | "
                "%.3f / %.3f | | |\n", requests, tm, tp);
    // Time to first byte as a model streams: events 1 ms apart, so the first one arrives alone (a
    // burst would have the adapter translate a whole 16 kB read before its first write).
    upstream.events = 20;
    upstream.pace_ms = 1;
    Samples ttfb = paired(upstream, base, true, requests, [](const Exchange& x) {
        return ms_since(x.start, x.first_byte);
    });
    print_row("stream of 20 events 1 ms apart: time to first byte", ttfb);
    upstream.events = events;
    upstream.pace_ms = 0;
    Samples whole = paired(upstream, base, true, requests / 3, [](const Exchange& x) {
        return ms_since(x.start);
    });
    print_row(("stream of " + std::to_string(events) + " events at once: whole stream").c_str(), whole);

    long rss_before = rss_kb("VmRSS:");
    ConcurrentResult c = concurrent(upstream, base, clients, events, pace_ms);
    std::printf(
        "\n| concurrent streams via adapter | clients ok | events received / expected | out of "
        "order | HTTP / transfer errors | held at once | all open after | wall | max connect | CPU "
        "| RSS before / peak |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    std::printf("| %d clients × %d events, %d ms apart | %d / %d | %ld / %ld | %ld | %d / %d | %d | "
                "%.0f ms | %.2f s | %.1f ms | %.2f s | %.0f / %.0f MB |\n",
                c.clients, events, pace_ms, c.ok, c.clients, c.events, c.expected, c.out_of_order,
                c.http_errors, c.transfer_errors, c.peak_upstream_streams, c.all_open_ms,
                c.wall_ms / 1000.0, c.connect_max_ms, c.cpu_s, rss_before / 1024.0,
                rss_kb("VmHWM:") / 1024.0);
    std::printf("\nadded CPU: the whole process's CPU time per request via the adapter minus per "
                "direct request.\nheld at once: streams open upstream at the same time (each "
                "waits for all before its first event).\nRSS and CPU are the whole process: "
                "adapter, scripted upstream and clients together.\n");
    std::printf("load average %s at the end\n", loadavg().c_str());

    adapter.stop();
    listener.join();
    bool lost = c.ok != c.clients || json.errors || ttfb.errors || whole.errors;
    return lost ? 1 : 0;
}

}  // namespace
}  // namespace wirecheck::cli

int main(int argc, char** argv) { return wirecheck::cli::run(argc, argv); }
