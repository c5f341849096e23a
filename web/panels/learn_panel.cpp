// The Learn panel: the explainer, in English and Simplified Chinese. The three protocol layers
// (who speaks them, their core data structure, what an adapter must get right), why HTTP 200 is
// not success, why Claude Code can run where Codex cannot, and what the four verdicts mean.
// Facts from shared/protocols.md §1-5 and the 2026-07-05 field report. Static text, no state.
#include "panels/panels.hpp"

namespace wirecheck::web {
namespace {

struct Text {
    const char* en;
    const char* zh;
};

struct Layer {
    const char* name;
    const char* endpoint;
    Text speakers;
    Text structure;
    Text adapter;
};

const Layer kLayers[] = {
    {"Chat Completions", "POST /v1/chat/completions",
     {"Chat apps and most SDKs; nearly every gateway and local server (vLLM, llama.cpp, Ollama).",
      "聊天应用和大多数 SDK；几乎所有网关和本地服务（vLLM、llama.cpp、Ollama）。"},
     {"messages[] with roles system / user / assistant / tool. Tool calls sit in "
      "assistant.tool_calls[] with arguments as a JSON string; results come back as role \"tool\" "
      "with tool_call_id. The stream is chat.completion.chunk deltas ending in data: [DONE].",
      "messages[]，角色为 system / user / assistant / tool。工具调用在 assistant.tool_calls[] 中，"
      "arguments 是 JSON 字符串；结果以 role \"tool\" 加 tool_call_id 返回。流式输出是 "
      "chat.completion.chunk 增量，以 data: [DONE] 结束。"},
     {"The common denominator the other two are converted to. Join tool-call fragments by index, "
      "keep DeepSeek's reasoning_content apart from the answer, count reasoning tokens against "
      "max_tokens.",
      "另外两种协议通常转换到它。按 index 拼接工具调用片段，把 DeepSeek 的 reasoning_content "
      "与回答分开，推理 token 计入 max_tokens。"}},
    {"Responses", "POST /v1/responses",
     {"The Codex CLI, which speaks nothing else (wire_api = \"chat\" was removed).",
      "Codex CLI，它只说这一种协议（wire_api = \"chat\" 已被移除）。"},
     {"Typed items in input[] and output[]: message, function_call and function_call_output "
      "joined by call_id, reasoning, custom_tool_call. Tools are flat. The stream is typed events "
      "(output_item.added ... output_item.done) ending in response.completed.",
      "input[] 和 output[] 中的类型化条目：message、以 call_id 关联的 function_call 与 "
      "function_call_output、reasoning、custom_tool_call。工具定义是扁平的。流式输出是类型化事件"
      "（output_item.added ... output_item.done），以 response.completed 结束。"},
     {"Emit every item complete in response.output_item.done (Codex runs tools from it), end "
      "with response.completed carrying a string id and integer usage, and accept what Codex "
      "sends back: reasoning items without id, custom tools, outputs as part arrays.",
      "在 response.output_item.done 中输出完整条目（Codex 据此执行工具），以带字符串 id 和整数 "
      "usage 的 response.completed 结束，并接受 Codex 回传的内容：没有 id 的 reasoning 条目、"
      "自定义工具、数组形式的输出。"}},
    {"Messages", "POST /v1/messages",
     {"Claude Code (and Anthropic's SDKs).", "Claude Code（以及 Anthropic 的 SDK）。"},
     {"content[] blocks: text, tool_use {id, name, input object}, tool_result {tool_use_id}, "
      "thinking {signature}. max_tokens is required. The stream is message_start, "
      "content_block_start / delta / stop, message_delta, message_stop.",
      "content[] 内容块：text、tool_use {id, name, input 对象}、tool_result {tool_use_id}、"
      "thinking {signature}。max_tokens 必填。流式输出为 message_start、content_block_start / "
      "delta / stop、message_delta、message_stop。"},
     {"Assemble input_json_delta fragments into the tool input, send thinking blocks back "
      "unchanged with their signature, map stop reasons, and remember that input_tokens excludes "
      "cache reads (OpenAI's prompt_tokens includes them).",
      "把 input_json_delta 片段拼成工具输入，原样回传带 signature 的 thinking 块，映射停止原因；"
      "注意 input_tokens 不含缓存读取（OpenAI 的 prompt_tokens 包含）。"}},
};

void Heading(AppState& state, const char* en, const char* zh, const char* widget) {
    ImGui::Spacing();
    ImGui::Spacing();
    ImVec4 accent = state.light_theme ? ImVec4(0.1f, 0.35f, 0.75f, 1) : ImVec4(0.45f, 0.72f, 1.0f, 1);
    ImGui::TextColored(accent, "%s", tr(state, en, zh));
    record_widget(state, widget);
    ImGui::Separator();
}

void Para(const AppState& state, const char* en, const char* zh) {
    ImGui::TextWrapped("%s", tr(state, en, zh));
}

void DrawLayers(AppState& state) {
    ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_BordersOuter |
                            ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("learn.layers.table", 4, flags)) return;
    ImGui::TableSetupColumn(tr(state, "Layer", "协议层"), ImGuiTableColumnFlags_WidthStretch, 0.8f);
    ImGui::TableSetupColumn(tr(state, "Who speaks it", "谁在用"), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn(tr(state, "Core data structure", "核心数据结构"), ImGuiTableColumnFlags_WidthStretch, 1.6f);
    ImGui::TableSetupColumn(tr(state, "What an adapter must get right", "适配层必须做对的事"),
                            ImGuiTableColumnFlags_WidthStretch, 1.6f);
    ImGui::TableHeadersRow();
    for (const Layer& l : kLayers) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextWrapped("%s", l.name);
        ImGui::TextDisabled("%s", l.endpoint);
        ImGui::TableSetColumnIndex(1);
        ImGui::TextWrapped("%s", tr(state, l.speakers.en, l.speakers.zh));
        ImGui::TableSetColumnIndex(2);
        ImGui::TextWrapped("%s", tr(state, l.structure.en, l.structure.zh));
        ImGui::TableSetColumnIndex(3);
        ImGui::TextWrapped("%s", tr(state, l.adapter.en, l.adapter.zh));
    }
    ImGui::EndTable();
    record_widget(state, "learn.layers");
}

struct VerdictText {
    Code level;
    Text meaning;
};

const VerdictText kVerdicts[] = {
    {Code::VerdictReady,
     {"Every step the client needs passed on its own protocol, with no warning: text, streaming, "
      "tool calls and the continuation after a tool result.",
      "客户端所需的每个步骤都在它自己的协议上通过，且没有警告：文本、流式、工具调用以及工具结果之后"
      "的续写。"}},
    {Code::VerdictReadyWithLimitations,
     {"The required steps pass, but something is missing or shaky: a step passed with warnings, a "
      "step the client would use failed (e.g. tools for a chat app), or a step was not run. The "
      "findings say which.",
      "必需的步骤都通过了，但有缺失或不稳之处：某个步骤带警告通过、客户端会用到的某个步骤失败"
      "（例如聊天应用的工具调用），或某个步骤没有运行。具体见发现列表。"}},
    {Code::VerdictNotReady,
     {"A step the client cannot do without failed on its own protocol (an HTTP error, a stream "
      "that breaks the client's grammar, an incomplete tool call), and no adapter run got around it.",
      "客户端离不开的某个步骤在它自己的协议上失败了（HTTP 错误、不符合客户端要求的流、不完整的"
      "工具调用），而且没有适配层测试能绕过它。"}},
    {Code::VerdictReadyViaAdapter,
     {"The client's own endpoint fails, but wirecheck's adapter ran the client's loop through the "
      "chat endpoint and it passed. Run the adapter (wirecheck serve --upstream URL "
      "--upstream-protocol chat) and point the client at it.",
      "客户端自己的接口不可用，但 wirecheck 的适配层通过对话接口跑通了客户端的流程。运行适配层"
      "（wirecheck serve --upstream URL --upstream-protocol chat）并让客户端连接它即可。"}},
};

void DrawVerdicts(AppState& state) {
    for (const VerdictText& v : kVerdicts) {
        std::string label = level_label(state, v.level);
        ImGui::Bullet();
        ImGui::TextColored(level_color(state, v.level), "%s", label.c_str());
        ImGui::Indent(px(state, 20));
        ImGui::TextWrapped("%s", tr(state, v.meaning.en, v.meaning.zh));
        ImGui::Unindent(px(state, 20));
    }
}

}  // namespace

void DrawLearnPanel(AppState& state) {
    ImGui::BeginChild("learn.body", ImVec2(0, 0), false);
    float wrap = ImGui::GetContentRegionAvail().x;
    if (wrap > px(state, 1000)) wrap = px(state, 1000);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);

    Heading(state, "\"OpenAI-compatible\" is three protocols", "“兼容 OpenAI”其实是三种协议",
            "learn.title");
    Para(state,
         "A model can answer on one endpoint and fail on another. Each coding client speaks exactly "
         "one protocol, so the question is never \"does the endpoint work?\" but \"does the "
         "protocol my client speaks work, with streaming and tool calls?\"",
         "同一个模型可能在一个接口上能回答，在另一个接口上失败。每个编程客户端只说一种协议，所以要问的"
         "从来不是“接口能不能用”，而是“我的客户端所说的协议，连同流式输出和工具调用，能不能用”。");
    ImGui::Spacing();
    ImGui::PushTextWrapPos(0.0f);  // wrap at each cell's edge, not the page's
    DrawLayers(state);
    ImGui::PopTextWrapPos();

    Heading(state, "Why HTTP 200 is not success", "为什么 HTTP 200 不等于成功", "learn.http200");
    Para(state,
         "Reasoning models think before they answer, and reasoning tokens count against max_tokens "
         "(max_output_tokens on Responses). The 2026-07-05 field report: deepseek-v4-pro behind a "
         "new-api gateway, max_tokens 30. The answer came back HTTP 200 with finish_reason "
         "\"length\"; 28 of the 30 output tokens were reasoning, and the visible text was \"DS\". "
         "A status check passes, the user sees two characters.",
         "推理模型先思考再回答，推理 token 计入 max_tokens（Responses 中为 max_output_tokens）。"
         "2026-07-05 的现场报告：new-api 网关后的 deepseek-v4-pro，max_tokens 为 30。返回 HTTP 200，"
         "finish_reason 为 \"length\"；30 个输出 token 中有 28 个是推理，可见文本只有 \"DS\"。"
         "状态码检查通过了，用户却只看到两个字符。");
    Para(state,
         "So wirecheck checks what a client needs, not the status: visible text present and exact, "
         "the finish reason, usage with reasoning tokens against the budget, complete tool calls, "
         "the stream's terminal event. It recommends a max_tokens floor (1024 here).",
         "因此 wirecheck 检查的是客户端真正需要的东西，而不是状态码：可见文本存在且准确、结束原因、"
         "usage 中推理 token 与预算的关系、完整的工具调用、流的结束事件。并给出 max_tokens 的下限建议"
         "（此例为 1024）。");

    Heading(state, "Why Claude Code can run where Codex cannot", "为什么 Claude Code 能用而 Codex 不能",
            "learn.claude_vs_codex");
    Para(state,
         "In the same report the gateway served the model's chat channel only. For /v1/messages it "
         "has a converter (Messages -> chat), so Claude Code worked. For /v1/responses it has none: "
         "HTTP 400 convert_request_failed, with no failover to another channel. Codex speaks only "
         "Responses, so Codex could not run, although the model itself was fine.",
         "在同一份报告里，网关只为该模型提供对话（chat）渠道。对 /v1/messages 它有转换器（Messages -> "
         "chat），所以 Claude Code 能用；对 /v1/responses 则没有：返回 HTTP 400 convert_request_failed，"
         "且不会切换到其他渠道。Codex 只说 Responses，所以 Codex 无法运行，尽管模型本身没有问题。");
    Para(state,
         "The fix is an adapter that does the missing conversion: wirecheck's adapter steps run the "
         "Codex-shaped loop through the chat endpoint, and wirecheck serve --upstream exposes "
         "/v1/responses for the real Codex CLI. A new-api model list without \"openai-response\" in "
         "supported_endpoint_types predicts the failure.",
         "解决办法是用适配层补上缺失的转换：wirecheck 的适配步骤通过对话接口跑通 Codex 形式的流程，"
         "wirecheck serve --upstream 则为真实的 Codex CLI 提供 /v1/responses。如果 new-api 模型列表的 "
         "supported_endpoint_types 中没有 \"openai-response\"，就可以预见这个失败。");

    Heading(state, "What the verdicts mean", "结论的含义", "learn.verdicts");
    DrawVerdicts(state);

    ImGui::PopTextWrapPos();
    ImGui::EndChild();
}

}  // namespace wirecheck::web
