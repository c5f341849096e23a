// ProbeRun: the state machine that hands out the suite's requests, is fed responses (headers,
// body chunks, done / failure, all with front-end timestamps), decodes them incrementally, runs
// the checks, and drives tool loops and adapter translations. No I/O, no clock.
//
// Sections: state · config · scheduling · building requests · feeding · adapters · finishing an
// exchange · public API
#include <algorithm>
#include <map>

#include "probe_internal.hpp"
#include "wirecheck/report.hpp"
#include "wirecheck/translate.hpp"

namespace wirecheck {

using namespace probe;

// ---- state -------------------------------------------------------------------------------------

namespace {

constexpr std::size_t kMaxParseBytes = 32u << 20;  // bodies beyond this are not decoded

struct StepRuntime {
    const StepSpec* spec = nullptr;
    Request conversation;
    probe::LoopTurn turn = probe::LoopTurn::First;
    std::optional<HttpRequest> queued;  // the next request, ready to hand out
    std::string queued_client_request;  // adapters: its client-shaped body
    TranslateOptions reply_options;     // adapters: how to translate the reply back (client tools)
};

// One request in flight and everything decoding it.
struct Inflight {
    std::size_t step = 0;
    std::size_t exchange = 0;
    probe::LoopTurn turn = probe::LoopTurn::First;
    std::int64_t sent_ms = 0;
    std::int64_t last_ms = 0;
    std::string raw;  // the body as received (up to kMaxParseBytes)
    bool raw_capped = false;
    std::size_t shown = 0;  // bytes of raw already moved (scrubbed) into the evidence body
    std::unique_ptr<StreamPipeline> upstream;
    // Adapter steps: the upstream (chat) stream -> the adapter's StreamTranslator (translate.hpp,
    // exactly what `wirecheck serve` runs) -> the client's stream, checked like a native one.
    std::unique_ptr<StreamTranslator> translator;
    std::optional<Error> translate_error;
    std::unique_ptr<StreamPipeline> client;
    std::string client_raw;
    std::size_t client_shown = 0;
};

bool is_terminal(StepStatus s) {
    return s == StepStatus::Passed || s == StepStatus::Warned || s == StepStatus::Failed ||
           s == StepStatus::Skipped;
}

bool is_adapter(const StepSpec& spec) {
    return spec.kind == StepKind::AdapterResponses || spec.kind == StepKind::AdapterMessages;
}

}  // namespace

struct ProbeRun::State {
    ProbeConfig config;
    Redactor redactor{std::string()};
    std::vector<StepEvidence> steps;
    std::vector<StepRuntime> runtime;
    std::vector<std::string_view> lanes;
    std::map<int, Inflight> inflight;
    int next_id = 1;

    std::optional<HttpRequest> next_request(std::int64_t now);
    HttpRequest send(std::size_t i, HttpRequest request, std::string client_request,
                     std::int64_t now);
    std::optional<HttpRequest> build_request(std::size_t i, std::string& client_request);
    void headers(Inflight& f, int status, const HttpHeaders& headers, std::int64_t now);
    void chunk(Inflight& f, std::string_view bytes, std::int64_t now);
    void pump_adapter(Inflight& f, std::string_view bytes, bool end);
    void show_body(Inflight& f, bool final);
    void show_client_stream(Inflight& f, bool final);
    void show_events(Inflight& f);
    void finish_exchange(Inflight& f);
    ExchangeResult decode(Inflight& f, CheckSink& sink);
    void record_decoded(Exchange& ex, const ExchangeResult& r);
    void finalize(std::size_t i);
    void skip(std::size_t i, std::string note);
    int index_of(std::string_view id) const;
};

// ---- config ------------------------------------------------------------------------------------

namespace {

Status validate(const ProbeConfig& config) {
    auto bad = [](std::string message) {
        return make_error(Code::ProbeBadConfig, "", std::move(message));
    };
    if (config.base_url.empty()) return bad("no base URL");
    if (config.base_url.rfind("http://", 0) != 0 && config.base_url.rfind("https://", 0) != 0)
        return bad("the base URL must start with http:// or https://: " + config.base_url);
    if (config.model.empty()) return bad("no model");
    for (const std::string& id : config.steps) {
        if (!find_step(id)) return bad("unknown step id '" + id + "'");
    }
    for (const std::string* url :
         {&config.chat_base_url, &config.responses_base_url, &config.messages_base_url}) {
        if (url->empty() || url->front() == '/') continue;
        if (url->rfind("http://", 0) != 0 && url->rfind("https://", 0) != 0)
            return bad("a per-protocol base URL must be absolute or start with '/': " + *url);
    }
    if (config.max_parallel == 0) return bad("max_parallel must be at least 1");
    return {};
}

}  // namespace

Result<ProbeRun> ProbeRun::create(ProbeConfig config) {
    if (Status s = validate(config); !s) return s.error();
    auto state = std::make_unique<State>();
    state->redactor = Redactor(config.api_key);
    for (const StepSpec& spec : step_specs()) {
        bool wanted = config.steps.empty() || std::find(config.steps.begin(), config.steps.end(),
                                                        spec.id) != config.steps.end();
        if (!wanted) continue;
        StepEvidence evidence;
        evidence.id = std::string(spec.id);
        evidence.title = std::string(spec.title);
        evidence.protocol = spec.protocol;
        state->steps.push_back(std::move(evidence));
        StepRuntime runtime;
        runtime.spec = &spec;
        state->runtime.push_back(std::move(runtime));
        if (std::find(state->lanes.begin(), state->lanes.end(), spec.lane) == state->lanes.end())
            state->lanes.push_back(spec.lane);
    }
    state->config = std::move(config);
    return ProbeRun(std::move(state));
}

// ---- scheduling --------------------------------------------------------------------------------

int ProbeRun::State::index_of(std::string_view id) const {
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].id == id) return static_cast<int>(i);
    }
    return -1;
}

// Lanes run in parallel; within a lane the first unfinished step runs (its tool loop included)
// before the next one starts.
std::optional<HttpRequest> ProbeRun::State::next_request(std::int64_t now) {
    if (inflight.size() >= config.max_parallel) return std::nullopt;
    for (std::string_view lane : lanes) {
        for (std::size_t i = 0; i < steps.size(); ++i) {
            StepRuntime& rt = runtime[i];
            if (rt.spec->lane != lane || is_terminal(steps[i].status)) continue;
            if (steps[i].status == StepStatus::Running) {
                if (!rt.queued) break;  // waiting for its response
                HttpRequest request = std::move(*rt.queued);
                rt.queued.reset();
                return send(i, std::move(request), std::move(rt.queued_client_request), now);
            }
            // Pending: wait for its dependency, skip it when the endpoint proved unusable.
            int dep = rt.spec->depends_on.empty() ? -1 : index_of(rt.spec->depends_on);
            if (dep >= 0 && !is_terminal(steps[static_cast<std::size_t>(dep)].status)) break;
            if (dep >= 0 && endpoint_unusable(steps[static_cast<std::size_t>(dep)])) {
                skip(i, "skipped: " + std::string(rt.spec->depends_on) +
                            " found the endpoint unusable");
                continue;
            }
            std::string client_request;
            std::optional<HttpRequest> request = build_request(i, client_request);
            if (!request) continue;  // finalized while building (cannot happen for valid specs)
            steps[i].status = StepStatus::Running;
            return send(i, std::move(*request), std::move(client_request), now);
        }
    }
    return std::nullopt;
}

void ProbeRun::State::skip(std::size_t i, std::string note) {
    StepEvidence& ev = steps[i];
    ev.status = StepStatus::Skipped;
    ev.note = note;
    ev.findings.push_back(make_finding(Code::FindingStepSkipped, ev.id, -1, std::move(note)));
}

// ---- building requests -------------------------------------------------------------------------

namespace {

// The body Codex / Claude Code would send for this conversation (protocols.md §3, §4; Responses
// requests say store:false, as Codex's do: the encoder always writes it).
std::string client_body(Protocol client, const Request& conversation) {
    Losses ignored;  // losses writing our own client request are not the adapter's
    return encode_request(client, conversation, ignored);
}

}  // namespace

std::optional<HttpRequest> ProbeRun::State::build_request(std::size_t i,
                                                          std::string& client_request) {
    StepRuntime& rt = runtime[i];
    const StepSpec& spec = *rt.spec;
    if (spec.kind == StepKind::Models) return make_models_request(config);
    if (rt.conversation.turns.empty()) rt.conversation = initial_conversation(spec, config);
    if (!is_adapter(spec)) {
        return make_http_request(config, spec.protocol,
                                 encode_native(spec.protocol, rt.conversation), spec.stream);
    }
    Protocol client = client_protocol(spec);
    client_request = client_body(client, rt.conversation);
    auto translated = translate_client_request(client, Protocol::Chat, client_request);
    if (!translated.ok()) {
        steps[i].findings.push_back(
            make_finding(Code::FindingAdapterLoss, steps[i].id, -1,
                         redactor.scrub("the adapter could not translate the client request: " +
                                        translated.error().to_string())));
        steps[i].findings.back().severity = Severity::Error;
        finalize(i);
        return std::nullopt;
    }
    Losses& losses = steps[i].losses;
    losses.insert(losses.end(), translated->upstream_request.losses.begin(),
                  translated->upstream_request.losses.end());
    rt.reply_options = translated->reply_options;
    return make_http_request(config, Protocol::Chat, std::move(translated->upstream_request.output),
                             spec.stream);
}

HttpRequest ProbeRun::State::send(std::size_t i, HttpRequest request, std::string client_request,
                                  std::int64_t now) {
    request.id = next_id++;
    StepEvidence& ev = steps[i];
    StepRuntime& rt = runtime[i];
    bool loop = rt.spec->kind == StepKind::Tools || rt.spec->kind == StepKind::CustomTool ||
                is_adapter(*rt.spec);
    Exchange ex;
    ex.label = rt.turn == probe::LoopTurn::Continuation ? "tool result -> answer"
               : loop                                   ? "tool call"
                                                        : "request";
    ex.request = redactor.scrub(request);
    ex.client_request = redactor.scrub(std::move(client_request));
    ev.exchanges.push_back(std::move(ex));
    Inflight f;
    f.step = i;
    f.exchange = ev.exchanges.size() - 1;
    f.turn = rt.turn;
    f.sent_ms = now;
    f.last_ms = now;
    inflight.emplace(request.id, std::move(f));
    return request;
}

// ---- feeding -----------------------------------------------------------------------------------

void ProbeRun::State::headers(Inflight& f, int status, const HttpHeaders& hdrs, std::int64_t now) {
    Exchange& ex = steps[f.step].exchanges[f.exchange];
    ex.status = status;
    ex.headers = hdrs;
    for (auto& [name, value] : ex.headers) redactor.scrub_in_place(value);
    ex.ttfb_ms = now - f.sent_ms;
    f.last_ms = now;
    const StepSpec& spec = *runtime[f.step].spec;
    if (!ex.request.stream || status < 200 || status >= 300) return;
    f.upstream = std::make_unique<StreamPipeline>(spec.protocol);
    if (is_adapter(spec)) {
        Protocol client = client_protocol(spec);
        f.translator = std::make_unique<StreamTranslator>(Protocol::Chat, client,
                                                          runtime[f.step].reply_options);
        f.client = std::make_unique<StreamPipeline>(client);
    }
}

void ProbeRun::State::chunk(Inflight& f, std::string_view bytes, std::int64_t now) {
    Exchange& ex = steps[f.step].exchanges[f.exchange];
    f.last_ms = now;
    ex.body_bytes += bytes.size();
    std::size_t room = kMaxParseBytes - std::min(kMaxParseBytes, f.raw.size());
    if (bytes.size() > room) f.raw_capped = true;
    f.raw.append(bytes.substr(0, room));
    show_body(f, false);
    if (!f.upstream) return;
    f.upstream->feed(bytes);
    show_events(f);
    pump_adapter(f, bytes, false);
}

// Moves the newly received bytes into the evidence body: scrubbed, capped, and never showing
// bytes that might still complete the key.
void ProbeRun::State::show_body(Inflight& f, bool final) {
    Exchange& ex = steps[f.step].exchanges[f.exchange];
    std::size_t end = final ? f.raw.size() : redactor.safe_end(f.raw);
    if (end <= f.shown) return;
    std::string piece = redactor.scrub(f.raw.substr(f.shown, end - f.shown));
    f.shown = end;
    std::size_t cap = config.max_body_bytes;
    if (ex.body.size() >= cap) {
        ex.body_truncated = true;
        return;
    }
    if (ex.body.size() + piece.size() > cap) {
        piece.resize(cap - ex.body.size());
        ex.body_truncated = true;
    }
    ex.body += piece;
    if (final && f.raw.size() < ex.body_bytes) ex.body_truncated = true;
}

void ProbeRun::State::show_events(Inflight& f) {
    std::vector<std::string>& shown = steps[f.step].exchanges[f.exchange].events;
    const std::vector<std::string>& seen = f.upstream->obs().event_types;
    for (std::size_t k = shown.size(); k < seen.size(); ++k)
        shown.push_back(redactor.scrub(seen[k]));
}

void ProbeRun::State::show_client_stream(Inflight& f, bool final) {
    Exchange& ex = steps[f.step].exchanges[f.exchange];
    std::size_t end = final ? f.client_raw.size() : redactor.safe_end(f.client_raw);
    if (end <= f.client_shown) return;
    std::string piece = redactor.scrub(f.client_raw.substr(f.client_shown, end - f.client_shown));
    f.client_shown = end;
    std::size_t cap = config.max_body_bytes;
    if (ex.client_stream.size() + piece.size() > cap)
        piece.resize(cap - std::min(cap, ex.client_stream.size()));
    ex.client_stream += piece;
}

// ---- adapters ----------------------------------------------------------------------------------

// The upstream's bytes through the adapter's translator, and its output through the client-side
// grammar checks, as the client would receive them.
void ProbeRun::State::pump_adapter(Inflight& f, std::string_view bytes, bool end) {
    if (!f.translator) return;
    std::string out;
    Status status = end ? f.translator->finish(out) : f.translator->feed(bytes, out);
    if (!status && !f.translate_error) f.translate_error = status.error();
    if (out.empty()) return;
    f.client_raw += out;
    f.client->feed(out);
    show_client_stream(f, false);
}

// ---- finishing an exchange ---------------------------------------------------------------------

namespace {

std::string raw_finish(Protocol protocol, const Json& body) {
    auto str = [](const Json& obj, const char* key) {
        auto it = obj.is_object() ? obj.find(key) : obj.end();
        return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (protocol == Protocol::Chat) {
        auto choices = body.find("choices");
        if (choices == body.end() || !choices->is_array() || choices->empty()) return {};
        return str((*choices)[0], "finish_reason");
    }
    if (protocol == Protocol::Messages) return str(body, "stop_reason");
    std::string status = str(body, "status");
    if (status == "incomplete") {
        auto details = body.find("incomplete_details");
        if (details != body.end()) status += ":" + str(*details, "reason");
    }
    return status;
}

}  // namespace

ExchangeResult ProbeRun::State::decode(Inflight& f, CheckSink& sink) {
    const StepSpec& spec = *runtime[f.step].spec;
    ExchangeResult r;
    r.http_ok = true;
    if (f.upstream && f.upstream->obs().events > 0) {
        StreamPipeline& view = f.client ? *f.client : *f.upstream;
        r.response = assemble_response(view.events);
        r.finish = view.obs().finish;
        r.usage_not_integer = f.upstream->usage_not_integer || view.usage_not_integer;
        return r;
    }
    // A plain JSON body (also when a stream was asked for and not served). Adapter steps first
    // translate it back to the client's protocol, as `wirecheck serve` would.
    auto fail = [&](Code code, std::string message, std::string pointer) {
        sink.check("decode", {Issue{code, Severity::Error, std::move(message), std::move(pointer)}},
                   {});
        r.http_ok = false;
        return r;
    };
    if (f.raw_capped) return fail(Code::FindingBodyMalformed, "the body is over 32 MiB", {});
    Protocol protocol = spec.protocol;
    std::string text = f.raw;
    if (is_adapter(spec)) {
        protocol = client_protocol(spec);
        auto translated =
            translate_response(Protocol::Chat, protocol, f.raw, runtime[f.step].reply_options);
        if (!translated.ok()) {
            return fail(
                Code::FindingAdapterLoss,
                "the adapter could not translate the reply: " + translated.error().to_string(),
                translated.error().pointer);
        }
        Losses& losses = steps[f.step].losses;
        losses.insert(losses.end(), translated->losses.begin(), translated->losses.end());
        text = dump_json(translated->output);
    }
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        return fail(Code::FindingBodyMalformed,
                    "the body is empty: a success status with no content", {});
    }
    auto parsed = parse_json(text);
    if (!parsed.ok()) {
        std::string html = html_page_summary(text);
        if (!html.empty()) {
            return fail(Code::FindingBodyMalformed,
                        "the body is " + html + ", not JSON: a proxy, login or error page answered",
                        {});
        }
        return fail(Code::FindingBodyMalformed,
                    "the body is not JSON: " + parsed.error().to_string(), {});
    }
    Json body = std::move(parsed.value());
    r.usage_not_integer = !strip_non_integer_usage(body).empty();
    r.finish = raw_finish(protocol, body);
    Losses ignored;  // what the decoder cannot represent is not what clients see
    auto response = decode_response(protocol, std::move(body), ignored);
    if (!response.ok()) {
        return fail(Code::FindingBodyMalformed,
                    "not a valid " + std::string(protocol_name(protocol)) +
                        " response: " + response.error().message,
                    response.error().pointer);
    }
    r.response = std::move(response.value());
    return r;
}

void ProbeRun::State::record_decoded(Exchange& ex, const ExchangeResult& r) {
    ex.finish = redactor.scrub(r.finish);
    if (!r.response) return;
    for (const Part& part : r.response->output) {
        if (const auto* t = std::get_if<TextPart>(&part)) ex.text += redactor.scrub(t->text);
        if (const auto* re = std::get_if<ReasoningPart>(&part))
            ex.reasoning += redactor.scrub(re->text);
        if (const auto* c = std::get_if<ToolCallPart>(&part)) {
            ToolCallPart call = *c;
            redactor.scrub_in_place(call.arguments);
            ex.tool_calls.push_back(std::move(call));
        }
    }
    ex.usage = r.response->usage;
}

void ProbeRun::State::finish_exchange(Inflight& f) {
    std::size_t i = f.step;
    StepEvidence& ev = steps[i];
    StepRuntime& rt = runtime[i];
    const StepSpec& spec = *rt.spec;
    Exchange& ex = ev.exchanges[f.exchange];
    CheckSink sink{ev, static_cast<int>(f.exchange), redactor};
    show_body(f, true);
    if (f.upstream) {
        f.upstream->finish();
        show_events(f);
        if (f.client) {
            pump_adapter(f, {}, true);
            f.client->finish();
            show_client_stream(f, true);
            const Losses& losses = f.translator->losses();
            ev.losses.insert(ev.losses.end(), losses.begin(), losses.end());
        }
    }
    auto status = status_issues(ex, f.raw, spec.protocol, f.turn, config.browser);
    bool ok = std::all_of(status.begin(), status.end(),
                          [](const Issue& s) { return s.severity == Severity::Info; });
    // The CORS hint once per endpoint: on the steps that depend on nothing (models, *.basic).
    if (ok && !ex.failure && spec.depends_on.empty()) {
        if (header_value(ex.headers, "access-control-allow-origin").empty()) {
            status.push_back(Issue{Code::FindingNoAllowOrigin,
                                   Severity::Info,
                                   "the response has no Access-Control-Allow-Origin header (the "
                                   "probe sent no Origin, so this is a hint): a web page may not "
                                   "be able to call this endpoint directly",
                                   {}});
        }
    }
    sink.check("http", std::move(status),
               ex.failure ? std::string() : "HTTP " + std::to_string(ex.status));
    if (!ok) return finalize(i);

    if (spec.kind == StepKind::Models) {
        Json data;
        std::size_t before = ev.findings.size();
        sink.check("models", models_issues(f.raw, config.model, data), "the model is listed");
        for (std::size_t k = before; k < ev.findings.size(); ++k) {
            if (ev.findings[k].code == Code::FindingEndpointTypes) ev.findings[k].data = data;
        }
        return finalize(i);
    }

    bool stream_broken = false;
    if (ex.request.stream) {
        auto issues = stream_issues(ex, f.upstream.get());
        stream_broken = std::any_of(issues.begin(), issues.end(), [](const Issue& s) {
            return s.severity == Severity::Error && s.code != Code::FindingNotStreamed;
        });
        sink.check("stream", std::move(issues),
                   f.upstream ? std::to_string(f.upstream->obs().events) + " events, the last " +
                                    (f.upstream->obs().event_types.empty()
                                         ? std::string("none")
                                         : f.upstream->obs().event_types.back())
                              : std::string());
        if (f.client) {
            std::vector<Issue> issues;
            if (f.translate_error) {
                issues.push_back(Issue{
                    Code::FindingAdapterLoss,
                    Severity::Error,
                    "the adapter stopped translating the stream: " + f.translate_error->to_string(),
                    {}});
            }
            for (const Issue& issue : f.client->obs().issues) {
                if (issue.code != Code::FindingUsageNotInteger) issues.push_back(issue);
            }
            stream_broken = std::any_of(issues.begin(), issues.end(), [](const Issue& s) {
                return s.severity == Severity::Error;
            });
            sink.check("client_stream", std::move(issues),
                       std::to_string(f.client->obs().events) + " " +
                           std::string(protocol_name(client_protocol(spec))) +
                           " events as the client receives them");
        }
    }
    ExchangeResult r = decode(f, sink);
    record_decoded(ex, r);
    // A client cannot use a broken stream: what it would have said is evidence, not a result.
    if (!r.http_ok || !r.response || stream_broken) return finalize(i);

    Protocol client = client_protocol(spec);
    bool stream = ex.request.stream;
    bool loop =
        spec.kind == StepKind::Tools || spec.kind == StepKind::CustomTool || is_adapter(spec);
    std::int64_t budget =
        spec.kind == StepKind::Budget ? config.budget_probe_tokens : config.max_output_tokens;
    std::optional<Usage> basic;
    if (int b = index_of("chat.basic"); b >= 0 && spec.kind == StepKind::Budget &&
                                        !steps[static_cast<std::size_t>(b)].exchanges.empty()) {
        basic = steps[static_cast<std::size_t>(b)].exchanges[0].usage;
    }
    // Reasoning that ate the whole budget explains an empty answer or a missing call.
    Json data;
    std::string expected = loop ? std::string() : expected_token(client_protocol(spec));
    auto exhausted =
        reasoning_exhausted(r, budget, expected, basic, spec.kind == StepKind::Budget, data);
    if (!exhausted.empty()) {
        std::size_t before = ev.findings.size();
        sink.check("budget", std::move(exhausted), {});
        for (std::size_t k = before; k < ev.findings.size(); ++k) ev.findings[k].data = data;
        sink.check("usage", usage_issues(r, stream, client), "usage reported");
        return finalize(i);
    }
    if (spec.kind == StepKind::Budget) {
        sink.check("budget", budget_fit_issues(r, budget),
                   "the answer fits in max_tokens " + std::to_string(budget));
        sink.check("usage", usage_issues(r, stream, client), "usage reported");
        return finalize(i);
    }
    if (!loop) {
        sink.check("content", content_issues(ex.text, expected_token(client)),
                   "exactly " + expected_token(client));
        sink.check("finish", finish_issues(r, StopReason::EndTurn, client), "finish " + r.finish);
        sink.check("usage", usage_issues(r, stream, client), "usage reported");
        return finalize(i);
    }
    if (f.turn == probe::LoopTurn::Continuation) {
        sink.check("continuation", continuation_issues(r),
                   "the answer uses the tool result (" + std::string(kExpectedTimezone) + ")");
        sink.check("finish", finish_issues(r, StopReason::EndTurn, client), "finish " + r.finish);
        sink.check("usage", usage_issues(r, stream, client), "usage reported");
        return finalize(i);
    }
    bool custom = spec.kind == StepKind::CustomTool;
    auto tool_issues = tool_call_issues(r, custom ? ToolKind::Custom : ToolKind::Function,
                                        custom ? kCustomTool : kTimezoneTool);
    bool usable = std::none_of(tool_issues.begin(), tool_issues.end(), [](const Issue& s) {
        return s.code == Code::FindingToolNotCalled || s.code == Code::FindingToolMissingId;
    });
    sink.check("tool_call", std::move(tool_issues), "a complete call of the tool");
    sink.check("finish", finish_issues(r, StopReason::ToolUse, client), "finish " + r.finish);
    sink.check("usage", usage_issues(r, stream, client), "usage reported");
    if (!usable || !append_tool_results(rt.conversation, *r.response)) return finalize(i);
    rt.turn = probe::LoopTurn::Continuation;
    rt.queued = build_request(i, rt.queued_client_request);
}

void ProbeRun::State::finalize(std::size_t i) {
    StepEvidence& ev = steps[i];
    StepRuntime& rt = runtime[i];
    rt.queued.reset();
    for (Loss& loss : ev.losses) {
        redactor.scrub_in_place(loss.message);
        redactor.scrub_in_place(loss.pointer);
    }
    // Adapter losses that cost information become one info finding per code.
    if (is_adapter(*rt.spec)) {
        std::map<Code, std::vector<std::string>> lossy;
        for (const Loss& loss : ev.losses) {
            if (loss.severity != Severity::Info) lossy[loss.code].push_back(loss.message);
        }
        for (const auto& [code, messages] : lossy) {
            std::string text = std::string(code_name(code)) + ": " + messages.front();
            if (messages.size() > 1)
                text += " (and " + std::to_string(messages.size() - 1) + " more)";
            ev.findings.push_back(
                make_finding(Code::FindingAdapterLoss, ev.id, -1, redactor.scrub(text)));
        }
    }
    Severity worst = Severity::Info;
    for (const Finding& f : ev.findings) worst = std::max(worst, f.severity);
    ev.status = worst == Severity::Error  ? StepStatus::Failed
                : worst == Severity::Warn ? StepStatus::Warned
                                          : StepStatus::Passed;
}

}  // namespace wirecheck

// ---- public API --------------------------------------------------------------------------------

namespace wirecheck {

std::string_view step_status_name(StepStatus s) {
    switch (s) {
        case StepStatus::Pending:
            return "pending";
        case StepStatus::Running:
            return "running";
        case StepStatus::Passed:
            return "passed";
        case StepStatus::Warned:
            return "warned";
        case StepStatus::Failed:
            return "failed";
        case StepStatus::Skipped:
            return "skipped";
    }
    return "?";
}

std::string_view check_outcome_name(CheckOutcome o) {
    switch (o) {
        case CheckOutcome::Pass:
            return "pass";
        case CheckOutcome::Warn:
            return "warn";
        case CheckOutcome::Fail:
            return "fail";
        case CheckOutcome::Skip:
            return "skip";
    }
    return "?";
}

ProbeRun::ProbeRun(std::unique_ptr<State> state) : state_(std::move(state)) {}
ProbeRun::ProbeRun(ProbeRun&&) noexcept = default;
ProbeRun& ProbeRun::operator=(ProbeRun&&) noexcept = default;
ProbeRun::~ProbeRun() = default;

std::optional<HttpRequest> ProbeRun::next_request(std::int64_t now_ms) {
    return state_->next_request(now_ms);
}

void ProbeRun::on_headers(int id, int status, const HttpHeaders& headers, std::int64_t now_ms) {
    auto it = state_->inflight.find(id);
    if (it == state_->inflight.end()) return;
    state_->headers(it->second, status, headers, now_ms);
}

void ProbeRun::on_body_chunk(int id, std::string_view bytes, std::int64_t now_ms) {
    auto it = state_->inflight.find(id);
    if (it == state_->inflight.end()) return;
    Exchange& ex = state_->steps[it->second.step].exchanges[it->second.exchange];
    if (!ex.ttfb_ms) state_->headers(it->second, 200, {}, now_ms);  // a front end skipped headers
    state_->chunk(it->second, bytes, now_ms);
}

void ProbeRun::on_done(int id, std::int64_t now_ms) {
    auto it = state_->inflight.find(id);
    if (it == state_->inflight.end()) return;
    Exchange& ex = state_->steps[it->second.step].exchanges[it->second.exchange];
    if (!ex.ttfb_ms) state_->headers(it->second, 200, {}, now_ms);
    ex.total_ms = now_ms - it->second.sent_ms;
    state_->finish_exchange(it->second);
    state_->inflight.erase(it);
}

void ProbeRun::on_failure(int id, FailureKind kind, std::string_view message, std::int64_t now_ms) {
    auto it = state_->inflight.find(id);
    if (it == state_->inflight.end()) return;
    Exchange& ex = state_->steps[it->second.step].exchanges[it->second.exchange];
    ex.failure = kind;
    ex.failure_message = state_->redactor.scrub(std::string(message));
    ex.total_ms = now_ms - it->second.sent_ms;
    state_->finish_exchange(it->second);
    state_->inflight.erase(it);
}

namespace {

std::int64_t deadline_of(const Inflight& f, const ProbeConfig& config) {
    return std::min(f.sent_ms + config.timeout_ms, f.last_ms + config.idle_timeout_ms);
}

}  // namespace

std::optional<std::int64_t> ProbeRun::next_deadline() const {
    std::optional<std::int64_t> earliest;
    for (const auto& [id, f] : state_->inflight) {
        std::int64_t d = deadline_of(f, state_->config);
        if (!earliest || d < *earliest) earliest = d;
    }
    return earliest;
}

std::vector<int> ProbeRun::on_tick(std::int64_t now_ms) {
    std::vector<std::pair<int, std::string>> expired;
    for (const auto& [id, f] : state_->inflight) {
        if (deadline_of(f, state_->config) > now_ms) continue;
        const ProbeConfig& c = state_->config;
        std::string why = f.sent_ms + c.timeout_ms <= now_ms
                              ? "not complete within " + std::to_string(c.timeout_ms) + " ms"
                              : "nothing received for " + std::to_string(c.idle_timeout_ms) + " ms";
        expired.emplace_back(id, std::move(why));
    }
    std::vector<int> ids;
    for (auto& [id, why] : expired) {
        on_failure(id, FailureKind::Timeout, why, now_ms);
        ids.push_back(id);
    }
    return ids;
}

void ProbeRun::cancel() {
    for (std::size_t i = 0; i < state_->steps.size(); ++i) {
        StepStatus s = state_->steps[i].status;
        if (s == StepStatus::Pending) {
            state_->skip(i, "cancelled");
        } else if (s == StepStatus::Running && state_->runtime[i].queued) {
            state_->finalize(i);  // its continuation will not be sent
        }
    }
}

bool ProbeRun::finished() const {
    for (const StepEvidence& step : state_->steps) {
        if (!is_terminal(step.status)) return false;
    }
    return state_->inflight.empty();
}

std::size_t ProbeRun::in_flight() const {
    return state_->inflight.size();
}
const std::vector<StepEvidence>& ProbeRun::steps() const {
    return state_->steps;
}
const ProbeConfig& ProbeRun::config() const {
    return state_->config;
}

ProbeReport ProbeRun::report(Language lang) const {
    return make_report(probe_target(state_->config), !state_->config.api_key.empty(),
                       state_->steps, lang);
}

}  // namespace wirecheck
