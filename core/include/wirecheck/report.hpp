// Probe reports: a terminal table, Markdown (comparison table, verdicts, step details; pasteable into an issue),
// JSON (schema "wirecheck.probe-report" v1, docs/report-schema.md), JUnit XML (one testcase per
// step) and copy-as-curl per request. None of them can contain the API key: evidence is redacted
// when recorded (probe.hpp), and curl uses $WIRECHECK_API_KEY.
#pragma once

#include <string>
#include <vector>

#include "wirecheck/json.hpp"
#include "wirecheck/probe.hpp"
#include "wirecheck/verdict.hpp"

namespace wirecheck {

inline constexpr int kReportSchemaVersion = 1;
inline constexpr const char* kReportSchemaName = "wirecheck.probe-report";

struct ProbeReport {
    ProbeTarget target;  // endpoints and model; never the key
    bool api_key_set = false;
    std::vector<StepEvidence> steps;  // in suite order
    std::vector<Finding> findings;    // every step's findings, in step order
    std::vector<Verdict> verdicts;    // codex, claude-code, chat (those that were probed)
    std::vector<LayerRow> layers;     // the protocol-layer comparison model, measured
};

// Builds the report from finished (or partial) evidence; verdict summaries, recommendations and
// the layer table are written in `lang`.
ProbeReport make_report(const ProbeTarget& target, bool api_key_set,
                        const std::vector<StepEvidence>& steps,
                        Language lang = Language::English);

Json report_json(const ProbeReport& report);
std::string report_json_text(const ProbeReport& report);  // pretty-printed, 2 spaces
std::string report_markdown(const ProbeReport& report, Language lang = Language::English);
std::string report_junit(const ProbeReport& report);
// For a terminal: layers, verdicts, a line per step, findings, recommendations; aligned plain
// text, ANSI colours when `color`.
std::string report_table(const ProbeReport& report, bool color = false);
// One finished step on one line ("PASS  chat.basic  200  412 ms"; the worst finding when there is
// one): the CLI's progress output and the table's STEPS section.
std::string step_summary_line(const StepEvidence& step, bool color = false);

// A shell command reproducing one request. The request must come from evidence (already
// redacted); the key placeholder is left for the shell to expand ("$WIRECHECK_API_KEY").
std::string curl_command(const HttpRequest& request);

}  // namespace wirecheck
