// The Translate panel: paste a request, response or SSE stream in one protocol and see it in the
// other two side by side, each with the list of what could not cross (losses). Examples from real
// Codex / Claude Code / DeepSeek traffic are one click away. Translation runs only when the input,
// its protocol or its kind change (TranslateState's cache), never per frame; errors are shown as
// code + JSON pointer + message. No I/O here: copying goes through Intents.
#include <cstdio>

#include "panels/panels.hpp"
#include "translate_examples.hpp"

namespace wirecheck::web {
namespace {

constexpr Protocol kProtocols[] = {Protocol::Chat, Protocol::Responses, Protocol::Messages};
constexpr TranslateKind kKinds[] = {TranslateKind::Request, TranslateKind::Response, TranslateKind::Stream};

const char* protocol_label(Protocol p) {
    switch (p) {
        case Protocol::Chat:
            return "Chat Completions";
        case Protocol::Responses:
            return "Responses";
        case Protocol::Messages:
            return "Messages";
    }
    return "";
}

const char* kind_label(const AppState& state, TranslateKind kind) {
    switch (kind) {
        case TranslateKind::Request:
            return tr(state, "Request", "请求");
        case TranslateKind::Response:
            return tr(state, "Response", "响应");
        case TranslateKind::Stream:
            return tr(state, "Stream (SSE)", "流（SSE）");
    }
    return "";
}

bool is_blank(const std::string& s) {
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

// Refills the cache when the input, its protocol or its kind changed since the last translation.
void refresh_translations(TranslateState& t) {
    if (t.from < 0 || t.from > 2) t.from = 0;
    if (t.kind < 0 || t.kind > 2) t.kind = 0;
    if (t.cached && t.cached_from == t.from && t.cached_kind == t.kind && t.cached_input == t.input)
        return;
    t.cached = true;
    t.cached_input = t.input;
    t.cached_from = t.from;
    t.cached_kind = t.kind;
    bool blank = is_blank(t.input);
    for (int to = 0; to < 3; ++to) {
        t.outputs[to] = TranslateOutcome{};
        if (to == t.from || blank) continue;
        t.outputs[to] = translate_text(kProtocols[t.from], kProtocols[to], kKinds[t.kind], t.input);
    }
    ++t.translations;
}

ImFont* mono_font() {
    ImGuiIO& io = ImGui::GetIO();
    return io.Fonts->Fonts.Size > 1 ? io.Fonts->Fonts[1] : nullptr;
}

void DrawControls(AppState& state) {
    TranslateState& t = state.translate;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr(state, "From", "源协议"));
    for (int i = 0; i < 3; ++i) {
        ImGui::SameLine();
        char id[64];
        std::snprintf(id, sizeof id, "%s##from%d", protocol_label(kProtocols[i]), i);
        if (ImGui::RadioButton(id, t.from == i)) t.from = i;
        std::string name = "translate.from." + std::string(protocol_name(kProtocols[i]));
        record_widget(state, name.c_str());
    }
    ImGui::SameLine(0, px(state, 28));
    ImGui::TextUnformatted(tr(state, "Kind", "类型"));
    for (int i = 0; i < 3; ++i) {
        ImGui::SameLine();
        char id[64];
        std::snprintf(id, sizeof id, "%s##kind%d", kind_label(state, kKinds[i]), i);
        if (ImGui::RadioButton(id, t.kind == i)) t.kind = i;
        std::string name = "translate.kind." + std::string(translate_kind_name(kKinds[i]));
        record_widget(state, name.c_str());
    }

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr(state, "Examples", "示例"));
    for (const TranslateExample& ex : translate_examples()) {
        ImGui::SameLine();
        char id[96];
        std::snprintf(id, sizeof id, "%s##ex-%s", tr(state, ex.en, ex.zh), ex.id);
        float width = ImGui::CalcTextSize(id, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2;
        if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
        if (ImGui::Button(id)) {
            t.from = static_cast<int>(ex.from);
            t.kind = static_cast<int>(ex.kind);
            t.input = ex.text;
            t.example = ex.id;
        }
        std::string name = "translate.example." + std::string(ex.id);
        record_widget(state, name.c_str());
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(state, "Clear", "清空"))) {
        t.input.clear();
        t.example.clear();
    }
    record_widget(state, "translate.clear");

    // A pasted stream with "Request" selected (or a body with "Stream") is the common slip.
    std::size_t start = t.input.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return;
    bool looks_sse = t.input.compare(start, 5, "data:") == 0 || t.input.compare(start, 6, "event:") == 0 ||
                     t.input.compare(start, 1, ":") == 0;
    bool stream = t.kind == static_cast<int>(TranslateKind::Stream);
    if (looks_sse != stream) {
        ImGui::TextColored(severity_color(state, Severity::Warn), "%s",
                           looks_sse ? tr(state, "This looks like an SSE stream.", "这看起来是 SSE 流。")
                                     : tr(state, "This does not look like an SSE stream.",
                                          "这看起来不是 SSE 流。"));
        ImGui::SameLine();
        if (ImGui::SmallButton(looks_sse ? tr(state, "Treat as stream", "按流处理")
                                         : tr(state, "Treat as request", "按请求处理")))
            t.kind = static_cast<int>(looks_sse ? TranslateKind::Stream : TranslateKind::Request);
        record_widget(state, "translate.kind_hint");
    }
}

void DrawLosses(AppState& state, const TranslateOutcome& out) {
    if (out.losses.empty()) {
        ImGui::TextDisabled("%s", tr(state, "Nothing lost: every field crossed over.",
                                     "无损失：所有字段都已转换。"));
        return;
    }
    int warn = 0, error = 0;
    for (const Loss& l : out.losses) {
        if (l.severity == Severity::Warn) ++warn;
        if (l.severity == Severity::Error) ++error;
    }
    const char* heading = out.losses.size() == 1 ? "%d loss (%d warn, %d error)"
                                                 : "%d losses (%d warn, %d error)";
    ImGui::Text(tr(state, heading, "%d 处损失（警告 %d，错误 %d）"),
                static_cast<int>(out.losses.size()), warn, error);
    ImFont* mono = mono_font();
    for (std::size_t i = 0; i < out.losses.size(); ++i) {
        const Loss& l = out.losses[i];
        ImGui::PushID(static_cast<int>(i));
        std::string code(code_name(l.code));
        ImGui::TextColored(severity_color(state, l.severity), "%s", code.c_str());
        ImGui::SameLine();
        if (mono) ImGui::PushFont(mono);
        ImGui::TextDisabled("%s", l.pointer.empty() ? "(document)" : l.pointer.c_str());
        if (mono) ImGui::PopFont();
        ImGui::Indent(px(state, 12));
        ImGui::TextWrapped("%s", l.message.c_str());
        ImGui::Unindent(px(state, 12));
        ImGui::PopID();
    }
}

void DrawError(AppState& state, const Error& error) {
    std::string code(code_name(error.code));
    ImGui::TextColored(severity_color(state, Severity::Error), "\u2717 %s", code.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("%s %s", tr(state, "at", "位置"),
                        error.pointer.empty() ? "(document)" : error.pointer.c_str());
    ImGui::TextWrapped("%s", error.message.c_str());
}

void DrawOutputColumn(AppState& state, int to, float height) {
    TranslateState& t = state.translate;
    TranslateOutcome& out = t.outputs[to];
    const char* proto = protocol_label(kProtocols[to]);
    std::string pname(protocol_name(kProtocols[to]));
    ImGui::PushID(to);
    ImGui::AlignTextToFramePadding();
    ImGui::Text("\u2192 %s", proto);
    bool has_output = !out.output.empty();
    if (has_output) {
        ImGui::SameLine();
        CopyButton(state, tr(state, "Copy", "复制"), out.output);
        record_widget(state, ("translate.copy." + pname).c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton(tr(state, "Use as input", "作为输入"))) {
            // Round trip: the output becomes the input (copied first: `out` lives in the cache).
            std::string text = out.output;
            t.input = std::move(text);
            t.from = to;
            t.example.clear();
        }
        record_widget(state, ("translate.use." + pname).c_str());
    }

    float box_h = height * 0.6f;
    if (is_blank(t.input)) {
        ImGui::BeginChild("empty", ImVec2(0, box_h), true);
        ImGui::TextWrapped("%s", tr(state,
            "Paste a request, response or SSE stream on the left (pick its protocol and kind above), "
            "or load an example. Its translation appears here, with every field that could not "
            "cross listed below.",
            "在左侧粘贴一个请求、响应或 SSE 流（在上方选择其协议和类型），或载入一个示例。"
            "转换结果显示在这里，无法转换的字段列在下方。"));
        ImGui::EndChild();
        record_widget(state, ("translate.output." + pname).c_str());
        ImGui::PopID();
        return;
    }
    if (!out.ok) {
        ImGui::BeginChild("error", ImVec2(0, has_output ? box_h * 0.35f : box_h), true);
        DrawError(state, out.error);
        ImGui::EndChild();
        record_widget(state, ("translate.error." + pname).c_str());
        if (has_output) box_h *= 0.65f;
    }
    if (has_output || out.ok) {
        ImFont* mono = mono_font();
        if (mono) ImGui::PushFont(mono);
        InputMultiline("##output", out.output, ImVec2(-1, box_h), ImGuiInputTextFlags_ReadOnly);
        if (mono) ImGui::PopFont();
    }
    record_widget(state, ("translate.output." + pname).c_str());

    ImGui::BeginChild("losses", ImVec2(0, 0), true);
    if (out.ok || !out.losses.empty()) DrawLosses(state, out);  // no "nothing lost" on an error
    ImGui::EndChild();
    record_widget(state, ("translate.losses." + pname).c_str());
    ImGui::PopID();
}

}  // namespace

void DrawTranslatePanel(AppState& state) {
    TranslateState& t = state.translate;
    ImGui::TextWrapped("%s", tr(state,
        "Translate between the three protocols: decode -> one canonical model -> encode. "
        "Anything that cannot cross is listed as a loss with its JSON pointer, never dropped "
        "silently.",
        "在三种协议之间转换：解码 -> 统一的规范模型 -> 编码。无法转换的内容都会作为损失列出"
        "（附 JSON 指针），绝不静默丢弃。"));
    DrawControls(state);
    refresh_translations(t);

    ImGui::Spacing();
    float height = ImGui::GetContentRegionAvail().y;
    if (height < px(state, 240)) height = px(state, 240);
    ImGuiTableFlags flags = ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV;
    if (!ImGui::BeginTable("translate.columns", 3, flags, ImVec2(0, height))) return;
    for (int col = 0; col < 3; ++col) ImGui::TableSetupColumn(nullptr, ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableNextRow();
    float cell_h = height - ImGui::GetFrameHeightWithSpacing();

    ImGui::TableSetColumnIndex(0);
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%s: %s %s", tr(state, "Input", "输入"), protocol_label(kProtocols[t.from]),
                kind_label(state, kKinds[t.kind]));
    ImFont* mono = mono_font();
    if (mono) ImGui::PushFont(mono);
    if (InputMultiline("##input", t.input, ImVec2(-1, cell_h - ImGui::GetStyle().ItemSpacing.y)))
        t.example.clear();
    if (mono) ImGui::PopFont();
    record_widget(state, "translate.input");

    int col = 1;
    const int from = t.from;  // "Use as input" may change t.from while the columns are drawn
    for (int to = 0; to < 3; ++to) {
        if (to == from) continue;
        ImGui::TableSetColumnIndex(col++);
        DrawOutputColumn(state, to, cell_h);
    }
    ImGui::EndTable();
}

}  // namespace wirecheck::web
