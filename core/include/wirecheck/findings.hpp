// Probe findings: what one probe step observed, with a code from the one list (codes.hpp), a
// severity, the step and exchange it rests on, and a specific message. The English and Simplified
// Chinese titles and the default severities come from WIRECHECK_FINDINGS / WIRECHECK_VERDICTS.
#pragma once

#include <string>
#include <string_view>

#include "wirecheck/codes.hpp"
#include "wirecheck/json.hpp"
#include "wirecheck/loss.hpp"

namespace wirecheck {

struct FindingInfo {
    Code code;
    std::string_view name;
    Severity severity;  // the default; a step may report it stronger or weaker (message says why)
    std::string_view en;
    std::string_view zh;
};

inline constexpr FindingInfo kFindingInfos[] = {
#define WIRECHECK_FINDING_ROW(id, name, severity, en, zh) \
    {Code::id, name, Severity::severity, en, zh},
    WIRECHECK_FINDINGS(WIRECHECK_FINDING_ROW)
#undef WIRECHECK_FINDING_ROW
};

struct VerdictInfo {
    Code code;
    std::string_view name;
    std::string_view en;  // the label: "READY", "NOT READY", ...
    std::string_view zh;
};

inline constexpr VerdictInfo kVerdictInfos[] = {
#define WIRECHECK_VERDICT_ROW(id, name, en, zh) {Code::id, name, en, zh},
    WIRECHECK_VERDICTS(WIRECHECK_VERDICT_ROW)
#undef WIRECHECK_VERDICT_ROW
};

// nullptr when `code` is not a finding / not a verdict.
const FindingInfo* finding_info(Code code);
const VerdictInfo* verdict_info(Code code);

enum class Language { English, Chinese };
// The finding's or verdict's human title in `lang`; code_text() for other codes.
std::string_view code_title(Code code, Language lang);

struct Finding {
    Code code = Code::Internal;
    Severity severity = Severity::Error;
    std::string step;     // the step id it rests on, e.g. "chat.budget"
    int exchange = -1;    // index into that step's exchanges; -1 = the step as a whole
    std::string pointer;  // JSON pointer into that exchange's response body ("" = none)
    std::string message;  // specific (English): what was seen, and what it means
    Json data;  // the numbers behind it, e.g. {"budget":30,"reasoning_tokens":28}; or null
};

// A finding with the code's default severity.
Finding make_finding(Code code, std::string step, int exchange, std::string message,
                     std::string pointer = {}, Json data = nullptr);

}  // namespace wirecheck
