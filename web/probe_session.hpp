// A probe run as the page sees it: started from the Connection form, driven a little every frame
// (in process against a built-in scenario, or over the browser's fetch), with the report
// refreshed whenever a step finishes. Platform-neutral: it talks to an HttpClient.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/http.hpp"
#include "wirecheck/probe.hpp"
#include "wirecheck/report.hpp"
#include "wirecheck/sim.hpp"
#include "wirecheck/sim_transport.hpp"

namespace wirecheck::web {

// The Connection panel's fields. The key lives here, in memory only (storage is an opt-in).
struct ConnectionForm {
    bool simulated = true;  // a built-in scenario run inside the page (offline, no key)
    std::string scenario = std::string(kDefaultScenario);
    std::string base_url;
    std::string api_key;
    std::string model;
    std::string chat_base_url, responses_base_url, messages_base_url;  // per-protocol overrides
    std::string extra_headers;  // "Name: value" per line
    int budget = 1024;          // max_tokens of every step but chat.budget
    int timeout_s = 120;
    bool remember_key = false;  // opt-in: keep the key in this browser's localStorage
    bool use_relay = true;      // through `wirecheck serve`'s /relay when the page has one
};

// `wirecheck serve`'s relay (cli/relay_routes.hpp): the page posts each request to `url` with
// the target in headers; the relay forwards it server-side, so CORS does not apply.
struct Relay {
    std::string url;    // "<page origin>/relay"; "" = no relay (the page is hosted elsewhere)
    std::string token;  // per-process, given to the served page only
    bool available() const { return !url.empty() && !token.empty(); }
};
inline constexpr const char* kRelayTokenHeader = "X-Wirecheck-Relay-Token";
inline constexpr const char* kRelayTargetHeader = "X-Wirecheck-Target";
inline constexpr const char* kRelayMethodHeader = "X-Wirecheck-Method";
inline constexpr const char* kRelayFailureHeader = "X-Wirecheck-Relay-Failure";  // network|timeout|refused
// The same request addressed to the relay (POST to relay.url, the target in headers).
FetchRequest via_relay(FetchRequest request, const Relay& relay);

// The ProbeConfig a form describes (browser = true). `page_origin` is where `wirecheck serve`
// exposes the scenarios, so a simulated run names the URL the same probe would use over HTTP.
ProbeConfig probe_config(const ConnectionForm& form, const std::string& page_origin);
// "Name: value" lines -> headers; lines without a colon are reported in `error`.
HttpHeaders parse_header_lines(const std::string& text, std::string* error = nullptr);

class ProbeSession {
  public:
    ProbeSession() = default;
    ProbeSession(const ProbeSession&) = delete;  // fetch callbacks point at this object
    ProbeSession& operator=(const ProbeSession&) = delete;

    // Starts a run of `steps` (empty = the suite), cancelling one in progress. Returns "" or why
    // it cannot start (e.g. "base URL must start with http:// or https://").
    std::string start(const ConnectionForm& form, const std::vector<std::string>& steps,
                      const std::string& page_origin, HttpClient& http, double now_ms,
                      const Relay& relay = {});
    // Advances the run: hands out requests, simulates a few rounds, fires timeouts.
    void pump(HttpClient& http, double now_ms);
    // Simulated runs only: runs to the end at once (the first visit shows results immediately).
    void finish_now(HttpClient& http, double now_ms);
    void cancel(HttpClient& http);
    // The language of the report's verdicts and layer table (the UI's); a change rebuilds it.
    void set_language(Language lang);

    bool has_run() const { return run_.has_value(); }
    bool running() const { return run_ && !run_->finished(); }
    bool simulated() const { return sim_transport_.has_value(); }
    bool relayed() const { return relay_.available(); }
    const ProbeRun* run() const { return run_ ? &*run_ : nullptr; }
    // The report of what has finished so far (nullptr before the first run).
    const ProbeReport* report() const { return report_ ? &*report_ : nullptr; }
    std::size_t steps_done() const { return steps_done_; }
    std::size_t steps_total() const { return run_ ? run_->steps().size() : 0; }
    double started_ms() const { return started_ms_; }
    double finished_ms() const { return finished_ms_; }

  private:
    void start_fetches(HttpClient& http, double now_ms);
    void refresh_report(double now_ms);

    std::optional<Simulator> simulator_;
    std::optional<SimTransport> sim_transport_;
    std::optional<ProbeRun> run_;
    std::optional<ProbeReport> report_;
    std::map<int, int> fetch_ids_;  // probe request id -> HttpClient id
    Relay relay_;                   // set when this run goes through the relay
    int generation_ = 0;            // callbacks of an earlier run are ignored
    std::int64_t last_now_ = 0;     // the clock at the last pump (callbacks fire between frames)
    std::size_t steps_done_ = 0;
    Language lang_ = Language::English;
    double started_ms_ = 0, finished_ms_ = 0;
};

}  // namespace wirecheck::web
