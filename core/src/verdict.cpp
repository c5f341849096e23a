// Per-client verdicts from step evidence (rules as data in client_rules()), their
// recommendations (a Codex config.toml block, Claude Code environment variables, max_tokens), and
// the protocol-layer comparison model with each layer's measured result.
//
// Sections: rules · targets · evaluation · recommendations · layers
#include <algorithm>
#include <map>
#include <set>

#include "wirecheck/verdict.hpp"

namespace wirecheck {

std::string_view client_name(Client c) {
    switch (c) {
        case Client::Codex:
            return "codex";
        case Client::ClaudeCode:
            return "claude-code";
        case Client::Chat:
            return "chat";
    }
    return "?";
}

std::string_view client_title(Client c, Language lang) {
    switch (c) {
        case Client::Codex:
            return "Codex CLI";
        case Client::ClaudeCode:
            return "Claude Code";
        case Client::Chat:
            return lang == Language::Chinese ? "Chat SDK 应用" : "Chat SDK apps";
    }
    return "?";
}

// ---- rules -------------------------------------------------------------------------------------

const std::vector<ClientRule>& client_rules() {
    // Codex speaks only Responses, always streams, runs function and freeform custom tools
    // (protocols.md §3; avelrl/openai-compatible-tester's clients.yaml asks the same). Claude Code
    // streams /v1/messages with tools (§4). Chat apps need a plain answer; streaming and tools
    // widen what they can do; the budget probe only tunes max_tokens.
    static const std::vector<ClientRule> rules = {
        {Client::Codex,
         {"responses.basic", "responses.stream", "responses.tools", "responses.custom_tool"},
         {},
         {"models"},
         "adapter.responses_via_chat"},
        {Client::ClaudeCode,
         {"messages.basic", "messages.stream", "messages.tools"},
         {},
         {"models"},
         "adapter.messages_via_chat"},
        {Client::Chat,
         {"chat.basic"},
         {"chat.stream", "chat.tools"},
         {"chat.budget", "models"},
         ""},
    };
    return rules;
}

// ---- targets -----------------------------------------------------------------------------------

ProbeTarget probe_target(const ProbeConfig& config) {
    ProbeTarget t;
    t.base_url = config.base_url;
    t.chat_url = endpoint_url(config, Protocol::Chat);
    t.responses_url = endpoint_url(config, Protocol::Responses);
    t.messages_url = endpoint_url(config, Protocol::Messages);
    t.models_url = models_url(config);
    t.model = config.model;
    return t;
}

namespace {

// The text in the report's language (the Chinese UI and `probe --lang zh`).
const char* pick(Language lang, const char* en, const char* zh) {
    return lang == Language::Chinese ? zh : en;
}

std::string strip_suffix(const std::string& s, std::string_view suffix) {
    if (s.size() >= suffix.size() &&
        s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0)
        return s.substr(0, s.size() - suffix.size());
    return s;
}

// ---- evaluation --------------------------------------------------------------------------------

const StepEvidence* find(const std::vector<StepEvidence>& steps, std::string_view id) {
    for (const StepEvidence& s : steps) {
        if (s.id == id) return &s;
    }
    return nullptr;
}

bool failed(const StepEvidence& s) {
    return s.status == StepStatus::Failed || s.status == StepStatus::Skipped;
}

bool passed(const StepEvidence& s) {
    return s.status == StepStatus::Passed || s.status == StepStatus::Warned;
}

const Finding* first_error(const StepEvidence& s) {
    for (const Finding& f : s.findings) {
        if (f.severity == Severity::Error) return &f;
    }
    return nullptr;
}

bool has(const Verdict& v, Code code) {
    return std::any_of(v.findings.begin(), v.findings.end(),
                       [code](const Finding& f) { return f.code == code; });
}

const Finding* get(const Verdict& v, Code code) {
    for (const Finding& f : v.findings) {
        if (f.code == code) return &f;
    }
    return nullptr;
}

std::string describe(const Finding& f, Language lang) {
    return std::string(code_name(f.code)) + pick(lang, " at ", "（") + f.step +
           pick(lang, "", "）");
}

void collect(const StepEvidence& s, Severity at_least, std::vector<Finding>& out) {
    for (const Finding& f : s.findings) {
        if (f.severity >= at_least) out.push_back(f);
    }
}

// ---- recommendations ---------------------------------------------------------------------------

constexpr const char* kAdapterBase = "http://127.0.0.1:8080";

std::string codex_config(const std::string& base_url, const std::string& model, Language lang) {
    return std::string(pick(lang, "Codex `~/.codex/config.toml`:", "Codex 配置 `~/.codex/config.toml`：")) +
           "\n```toml\nmodel = \"" + model +
           "\"\nmodel_provider = \"probed\"\n\n[model_providers.probed]\nname = \"probed "
           "endpoint\"\n"
           "base_url = \"" +
           base_url + "\"\nenv_key = \"WIRECHECK_API_KEY\"\nwire_api = \"responses\"\n```";
}

std::string claude_env(const std::string& base_url, const std::string& model, Language lang) {
    return std::string(pick(lang, "Claude Code environment:", "Claude Code 环境变量：")) +
           "\n```sh\nexport ANTHROPIC_BASE_URL=\"" + base_url +
           "\"\nexport ANTHROPIC_API_KEY=\"$WIRECHECK_API_KEY\"\nexport ANTHROPIC_MODEL=\"" +
           model + "\"\nexport ANTHROPIC_DEFAULT_HAIKU_MODEL=\"" + model +
           "\"\nexport CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1\n```";
}

std::string adapter_command(const ProbeTarget& t, Language lang) {
    std::string command = "`wirecheck serve --upstream " +
                          strip_suffix(t.chat_url, "/chat/completions") +
                          " --upstream-protocol chat`";
    if (lang == Language::Chinese) {
        return "运行适配器：" + command + "（它在 " + kAdapterBase +
               " 上提供 /v1/responses 和 /v1/messages，并转换到 chat 端点）。";
    }
    return "Run the adapter: " + command + " (it serves /v1/responses and /v1/messages on " +
           kAdapterBase + " and translates to the chat endpoint).";
}

void finding_advice(const Verdict& v, Language lang, std::vector<std::string>& out) {
    if (const Finding* f = get(v, Code::FindingReasoningExhaustedBudget)) {
        std::string n = f->data.is_object() && f->data.contains("recommended_max_tokens")
                            ? f->data["recommended_max_tokens"].dump()
                            : std::string("1024");
        out.push_back(pick(lang, "Set max_tokens >= ", "将 max_tokens 设为 >= ") + n +
                      pick(lang,
                           ": the model reasons before it answers, and reasoning counts against "
                           "the budget (",
                           "：模型回答前会先推理，推理 token 也计入输出预算（") +
                      f->message + pick(lang, ")", "）"));
    }
    if (has(v, Code::FindingConvertRequestFailed)) {
        out.push_back(pick(
            lang,
            "The gateway cannot convert this endpoint for the model's channel "
            "(convert_request_failed): give the model a channel that serves it natively "
            "(new-api endpoint type openai-response / anthropic), or use an adapter.",
            "网关无法为该模型的渠道转换此端点（convert_request_failed）：给模型配置原生支持该端点的"
            "渠道（new-api 端点类型 openai-response / anthropic），或使用适配器。"));
    }
    if (has(v, Code::FindingUsageMissing) && v.client == Client::Chat)
        out.push_back(pick(lang, "Ask for usage explicitly: stream_options.include_usage = true.",
                           "显式请求用量：stream_options.include_usage = true。"));
    if (has(v, Code::FindingTerminalMissing)) {
        out.push_back(pick(lang,
                           "Streams end without their terminal event: check proxies between "
                           "client and server (buffering, idle timeouts) and the gateway version.",
                           "流在结束事件之前就断了：检查客户端与服务器之间的代理（缓冲、空闲超时）"
                           "以及网关版本。"));
    }
    if (has(v, Code::FindingCustomToolAsFunction)) {
        out.push_back(pick(lang,
                           "The server answers freeform custom tools with function calls; Codex's "
                           "apply_patch needs custom_tool_call. Use the adapter, which restores "
                           "them.",
                           "服务器用 function 调用回应自由格式的 custom 工具，而 Codex 的 apply_patch "
                           "需要 custom_tool_call。请使用适配器，它会还原这些调用。"));
    }
    if (has(v, Code::FindingCorsBlocked) || has(v, Code::FindingNetworkFailed)) {
        out.push_back(pick(lang,
                           "A browser cannot reach this endpoint directly: run `wirecheck serve` "
                           "and probe through its local relay.",
                           "浏览器无法直接访问此端点：运行 `wirecheck serve`，通过它的本地中继探测。"));
    }
    if (has(v, Code::FindingAuthRejected))
        out.push_back(pick(lang, "Check the API key and whether it may use this model.",
                           "检查 API 密钥，以及它是否有权使用此模型。"));
}

void recommend(Verdict& v, const ProbeTarget& t, const std::vector<StepEvidence>& steps,
               Language lang) {
    std::vector<std::string>& out = v.recommendations;
    bool native = v.native_level != Code::VerdictNotReady;
    bool adapter = v.level == Code::VerdictReadyViaAdapter;
    switch (v.client) {
        case Client::Codex:
            if (native)
                out.push_back(
                    codex_config(strip_suffix(t.responses_url, "/responses"), t.model, lang));
            if (adapter) {
                out.push_back(adapter_command(t, lang));
                out.push_back(codex_config(std::string(kAdapterBase) + "/v1", t.model, lang));
            }
            if (!native && !adapter) {
                out.push_back(pick(lang,
                                   "Codex speaks only /v1/responses (wire_api = \"chat\" was "
                                   "removed in Feb 2026): a chat-only model needs a Responses "
                                   "adapter, and the adapter probe did not pass either.",
                                   "Codex 只支持 /v1/responses（wire_api = \"chat\" 已于 2026 年 "
                                   "2 月移除）：只支持 chat 的模型需要 Responses 适配器，而适配器"
                                   "探测也没有通过。"));
            }
            break;
        case Client::ClaudeCode: {
            if (native) {
                out.push_back(
                    claude_env(strip_suffix(t.messages_url, "/v1/messages"), t.model, lang));
                const StepEvidence* models = find(steps, "models");
                bool converted = false;
                if (models) {
                    for (const Finding& f : models->findings) {
                        converted =
                            converted || (f.code == Code::FindingEndpointTypes &&
                                          f.message.find("No anthropic") != std::string::npos);
                    }
                }
                if (converted) {
                    out.push_back(pick(lang,
                                       "Use /v1/messages through the gateway's compatibility "
                                       "layer: the model's channel is not Anthropic-native, the "
                                       "gateway converts (that is what was measured).",
                                       "通过网关的兼容层使用 /v1/messages：该模型的渠道不是 "
                                       "Anthropic 原生的，由网关转换（实测如此）。"));
                }
            }
            if (adapter) {
                out.push_back(adapter_command(t, lang));
                out.push_back(claude_env(kAdapterBase, t.model, lang));
            }
            break;
        }
        case Client::Chat:
            if (native) {
                out.push_back(pick(lang, "OpenAI SDKs: base_url \"", "OpenAI SDK：base_url \"") +
                              strip_suffix(t.chat_url, "/chat/completions") +
                              pick(lang, "\", model \"", "\"，model \"") + t.model +
                              pick(lang, "\".", "\"。"));
            }
            {
                const StepEvidence* stream = find(steps, "chat.stream");
                if (native && stream && failed(*stream))
                    out.push_back(pick(lang, "Streaming is broken: use stream: false.",
                                       "流式输出不可用：请用 stream: false。"));
            }
            break;
    }
    finding_advice(v, lang, out);
}

std::string summary_of(const Verdict& v, const ClientRule& rule,
                       const std::vector<StepEvidence>& steps, Language lang) {
    std::string who(client_title(v.client, lang));
    // "http.convert_request_failed at responses.basic (the gateway cannot convert ...)"
    auto first_failure = [&]() -> std::string {
        for (std::string_view id : rule.required) {
            const StepEvidence* s = find(steps, id);
            if (!s || !failed(*s)) continue;
            if (const Finding* f = first_error(*s))
                return describe(*f, lang) + pick(lang, " (", "：") +
                       std::string(code_title(f->code, lang)) + pick(lang, ")", "");
            return std::string(id) + " " + std::string(step_status_name(s->status));
        }
        return pick(lang, "none of its steps were probed", "它的步骤都没有探测");
    };
    if (v.level == Code::VerdictReady)
        return who + pick(lang, " can use this endpoint as it is.", " 可以直接使用此端点。");
    if (v.level == Code::VerdictReadyWithLimitations) {
        std::set<std::string> codes;
        for (const Finding& f : v.findings) {
            if (f.severity != Severity::Info) codes.insert(std::string(code_name(f.code)));
        }
        std::string list;
        for (const auto& c : codes) list += (list.empty() ? "" : ", ") + c;
        if (!v.not_run.empty()) {
            list += (list.empty() ? "" : "; ") + std::string(pick(lang, "not probed: ", "未探测：")) +
                    std::to_string(v.not_run.size()) + pick(lang, " step(s)", " 个步骤");
        }
        return who + pick(lang, " can use this endpoint, with limitations: ",
                          " 可以使用此端点，但有限制：") +
               list + pick(lang, ".", "。");
    }
    if (v.level == Code::VerdictReadyViaAdapter) {
        return who + pick(lang, " cannot use the endpoint natively: ", " 无法直接使用此端点：") +
               first_failure() +
               pick(lang, ". wirecheck's adapter over the chat endpoint passed ",
                    "。经 chat 端点的 wirecheck 适配器通过了 ") +
               std::string(rule.adapter_step) + pick(lang, ".", "。");
    }
    return who + pick(lang, " cannot use this endpoint: ", " 无法使用此端点：") + first_failure() +
           pick(lang, ".", "。");
}

}  // namespace

std::vector<Verdict> evaluate_verdicts(const std::vector<StepEvidence>& steps,
                                       const ProbeTarget& target, Language lang) {
    std::vector<Verdict> out;
    for (const ClientRule& rule : client_rules()) {
        Verdict v;
        v.client = rule.client;
        std::vector<const StepEvidence*> required, important;
        for (std::string_view id : rule.required) {
            if (const StepEvidence* s = find(steps, id))
                required.push_back(s);
            else
                v.not_run.push_back(std::string(id));
        }
        for (std::string_view id : rule.important) {
            if (const StepEvidence* s = find(steps, id))
                important.push_back(s);
            else
                v.not_run.push_back(std::string(id));
        }
        const StepEvidence* adapter =
            rule.adapter_step.empty() ? nullptr : find(steps, rule.adapter_step);
        if (required.empty() && important.empty() && !adapter) continue;
        // A partial report (the run still going) gets no verdict for a client whose steps are
        // not all finished: it would claim too much.
        auto unfinished = [](const StepEvidence* s) {
            return s && (s->status == StepStatus::Pending || s->status == StepStatus::Running);
        };
        if (std::any_of(required.begin(), required.end(), unfinished) ||
            std::any_of(important.begin(), important.end(), unfinished) || unfinished(adapter))
            continue;

        bool required_failed =
            required.empty() || std::any_of(required.begin(), required.end(),
                                            [](const StepEvidence* s) { return failed(*s); });
        bool limited = !v.not_run.empty();
        for (const StepEvidence* s : important) limited = limited || failed(*s);
        for (const auto* group : {&required, &important}) {
            for (const StepEvidence* s : *group) {
                v.steps.push_back(s->id);
                collect(*s, Severity::Warn, v.findings);
                limited = limited || s->status == StepStatus::Warned;
            }
        }
        v.native_level = required_failed ? Code::VerdictNotReady
                         : limited       ? Code::VerdictReadyWithLimitations
                                         : Code::VerdictReady;
        v.level = v.native_level;
        if (adapter) {
            v.steps.push_back(adapter->id);
            if (v.native_level == Code::VerdictNotReady && passed(*adapter)) {
                v.level = Code::VerdictReadyViaAdapter;
                collect(*adapter, Severity::Warn, v.findings);
            }
        }
        for (std::string_view id : rule.advisory) {
            const StepEvidence* s = find(steps, id);
            if (!s) continue;
            for (const Finding& f : s->findings) {
                // What the model list says about /v1/responses concerns Codex only.
                bool relevant =
                    f.code != Code::FindingResponsesNotListed || rule.client == Client::Codex;
                if (f.severity >= Severity::Warn && relevant) v.findings.push_back(f);
            }
        }
        v.summary = summary_of(v, rule, steps, lang);
        recommend(v, target, steps, lang);
        out.push_back(std::move(v));
    }
    return out;
}

// ---- layers ------------------------------------------------------------------------------------

std::vector<LayerRow> protocol_layers(const std::vector<StepEvidence>& steps, Language lang) {
    // The same rows as assets/layers.json (the web page's table); a test keeps them equal.
    std::vector<LayerRow> rows = {
        {Protocol::Chat, "/v1/chat/completions", "OpenAI Chat Completions",
         "Chat apps, SDKs, most gateways and local servers",
         "messages[] in, choices[].message out; stream of chat.completion.chunk deltas, data: "
         "[DONE]",
         "The baseline every model speaks; tool-call deltas by index, usage only on request", "",
         Code::VerdictNotReady},
        {Protocol::Responses, "/v1/responses", "OpenAI Responses",
         "Codex CLI (speaks nothing else)",
         "input items in, output items out; typed stream events ending in response.completed",
         "Complete items in output_item.done, custom tools (apply_patch), integer usage, the "
         "terminal event",
         "", Code::VerdictNotReady},
        {Protocol::Messages, "/v1/messages", "Anthropic Messages", "Claude Code",
         "content blocks: text, tool_use, tool_result, thinking; block start/delta/stop events",
         "tool_result adjacency, no empty text blocks, thinking signatures, max_tokens required",
         "", Code::VerdictNotReady},
    };
    if (lang == Language::Chinese) {
        const char* zh[3][3] = {
            {"聊天应用、SDK、多数网关和本地服务器",
             "输入 messages[]，输出 choices[].message；流是 chat.completion.chunk 增量，以 data: "
             "[DONE] 结束",
             "每个模型都支持的基线；工具调用增量按 index 拼接，用量须显式请求"},
            {"Codex CLI（只支持此协议）",
             "输入 input 条目，输出 output 条目；带类型的流事件，以 response.completed 结束",
             "output_item.done 中的完整条目、custom 工具（apply_patch）、整数用量、结束事件"},
            {"Claude Code",
             "内容块：text、tool_use、tool_result、thinking；块的 start/delta/stop 事件",
             "tool_result 必须紧随其后、不能有空 text 块、thinking 签名、必须给 max_tokens"},
        };
        for (std::size_t i = 0; i < rows.size(); ++i) {
            rows[i].clients = zh[i][0];
            rows[i].structure = zh[i][1];
            rows[i].adaptation = zh[i][2];
        }
    }
    for (LayerRow& row : rows) {
        std::string prefix = std::string(protocol_name(row.protocol)) + ".";
        std::size_t total = 0, ok = 0, warned = 0;
        const StepEvidence* first_failed = nullptr;
        bool basic_failed = false;
        for (const StepEvidence& s : steps) {
            if (s.id.rfind(prefix, 0) != 0) continue;
            ++total;
            if (s.status == StepStatus::Passed) ++ok;
            if (s.status == StepStatus::Warned) ++warned;
            if (failed(s)) {
                if (!first_failed) first_failed = &s;
                if (s.id == prefix + "basic") basic_failed = true;
            }
        }
        if (total == 0) {
            row.measured = pick(lang, "not probed", "未探测");
            continue;
        }
        row.probed = true;
        std::size_t bad = total - ok - warned;
        row.measured = pick(lang, "", "通过 ") + std::to_string(ok + warned) + "/" +
                       std::to_string(total) + pick(lang, " steps passed", " 个步骤");
        if (warned) {
            row.measured += pick(lang, " (", "（") + std::to_string(warned) +
                            pick(lang, " with warnings)", " 个有警告）");
        }
        if (first_failed) {
            const Finding* f = first_error(*first_failed);
            row.measured += "; " + first_failed->id + ": " +
                            (f ? std::string(code_name(f->code)) +
                                     (f->message.empty() ? "" : " - " + f->message.substr(0, 120))
                               : std::string(step_status_name(first_failed->status)));
        }
        row.measured_level = basic_failed || bad == total ? Code::VerdictNotReady
                             : bad > 0                    ? Code::VerdictReadyWithLimitations
                                                          : Code::VerdictReady;
    }
    return rows;
}

}  // namespace wirecheck
