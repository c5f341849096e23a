// The checks a probe step runs on each exchange, each producing findings with codes from the one
// list (codes.hpp): HTTP status classes, transport failures, error bodies inside HTTP 200, the
// visible answer, finish/stop reasons, usage, the reasoning budget, tool calls and their
// continuation, stream transport, and the model list.
//
// Sections: helpers · recording · status and transport · answer · budget · tools · streams · models
#include <algorithm>
#include <cctype>

#include "probe_internal.hpp"

namespace wirecheck {
namespace probe {
namespace {

// ---- helpers -----------------------------------------------------------------------------------

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return std::string(s.substr(b, e - b));
}

std::string quote(std::string_view s, std::size_t max = 120) {
    std::string out = "\"";
    if (s.size() > max) {
        out.append(s.substr(0, max));
        out += "...";
    } else {
        out.append(s);
    }
    return out + "\"";
}

const Json* member(const Json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::string string_of(const Json* v) {
    if (!v) return {};
    if (v->is_string()) return v->get<std::string>();
    if (v->is_number()) return v->dump();
    return {};
}

Issue make_issue(Code code, std::string message, std::optional<Severity> severity = std::nullopt,
                 std::string pointer = {}) {
    const FindingInfo* info = finding_info(code);
    Severity s = severity ? *severity : (info ? info->severity : Severity::Error);
    return Issue{code, s, std::move(message), std::move(pointer)};
}

std::string visible_text(const Response& response) {
    std::string text;
    for (const Part& part : response.output) {
        if (const auto* t = std::get_if<TextPart>(&part)) text += t->text;
    }
    return text;
}

std::string reasoning_text(const Response& response) {
    std::string text;
    for (const Part& part : response.output) {
        if (const auto* r = std::get_if<ReasoningPart>(&part)) text += r->text;
    }
    return text;
}

std::vector<const ToolCallPart*> tool_calls(const Response& response) {
    std::vector<const ToolCallPart*> calls;
    for (const Part& part : response.output) {
        if (const auto* c = std::get_if<ToolCallPart>(&part)) calls.push_back(c);
    }
    return calls;
}

bool is_convert_failure(const std::string& raw_body) {
    return raw_body.find("convert_request_failed") != std::string::npos;
}

// Request headers a browser must get approved by a CORS preflight (not CORS-safelisted).
std::string preflight_headers(const HttpRequest& request) {
    std::string out;
    for (const auto& [name, value] : request.headers) {
        std::string lower = name;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "accept") continue;
        if (!out.empty()) out += ", ";
        out += lower;
    }
    return out;
}

}  // namespace

// ---- recording ---------------------------------------------------------------------------------

void CheckSink::check(std::string name, std::vector<Issue> issues, std::string pass_detail) {
    // The outcome is the worst issue; the detail its message (or pass_detail when all is well).
    CheckOutcome outcome = CheckOutcome::Pass;
    std::string detail = std::move(pass_detail);
    const Issue* worst = nullptr;
    for (const Issue& issue : issues) {
        if (!worst || issue.severity > worst->severity) worst = &issue;
    }
    if (worst && worst->severity != Severity::Info) {
        outcome = worst->severity == Severity::Error ? CheckOutcome::Fail : CheckOutcome::Warn;
        detail = worst->message;
    } else if (worst && detail.empty()) {
        detail = worst->message;
    }
    for (Issue& issue : issues) {
        Finding finding =
            make_finding(issue.code, step.id, exchange, redactor.scrub(std::move(issue.message)),
                         redactor.scrub(std::move(issue.pointer)));
        finding.severity = issue.severity;
        step.findings.push_back(std::move(finding));
    }
    step.checks.push_back(
        CheckResult{std::move(name), exchange, outcome, redactor.scrub(std::move(detail))});
}

std::string html_page_summary(std::string_view raw_body) {
    std::string head(raw_body.substr(0, 4096));
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string start = trim(head);
    if (start.rfind("<!doctype html", 0) != 0 && start.rfind("<html", 0) != 0) return "";
    std::string out = "an HTML page";
    std::size_t open = head.find("<title");
    std::size_t begin = open == std::string::npos ? open : head.find('>', open);
    std::size_t end = begin == std::string::npos ? begin : head.find("</title", begin);
    if (end != std::string::npos) {
        std::string title = trim(raw_body.substr(begin + 1, end - begin - 1));
        if (!title.empty()) out += " (" + title.substr(0, 120) + ")";
    }
    return out;
}

std::string error_summary(const std::string& raw_body) {
    auto parsed = parse_json(raw_body);
    if (!parsed.ok()) {
        std::string html = html_page_summary(raw_body);
        // "an HTML page (502 Bad Gateway)" -> "an HTML error page (502 Bad Gateway)"
        if (!html.empty()) return html.insert(std::string("an HTML ").size(), "error ");
        return trim(raw_body.substr(0, 200));
    }
    const Json& body = parsed.value();
    const Json* error = member(body, "error");
    if (!error) return trim(raw_body.substr(0, 200));
    if (error->is_string()) return error->get<std::string>();
    std::string code = string_of(member(*error, "code"));
    std::string type = string_of(member(*error, "type"));
    std::string message = string_of(member(*error, "message"));
    std::string out = code.empty() ? type : code;
    if (!code.empty() && !type.empty()) out += " (" + type + ")";
    if (!message.empty()) out += (out.empty() ? "" : ": ") + message;
    return out;
}

// ---- status and transport ----------------------------------------------------------------------

std::vector<Issue> status_issues(const Exchange& exchange, const std::string& raw_body,
                                 Protocol protocol, LoopTurn turn, bool browser_hint) {
    std::vector<Issue> out;
    if (exchange.failure) {
        std::string why = exchange.failure_message.empty() ? std::string()
                                                           : " (" + exchange.failure_message + ")";
        if (exchange.status != 0 && *exchange.failure == FailureKind::Timeout) {
            out.push_back(make_issue(Code::FindingTimeout,
                                     "HTTP " + std::to_string(exchange.status) +
                                         " arrived, then the body did not finish in time after " +
                                         std::to_string(exchange.body_bytes) + " body bytes" + why));
            return out;
        }
        if (exchange.status != 0) {
            out.push_back(make_issue(Code::FindingStreamDropped,
                                     "HTTP " + std::to_string(exchange.status) +
                                         " arrived, then the connection failed after " +
                                         std::to_string(exchange.body_bytes) + " body bytes: " +
                                         std::string(failure_kind_name(*exchange.failure)) + why));
            return out;
        }
        switch (*exchange.failure) {
            case FailureKind::Cors: {
                std::string text =
                    "the browser refused to hand over the response" + why +
                    ": the server did not allow this page's origin, or its preflight did not "
                    "allow the request headers " +
                    preflight_headers(exchange.request) +
                    " (Access-Control-Allow-Origin / Access-Control-Allow-Headers missing).";
                if (protocol == Protocol::Messages) {
                    text +=
                        " Anthropic-format servers also require "
                        "anthropic-dangerous-direct-browser-access: true, and organisations "
                        "can disable browser access.";
                }
                text += " Fix: run the local relay (`wirecheck serve`) and probe through it.";
                out.push_back(make_issue(Code::FindingCorsBlocked, std::move(text)));
                break;
            }
            case FailureKind::Network: {
                std::string text =
                    "no HTTP response" + why + ": check the base URL, DNS, TLS and proxies.";
                if (browser_hint) {
                    text +=
                        " In a browser a CORS refusal looks exactly like this; the local relay "
                        "(`wirecheck serve`) tells them apart.";
                }
                out.push_back(make_issue(Code::FindingNetworkFailed, std::move(text)));
                break;
            }
            case FailureKind::Timeout:
                out.push_back(
                    make_issue(Code::FindingTimeout, "no complete response in time" + why));
                break;
            case FailureKind::Aborted:
                out.push_back(make_issue(Code::FindingAborted, "the request was aborted" + why));
                break;
        }
        return out;
    }
    int status = exchange.status;
    std::string summary = error_summary(raw_body);
    while (!summary.empty() && (summary.back() == '.' || summary.back() == ' ')) summary.pop_back();
    std::string http = "HTTP " + std::to_string(status) + (summary.empty() ? "" : ": " + summary);
    if (status >= 200 && status < 300) {
        // new-api's channel test looks for an error hidden inside a 200 (peers.md §3).
        if (exchange.request.stream) return out;  // streams: the grammar checks see error events
        auto parsed = parse_json(raw_body);
        if (parsed.ok() && parsed->is_object() &&
            (member(*parsed, "error") || parsed->value("type", "") == "error")) {
            out.push_back(make_issue(Code::FindingErrorIn200,
                                     "HTTP 200 with an error body: " + error_summary(raw_body),
                                     std::nullopt, "/error"));
        }
        return out;
    }
    if (turn == LoopTurn::Continuation) {
        out.push_back(make_issue(Code::FindingContinuationRejected,
                                 "the request with the tool result got " + http));
        return out;
    }
    if (is_convert_failure(raw_body) && (status == 400 || status >= 500)) {
        out.push_back(make_issue(
            Code::FindingConvertRequestFailed,
            http + ". The gateway (new-api) has no converter for this endpoint on the model's "
                   "channel; it does not fail over to another channel (protocols.md §5)."));
    } else if (status == 401 || status == 403) {
        out.push_back(make_issue(Code::FindingAuthRejected,
                                 http + ". Check the key, and that it may use this model."));
    } else if (status == 404 || status == 405) {
        out.push_back(make_issue(Code::FindingEndpointMissing,
                                 http + ". This server does not serve " + exchange.request.url +
                                     "; check the base URL (with or without /v1) or use an "
                                     "adapter."));
    } else if (status == 429) {
        out.push_back(make_issue(Code::FindingRateLimited, http));
    } else if (status >= 400 && status < 500) {
        out.push_back(make_issue(Code::FindingBadRequest, http));
    } else if (status >= 500) {
        out.push_back(make_issue(Code::FindingServerError, http));
    } else {
        out.push_back(make_issue(Code::FindingUnexpectedStatus, http));
    }
    return out;
}

bool endpoint_unusable(const StepEvidence& step) {
    if (step.status == StepStatus::Skipped) return true;
    for (const Finding& f : step.findings) {
        if (f.exchange > 0) continue;
        switch (f.code) {
            case Code::FindingAuthRejected:
            case Code::FindingEndpointMissing:
            case Code::FindingConvertRequestFailed:
            case Code::FindingNetworkFailed:
            case Code::FindingCorsBlocked:
            case Code::FindingTimeout:
                return true;
            default:
                break;
        }
    }
    return false;
}

// ---- answer ------------------------------------------------------------------------------------

std::vector<Issue> content_issues(const std::string& text, const std::string& expected) {
    std::string visible = trim(text);
    if (visible.empty()) {
        return {make_issue(Code::FindingContentEmpty,
                           "no visible text (asked for exactly " + expected + ")")};
    }
    if (visible == expected) return {};
    if (visible.find(expected) != std::string::npos) {
        return {make_issue(Code::FindingContentInexact,
                           "the answer holds " + expected + " with extra text: " + quote(visible),
                           Severity::Info)};
    }
    return {make_issue(Code::FindingContentInexact,
                       "the answer " + quote(visible) + " does not contain " + expected)};
}

namespace {

std::string expected_finish_name(StopReason reason, Protocol protocol) {
    if (protocol == Protocol::Chat) return reason == StopReason::ToolUse ? "tool_calls" : "stop";
    if (protocol == Protocol::Messages)
        return reason == StopReason::ToolUse ? "tool_use" : "end_turn";
    return "completed";
}

}  // namespace

std::vector<Issue> finish_issues(const ExchangeResult& result, StopReason expected,
                                 Protocol protocol) {
    if (!result.response) return {};
    std::string want = expected_finish_name(expected, protocol);
    if (result.finish.empty()) {
        return {make_issue(Code::FindingFinishMissing,
                           "no " +
                               std::string(protocol == Protocol::Chat       ? "finish_reason"
                                           : protocol == Protocol::Messages ? "stop_reason"
                                                                            : "status") +
                               " (expected " + want + ")")};
    }
    if (protocol == Protocol::Responses) {
        if (result.finish == "completed") return {};
        return {make_issue(Code::FindingFinishUnexpected,
                           "status " + result.finish + ", expected completed")};
    }
    if (result.finish == want) return {};
    StopReason got = result.response->stop_reason;
    std::string text = "finish " + result.finish + ", expected " + want;
    if (got == StopReason::MaxTokens) text += ": the answer was cut off by the output limit";
    if (expected == StopReason::ToolUse && got == StopReason::EndTurn && result.response &&
        !tool_calls(*result.response).empty()) {
        text += " on a turn with tool calls (clients may not run them; peers.md §2.17)";
    }
    return {make_issue(Code::FindingFinishUnexpected, std::move(text))};
}

std::vector<Issue> usage_issues(const ExchangeResult& result, bool stream, Protocol protocol) {
    if (result.usage_not_integer) {
        return {make_issue(Code::FindingUsageNotInteger,
                           "usage holds strings or fractions where integers belong; clients that "
                           "parse it (Codex, SDK token counters) fail")};
    }
    if (!result.response || result.response->usage) return {};
    std::string text = "the response reports no token usage";
    if (stream && protocol == Protocol::Chat)
        text = "no usage chunk although stream_options.include_usage was requested";
    return {make_issue(Code::FindingUsageMissing, std::move(text))};
}

// ---- budget ------------------------------------------------------------------------------------

std::int64_t recommended_budget(const std::optional<Usage>& basic_usage, std::int64_t budget,
                                std::int64_t reasoning_tokens) {
    // Four times what a one-line answer needed, in steps of 256, at least 1024: real prompts
    // reason far longer than "Return exactly".
    std::int64_t needed = std::max(budget, reasoning_tokens) * 4;
    if (basic_usage) needed = std::max(needed, basic_usage->output * 4);
    std::int64_t rounded = (needed + 255) / 256 * 256;
    return std::max<std::int64_t>(1024, rounded);
}

std::vector<Issue> reasoning_exhausted(const ExchangeResult& result, std::int64_t budget,
                                       const std::string& expected,
                                       const std::optional<Usage>& basic_usage, bool budget_step,
                                       Json& data) {
    if (!result.http_ok || !result.response) return {};
    const Response& response = *result.response;
    if (response.stop_reason != StopReason::MaxTokens || !tool_calls(response).empty()) return {};
    std::string text = trim(visible_text(response));
    if (!expected.empty() && text.find(expected) != std::string::npos) return {};
    if (expected.empty() && !text.empty() && text.size() > 40) return {};
    std::int64_t reasoning = response.usage ? response.usage->reasoning : 0;
    std::int64_t output = response.usage ? response.usage->output : 0;
    bool reasoned =
        reasoning * 2 >= budget || (reasoning == 0 && !reasoning_text(response).empty());
    if (!reasoned) return {};
    std::int64_t recommended = recommended_budget(basic_usage, budget, reasoning);
    data = Json{{"budget", budget},        {"reasoning_tokens", reasoning},
                {"output_tokens", output}, {"visible_chars", text.size()},
                {"finish", result.finish}, {"recommended_max_tokens", recommended}};
    std::string spent = reasoning > 0
                            ? std::to_string(reasoning) + " of " + std::to_string(budget) +
                                  " output tokens went to reasoning"
                            : "the budget went to reasoning (its token count is not "
                              "reported)";
    std::string seen = text.empty() ? "no visible text" : "visible text " + quote(text);
    if (budget_step) {
        return {make_issue(Code::FindingReasoningExhaustedBudget,
                           "max_tokens " + std::to_string(budget) + ": " + spent + ", finish " +
                               result.finish + ", " + seen +
                               ". HTTP 200, yet no usable answer: set max_tokens >= " +
                               std::to_string(recommended) + ".")};
    }
    // Any other step: nothing it was meant to check could be seen.
    return {make_issue(Code::FindingReasoningExhaustedBudget,
                       "the probe's output budget (" + std::to_string(budget) +
                           " tokens) ran out: " + spent + ", finish " + result.finish + ", " +
                           seen +
                           ". Nothing else could be checked; rerun with max_output_tokens >= " +
                           std::to_string(recommended) + ".",
                       Severity::Error)};
}

std::vector<Issue> budget_fit_issues(const ExchangeResult& result, std::int64_t budget) {
    if (!result.http_ok || !result.response) return {};
    std::string text = trim(visible_text(*result.response));
    if (result.response->stop_reason == StopReason::MaxTokens) {
        return {make_issue(Code::FindingFinishUnexpected,
                           "cut off at max_tokens " + std::to_string(budget) +
                               " without reasoning: " + quote(text))};
    }
    return content_issues(text, expected_token(Protocol::Chat));
}

// ---- tools -------------------------------------------------------------------------------------

std::vector<Issue> tool_call_issues(const ExchangeResult& result, ToolKind expected_kind,
                                    std::string_view tool_name) {
    if (!result.response) return {};
    std::vector<Issue> out;
    auto calls = tool_calls(*result.response);
    if (calls.empty()) {
        std::string text = trim(visible_text(*result.response));
        out.push_back(make_issue(Code::FindingToolNotCalled,
                                 "no call of " + std::string(tool_name) + "; the model answered " +
                                     (text.empty() ? std::string("nothing") : quote(text))));
        return out;
    }
    for (std::size_t i = 0; i < calls.size(); ++i) {
        const ToolCallPart& call = *calls[i];
        std::string which = "tool call " + std::to_string(i) + " (" +
                            (call.name.empty() ? std::string("no name") : call.name) + ")";
        if (call.id.empty())
            out.push_back(make_issue(Code::FindingToolMissingId, which + " has no id"));
        if (call.name.empty()) {
            out.push_back(make_issue(Code::FindingToolMissingName, which + " has no name"));
        } else if (call.name != tool_name && i == 0 && calls.size() == 1) {
            out.push_back(make_issue(Code::FindingToolMissingName,
                                     which + " names a tool other than the one asked for (" +
                                         std::string(tool_name) + ")",
                                     Severity::Warn));
        }
        if (expected_kind == ToolKind::Custom && call.kind == ToolKind::Function) {
            out.push_back(make_issue(Code::FindingCustomToolAsFunction,
                                     which + " came back as a function_call, not a "
                                             "custom_tool_call: Codex aborts with \"incompatible "
                                             "payload\" (peers.md §2.27)"));
        }
        if (call.kind == ToolKind::Function) {
            auto parsed = parse_json(call.arguments);
            if (!parsed.ok() || !parsed->is_object()) {
                out.push_back(make_issue(
                    Code::FindingToolArgumentsNotJson,
                    which + " arguments are not a JSON object: " + quote(call.arguments)));
            }
        } else {
            auto parsed = parse_json(call.arguments);
            if (parsed.ok() && parsed->is_object()) {
                out.push_back(make_issue(Code::FindingCustomInputWrapped,
                                         which + " input is JSON " + quote(call.arguments) +
                                             "; a freeform tool gets the raw text (peers.md "
                                             "§2.27)"));
            }
        }
    }
    return out;
}

std::vector<Issue> continuation_issues(const ExchangeResult& result) {
    if (!result.response) return {};
    const Response& response = *result.response;
    std::string text = trim(visible_text(response));
    auto calls = tool_calls(response);
    if (!calls.empty()) {
        return {make_issue(Code::FindingContinuationIgnored,
                           "after the tool result the model called " +
                               (calls[0]->name.empty() ? std::string("a tool") : calls[0]->name) +
                               " again instead of answering")};
    }
    if (text.empty()) {
        return {make_issue(Code::FindingContinuationIgnored, "no answer after the tool result",
                           Severity::Error)};
    }
    if (text.find(kExpectedTimezone) == std::string::npos) {
        return {make_issue(Code::FindingContinuationIgnored,
                           "the answer " + quote(text) + " does not use the tool result (" +
                               std::string(kExpectedTimezone) + ")")};
    }
    return {};
}

// ---- streams -----------------------------------------------------------------------------------

std::vector<Issue> stream_issues(const Exchange& exchange, const StreamPipeline* pipeline) {
    std::vector<Issue> out;
    std::string type(header_value(exchange.headers, "content-type"));
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool sse_type = type.rfind("text/event-stream", 0) == 0;
    if (!pipeline || pipeline->obs().events == 0) {
        out.push_back(make_issue(Code::FindingNotStreamed,
                                 "stream:true, but the body holds no SSE events (Content-Type " +
                                     (type.empty() ? std::string("none") : type) + ")"));
        return out;
    }
    if (!sse_type) {
        out.push_back(make_issue(Code::FindingStreamContentType,
                                 "the stream came as Content-Type " +
                                     (type.empty() ? std::string("(none)") : type) +
                                     "; SDKs expect text/event-stream"));
    }
    for (const Issue& issue : pipeline->obs().issues) {
        if (issue.code == Code::FindingUsageNotInteger) continue;  // the usage check reports it
        out.push_back(issue);
    }
    return out;
}

// ---- models ------------------------------------------------------------------------------------

namespace {

// What each new-api endpoint type means for the probe (protocols.md §5).
std::string explain_endpoint_type(const std::string& type) {
    if (type == "openai") return "openai = /v1/chat/completions";
    if (type == "openai-response") return "openai-response = /v1/responses (Codex)";
    if (type == "openai-response-compact") return "openai-response-compact = /v1/responses/compact";
    if (type == "anthropic") return "anthropic = /v1/messages (Claude Code)";
    if (type == "gemini") return "gemini = Gemini's generateContent";
    if (type == "embeddings") return "embeddings = /v1/embeddings";
    return type;
}

std::vector<std::string> string_list(const Json* v) {
    std::vector<std::string> out;
    if (!v || !v->is_array()) return out;
    for (const Json& e : *v) {
        if (e.is_string()) out.push_back(e.get<std::string>());
    }
    return out;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : sep) + item;
    return out;
}

}  // namespace

std::vector<Issue> models_issues(const std::string& raw_body, const std::string& model,
                                 Json& data) {
    std::vector<Issue> out;
    auto parsed = parse_json(raw_body);
    const Json* list = parsed.ok() ? member(parsed.value(), "data") : nullptr;
    if (!list || !list->is_array()) {
        out.push_back(make_issue(Code::FindingBodyMalformed,
                                 "the model list is not {\"data\":[...]}: " + quote(raw_body, 200),
                                 Severity::Warn));
        return out;
    }
    std::vector<std::string> ids;
    const Json* entry = nullptr;
    for (const Json& m : *list) {
        std::string id = string_of(member(m, "id"));
        if (id.empty()) continue;
        ids.push_back(id);
        if (id == model) entry = &m;
    }
    data = Json{{"models", ids.size()}};
    if (!entry) {
        std::vector<std::string> first(
            ids.begin(),
            ids.begin() + std::min<std::ptrdiff_t>(10, static_cast<std::ptrdiff_t>(ids.size())));
        out.push_back(make_issue(
            Code::FindingModelAbsent,
            "'" + model + "' is not among the " + std::to_string(ids.size()) + " models listed" +
                (first.empty() ? std::string() : " (" + join(first, ", ") + ")") +
                "; calls may still work if the gateway maps names"));
        return out;
    }
    for (const char* key : {"supported_endpoint_types", "public_endpoint_types"}) {
        const Json* types_json = member(*entry, key);
        if (!types_json) continue;
        std::vector<std::string> types = string_list(types_json);
        data[key] = types;
        std::vector<std::string> explained;
        for (const auto& t : types) explained.push_back(explain_endpoint_type(t));
        bool responses = std::find(types.begin(), types.end(), "openai-response") != types.end();
        bool anthropic = std::find(types.begin(), types.end(), "anthropic") != types.end();
        std::string text = std::string(key) + " of " + model + ": [" + join(types, ", ") + "] (" +
                           join(explained, "; ") + ").";
        if (!anthropic) {
            text +=
                " No anthropic: /v1/messages can still work through new-api's conversion "
                "from the chat channel (on by default, QuantumNous/new-api#2569).";
        }
        out.push_back(make_issue(Code::FindingEndpointTypes, std::move(text)));
        if (!responses) {
            out.push_back(make_issue(
                Code::FindingResponsesNotListed,
                std::string(key) + " lacks openai-response: expect "
                                   "/v1/responses to fail with convert_request_failed, so Codex "
                                   "needs an adapter"));
        }
        break;  // supported_endpoint_types wins when both are present
    }
    return out;
}

}  // namespace probe
}  // namespace wirecheck
