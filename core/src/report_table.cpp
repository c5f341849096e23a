// The probe report for a terminal (`wirecheck probe --format table`): the protocol layers, the
// verdicts, one line per step, the findings and the recommendations, in aligned plain text with
// optional ANSI colour. Also the one-line step summary the CLI prints as steps finish.
#include <algorithm>

#include "wirecheck/report.hpp"

namespace wirecheck {
namespace {

enum class Tone { Good, Caution, Bad, Dim, Plain };

std::string paint(std::string_view text, Tone tone, bool color) {
    if (!color || tone == Tone::Plain) return std::string(text);
    const char* sgr = tone == Tone::Good      ? "32"
                      : tone == Tone::Caution ? "33"
                      : tone == Tone::Bad     ? "31"
                                              : "2";
    return "\x1b[" + std::string(sgr) + "m" + std::string(text) + "\x1b[0m";
}

// Pads by code points, so UTF-8 text (an em dash in a summary) still lines up.
std::string pad(std::string_view text, std::size_t width) {
    std::size_t points = 0;
    for (char c : text) points += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    std::string out(text);
    if (points < width) out.append(width - points, ' ');
    return out;
}

Tone level_tone(Code level) {
    switch (level) {
        case Code::VerdictReady:
            return Tone::Good;
        case Code::VerdictNotReady:
            return Tone::Bad;
        default:
            return Tone::Caution;
    }
}

std::string level_label(Code level) {
    const VerdictInfo* info = verdict_info(level);
    return info ? std::string(info->en) : std::string(code_name(level));
}

Tone status_tone(StepStatus s) {
    switch (s) {
        case StepStatus::Passed:
            return Tone::Good;
        case StepStatus::Warned:
            return Tone::Caution;
        case StepStatus::Failed:
            return Tone::Bad;
        default:
            return Tone::Dim;
    }
}

std::string status_label(StepStatus s) {
    switch (s) {
        case StepStatus::Passed:
            return "PASS";
        case StepStatus::Warned:
            return "WARN";
        case StepStatus::Failed:
            return "FAIL";
        case StepStatus::Skipped:
            return "SKIP";
        default:
            return "....";
    }
}

Tone severity_tone(Severity s) {
    return s == Severity::Error ? Tone::Bad : s == Severity::Warn ? Tone::Caution : Tone::Dim;
}

// "200", "400", "timeout", "-" for the step's last exchange.
std::string outcome_of(const StepEvidence& step) {
    if (step.exchanges.empty()) return "-";
    const Exchange& ex = step.exchanges.back();
    if (ex.failure) return std::string(failure_kind_name(*ex.failure));
    return ex.status ? std::to_string(ex.status) : "-";
}

std::string time_of(const StepEvidence& step) {
    std::int64_t total = 0;
    bool any = false;
    for (const Exchange& ex : step.exchanges) {
        if (ex.total_ms) total += *ex.total_ms, any = true;
    }
    return any ? std::to_string(total) + " ms" : "";
}

// One line of at most `max` bytes, cut on a UTF-8 boundary with "..." when longer.
std::string clip_line(std::string text, std::size_t max) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    if (text.size() <= max) return text;
    std::size_t cut = max - 3;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return text.substr(0, cut) + "...";
}

// The most severe finding's code and message (what a reader wants on the step's line).
std::string headline(const StepEvidence& step, std::size_t max) {
    const Finding* top = nullptr;
    for (const Finding& f : step.findings) {
        if (!top || static_cast<int>(f.severity) > static_cast<int>(top->severity)) top = &f;
    }
    return clip_line(top ? std::string(code_name(top->code)) + ": " + top->message : step.note, max);
}

// Recommendations are Markdown; in a terminal, fences go and code is indented instead.
void recommendation(std::string& out, const std::string& text) {
    bool in_code = false;
    std::size_t start = 0;
    bool first = true;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + start, end - start);
        if (line.rfind("```", 0) == 0) {
            in_code = !in_code;
        } else {
            out += first ? "    - " : in_code ? "        " : "      ";
            out.append(line);
            out += "\n";
            first = false;
        }
        start = end + 1;
    }
}

}  // namespace

std::string step_summary_line(const StepEvidence& step, bool color) {
    std::string out = paint(status_label(step.status), status_tone(step.status), color) + "  " +
                      pad(step.id, 27) + pad(outcome_of(step), 9) + pad(time_of(step), 10);
    std::string head = headline(step, 100);
    if (!head.empty()) out += paint(head, status_tone(step.status), color);
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::string report_table(const ProbeReport& r, bool color) {
    std::string out = "wirecheck probe: model " + r.target.model + " at " + r.target.base_url + "\n";

    out += "\nPROTOCOL LAYERS\n";
    for (const LayerRow& row : r.layers) {
        bool probed = row.probed;
        out += "  " + pad(row.endpoint, 22) +
               paint(pad(probed ? level_label(row.measured_level) : "-", 24),
                     probed ? level_tone(row.measured_level) : Tone::Dim, color) +
               clip_line(row.measured, 100) + "\n";
        out += "  " + pad("", 22) + paint("used by: " + row.clients, Tone::Dim, color) + "\n";
    }

    out += "\nVERDICTS\n";
    if (r.verdicts.empty()) out += "  (no client's steps were run)\n";
    for (const Verdict& v : r.verdicts) {
        out += "  " + pad(client_title(v.client), 15) +
               paint(pad(level_label(v.level), 24), level_tone(v.level), color) + v.summary + "\n";
    }

    out += "\nSTEPS\n";
    for (const StepEvidence& s : r.steps) out += "  " + step_summary_line(s, color) + "\n";

    out += "\nFINDINGS\n";
    if (r.findings.empty()) out += "  none\n";
    for (const Finding& f : r.findings) {
        out += "  " + paint(pad(severity_name(f.severity), 6), severity_tone(f.severity), color) +
               pad(code_name(f.code), 36) + pad(f.step, 27) + f.message + "\n";
    }

    bool any = false;
    for (const Verdict& v : r.verdicts) {
        if (v.recommendations.empty()) continue;
        if (!any) out += "\nRECOMMENDATIONS\n";
        any = true;
        out += "  " + std::string(client_title(v.client)) + "\n";
        for (const std::string& rec : v.recommendations) recommendation(out, rec);
    }
    return out;
}

}  // namespace wirecheck
