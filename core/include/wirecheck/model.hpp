// The canonical model every protocol codec decodes into and encodes from: requests, responses and
// stream events. Translation is always decode(A) -> canonical -> encode(B); whatever a codec cannot
// carry in either direction is recorded as a Loss (see loss.hpp), never dropped silently.
//
// Conventions
// - Token counts follow OpenAI's inclusion rules: Usage::input includes cache reads and writes,
//   Usage::output includes reasoning tokens. The Messages codec converts at its edge.
// - Tool-call arguments are JSON *text* as the model produced it (function tools) or the raw input
//   (custom/freeform tools); they are never re-serialised, so byte-exact round trips are possible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "wirecheck/json.hpp"

namespace wirecheck {

enum class Protocol { Chat, Responses, Messages };
std::string_view protocol_name(Protocol p);  // "chat", "responses", "messages"

// ---- content parts -------------------------------------------------------------------------

struct TextPart {
    std::string text;
    Json extras;  // protocol-specific attachments kept for same-protocol round trips
                  // (e.g. Messages cache_control, Responses annotations); null when none
};

struct ImagePart {
    std::string url;         // http(s) URL, or empty when the image is inline
    std::string media_type;  // for inline data, e.g. "image/png"
    std::string data_base64; // inline data without the "data:...;base64," prefix
    std::string detail;      // OpenAI detail hint ("auto", "low", "high"), empty if none
};

enum class ToolKind { Function, Custom };

struct ToolCallPart {
    std::string id;         // the call id: Chat tool_calls[].id, Responses call_id, Messages tool_use.id
    std::string item_id;    // Responses output item id ("fc_..."), empty when unknown
    std::string name;       // the tool's name (inside its namespace, if any)
    std::string name_space; // Responses `namespace` of the called tool ("" when none)
    std::string arguments;  // JSON text (Function) or raw input (Custom)
    ToolKind kind = ToolKind::Function;
};

struct ToolResultContent {
    std::variant<TextPart, ImagePart> value;
};

struct ToolResultPart {
    std::string call_id;
    std::vector<ToolResultContent> content;
    bool is_error = false;
    ToolKind kind = ToolKind::Function;  // answers a function call or a custom tool call
    Json extras;  // protocol-specific attachments kept for same-protocol round trips (Messages
                  // cache_control, which Claude Code puts on the latest result); null when none
};

// Model reasoning. Which fields exist depends on who produced it; `origin` says who, so that a
// signature or encrypted payload is only ever sent back to the protocol that issued it.
struct ReasoningPart {
    std::string text;                  // reasoning text (DeepSeek reasoning_content, thinking, reasoning_text)
    std::vector<std::string> summary;  // Responses summary_text entries
    std::string signature;             // Messages thinking signature (opaque, verbatim)
    std::string encrypted_content;     // Responses encrypted_content (opaque, verbatim)
    std::string redacted_data;         // Messages redacted_thinking.data
    std::string item_id;               // Responses reasoning item id, if any
    Protocol origin = Protocol::Chat;
};

struct RefusalPart {
    std::string text;
};

using Part = std::variant<TextPart, ImagePart, ToolCallPart, ToolResultPart, ReasoningPart, RefusalPart>;

// ---- requests ----------------------------------------------------------------------------------

enum class Role { System, Developer, User, Assistant, Tool };
std::string_view role_name(Role r);

struct Turn {
    Role role = Role::User;
    std::vector<Part> parts;
};

enum class ToolType { Function, Custom, Hosted };

struct Tool {
    ToolType type = ToolType::Function;
    std::string name;         // for namespaced tools, the name inside the namespace
    std::string name_space;   // Responses namespace ("" when none)
    std::string description;
    JsonText parameters;      // JSON Schema (Function); null when absent
    std::optional<bool> strict;
    Json format;              // Custom: {type:"grammar", syntax, definition} or {type:"text"}; null if none
    Json hosted;              // Hosted: the original tool object, opaque (web_search, local_shell, ...)
    Json extras;              // protocol-specific attachments kept for same-protocol round
                              // trips (Messages cache_control, ...); null when none

    std::string flat_name() const;  // see flat_tool_name()
};

// The name a namespaced tool gets on protocols without namespaces (Chat, Messages), whose tool
// names must match ^[a-zA-Z0-9_-]{1,64}$: "ns__name". Codex's default namespace "functions" adds
// no prefix (its calls arrive un-namespaced). Reversed with the request's tool list, never guessed.
std::string flat_tool_name(std::string_view name_space, std::string_view name);

struct ToolChoice {
    enum class Mode { Auto, None, Required, Named };
    Mode mode = Mode::Auto;
    std::string name;  // for Named
};

struct ReasoningConfig {
    std::string effort;                   // "minimal" | "low" | "medium" | "high" | ... ; "" unset
    std::optional<std::int64_t> budget_tokens;  // Messages thinking budget
    std::optional<bool> enabled;          // explicit on/off (Messages thinking type, DeepSeek thinking)
    std::string summary;                  // Responses reasoning.summary ("auto", "concise", ...)
};

struct Request {
    std::string model;
    std::vector<Turn> turns;  // system/developer instructions are turns with those roles, in order
    std::vector<Tool> tools;
    std::optional<ToolChoice> tool_choice;
    std::optional<bool> parallel_tool_calls;
    std::optional<double> temperature;
    std::optional<double> top_p;
    std::optional<std::int64_t> top_k;
    std::vector<std::string> stop;
    std::optional<std::int64_t> max_output_tokens;
    bool stream = false;
    bool stream_include_usage = false;
    Json response_format;  // canonical: {type:"text"|"json_object"|"json_schema", name, schema, strict, description}
    std::optional<ReasoningConfig> reasoning;
    Json metadata;         // object or null
    std::string user;
};

// ---- responses ---------------------------------------------------------------------------------

enum class StopReason {
    EndTurn,        // chat "stop", messages "end_turn", responses "completed"
    MaxTokens,      // chat "length", messages "max_tokens", responses incomplete/max_output_tokens
    ToolUse,        // chat "tool_calls", messages "tool_use"
    StopSequence,   // messages "stop_sequence" (chat reports "stop")
    ContentFilter,  // chat "content_filter", responses incomplete/content_filter
    Refusal,        // messages "refusal"
    PauseTurn,      // messages "pause_turn"
    ContextWindow,  // messages "model_context_window_exceeded"
    Error,          // responses "failed"
    Unknown,
};
std::string_view stop_reason_name(StopReason r);

struct Usage {
    std::int64_t input = 0;       // all prompt tokens, cache reads and writes included
    std::int64_t output = 0;      // all generated tokens, reasoning included
    std::int64_t reasoning = 0;   // part of output spent on reasoning
    std::int64_t cache_read = 0;  // part of input read from cache
    std::int64_t cache_write = 0; // part of input written to cache
};

struct ApiError {
    std::string type;     // "invalid_request_error", "new_api_error", ...
    std::string code;     // "convert_request_failed", ... ("" if none)
    std::string message;
};

struct Response {
    std::string id;
    std::string model;
    std::int64_t created = 0;  // unix seconds, 0 when unknown (the core has no clock)
    std::vector<Part> output;  // assistant parts in order
    StopReason stop_reason = StopReason::EndTurn;
    std::string stop_sequence;  // the matched sequence, when stop_reason is StopSequence
    std::optional<Usage> usage;
    std::optional<ApiError> error;  // set for failed responses / error bodies
};

// ---- stream events -----------------------------------------------------------------------------
// A protocol-neutral event stream. Parts are numbered in order of appearance (`index`); every part
// is opened by PartStart and closed by PartEnd; deltas name the part they extend.

enum class PartType { Text, ToolCall, Reasoning, Refusal };

struct StreamEvent {
    enum class Kind {
        Start,           // response begins: id, model (usage may carry input tokens)
        PartStart,       // part `index` of `part_type` begins (tool calls: id, name, kind known)
        TextDelta,       // text appended to a Text or Refusal part
        ArgumentsDelta,  // tool-call arguments/input appended
        ReasoningDelta,  // reasoning text appended
        SummaryDelta,    // reasoning summary text appended (summary_index)
        SignatureDelta,  // reasoning signature / encrypted payload appended
        PartEnd,         // part `index` is complete
        Finish,          // response ends: stop_reason, usage
        Error,           // the stream failed: error
    };
    Kind kind = Kind::Start;
    std::size_t index = 0;
    PartType part_type = PartType::Text;
    std::string text;          // the delta for *Delta kinds
    std::size_t summary_index = 0;
    // Start
    std::string id;
    std::string model;
    std::int64_t created = 0;  // unix seconds from the source, 0 when unknown
    // PartStart (ToolCall)
    ToolCallPart tool_call;    // id, item_id, name, kind; arguments empty (they come as deltas)
    ReasoningPart reasoning;   // PartStart(Reasoning): origin, item_id; PartEnd: complete fields
    // Finish
    StopReason stop_reason = StopReason::EndTurn;
    std::string stop_sequence;
    std::optional<Usage> usage;
    // Error
    std::optional<ApiError> error;
};

}  // namespace wirecheck
