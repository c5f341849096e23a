// Simulated upstreams: a scenario profile (assets/scenarios/<name>.json, schema in
// docs/scenarios.md) describes how an endpoint behaves per protocol (native, converted by a
// gateway, an error with a given status and body, quirks); the simulator answers the ACTUAL request
// with the codecs, so probes, adapters and real clients can be exercised offline. Pure: the reply
// says how to deliver it (chunking, pacing hints, a dropped connection); the front end does the
// delivering. Deterministic: the same request gives the same bytes (no clock, no randomness).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wirecheck/http.hpp"
#include "wirecheck/json.hpp"
#include "wirecheck/result.hpp"

namespace wirecheck {

// What the simulated server does with one request.
//
// `failure` set means a browser would get no HTTP response at all (cors-blocked: the server sends
// no CORS headers, so fetch() fails). status/headers/chunks still describe what the server sent,
// so a non-browser front end (`wirecheck serve`) can deliver it as is; an in-process browser front
// end reports the failure with `failure_message` instead.
struct SimReply {
    int status = 200;
    HttpHeaders headers;              // includes Content-Type (and CORS headers unless blocked)
    std::vector<std::string> chunks;  // the body, in the pieces it should be delivered in: one
                                      // SSE event per chunk for streams, one chunk for JSON
    int delay_ms_per_chunk = 0;       // pacing hint: wait this long before each chunk
    bool drop_after_chunks = false;   // deliver the chunks, then fail the connection (no clean end)
    std::optional<FailureKind> failure;  // no HTTP response at all (e.g. a CORS refusal)
    std::string failure_message;         // what a browser would say, e.g. Chrome's CORS text

    std::string body() const;  // all chunks joined
};

class Scenario;

class Simulator {
  public:
    // Loads a profile (the JSON text of assets/scenarios/<name>.json). Errors name the JSON
    // pointer of the offending field (json.* codes, or sim.bad_profile for unknown keys/values).
    static Result<Simulator> from_profile(std::string_view profile_json);

    const std::string& name() const;
    const std::string& description() const;
    // The model ids GET /v1/models lists, in profile order (the first is the natural default).
    const std::vector<std::string>& model_ids() const;

    // Answers one request. `path` is the URL path after the scenario's base, e.g.
    // "/v1/chat/completions", "/v1/models", "/v1/messages?beta=true" (the query is ignored).
    // Methods: GET/HEAD /v1/models and / ; POST the three endpoints and /v1/messages/count_tokens;
    // OPTIONS anything (CORS preflight). Thread-safe: handle() keeps no state between calls.
    SimReply handle(const std::string& method, const std::string& path, const HttpHeaders& headers,
                    const std::string& body) const;

    Simulator(const Simulator&);
    Simulator& operator=(const Simulator&);
    Simulator(Simulator&&) noexcept;
    Simulator& operator=(Simulator&&) noexcept;
    ~Simulator();

  private:
    explicit Simulator(std::unique_ptr<Scenario> scenario);
    std::unique_ptr<Scenario> scenario_;
};

// ---- built-in scenarios (assets/scenarios/*.json, embedded at build time) ----------------------

// The scenario the playground and `wirecheck probe --scenario` start with: the 2026-07-05 field
// report (deepseek-v4-pro behind a new-api gateway).
inline constexpr std::string_view kDefaultScenario = "fieldreport-deepseek-v4-pro";

struct BuiltinScenario {
    std::string name;               // file name without .json (equals the profile's "name")
    std::string description;        // one English line, for lists in the UI and the CLI
    std::string description_zh;     // the same in Simplified Chinese, for the page; may be empty
    std::string_view profile_json;  // the embedded file text
};

// Every embedded profile that loads: the default scenario first, then by name.
const std::vector<BuiltinScenario>& builtin_scenarios();
// The simulator for a built-in scenario, or nullopt for an unknown name.
std::optional<Simulator> builtin_simulator(std::string_view name);

}  // namespace wirecheck
