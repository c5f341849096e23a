// The probe report as Markdown (comparison table, verdicts, findings, then step details with
// copy-as-curl; pasteable into an issue or a blog post) and as JUnit XML (one testcase per step).
//
// Sections: helpers · markdown · junit
#include <algorithm>

#include "wirecheck/report.hpp"

namespace wirecheck {
namespace {

// ---- helpers -----------------------------------------------------------------------------------

struct Labels {
    const char* title;
    const char* layers;
    const char* verdicts;
    const char* findings;
    const char* steps;
    const char* recommendations;
    const char* rests_on;
};

const Labels& labels(Language lang) {
    static const Labels en{
        "wirecheck probe report", "Protocol layers", "Verdicts", "Findings", "Steps",
        "Recommendations",        "Rests on"};
    static const Labels zh{"wirecheck 探测报告", "协议层对比", "结论", "发现的问题",
                           "步骤详情",           "建议",       "依据"};
    return lang == Language::Chinese ? zh : en;
}

// Table cells: no newlines, no unescaped pipes.
std::string cell(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n' || c == '\r')
            out += ' ';
        else
            out += c;
    }
    return out;
}

// A fence longer than any backtick run inside `text`.
std::string fence_for(std::string_view text) {
    std::size_t longest = 0, run = 0;
    for (char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

void code_block(std::string& out, std::string_view lang, std::string_view text) {
    std::string fence = fence_for(text);
    out += fence;
    out.append(lang);
    out += "\n";
    out.append(text);
    if (text.empty() || text.back() != '\n') out += "\n";
    out += fence + "\n";
}

const char* status_mark(StepStatus s) {
    switch (s) {
        case StepStatus::Passed:
            return "✅ PASS";
        case StepStatus::Warned:
            return "⚠️ WARN";
        case StepStatus::Failed:
            return "❌ FAIL";
        case StepStatus::Skipped:
            return "⏭️ SKIP";
        case StepStatus::Pending:
            return "… PENDING";
        case StepStatus::Running:
            return "… RUNNING";
    }
    return "?";
}

const char* severity_mark(Severity s) {
    switch (s) {
        case Severity::Info:
            return "ℹ️ info";
        case Severity::Warn:
            return "⚠️ warn";
        case Severity::Error:
            return "❌ error";
    }
    return "?";
}

std::string label_of(Code level, Language lang) {
    const VerdictInfo* info = verdict_info(level);
    if (!info) return std::string(code_name(level));
    return std::string(lang == Language::Chinese ? info->zh : info->en);
}

std::string pretty_body(const std::string& body) {
    auto parsed = parse_json(body);
    if (parsed.ok() && (parsed->is_object() || parsed->is_array()))
        return parsed->dump(2, ' ', false, Json::error_handler_t::replace);
    return body;
}

std::string clip(const std::string& text, std::size_t max) {
    if (text.size() <= max) return text;
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
    return text.substr(0, cut) + "\n... (" + std::to_string(text.size() - cut) + " more bytes)";
}

// ---- markdown ----------------------------------------------------------------------------------

void md_layers(std::string& out, const ProbeReport& r, Language lang) {
    out += "## " + std::string(labels(lang).layers) + "\n\n";
    out +=
        "| Endpoint | Protocol | Typical clients | Core data structure | Adaptation difficulty | "
        "Measured here |\n|---|---|---|---|---|---|\n";
    for (const LayerRow& row : r.layers) {
        out += "| `" + row.endpoint + "` | " + cell(row.name) + " | " + cell(row.clients) + " | " +
               cell(row.structure) + " | " + cell(row.adaptation) + " | ";
        if (row.probed) out += "**" + label_of(row.measured_level, lang) + "**: ";
        out += cell(row.measured) + " |\n";
    }
    out += "\n";
}

void md_verdicts(std::string& out, const ProbeReport& r, Language lang) {
    const Labels& l = labels(lang);
    out += "## " + std::string(l.verdicts) + "\n\n";
    out += "| Client | Verdict | Native endpoint | Summary |\n|---|---|---|---|\n";
    for (const Verdict& v : r.verdicts) {
        out += "| " + std::string(client_title(v.client)) + " (`" +
               std::string(client_name(v.client)) + "`) | **" + label_of(v.level, lang) + "** | " +
               label_of(v.native_level, lang) + " | " + cell(v.summary) + " |\n";
    }
    out += "\n";
    for (const Verdict& v : r.verdicts) {
        out +=
            "### " + std::string(client_title(v.client)) + ": " + label_of(v.level, lang) + "\n\n";
        out += v.summary + "\n\n";
        out += std::string(l.rests_on) + ": ";
        for (std::size_t i = 0; i < v.steps.size(); ++i)
            out += (i ? ", " : "") + std::string("`") + v.steps[i] + "`";
        if (!v.not_run.empty()) {
            out += "; not probed: ";
            for (std::size_t i = 0; i < v.not_run.size(); ++i)
                out += (i ? ", " : "") + std::string("`") + v.not_run[i] + "`";
        }
        out += "\n\n";
        for (const Finding& f : v.findings) {
            // The specific message says it all in English; other languages get the title first.
            std::string title = lang == Language::English
                                    ? std::string()
                                    : std::string(code_title(f.code, lang)) + "。";
            out += "- " + std::string(severity_mark(f.severity)) + " `" +
                   std::string(code_name(f.code)) + "` (" + f.step + "): " + title + f.message +
                   "\n";
        }
        if (!v.findings.empty()) out += "\n";
        if (!v.recommendations.empty()) {
            out += "**" + std::string(l.recommendations) + "**\n\n";
            for (const std::string& rec : v.recommendations) {
                // Multi-line recommendations hold code blocks: indent them under the bullet.
                std::string indented;
                for (char c : rec) {
                    indented += c;
                    if (c == '\n') indented += "  ";
                }
                out += "- " + indented + "\n";
            }
            out += "\n";
        }
    }
}

void md_findings(std::string& out, const ProbeReport& r, Language lang) {
    out += "## " + std::string(labels(lang).findings) + "\n\n";
    if (r.findings.empty()) {
        out += "None.\n\n";
        return;
    }
    out += "| Severity | Code | Step | What | Detail |\n|---|---|---|---|---|\n";
    for (const Finding& f : r.findings) {
        out += "| " + std::string(severity_mark(f.severity)) + " | `" +
               std::string(code_name(f.code)) + "` | `" + f.step + "` | " +
               cell(code_title(f.code, lang)) + " | " + cell(f.message) + " |\n";
    }
    out += "\n";
}

void md_exchange(std::string& out, const Exchange& ex, std::size_t index) {
    out += "**Exchange " + std::to_string(index + 1) + " (" + ex.label + ")**: `" +
           ex.request.method + " " + ex.request.url + "`";
    if (ex.request.stream) out += " (stream)";
    out += " → ";
    if (ex.failure) {
        out += "no response (" + std::string(failure_kind_name(*ex.failure)) + ")";
        if (ex.status) out += " after HTTP " + std::to_string(ex.status);
    } else {
        out += "HTTP " + std::to_string(ex.status);
    }
    if (ex.ttfb_ms) out += " · TTFB " + std::to_string(*ex.ttfb_ms) + " ms";
    if (ex.total_ms) out += " · total " + std::to_string(*ex.total_ms) + " ms";
    if (ex.usage) {
        out += " · usage in " + std::to_string(ex.usage->input) + " / out " +
               std::to_string(ex.usage->output) + " (reasoning " +
               std::to_string(ex.usage->reasoning) + ")";
    }
    if (!ex.finish.empty()) out += " · finish `" + ex.finish + "`";
    out += "\n\n";
    if (!ex.text.empty()) out += "Answer: " + cell(clip(ex.text, 300)) + "\n\n";
    for (const ToolCallPart& c : ex.tool_calls) {
        out += "Tool call: `" + c.name + "` id `" + c.id + "` " +
               (c.kind == ToolKind::Custom ? "input " : "arguments ") + "`" +
               cell(clip(c.arguments, 300)) + "`\n\n";
    }
    out += "<details><summary>Request (copy as curl)</summary>\n\n";
    code_block(out, "sh", curl_command(ex.request));
    out += "\n</details>\n\n";
    if (!ex.client_request.empty()) {
        out += "<details><summary>Client request before translation</summary>\n\n";
        code_block(out, "json", clip(pretty_body(ex.client_request), 6000));
        out += "\n</details>\n\n";
    }
    if (!ex.body.empty()) {
        std::string note = std::to_string(ex.body_bytes) + " bytes";
        if (ex.body_truncated) note += ", first " + std::to_string(ex.body.size()) + " kept";
        out += "<details><summary>Response body (" + note + ")</summary>\n\n";
        code_block(out, ex.request.stream ? "text" : "json", clip(pretty_body(ex.body), 6000));
        out += "\n</details>\n\n";
    }
    if (!ex.client_stream.empty()) {
        out += "<details><summary>Stream as the client receives it (translated)</summary>\n\n";
        code_block(out, "text", clip(ex.client_stream, 6000));
        out += "\n</details>\n\n";
    }
}

void md_steps(std::string& out, const ProbeReport& r, Language lang) {
    out += "## " + std::string(labels(lang).steps) + "\n\n";
    for (const StepEvidence& s : r.steps) {
        out += "### " + std::string(status_mark(s.status)) + " `" + s.id + "`: " + s.title + "\n\n";
        if (!s.note.empty()) out += s.note + "\n\n";
        if (!s.checks.empty()) {
            out += "| Check | Exchange | Outcome | Detail |\n|---|---|---|---|\n";
            for (const CheckResult& c : s.checks) {
                out += "| " + c.check + " | " + std::to_string(c.exchange + 1) + " | " +
                       std::string(check_outcome_name(c.outcome)) + " | " + cell(c.detail) + " |\n";
            }
            out += "\n";
        }
        for (std::size_t i = 0; i < s.exchanges.size(); ++i) md_exchange(out, s.exchanges[i], i);
        if (!s.losses.empty()) {
            out += "Translation losses:\n\n";
            for (const Loss& l : s.losses) {
                out += "- `" + std::string(code_name(l.code)) + "` (" +
                       std::string(severity_name(l.severity)) + ") " + l.message + "\n";
            }
            out += "\n";
        }
    }
}

// ---- junit -------------------------------------------------------------------------------------

std::string xml(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                // XML 1.0 forbids most control characters, even escaped.
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r')
                    out += ' ';
                else
                    out += c;
        }
    }
    return out;
}

std::string seconds(std::int64_t ms) {
    std::string s = std::to_string(ms / 1000) + ".";
    std::string frac = std::to_string(ms % 1000);
    return s + std::string(3 - frac.size(), '0') + frac;
}

std::int64_t step_ms(const StepEvidence& s) {
    std::int64_t total = 0;
    for (const Exchange& ex : s.exchanges) total += ex.total_ms.value_or(0);
    return total;
}

}  // namespace

std::string report_markdown(const ProbeReport& r, Language lang) {
    std::string out = "# " + std::string(labels(lang).title) + "\n\n";
    out += "- Endpoint: `" + r.target.base_url + "` · model `" + r.target.model + "` · API key: " +
           (r.api_key_set ? "set (never shown; curl uses `$WIRECHECK_API_KEY`)" : "not set") + "\n";
    std::size_t counts[6] = {};
    for (const StepEvidence& s : r.steps) ++counts[static_cast<int>(s.status)];
    out += "- Steps: " + std::to_string(r.steps.size()) + " (" +
           std::to_string(counts[static_cast<int>(StepStatus::Passed)]) + " passed, " +
           std::to_string(counts[static_cast<int>(StepStatus::Warned)]) + " with warnings, " +
           std::to_string(counts[static_cast<int>(StepStatus::Failed)]) + " failed, " +
           std::to_string(counts[static_cast<int>(StepStatus::Skipped)]) + " skipped)\n\n";
    md_layers(out, r, lang);
    md_verdicts(out, r, lang);
    md_findings(out, r, lang);
    md_steps(out, r, lang);
    return out;
}

std::string report_junit(const ProbeReport& r) {
    std::size_t failures = 0, skipped = 0;
    std::int64_t total = 0;
    for (const StepEvidence& s : r.steps) {
        failures += s.status == StepStatus::Failed ? 1 : 0;
        skipped += s.status == StepStatus::Skipped ? 1 : 0;
        total += step_ms(s);
    }
    std::string counts = " tests=\"" + std::to_string(r.steps.size()) + "\" failures=\"" +
                         std::to_string(failures) + "\" errors=\"0\" skipped=\"" +
                         std::to_string(skipped) + "\" time=\"" + seconds(total) + "\"";
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<testsuites name=\"wirecheck probe\"" + counts + ">\n";
    out += "  <testsuite name=\"wirecheck.probe\"" + counts + ">\n";
    out += "    <properties>\n";
    out += "      <property name=\"base_url\" value=\"" + xml(r.target.base_url) + "\"/>\n";
    out += "      <property name=\"model\" value=\"" + xml(r.target.model) + "\"/>\n";
    for (const Verdict& v : r.verdicts) {
        out += "      <property name=\"verdict." + std::string(client_name(v.client)) +
               "\" value=\"" + xml(label_of(v.level, Language::English)) + "\"/>\n";
    }
    out += "    </properties>\n";
    for (const StepEvidence& s : r.steps) {
        out += "    <testcase classname=\"wirecheck." + s.id.substr(0, s.id.find('.')) +
               "\" name=\"" + xml(s.id) + "\" time=\"" + seconds(step_ms(s)) + "\">\n";
        const Finding* worst = nullptr;
        std::string log;
        for (const Finding& f : s.findings) {
            if (!worst || f.severity > worst->severity) worst = &f;
            log += std::string(severity_name(f.severity)) + " " + std::string(code_name(f.code)) +
                   ": " + f.message + "\n";
        }
        if (s.status == StepStatus::Skipped) {
            out += "      <skipped message=\"" + xml(s.note) + "\"/>\n";
        } else if (s.status == StepStatus::Failed && worst) {
            out += "      <failure type=\"" + std::string(code_name(worst->code)) +
                   "\" message=\"" + xml(worst->message) + "\">" + xml(log) + "</failure>\n";
        }
        for (const CheckResult& c : s.checks) {
            log += "check " + c.check + " [" + std::string(check_outcome_name(c.outcome)) + "] " +
                   c.detail + "\n";
        }
        if (!log.empty()) out += "      <system-out>" + xml(log) + "</system-out>\n";
        out += "    </testcase>\n";
    }
    out += "  </testsuite>\n</testsuites>\n";
    return out;
}

}  // namespace wirecheck
