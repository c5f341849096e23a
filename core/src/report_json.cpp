// The probe report as data and JSON (schema "wirecheck.probe-report" v1, docs/report-schema.md),
// and copy-as-curl. Evidence is already redacted; curl leaves $WIRECHECK_API_KEY to the shell.
//
// Sections: building · JSON pieces · the document · curl
#include "wirecheck/report.hpp"

namespace wirecheck {

// ---- building ----------------------------------------------------------------------------------

ProbeReport make_report(const ProbeTarget& target, bool api_key_set,
                        const std::vector<StepEvidence>& steps, Language lang) {
    ProbeReport report;
    report.target = target;
    report.api_key_set = api_key_set;
    report.steps = steps;
    for (const StepEvidence& step : steps) {
        report.findings.insert(report.findings.end(), step.findings.begin(), step.findings.end());
    }
    report.verdicts = evaluate_verdicts(steps, target, lang);
    report.layers = protocol_layers(steps, lang);
    return report;
}

// ---- JSON pieces -------------------------------------------------------------------------------

namespace {

Json headers_json(const HttpHeaders& headers) {
    Json out = Json::array();
    for (const auto& [name, value] : headers) out.push_back(Json::array({name, value}));
    return out;
}

Json usage_json(const std::optional<Usage>& usage) {
    if (!usage) return nullptr;
    return Json{{"input", usage->input},
                {"output", usage->output},
                {"reasoning", usage->reasoning},
                {"cache_read", usage->cache_read},
                {"cache_write", usage->cache_write}};
}

Json optional_int(const std::optional<std::int64_t>& v) {
    return v ? Json(*v) : Json(nullptr);
}

Json finding_json(const Finding& f) {
    const FindingInfo* info = finding_info(f.code);
    Json out = {{"code", code_name(f.code)},
                {"severity", severity_name(f.severity)},
                {"title", info ? info->en : code_text(f.code)},
                {"title_zh", info ? info->zh : std::string_view()},
                {"step", f.step},
                {"exchange", f.exchange},
                {"pointer", f.pointer},
                {"message", f.message}};
    if (!f.data.is_null()) out["data"] = f.data;
    return out;
}

Json request_json(const HttpRequest& r) {
    return Json{{"method", r.method},
                {"url", r.url},
                {"headers", headers_json(r.headers)},
                {"body", r.body},
                {"stream", r.stream}};
}

Json exchange_json(const Exchange& ex) {
    Json calls = Json::array();
    for (const ToolCallPart& c : ex.tool_calls) {
        calls.push_back(Json{{"id", c.id},
                             {"name", c.name},
                             {"kind", c.kind == ToolKind::Custom ? "custom" : "function"},
                             {"arguments", c.arguments}});
    }
    Json out = {{"label", ex.label},
                {"request", request_json(ex.request)},
                {"curl", curl_command(ex.request)},
                {"status", ex.status},
                {"headers", headers_json(ex.headers)},
                {"body", ex.body},
                {"body_bytes", ex.body_bytes},
                {"body_truncated", ex.body_truncated},
                {"events", ex.events},
                {"ttfb_ms", optional_int(ex.ttfb_ms)},
                {"total_ms", optional_int(ex.total_ms)},
                {"failure", ex.failure ? Json(failure_kind_name(*ex.failure)) : Json(nullptr)},
                {"failure_message", ex.failure_message},
                {"decoded", Json{{"text", ex.text},
                                 {"reasoning", ex.reasoning},
                                 {"tool_calls", std::move(calls)},
                                 {"finish", ex.finish},
                                 {"usage", usage_json(ex.usage)}}}};
    if (!ex.client_request.empty()) out["client_request"] = ex.client_request;
    if (!ex.client_stream.empty()) out["client_stream"] = ex.client_stream;
    return out;
}

Json step_json(const StepEvidence& s) {
    Json checks = Json::array();
    for (const CheckResult& c : s.checks) {
        checks.push_back(Json{{"check", c.check},
                              {"exchange", c.exchange},
                              {"outcome", check_outcome_name(c.outcome)},
                              {"detail", c.detail}});
    }
    Json losses = Json::array();
    for (const Loss& l : s.losses) {
        losses.push_back(Json{{"code", code_name(l.code)},
                              {"severity", severity_name(l.severity)},
                              {"pointer", l.pointer},
                              {"message", l.message}});
    }
    Json exchanges = Json::array();
    for (const Exchange& ex : s.exchanges) exchanges.push_back(exchange_json(ex));
    return Json{{"id", s.id},
                {"title", s.title},
                {"protocol", protocol_name(s.protocol)},
                {"status", step_status_name(s.status)},
                {"note", s.note},
                {"checks", std::move(checks)},
                {"losses", std::move(losses)},
                {"exchanges", std::move(exchanges)}};
}

Json verdict_json(const Verdict& v) {
    Json findings = Json::array();
    for (const Finding& f : v.findings) findings.push_back(finding_json(f));
    const VerdictInfo* level = verdict_info(v.level);
    const VerdictInfo* native = verdict_info(v.native_level);
    return Json{{"client", client_name(v.client)},
                {"title", client_title(v.client)},
                {"level", code_name(v.level)},
                {"label", level ? level->en : std::string_view()},
                {"label_zh", level ? level->zh : std::string_view()},
                {"native_level", code_name(v.native_level)},
                {"native_label", native ? native->en : std::string_view()},
                {"summary", v.summary},
                {"steps", v.steps},
                {"not_run", v.not_run},
                {"findings", std::move(findings)},
                {"recommendations", v.recommendations}};
}

Json layer_json(const LayerRow& row) {
    const VerdictInfo* level = verdict_info(row.measured_level);
    return Json{{"protocol", protocol_name(row.protocol)},
                {"endpoint", row.endpoint},
                {"name", row.name},
                {"clients", row.clients},
                {"structure", row.structure},
                {"adaptation", row.adaptation},
                {"measured", row.measured},
                {"measured_level", code_name(row.measured_level)},
                {"measured_label", level ? level->en : std::string_view()}};
}

}  // namespace

// ---- the document ------------------------------------------------------------------------------

Json report_json(const ProbeReport& report) {
    Json counts = {{"steps", report.steps.size()}};
    for (StepStatus s : {StepStatus::Passed, StepStatus::Warned, StepStatus::Failed,
                         StepStatus::Skipped, StepStatus::Pending, StepStatus::Running}) {
        std::size_t n = 0;
        for (const StepEvidence& step : report.steps) n += step.status == s ? 1 : 0;
        counts[std::string(step_status_name(s))] = n;
    }
    Json layers = Json::array(), verdicts = Json::array(), findings = Json::array(),
         steps = Json::array();
    for (const LayerRow& row : report.layers) layers.push_back(layer_json(row));
    for (const Verdict& v : report.verdicts) verdicts.push_back(verdict_json(v));
    for (const Finding& f : report.findings) findings.push_back(finding_json(f));
    for (const StepEvidence& s : report.steps) steps.push_back(step_json(s));
    const ProbeTarget& t = report.target;
    return Json{{"schema", kReportSchemaName},
                {"schema_version", kReportSchemaVersion},
                {"target", Json{{"base_url", t.base_url},
                                {"model", t.model},
                                {"api_key", report.api_key_set ? "set" : "not set"},
                                {"endpoints", Json{{"models", t.models_url},
                                                   {"chat", t.chat_url},
                                                   {"responses", t.responses_url},
                                                   {"messages", t.messages_url}}}}},
                {"summary", std::move(counts)},
                {"layers", std::move(layers)},
                {"verdicts", std::move(verdicts)},
                {"findings", std::move(findings)},
                {"steps", std::move(steps)}};
}

std::string report_json_text(const ProbeReport& report) {
    return report_json(report).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

// ---- curl --------------------------------------------------------------------------------------

namespace {

// Single-quotes text for a POSIX shell, except the key placeholder, which stays expandable:
// 'Authorization: Bearer '"$WIRECHECK_API_KEY"
std::string shell_quote(std::string_view text) {
    std::string out;
    auto literal = [&out](std::string_view piece) {
        if (piece.empty()) return;
        out += '\'';
        for (char c : piece) {
            if (c == '\'')
                out += "'\\''";
            else
                out += c;
        }
        out += '\'';
    };
    std::size_t at = 0;
    while (true) {
        std::size_t hit = text.find(kApiKeyPlaceholder, at);
        if (hit == std::string_view::npos) break;
        literal(text.substr(at, hit - at));
        out += '"';
        out.append(kApiKeyPlaceholder);
        out += '"';
        at = hit + kApiKeyPlaceholder.size();
    }
    literal(text.substr(at));
    return out.empty() ? "''" : out;
}

}  // namespace

std::string curl_command(const HttpRequest& request) {
    std::string out = "curl -sS";
    if (request.stream) out += " -N";
    if (request.method != "GET" || !request.body.empty()) out += " -X " + request.method;
    out += " " + shell_quote(request.url);
    for (const auto& [name, value] : request.headers)
        out += " \\\n  -H " + shell_quote(name + ": " + value);
    if (!request.body.empty()) out += " \\\n  --data-raw " + shell_quote(request.body);
    return out;
}

}  // namespace wirecheck
