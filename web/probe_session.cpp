// ProbeSession (probe_session.hpp).
#include "probe_session.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

namespace wirecheck::web {
namespace {

std::string trim(std::string s) {
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!s.empty() && space(s.back())) s.pop_back();
    std::size_t b = 0;
    while (b < s.size() && space(s[b])) ++b;
    return s.substr(b);
}

constexpr int kSimRoundsPerFrame = 30;  // a simulated suite takes ~10 frames: visibly live

FailureKind failure_kind(FetchFailure f) {
    switch (f) {
        case FetchFailure::Cors:
            return FailureKind::Cors;
        case FetchFailure::Timeout:
            return FailureKind::Timeout;
        case FetchFailure::Aborted:
            return FailureKind::Aborted;
        case FetchFailure::Network:
            break;
    }
    return FailureKind::Network;
}

}  // namespace

FetchRequest via_relay(FetchRequest request, const Relay& relay) {
    request.headers.emplace_back(kRelayTokenHeader, relay.token);
    request.headers.emplace_back(kRelayTargetHeader, request.url);
    request.headers.emplace_back(kRelayMethodHeader, request.method);
    request.method = "POST";
    request.url = relay.url;
    return request;
}

HttpHeaders parse_header_lines(const std::string& text, std::string* error) {
    HttpHeaders out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = trim(text.substr(start, end - start));
        start = end + 1;
        if (line.empty()) continue;
        std::size_t colon = line.find(':');
        if (colon == std::string::npos || colon == 0) {
            if (error) *error = "not a header (Name: value): " + line.substr(0, 40);
            continue;
        }
        out.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
    }
    return out;
}

ProbeConfig probe_config(const ConnectionForm& form, const std::string& page_origin) {
    ProbeConfig c;
    c.browser = true;
    if (form.simulated) {
        c.base_url = page_origin + "/sim/" + form.scenario;
        c.model = form.model;
        return c;
    }
    c.base_url = trim(form.base_url);
    c.api_key = trim(form.api_key);
    c.model = trim(form.model);
    c.chat_base_url = trim(form.chat_base_url);
    c.responses_base_url = trim(form.responses_base_url);
    c.messages_base_url = trim(form.messages_base_url);
    c.extra_headers = parse_header_lines(form.extra_headers);
    c.max_output_tokens = form.budget;
    c.timeout_ms = static_cast<std::int64_t>(form.timeout_s) * 1000;
    c.idle_timeout_ms = std::min(c.idle_timeout_ms, c.timeout_ms);
    return c;
}

std::string ProbeSession::start(const ConnectionForm& form, const std::vector<std::string>& steps,
                                const std::string& page_origin, HttpClient& http, double now_ms,
                                const Relay& relay) {
    cancel(http);
    ProbeConfig config = probe_config(form, page_origin);
    config.steps = steps;
    relay_ = !form.simulated && form.use_relay && relay.available() ? relay : Relay{};
    // Relayed requests leave from `wirecheck serve`, not the browser: no CORS, no browser header.
    if (relay_.available()) config.browser = false;
    std::optional<Simulator> simulator;
    if (form.simulated) {
        simulator = builtin_simulator(form.scenario);
        if (!simulator) return "unknown scenario " + form.scenario;
        if (config.model.empty() && !simulator->model_ids().empty())
            config.model = simulator->model_ids().front();
    }
    auto created = ProbeRun::create(std::move(config));
    if (!created.ok()) return created.error().message;

    ++generation_;
    run_.emplace(std::move(created.value()));
    report_.reset();
    steps_done_ = 0;
    started_ms_ = now_ms;
    finished_ms_ = 0;
    sim_transport_.reset();
    simulator_ = std::move(simulator);
    if (simulator_) {
        // Paths arrive as /sim/<name>/v1/...; the simulator answers /v1/...
        const std::string prefix = "/sim/" + form.scenario;
        const Simulator* sim = &*simulator_;
        sim_transport_.emplace(
            [sim, prefix](const HttpRequest& request, const std::string& path) {
                std::string local = path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : path;
                return sim->handle(request.method, local, request.headers, request.body);
            },
            /*browser=*/true);
    }
    refresh_report(now_ms);
    pump(http, now_ms);
    return "";
}

void ProbeSession::start_fetches(HttpClient& http, double now_ms) {
    auto now = static_cast<std::int64_t>(now_ms);
    while (auto request = run_->next_request(now)) {
        FetchRequest fetch{request->method, request->url, request->headers, request->body,
                           static_cast<int>(run_->config().timeout_ms + 5000)};
        if (relay_.available()) fetch = via_relay(std::move(fetch), relay_);
        int id = request->id, generation = generation_;
        // Each callback checks the generation: a cancelled run's stragglers must not touch the
        // next run. The clock is read when they fire: callbacks arrive between frames. A relay
        // that could not reach the target answers with kRelayFailureHeader and the reason as its
        // body: that is a failure with no HTTP response, as a direct fetch would have seen it.
        auto live = [this, generation] { return generation == generation_ && run_; };
        auto relay_failure = std::make_shared<std::optional<FailureKind>>();
        auto relay_message = std::make_shared<std::string>();
        FetchCallbacks cb;
        cb.on_headers = [this, live, id, relay_failure](int status, const Headers& headers) {
            if (!live()) return;
            std::string_view failure = header_value(headers, kRelayFailureHeader);
            if (!failure.empty()) {
                *relay_failure = failure == "timeout" ? FailureKind::Timeout : FailureKind::Network;
                return;
            }
            run_->on_headers(id, status, headers, last_now_);
        };
        cb.on_chunk = [this, live, id, relay_failure, relay_message](std::string_view bytes) {
            if (!live()) return;
            if (*relay_failure) {
                if (relay_message->size() < 4096) relay_message->append(bytes);
                return;
            }
            run_->on_body_chunk(id, bytes, last_now_);
        };
        cb.on_done = [this, live, id, relay_failure, relay_message] {
            if (!live()) return;
            fetch_ids_.erase(id);
            if (*relay_failure) {
                run_->on_failure(id, **relay_failure, "via the relay: " + *relay_message, last_now_);
                return;
            }
            run_->on_done(id, last_now_);
        };
        cb.on_failure = [this, live, id](FetchFailure kind, const std::string& message) {
            if (!live()) return;
            fetch_ids_.erase(id);
            run_->on_failure(id, failure_kind(kind), message, last_now_);
        };
        fetch_ids_[id] = http.start(fetch, std::move(cb));
    }
}

void ProbeSession::pump(HttpClient& http, double now_ms) {
    last_now_ = static_cast<std::int64_t>(now_ms);
    if (!run_) return;
    if (!run_->finished() && sim_transport_) {
        for (int i = 0; i < kSimRoundsPerFrame && sim_transport_->step(*run_); ++i) {
        }
    } else if (!run_->finished()) {
        start_fetches(http, now_ms);
        for (int id : run_->on_tick(last_now_)) {
            auto it = fetch_ids_.find(id);
            if (it == fetch_ids_.end()) continue;
            http.cancel(it->second);
            fetch_ids_.erase(it);
        }
    }
    refresh_report(now_ms);
}

void ProbeSession::finish_now(HttpClient& http, double now_ms) {
    if (!sim_transport_ || !run_) return;
    sim_transport_->run_to_end(*run_);
    pump(http, now_ms);
}

void ProbeSession::cancel(HttpClient& http) {
    if (!running()) return;
    run_->cancel();
    for (const auto& [probe_id, fetch_id] : fetch_ids_) {
        http.cancel(fetch_id);
        run_->on_failure(probe_id, FailureKind::Aborted, "cancelled", last_now_);
    }
    fetch_ids_.clear();
    if (sim_transport_) sim_transport_->run_to_end(*run_);  // ends what it has in flight
    refresh_report(last_now_);
}

void ProbeSession::set_language(Language lang) {
    if (lang == lang_) return;
    lang_ = lang;
    if (run_ && report_) report_ = run_->report(lang_);
}

void ProbeSession::refresh_report(double now_ms) {
    std::size_t done = 0;
    for (const StepEvidence& s : run_->steps())
        done += s.status != StepStatus::Pending && s.status != StepStatus::Running;
    bool finished = run_->finished();
    // Verdicts change only when a step finishes; the report is rebuilt then, not every frame.
    if (report_ && done == steps_done_ && (!finished || finished_ms_ > 0)) return;
    steps_done_ = done;
    report_ = run_->report(lang_);
    if (finished && finished_ms_ == 0) finished_ms_ = std::max(now_ms, started_ms_ + 1);
}

}  // namespace wirecheck::web
