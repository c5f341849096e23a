// Lookups into the findings and verdicts tables of codes.hpp, and building a Finding.
#include "wirecheck/findings.hpp"

namespace wirecheck {
namespace {

// Findings and verdicts are contiguous in the Code enum (codes.hpp), in table order.
template <class Info, std::size_t N>
const Info* lookup(const Info (&table)[N], Code code) {
    auto first = static_cast<std::size_t>(table[0].code);
    auto value = static_cast<std::size_t>(code);
    if (value < first || value - first >= N) return nullptr;
    return &table[value - first];
}

}  // namespace

const FindingInfo* finding_info(Code code) {
    return lookup(kFindingInfos, code);
}
const VerdictInfo* verdict_info(Code code) {
    return lookup(kVerdictInfos, code);
}

std::string_view code_title(Code code, Language lang) {
    if (const FindingInfo* f = finding_info(code)) return lang == Language::Chinese ? f->zh : f->en;
    if (const VerdictInfo* v = verdict_info(code)) return lang == Language::Chinese ? v->zh : v->en;
    return code_text(code);
}

Finding make_finding(Code code, std::string step, int exchange, std::string message,
                     std::string pointer, Json data) {
    Finding f;
    f.code = code;
    const FindingInfo* info = finding_info(code);
    f.severity = info ? info->severity : Severity::Error;
    f.step = std::move(step);
    f.exchange = exchange;
    f.pointer = std::move(pointer);
    f.message = std::move(message);
    f.data = std::move(data);
    return f;
}

}  // namespace wirecheck
