// The probe engine: a state machine that runs the probe suite against one endpoint. It performs no
// I/O and has no clock: it hands out HttpRequests and is fed what came back, with timestamps from
// the front end (libcurl, browser fetch or the in-process simulator all drive it the same way).
//
//     auto run = ProbeRun::create(config);            // Result<ProbeRun>
//     while (!run->finished()) {
//         while (auto req = run->next_request(now())) start(*req);   // several may be in flight
//         ... run->on_headers(id, status, headers, now());
//         ... run->on_body_chunk(id, bytes, now());     // streams are decoded as they arrive
//         ... run->on_done(id, now());  or  run->on_failure(id, FailureKind::Cors, msg, now());
//         for (int id : run->on_tick(now())) abort(id);  // timeouts (see next_deadline())
//     }
//     ProbeReport report = run->report();             // findings, verdicts: see report.hpp
//
// Evidence never holds the API key: it is replaced by `$WIRECHECK_API_KEY` in one place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wirecheck/findings.hpp"
#include "wirecheck/http.hpp"
#include "wirecheck/loss.hpp"
#include "wirecheck/model.hpp"
#include "wirecheck/result.hpp"

namespace wirecheck {

// What stands in for the API key in evidence, reports and copy-as-curl.
inline constexpr std::string_view kApiKeyPlaceholder = "$WIRECHECK_API_KEY";

struct ProbeConfig {
    std::string base_url;  // "https://host" or "https://host/v1" (both mean the same)
    std::string api_key;
    std::string model;
    // Per-protocol base URL overrides: absolute ("https://host/anthropic") or a path on base_url's
    // host ("/anthropic"); "" = base_url. Each gets "/v1/<endpoint>" appended (a trailing /v1 is
    // tolerated), the way Claude Code treats ANTHROPIC_BASE_URL.
    std::string chat_base_url;
    std::string responses_base_url;
    std::string messages_base_url;
    HttpHeaders extra_headers;              // sent with every request
    std::int64_t max_output_tokens = 1024;  // output budget of every step except chat.budget
    std::int64_t budget_probe_tokens = 30;  // chat.budget's deliberately tiny max_tokens
    std::int64_t timeout_ms = 120000;       // a whole request, first byte to last
    std::int64_t idle_timeout_ms = 60000;   // no headers / no body bytes for this long
    std::vector<std::string> steps;         // step ids to run; empty = the whole default suite
    bool browser =
        false;  // a browser front end: Messages gets anthropic-dangerous-direct-browser-access
    std::size_t max_body_bytes = 256u
                                 << 10;  // evidence keeps this much of each body (a note says so)
    std::size_t max_parallel = 4;        // requests in flight at once (one per lane)
};

// One step of the suite. Ids are stable (reports, CLI --steps, verdict rules use them).
struct StepInfo {
    std::string_view id;
    std::string_view title;
    Protocol protocol;      // the endpoint it calls (adapter steps call the chat endpoint)
    std::string_view lane;  // steps of one lane run one after another; lanes run in parallel
};
const std::vector<StepInfo>& probe_suite();  // the default suite, in order

enum class StepStatus { Pending, Running, Passed, Warned, Failed, Skipped };
std::string_view step_status_name(StepStatus s);  // "pending", ..., "passed", "warned", ...

enum class CheckOutcome { Pass, Warn, Fail, Skip };
std::string_view check_outcome_name(CheckOutcome o);

struct CheckResult {
    std::string check;  // "http_status", "content", "finish", "usage", "stream_grammar", ...
    int exchange = 0;
    CheckOutcome outcome = CheckOutcome::Pass;
    std::string detail;
};

// One HTTP request of a step and what came back (a tool loop has two).
struct Exchange {
    std::string label;           // "request", "tool call", "tool result -> answer"
    HttpRequest request;         // as sent, the API key replaced by kApiKeyPlaceholder
    std::string client_request;  // adapter steps: the client-shaped body before translation
    int status = 0;              // 0 = no HTTP response
    HttpHeaders headers;
    std::string body;             // the raw body, capped at max_body_bytes
    bool body_truncated = false;  // body holds only the first max_body_bytes of body_bytes
    std::size_t body_bytes = 0;
    std::vector<std::string> events;  // SSE event types in arrival order ("chunk", "[DONE]", ...)
    std::string client_stream;        // adapter steps: the stream as the client would receive it
    std::optional<std::int64_t> ttfb_ms;   // request handed out -> headers
    std::optional<std::int64_t> total_ms;  // request handed out -> done / failure
    std::optional<FailureKind> failure;
    std::string failure_message;
    // Decoded (for adapter steps: what the client would see after translation back).
    std::string text;       // visible text
    std::string reasoning;  // reasoning text, if any
    std::vector<ToolCallPart> tool_calls;
    std::string finish;  // the finish_reason / stop_reason / status as sent ("" = none)
    std::optional<Usage> usage;
};

struct StepEvidence {
    std::string id;
    std::string title;
    Protocol protocol = Protocol::Chat;
    StepStatus status = StepStatus::Pending;
    std::vector<Exchange> exchanges;
    std::vector<CheckResult> checks;
    std::vector<Finding> findings;
    Losses losses;     // adapter steps: what the translation could not carry unchanged
    std::string note;  // e.g. why it was skipped
};

struct ProbeReport;  // report.hpp

class ProbeRun {
  public:
    // Fails with probe.bad_config (no base URL, not http(s), no model, unknown step id).
    static Result<ProbeRun> create(ProbeConfig config);

    // The next request that may start now, or nullopt (none ready, or max_parallel in flight).
    // `now_ms` is any monotonic clock in milliseconds; the same clock must feed the calls below.
    std::optional<HttpRequest> next_request(std::int64_t now_ms);

    void on_headers(int id, int status, const HttpHeaders& headers, std::int64_t now_ms);
    void on_body_chunk(int id, std::string_view bytes, std::int64_t now_ms);
    void on_done(int id, std::int64_t now_ms);
    void on_failure(int id, FailureKind kind, std::string_view message, std::int64_t now_ms);
    // Calls for ids that are unknown or already finished are ignored.

    // The earliest time a request in flight times out (nullopt: nothing in flight).
    std::optional<std::int64_t> next_deadline() const;
    // Fails every request past its deadline as FailureKind::Timeout; returns their ids so the
    // front end can abort the transfers.
    std::vector<int> on_tick(std::int64_t now_ms);
    // Stops the run: steps not yet started are skipped. Requests in flight still report back.
    void cancel();

    bool finished() const;
    std::size_t in_flight() const;
    const std::vector<StepEvidence>& steps() const;
    const ProbeConfig& config() const;  // note: holds the key; never render it
    ProbeReport report(Language lang = Language::English) const;

    ProbeRun(ProbeRun&&) noexcept;
    ProbeRun& operator=(ProbeRun&&) noexcept;
    ~ProbeRun();

    struct State;

  private:
    explicit ProbeRun(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

// The endpoint URL a step of `protocol` calls under `config` (base URL rules above).
std::string endpoint_url(const ProbeConfig& config, Protocol protocol);
std::string models_url(const ProbeConfig& config);

}  // namespace wirecheck
