// Internals of the probe engine (probe_*.cpp): the suite as data, the probe prompts and tools,
// request building, the one redaction function, stream grammar checks and the per-exchange checks.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wirecheck/codec.hpp"
#include "wirecheck/probe.hpp"
#include "wirecheck/sse.hpp"

namespace wirecheck {
namespace probe {

// ---- the suite (probe_suite.cpp) --------------------------------------------------------------

enum class StepKind {
    Models,            // GET /v1/models
    Text,              // "Return exactly: <token>" (stream or not)
    Budget,            // the same with a tiny max_tokens: does reasoning eat the budget?
    Tools,             // function tool call -> tool result -> final answer
    CustomTool,        // Responses freeform custom tool call -> output -> final answer
    AdapterResponses,  // a Codex-shaped tool loop, translated to the chat endpoint and back
    AdapterMessages,   // a Claude-Code-shaped tool loop, translated to the chat endpoint and back
};

struct StepSpec {
    std::string_view id;
    std::string_view title;
    StepKind kind;
    Protocol protocol;  // the endpoint called
    bool stream;
    std::string_view lane;
    std::string_view depends_on;  // "" = none; skipped when that step found the endpoint unusable
};
const std::vector<StepSpec>& step_specs();
const StepSpec* find_step(std::string_view id);

// The client protocol a step speaks (adapters: Responses / Messages; others: their endpoint's).
Protocol client_protocol(const StepSpec& spec);

// ---- prompts and tools (probe_suite.cpp) --------------------------------------------------------

inline constexpr std::string_view kTimezoneTool = "get_city_timezone";
inline constexpr std::string_view kCustomTool = "lookup_timezone";
inline constexpr std::string_view kExpectedTimezone = "Asia/Shanghai";

std::string expected_token(Protocol protocol);  // "WIRECHECK_CHAT_OK", ...
// The first request of a step, as a canonical conversation.
Request initial_conversation(const StepSpec& spec, const ProbeConfig& config);
// Appends the assistant's reply and one tool result per call; false when there is nothing to
// answer (no calls).
bool append_tool_results(Request& conversation, const Response& reply);

// ---- requests (probe_suite.cpp) ---------------------------------------------------------------

// Replaces the API key with kApiKeyPlaceholder wherever it occurs. The one place evidence is made
// safe: every string that enters evidence passes through scrub().
class Redactor {
  public:
    explicit Redactor(std::string key) : key_(std::move(key)) {}
    std::string scrub(std::string text) const;
    void scrub_in_place(std::string& text) const;
    // Bodies arrive in chunks and a key may be split across two: the bytes of `raw` before
    // safe_end() can be scrubbed and shown now; the rest might still turn into the key.
    std::size_t safe_end(std::string_view raw) const;
    HttpRequest scrub(const HttpRequest& request) const;
    bool active() const { return !key_.empty(); }

  private:
    std::string key_;
};

// The HTTP request carrying `body` to `protocol`'s endpoint (auth headers per protocol).
HttpRequest make_http_request(const ProbeConfig& config, Protocol protocol, std::string body,
                              bool stream);
HttpRequest make_models_request(const ProbeConfig& config);
// Encodes a native step's conversation; Chat also gets DeepSeek's reasoning_content back on
// assistant turns (protocols.md §1: required after tool calls in thinking mode).
std::string encode_native(Protocol protocol, const Request& conversation);

// ---- streams (probe_stream.cpp) --------------------------------------------------------------

// One observation of a check, before it becomes a Finding.
struct Issue {
    Code code;
    Severity severity;
    std::string message;
    std::string pointer;
};

// What a protocol-specific grammar checker saw in a stream.
struct StreamObservation {
    std::vector<std::string> event_types;
    std::vector<Issue> issues;
    std::string finish;       // raw finish_reason / stop_reason / terminal type ("" = none)
    bool terminal = false;    // [DONE] / response.completed|incomplete|failed / message_stop
    bool usage_seen = false;  // a usage object arrived
    std::size_t events = 0;
};

class StreamChecker {
  public:
    virtual ~StreamChecker() = default;
    // `data` is the event's JSON (null when it is not JSON or is [DONE]).
    virtual void feed(const SseEvent& event, const Json& data) = 0;
    virtual void finish() = 0;
    StreamObservation obs;

  protected:
    void issue(Code code, Severity severity, std::string message);
    void issue_once(Code code, Severity severity, std::string message);
};
std::unique_ptr<StreamChecker> make_stream_checker(Protocol protocol);

// Bytes -> SSE events -> (grammar checker, stream decoder) -> canonical events, incrementally.
class StreamPipeline {
  public:
    explicit StreamPipeline(Protocol protocol);
    void feed(std::string_view bytes);
    void finish();
    // Canonical events produced since the last call (for adapters and live views).
    std::vector<StreamEvent> take_new_events();

    Protocol protocol;
    StreamObservation& obs() { return checker_->obs; }
    const StreamObservation& obs() const { return checker_->obs; }
    std::vector<StreamEvent> events;  // all canonical events so far
    Losses losses;
    std::optional<Error> decode_error;
    bool usage_not_integer = false;

  private:
    void handle(SseEvent event);
    SseParser parser_;
    std::unique_ptr<StreamChecker> checker_;
    std::unique_ptr<StreamDecoder> decoder_;
    std::size_t taken_ = 0;
    bool finished_ = false;
};

// The response a canonical event stream describes (text parts joined per part, tool calls
// complete from PartEnd, Finish's stop reason and usage, Error's error).
Response assemble_response(const std::vector<StreamEvent>& events);

// Usage objects (at /usage, /response/usage, /message/usage) whose numbers are not integers:
// returns a description of the first offender ("" when fine) and removes such objects from
// `data`, so the rest still decodes.
std::string strip_non_integer_usage(Json& data);

// ---- checks (probe_checks.cpp) ---------------------------------------------------------------

// What one finished exchange produced, protocol-neutral (the client's view for adapters).
struct ExchangeResult {
    bool http_ok = false;       // 2xx without an error body
    std::optional<Response> response;
    std::string finish;  // raw finish value
    bool usage_not_integer = false;
};

// Which turn of a step an exchange is.
enum class LoopTurn { First, Continuation };

struct CheckSink {
    StepEvidence& step;
    int exchange;
    const Redactor& redactor;  // findings quote bodies: scrubbed here, on their way into evidence
    // Records one check and its findings; outcome = the worst finding (no finding = pass).
    void check(std::string name, std::vector<Issue> issues, std::string pass_detail);
};

// HTTP status / transport / error-in-200 (and a rejected continuation). Returns the issues.
std::vector<Issue> status_issues(const Exchange& exchange, const std::string& raw_body,
                                 Protocol protocol, LoopTurn turn, bool browser_hint);
bool endpoint_unusable(const StepEvidence& step);
// The answer of a Text / Budget step and of a tool loop's final turn.
std::vector<Issue> content_issues(const std::string& text, const std::string& expected);
std::vector<Issue> finish_issues(const ExchangeResult& result, StopReason expected,
                                 Protocol protocol);
std::vector<Issue> usage_issues(const ExchangeResult& result, bool stream, Protocol protocol);
// Reasoning that used up the output budget (HTTP 200, finish length, (almost) no visible text,
// no tool call). On chat.budget that is the finding (warn); on any other step it means nothing
// else could be checked (error). `expected`: the token a text step asked for ("" for tool steps).
std::vector<Issue> reasoning_exhausted(const ExchangeResult& result, std::int64_t budget,
                                       const std::string& expected,
                                       const std::optional<Usage>& basic_usage, bool budget_step,
                                       Json& data);
// chat.budget when reasoning did not exhaust it: the exact answer within the budget.
std::vector<Issue> budget_fit_issues(const ExchangeResult& result, std::int64_t budget);
std::int64_t recommended_budget(const std::optional<Usage>& basic_usage, std::int64_t budget,
                                std::int64_t reasoning_tokens);
// Tool calls of the first turn: present, ids, names, JSON arguments; custom tool shape.
std::vector<Issue> tool_call_issues(const ExchangeResult& result, ToolKind expected_kind,
                                    std::string_view tool_name);
// The answer after the tool result.
std::vector<Issue> continuation_issues(const ExchangeResult& result);
// Stream transport: Content-Type, SSE-ness, grammar issues found by the checker.
std::vector<Issue> stream_issues(const Exchange& exchange, const StreamPipeline* pipeline);
// GET /v1/models: model listed? new-api endpoint types explained.
std::vector<Issue> models_issues(const std::string& raw_body, const std::string& model, Json& data);

// Text of an error body: "code: message" (OpenAI, new-api and Anthropic envelopes), or "an HTML
// error page (<title>)" when a proxy or load balancer answered with a web page.
std::string error_summary(const std::string& raw_body);
// "an HTML page (<title>)" when the body is a web page, else "" (a raw dump of the markup helps
// nobody; the title usually names the failure: "502 Bad Gateway", "Sign in").
std::string html_page_summary(std::string_view raw_body);

}  // namespace probe
}  // namespace wirecheck
