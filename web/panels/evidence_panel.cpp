// Evidence: per step, the checks and findings, then every exchange: the request (copy as curl,
// the key shown as $WIRECHECK_API_KEY), the response headers and body (a collapsible JSON tree,
// or raw text with a line filter), the SSE event timeline, decoded text, tool calls and usage.
#include <imgui.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string_view>

#include "panels/panels.hpp"

namespace wirecheck::web {
namespace {

constexpr int kTreeNodeBudget = 4000;  // a huge body shows its first nodes, never stalls a frame

// The JSON tree of a body: objects and arrays as tree nodes, scalars as "key: value".
void json_tree(const Json& value, const std::string& key, int& budget) {
    if (--budget < 0) return;
    if (value.is_structured()) {
        std::string label = key + (value.is_object() ? "  {" : "  [") + std::to_string(value.size()) +
                            (value.is_object() ? "}" : "]");
        ImGuiTreeNodeFlags flags = budget > kTreeNodeBudget - 40 ? ImGuiTreeNodeFlags_DefaultOpen : 0;
        if (ImGui::TreeNodeEx(key.empty() ? "(root)" : label.c_str(), flags)) {
            if (value.is_object()) {
                for (auto it = value.begin(); it != value.end() && budget > 0; ++it) json_tree(it.value(), it.key(), budget);
            } else {
                std::size_t i = 0;
                for (auto it = value.begin(); it != value.end() && budget > 0; ++it, ++i)
                    json_tree(*it, "[" + std::to_string(i) + "]", budget);
            }
            ImGui::TreePop();
        }
        return;
    }
    std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (text.size() > 400) text = text.substr(0, 400) + "...";
    ImGui::BulletText("%s: %s", key.c_str(), text.c_str());
}

// Rows of at most this many bytes: a 1 MB single-line JSON string must not be measured and drawn
// as one line every frame.
constexpr std::size_t kRowBytes = 1000;

using Rows = std::vector<std::pair<std::size_t, std::size_t>>;  // offset, length

// The text's lines, long ones cut into rows (never inside a UTF-8 sequence); with a filter, only
// the rows of matching lines.
Rows split_rows(std::string_view text, const std::string& filter) {
    Rows rows;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        if (filter.empty() || text.substr(start, end - start).find(filter) != std::string_view::npos) {
            for (std::size_t at = start; at < end || at == start;) {
                std::size_t cut = std::min(end, at + kRowBytes);
                while (cut < end && cut > at + 1 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
                    --cut;
                rows.emplace_back(at, cut - at);
                if (cut == at) break;
                at = cut;
            }
        }
        start = end + 1;
    }
    return rows;
}

// A text shown in the Evidence panel, with what a frame needs ready: the parse, the pretty text
// and its rows (per filter). Computed once per text, so a frame never re-parses or re-scans a
// megabyte.
struct ShownText {
    bool is_json = false;
    Json json;
    std::string pretty;  // the text the raw view shows
    Rows rows;           // of `pretty`, unfiltered
    std::string filter;  // the filter `filtered` was made for
    Rows filtered;
};

// Identifies a text without hashing a megabyte every frame: where it lives, its size, its ends.
std::size_t text_key(const std::string& text, bool json) {
    std::string_view all(text);
    std::size_t h = std::hash<const void*>{}(text.data()) ^ (text.size() * 0x9E3779B97F4A7C15ull);
    h ^= std::hash<std::string_view>{}(all.substr(0, 128)) * 31;
    h ^= std::hash<std::string_view>{}(all.substr(all.size() > 128 ? all.size() - 128 : 0)) * 131;
    return h ^ (json ? 1u : 0u);
}

ShownText& shown_text(const std::string& text, bool json) {
    static std::map<std::size_t, ShownText> cache;
    std::size_t key = text_key(text, json);
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
    if (cache.size() > 64) cache.clear();
    ShownText shown;
    auto parsed = json ? parse_json(text) : Result<Json>(make_error(Code::JsonMalformed, "", "not JSON"));
    shown.is_json = parsed.ok() && parsed->is_structured();
    if (shown.is_json) {
        shown.json = std::move(parsed.value());
        shown.pretty = shown.json.dump(2, ' ', false, Json::error_handler_t::replace);
    } else {
        shown.pretty = text;
    }
    shown.rows = split_rows(shown.pretty, "");
    return cache.emplace(key, std::move(shown)).first->second;
}

// Raw text, clipped so a 1 MB transcript costs only the visible rows; with a filter, only the rows
// of matching lines.
void raw_text(ShownText& shown, const std::string& filter, const char* id, float height) {
    if (!filter.empty() && filter != shown.filter) {
        shown.filtered = split_rows(shown.pretty, filter);
        shown.filter = filter;
    }
    const Rows& rows = filter.empty() ? shown.rows : shown.filtered;
    ImGui::BeginChild(id, ImVec2(0, height), true, ImGuiWindowFlags_HorizontalScrollbar);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const char* begin = shown.pretty.data() + rows[i].first;
            ImGui::TextUnformatted(begin, begin + rows[i].second);
        }
    }
    if (rows.empty()) ImGui::TextDisabled("(no matching lines)");
    ImGui::EndChild();
}

// Short text wrapped in place; long text (a model's 1 MB answer) in a clipped box of rows.
void long_text(AppState& state, const std::string& text, const char* id) {
    if (text.size() <= 2000) {
        ImGui::TextWrapped("%s", text.c_str());
        return;
    }
    raw_text(shown_text(text, false), "", id, px(state, 160));
}

void body_view(AppState& state, const std::string& body, bool stream, const char* id) {
    if (body.empty()) {
        ImGui::TextDisabled("(empty body)");
        return;
    }
    float height = std::min(px(state, 320), ImGui::GetTextLineHeightWithSpacing() * 40);
    ShownText& shown = shown_text(body, !stream);
    if (!state.evidence_raw && state.evidence_search.empty() && shown.is_json) {
        ImGui::BeginChild(id, ImVec2(0, height), true);
        int budget = kTreeNodeBudget;
        json_tree(shown.json, "", budget);
        if (budget < 0) ImGui::TextDisabled("... (tree cut; use the raw view)");
        ImGui::EndChild();
        return;
    }
    raw_text(shown, state.evidence_search, id, height);
}

void headers_table(const HttpHeaders& headers, const char* id) {
    if (headers.empty()) return;
    if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) return;
    for (const auto& [name, value] : headers) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(name.c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", value.c_str());
    }
    ImGui::EndTable();
}

void event_timeline(AppState& state, const StepEvidence& step, const Exchange& ex, int index) {
    if (ex.events.empty()) return;
    ImGui::Text("%s (%zu)", tr(state, "SSE events", "SSE 事件"), ex.events.size());
    for (const CheckResult& c : step.checks) {
        if (c.exchange != index || c.check.find("stream") == std::string::npos) continue;
        ImGui::SameLine();
        ImGui::TextColored(c.outcome == CheckOutcome::Pass ? step_color(state, StepStatus::Passed)
                                                           : step_color(state, StepStatus::Failed),
                           "%s %s", c.outcome == CheckOutcome::Pass ? "\u2713" : "\u2717", c.check.c_str());
    }
    ImGui::BeginChild("##events", ImVec2(0, std::min(px(state, 120), ImGui::GetTextLineHeightWithSpacing() * (ex.events.size() + 1))), true);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(ex.events.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
            ImGui::Text("%4d  %s", i + 1, ex.events[static_cast<std::size_t>(i)].c_str());
    }
    ImGui::EndChild();
}

void decoded(AppState& state, const Exchange& ex) {
    if (!ex.text.empty()) {
        ImGui::TextDisabled("%s", tr(state, "visible text", "可见文本"));
        long_text(state, ex.text, "##visible");
    }
    if (!ex.reasoning.empty()) {
        ImGui::TextDisabled("%s", tr(state, "reasoning", "推理"));
        long_text(state, ex.reasoning, "##reasoning");
    }
    for (const ToolCallPart& c : ex.tool_calls)
        ImGui::BulletText("tool call %s  id %s  %s", c.name.c_str(), c.id.c_str(), c.arguments.c_str());
    if (ex.usage) {
        ImGui::Text("usage: in %lld  out %lld  reasoning %lld  cache read %lld", static_cast<long long>(ex.usage->input),
                    static_cast<long long>(ex.usage->output), static_cast<long long>(ex.usage->reasoning),
                    static_cast<long long>(ex.usage->cache_read));
    }
    if (!ex.finish.empty()) ImGui::Text("finish: %s", ex.finish.c_str());
}

void exchange_view(AppState& state, const StepEvidence& step, const Exchange& ex, int index) {
    std::string outcome = ex.failure ? "no response (" + std::string(failure_kind_name(*ex.failure)) + ")"
                                     : "HTTP " + std::to_string(ex.status);
    std::string title = std::to_string(index + 1) + ". " + ex.label + ": " + ex.request.method + " " +
                        ex.request.url + "  \u2192  " + outcome;
    if (ex.ttfb_ms) title += "  \u00b7  TTFB " + std::to_string(*ex.ttfb_ms) + " ms";
    if (ex.total_ms) title += "  \u00b7  " + std::to_string(*ex.total_ms) + " ms";
    ImGui::PushID(index);
    if (ImGui::CollapsingHeader((title + "###ex").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
        CopyButton(state, tr(state, "Copy as curl", "复制为 curl"), curl_command(ex.request));
        record_widget(state, "evidence.copy_curl");
        ImGui::SameLine();
        CopyButton(state, tr(state, "Copy response", "复制响应"), ex.body);
        if (!ex.failure_message.empty()) ImGui::TextWrapped("%s", ex.failure_message.c_str());
        if (ImGui::TreeNode(tr(state, "Request", "请求"))) {
            headers_table(ex.request.headers, "##reqh");
            body_view(state, ex.request.body, false, "##reqbody");
            if (!ex.client_request.empty()) {
                ImGui::TextDisabled("%s", tr(state, "client request before translation", "翻译前的客户端请求"));
                body_view(state, ex.client_request, false, "##clientreq");
            }
            ImGui::TreePop();
        }
        if (ImGui::TreeNodeEx(tr(state, "Response", "响应"), ImGuiTreeNodeFlags_DefaultOpen)) {
            headers_table(ex.headers, "##resh");
            if (ex.body_truncated)
                ImGui::TextDisabled("first %zu of %zu bytes kept", ex.body.size(), ex.body_bytes);
            body_view(state, ex.body, ex.request.stream, "##resbody");
            ImGui::TreePop();
        }
        event_timeline(state, step, ex, index);
        decoded(state, ex);
    }
    ImGui::PopID();
}

void step_details(AppState& state, const StepEvidence& step) {
    ImGui::TextColored(step_color(state, step.status), "%s %s", step_icon(step.status),
                       std::string(step_status_name(step.status)).c_str());
    ImGui::SameLine();
    ImGui::Text("%s: %s", step.id.c_str(), step.title.c_str());
    record_widget(state, "evidence.step");
    if (!step.note.empty()) ImGui::TextWrapped("%s", step.note.c_str());
    const ProbeReport* report = state.session.report();
    if (report) {
        for (const Finding& f : report->findings) {
            if (f.step != step.id) continue;
            ImGui::TextColored(severity_color(state, f.severity), "%s", std::string(code_name(f.code)).c_str());
            ImGui::SameLine();
            ImGui::TextWrapped("%s", f.message.c_str());
        }
    }
    if (!step.checks.empty() &&
        ImGui::BeginTable("##checks", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) {
        for (const CheckResult& c : step.checks) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(c.check.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(std::string(check_outcome_name(c.outcome)).c_str());
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", c.detail.c_str());
        }
        ImGui::EndTable();
    }
    for (std::size_t i = 0; i < step.exchanges.size(); ++i)
        exchange_view(state, step, step.exchanges[i], static_cast<int>(i));
    if (!step.losses.empty() && ImGui::TreeNode(tr(state, "Translation losses", "翻译损失"))) {
        for (const Loss& l : step.losses)
            ImGui::BulletText("%s %s", std::string(code_name(l.code)).c_str(), l.message.c_str());
        ImGui::TreePop();
    }
}

}  // namespace

void DrawEvidencePanel(AppState& state) {
    const ProbeRun* run = state.session.run();
    if (!run) {
        ImGui::TextDisabled("%s", tr(state, "Run the probe to collect evidence.", "运行探测以收集证据。"));
        return;
    }
    ImGui::BeginChild("##steplist", ImVec2(px(state, 210), 0), true);
    for (const StepEvidence& s : run->steps()) {
        ImGui::TextColored(step_color(state, s.status), "%s", step_icon(s.status));
        ImGui::SameLine(px(state, 22));
        if (ImGui::Selectable(s.id.c_str(), state.selected_step == s.id)) state.selected_step = s.id;
    }
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##stepdetail", ImVec2(0, 0), false);
    ImGui::SetNextItemWidth(px(state, 220));
    InputString("##search", state.evidence_search, 0, tr(state, "filter body lines", "过滤正文行"));
    ImGui::SameLine();
    ImGui::Checkbox(tr(state, "raw", "原始"), &state.evidence_raw);
    const StepEvidence* step = nullptr;
    for (const StepEvidence& s : run->steps()) {
        if (s.id == state.selected_step) step = &s;
    }
    if (!step && !run->steps().empty()) step = &run->steps().front();
    if (step) step_details(state, *step);
    ImGui::EndChild();
}

}  // namespace wirecheck::web
