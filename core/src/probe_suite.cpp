// The probe suite as data: step table, deterministic prompts and tools (the field report's
// get_city_timezone for Beijing), endpoint URLs, HTTP requests with per-protocol auth, and the
// one redaction function that keeps the API key out of evidence.
//
// Sections: steps · URLs · prompts and tools · conversations · requests · redaction
#include <algorithm>

#include "probe_internal.hpp"

namespace wirecheck {
namespace probe {

// ---- steps -------------------------------------------------------------------------------------

const std::vector<StepSpec>& step_specs() {
    // Lanes run in parallel, the steps of a lane one after another. A step whose dependency found
    // the endpoint unusable (401/404/convert_request_failed/no response) is skipped.
    static const std::vector<StepSpec> specs = {
        {"models", "Model list: is the model visible, which endpoints serve it", StepKind::Models,
         Protocol::Chat, false, "models", ""},
        {"chat.basic", "Chat: exact answer", StepKind::Text, Protocol::Chat, false, "chat", ""},
        {"chat.budget", "Chat: tiny output budget (does reasoning eat it?)", StepKind::Budget,
         Protocol::Chat, false, "chat", "chat.basic"},
        {"chat.stream", "Chat: streamed answer, usage chunk, [DONE]", StepKind::Text,
         Protocol::Chat, true, "chat", "chat.basic"},
        {"chat.tools", "Chat: tool call -> tool result -> answer", StepKind::Tools, Protocol::Chat,
         false, "chat", "chat.basic"},
        {"responses.basic", "Responses: exact answer", StepKind::Text, Protocol::Responses, false,
         "responses", ""},
        {"responses.stream", "Responses: streamed answer, event grammar, response.completed",
         StepKind::Text, Protocol::Responses, true, "responses", "responses.basic"},
        {"responses.tools", "Responses: function_call -> function_call_output -> answer",
         StepKind::Tools, Protocol::Responses, true, "responses", "responses.basic"},
        {"responses.custom_tool", "Responses: Codex freeform custom tool", StepKind::CustomTool,
         Protocol::Responses, true, "responses", "responses.basic"},
        {"messages.basic", "Messages: exact answer", StepKind::Text, Protocol::Messages, false,
         "messages", ""},
        {"messages.stream", "Messages: streamed answer, block grammar, message_stop",
         StepKind::Text, Protocol::Messages, true, "messages", "messages.basic"},
        {"messages.tools", "Messages: tool_use -> tool_result -> answer", StepKind::Tools,
         Protocol::Messages, true, "messages", "messages.basic"},
        {"adapter.responses_via_chat",
         "Adapter: a Codex-shaped Responses tool loop translated to the chat endpoint",
         StepKind::AdapterResponses, Protocol::Chat, true, "adapter", "chat.basic"},
        {"adapter.messages_via_chat",
         "Adapter: a Claude-Code-shaped Messages tool loop translated to the chat endpoint",
         StepKind::AdapterMessages, Protocol::Chat, true, "adapter", "chat.basic"},
    };
    return specs;
}

const StepSpec* find_step(std::string_view id) {
    for (const StepSpec& spec : step_specs()) {
        if (spec.id == id) return &spec;
    }
    return nullptr;
}

Protocol client_protocol(const StepSpec& spec) {
    if (spec.kind == StepKind::AdapterResponses) return Protocol::Responses;
    if (spec.kind == StepKind::AdapterMessages) return Protocol::Messages;
    return spec.protocol;
}

}  // namespace probe

const std::vector<StepInfo>& probe_suite() {
    static const std::vector<StepInfo> suite = [] {
        std::vector<StepInfo> out;
        for (const auto& spec : probe::step_specs())
            out.push_back(StepInfo{spec.id, spec.title, spec.protocol, spec.lane});
        return out;
    }();
    return suite;
}

// ---- URLs --------------------------------------------------------------------------------------

namespace {

std::string strip_trailing_slashes(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

// "https://host:8080/x/y" -> "https://host:8080"
std::string origin_of(const std::string& url) {
    std::size_t scheme = url.find("://");
    std::size_t from = scheme == std::string::npos ? 0 : scheme + 3;
    std::size_t slash = url.find('/', from);
    return slash == std::string::npos ? url : url.substr(0, slash);
}

// The base without a trailing "/v1": endpoints are written with their /v1.
std::string root_of(std::string url) {
    url = strip_trailing_slashes(std::move(url));
    if (url.size() >= 3 && url.compare(url.size() - 3, 3, "/v1") == 0) url.resize(url.size() - 3);
    return url;
}

std::string protocol_base(const ProbeConfig& config, Protocol protocol) {
    const std::string& override_url = protocol == Protocol::Chat        ? config.chat_base_url
                                      : protocol == Protocol::Responses ? config.responses_base_url
                                                                        : config.messages_base_url;
    if (override_url.empty()) return root_of(config.base_url);
    if (override_url.front() == '/') return root_of(origin_of(config.base_url) + override_url);
    return root_of(override_url);
}

}  // namespace

std::string endpoint_url(const ProbeConfig& config, Protocol protocol) {
    switch (protocol) {
        case Protocol::Chat:
            return protocol_base(config, protocol) + "/v1/chat/completions";
        case Protocol::Responses:
            return protocol_base(config, protocol) + "/v1/responses";
        case Protocol::Messages:
            return protocol_base(config, protocol) + "/v1/messages";
    }
    return {};
}

std::string models_url(const ProbeConfig& config) {
    return root_of(config.base_url) + "/v1/models";
}

namespace probe {

// ---- prompts and tools -------------------------------------------------------------------------

std::string expected_token(Protocol protocol) {
    switch (protocol) {
        case Protocol::Chat:
            return "WIRECHECK_CHAT_OK";
        case Protocol::Responses:
            return "WIRECHECK_RESPONSES_OK";
        case Protocol::Messages:
            return "WIRECHECK_MESSAGES_OK";
    }
    return {};
}

namespace {

Turn text_turn(Role role, std::string text) {
    return Turn{role, {TextPart{std::move(text), nullptr}}};
}

Tool timezone_tool() {
    Tool tool;
    tool.type = ToolType::Function;
    tool.name = std::string(kTimezoneTool);
    tool.description = "Returns the IANA time zone of a city.";
    tool.parameters = Json::parse(R"({"type":"object","properties":{"city":{"type":"string",
        "description":"The city name, e.g. Beijing"}},"required":["city"]})");
    return tool;
}

// A freeform custom tool (Responses `custom`, protocols.md §2), as Codex declares its tools.
Tool custom_timezone_tool() {
    Tool tool;
    tool.type = ToolType::Custom;
    tool.name = std::string(kCustomTool);
    tool.description =
        "Looks up the IANA time zone of a city. The input is the city name as plain text.";
    tool.format = Json{{"type", "text"}};
    return tool;
}

// Codex always declares apply_patch as a grammar tool (peers.md §2.27); the adapter must carry it.
Tool apply_patch_tool() {
    Tool tool;
    tool.type = ToolType::Custom;
    tool.name = "apply_patch";
    tool.description = "Edits files. Use only when asked to change a file.";
    tool.format = Json{{"type", "grammar"},
                       {"syntax", "lark"},
                       {"definition",
                        "start: \"*** Begin Patch\" LF body \"*** End Patch\"\n"
                        "body: /(.|\\n)*/\nLF: \"\\n\""}};
    return tool;
}

// Claude Code's shell tool, for the Messages-shaped adapter loop.
Tool bash_tool() {
    Tool tool;
    tool.type = ToolType::Function;
    tool.name = "Bash";
    tool.description = "Runs a shell command. Use only when asked to run a command.";
    tool.parameters = Json::parse(
        R"({"type":"object","properties":{"command":{"type":"string"}},"required":["command"]})");
    return tool;
}

const char* kToolPrompt =
    "What is the time zone of Beijing? Call the get_city_timezone tool, then answer with the IANA "
    "time zone name only.";
const char* kCustomToolPrompt =
    "What is the time zone of Beijing? Call the lookup_timezone tool with the city name as its "
    "input, then answer with the IANA time zone name only.";

}  // namespace

// ---- conversations -----------------------------------------------------------------------------

Request initial_conversation(const StepSpec& spec, const ProbeConfig& config) {
    Request request;
    request.model = config.model;
    request.max_output_tokens = config.max_output_tokens;
    request.stream = spec.stream;
    Protocol protocol = client_protocol(spec);
    switch (spec.kind) {
        case StepKind::Models:
            break;
        case StepKind::Budget:
            request.max_output_tokens = config.budget_probe_tokens;
            [[fallthrough]];
        case StepKind::Text:
            request.turns.push_back(
                text_turn(Role::User, "Return exactly: " + expected_token(protocol)));
            break;
        case StepKind::Tools:
            request.turns.push_back(text_turn(Role::User, kToolPrompt));
            request.tools.push_back(timezone_tool());
            request.tool_choice = ToolChoice{ToolChoice::Mode::Auto, {}};
            break;
        case StepKind::CustomTool:
            request.turns.push_back(text_turn(Role::User, kCustomToolPrompt));
            request.tools.push_back(custom_timezone_tool());
            request.tool_choice = ToolChoice{ToolChoice::Mode::Auto, {}};
            break;
        case StepKind::AdapterResponses:
            // Codex: instructions first, function + custom tools, tool_choice auto, no parallel
            // calls, stream (protocols.md §3).
            request.turns.push_back(
                text_turn(Role::System, "You are a coding agent. Use the tools when they help."));
            request.turns.push_back(text_turn(Role::User, kToolPrompt));
            request.tools = {timezone_tool(), apply_patch_tool()};
            request.tool_choice = ToolChoice{ToolChoice::Mode::Auto, {}};
            request.parallel_tool_calls = false;
            break;
        case StepKind::AdapterMessages:
            // Claude Code: a system prompt, a shell tool beside ours, max_tokens, stream (§4).
            request.turns.push_back(
                text_turn(Role::System,
                          "You are a command line coding assistant. Use tools when they help."));
            request.turns.push_back(text_turn(Role::User, kToolPrompt));
            request.tools = {timezone_tool(), bash_tool()};
            break;
    }
    return request;
}

namespace {

std::string tool_result_text(const ToolCallPart& call) {
    if (call.name == kTimezoneTool)
        return R"({"city":"Beijing","timezone":"Asia/Shanghai","utc_offset":"+08:00"})";
    if (call.name == kCustomTool) return std::string(kExpectedTimezone);
    return "This tool is not available in this probe; answer from the other tool results.";
}

}  // namespace

bool append_tool_results(Request& conversation, const Response& reply) {
    Turn assistant{Role::Assistant, {}};
    std::vector<ToolCallPart> calls;
    for (const Part& part : reply.output) {
        if (const auto* text = std::get_if<TextPart>(&part)) {
            if (text->text.empty())
                continue;  // Messages rejects empty text blocks (peers.md §2.10)
        }
        Part copy = part;
        // Codex sends history items without ids (store:false; protocols.md §3).
        if (auto* call = std::get_if<ToolCallPart>(&copy)) {
            call->item_id.clear();
            calls.push_back(*call);
        }
        if (auto* reasoning = std::get_if<ReasoningPart>(&copy)) reasoning->item_id.clear();
        assistant.parts.push_back(std::move(copy));
    }
    if (calls.empty()) return false;
    conversation.turns.push_back(std::move(assistant));
    for (const ToolCallPart& call : calls) {
        ToolResultPart result;
        result.call_id = call.id;
        result.kind = call.kind;
        result.content.push_back(ToolResultContent{TextPart{tool_result_text(call), nullptr}});
        conversation.turns.push_back(Turn{Role::Tool, {std::move(result)}});
    }
    return true;
}

// ---- requests ----------------------------------------------------------------------------------

namespace {

void add_common_headers(const ProbeConfig& config, bool stream, bool has_body,
                        HttpHeaders& headers) {
    if (has_body) headers.emplace_back("Content-Type", "application/json");
    headers.emplace_back("Accept", stream ? "text/event-stream" : "application/json");
    for (const auto& header : config.extra_headers) headers.push_back(header);
}

}  // namespace

HttpRequest make_http_request(const ProbeConfig& config, Protocol protocol, std::string body,
                              bool stream) {
    HttpRequest request;
    request.method = "POST";
    request.url = endpoint_url(config, protocol);
    request.stream = stream;
    // Auth per protocol: Bearer for OpenAI's, x-api-key + anthropic-version for Messages, plus the
    // browser opt-in Anthropic requires for CORS (protocols.md §4, §6).
    if (protocol == Protocol::Messages) {
        request.headers.emplace_back("x-api-key", config.api_key);
        request.headers.emplace_back("anthropic-version", "2023-06-01");
        if (config.browser)
            request.headers.emplace_back("anthropic-dangerous-direct-browser-access", "true");
    } else {
        request.headers.emplace_back("Authorization", "Bearer " + config.api_key);
    }
    add_common_headers(config, stream, true, request.headers);
    request.body = std::move(body);
    return request;
}

HttpRequest make_models_request(const ProbeConfig& config) {
    HttpRequest request;
    request.method = "GET";
    request.url = models_url(config);
    // Bearer only: with x-api-key + anthropic-version new-api answers in Anthropic's format (§5).
    request.headers.emplace_back("Authorization", "Bearer " + config.api_key);
    add_common_headers(config, false, false, request.headers);
    return request;
}

std::string encode_native(Protocol protocol, const Request& conversation) {
    Losses ignored;  // our own canonical request: nothing of interest is lost
    // (Responses requests say store:false, as Codex's do: the encoder always writes it.)
    std::string text = encode_request(protocol, conversation, ignored);
    auto has_reasoning = [](const Turn& turn) {
        return turn.role == Role::Assistant &&
               std::any_of(turn.parts.begin(), turn.parts.end(), [](const Part& part) {
                   const auto* r = std::get_if<ReasoningPart>(&part);
                   return r && !r->text.empty();
               });
    };
    if (protocol != Protocol::Chat ||
        std::none_of(conversation.turns.begin(), conversation.turns.end(), has_reasoning))
        return text;
    // DeepSeek thinking mode: an assistant turn with tool calls must carry its reasoning_content
    // on later requests, else HTTP 400 (protocols.md §1). The Chat codec drops reasoning, so the
    // probe puts it back, as a DeepSeek-aware SDK app would.
    Result<Json> parsed = parse_json(text);
    if (!parsed.ok()) return text;
    Json& body = parsed.value();
    auto messages = body.find("messages");
    if (messages == body.end() || !messages->is_array()) return text;
    std::size_t assistant = 0;
    for (const Turn& turn : conversation.turns) {
        if (turn.role != Role::Assistant) continue;
        std::string reasoning;
        for (const Part& part : turn.parts) {
            if (const auto* r = std::get_if<ReasoningPart>(&part)) reasoning += r->text;
        }
        std::size_t seen = 0;
        for (Json& message : *messages) {
            if (!message.is_object() || message.value("role", "") != "assistant") continue;
            if (seen++ != assistant) continue;
            if (!reasoning.empty()) message["reasoning_content"] = reasoning;
            break;
        }
        ++assistant;
    }
    return dump_json(body);
}

// ---- redaction ---------------------------------------------------------------------------------

void Redactor::scrub_in_place(std::string& text) const {
    if (!active()) return;
    std::size_t at = 0;
    while ((at = text.find(key_, at)) != std::string::npos) {
        text.replace(at, key_.size(), kApiKeyPlaceholder);
        at += kApiKeyPlaceholder.size();
    }
}

std::string Redactor::scrub(std::string text) const {
    scrub_in_place(text);
    return text;
}

std::size_t Redactor::safe_end(std::string_view raw) const {
    if (!active()) return raw.size();
    // The longest suffix of raw that is a proper prefix of the key may still become the key.
    std::size_t longest = std::min(raw.size(), key_.size() - 1);
    for (std::size_t n = longest; n > 0; --n) {
        if (raw.compare(raw.size() - n, n, key_, 0, n) == 0) return raw.size() - n;
    }
    return raw.size();
}

HttpRequest Redactor::scrub(const HttpRequest& request) const {
    HttpRequest out = request;
    scrub_in_place(out.url);
    scrub_in_place(out.body);
    for (auto& [name, value] : out.headers) scrub_in_place(value);
    return out;
}

}  // namespace probe
}  // namespace wirecheck
