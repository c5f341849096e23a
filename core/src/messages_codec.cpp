// Anthropic Messages codec, part 1: the helpers shared by the request and stream files (Messages
// extras, content blocks, tool ids/names, stop reasons, usage, errors) and the non-streaming
// response codec. Requests are in messages_request.cpp, streams in messages_stream.cpp.
//
// Sections
//   1. extras and unknown keys (checked field access is json_access.hpp)
//   2. content blocks: decode
//   3. content blocks: encode (text, image, tool_use, thinking)
//   4. tool ids and names
//   5. stop reasons, usage, errors
//   6. responses: decode_messages_response / encode_messages_response
//
// Loss pointers: decoders point into the Messages document; encoders point into the canonical
// model, spelled like its fields ("/turns/3/parts/1", "/output/0", "/usage").
#include <algorithm>

#include "messages_internal.hpp"

namespace wirecheck::messages {

// ---- 1. extras and unknown keys -----------------------------------------------------------------

namespace {
std::initializer_list<std::string_view> extras_keys(ExtrasKind kind) {
    static const std::initializer_list<std::string_view> kText = {"cache_control", "citations"};
    static const std::initializer_list<std::string_view> kToolResult = {"cache_control"};
    static const std::initializer_list<std::string_view> kTool = {
        "cache_control", "input_examples", "defer_loading", "allowed_callers",
        "eager_input_streaming"};
    switch (kind) {
        case ExtrasKind::Text:
            return kText;
        case ExtrasKind::ToolResult:
            return kToolResult;
        case ExtrasKind::Tool:
            return kTool;
    }
    return {};
}
}  // namespace

template <class Doc>
Json extras_of(const Doc& obj, std::initializer_list<std::string_view> known, ExtrasKind kind,
               const std::string& pointer, std::string_view where, Losses& losses) {
    Json out;
    for_each_unknown_key(obj, known, [&](std::string_view key) {
        if (is_known(key, extras_keys(kind))) {
            out[std::string(key)] = as_json(*find_field(obj, key));
        } else {
            add_loss(losses, Code::LossUnknownField, Severity::Warn, pointer_join(pointer, key),
                     "`" + std::string(key) + "` of " + std::string(where) +
                         " is not known to the Messages codec; it was not carried over");
        }
    });
    return out;
}
template Json extras_of(const Json&, std::initializer_list<std::string_view>, ExtrasKind,
                        const std::string&, std::string_view, Losses&);
template Json extras_of(const JsonElement&, std::initializer_list<std::string_view>, ExtrasKind,
                        const std::string&, std::string_view, Losses&);

void merge_extras(Json& block, const Json& extras, ExtrasKind kind, const std::string& pointer,
                  Losses& losses) {
    if (!extras.is_object()) return;
    for (auto it = extras.begin(); it != extras.end(); ++it) {
        if (is_known(it.key(), extras_keys(kind))) {
            if (!block.contains(it.key())) block[it.key()] = it.value();
        } else if (!it.value().is_null() && !it.value().empty()) {
            add_loss(losses, Code::LossFieldDropped, Severity::Info,
                     pointer_join(pointer_join(pointer, "extras"), it.key()),
                     "`" + it.key() + "` (from another protocol) has no Messages field; dropped");
        }
    }
}

template <class Doc>
void record_unknown_keys(const Doc& obj, std::initializer_list<std::string_view> known,
                         const std::string& pointer, std::string_view where, Losses& losses) {
    for_each_unknown_key(obj, known, [&](std::string_view key) {
        // cache_control is a known Messages field; it only has a canonical home on text blocks,
        // tool results and tools, so elsewhere it is dropped rather than unknown.
        bool cache = key == "cache_control";
        add_loss(losses, cache ? Code::LossFieldDropped : Code::LossUnknownField, Severity::Warn,
                 pointer_join(pointer, key),
                 "`" + std::string(key) + "` of " + std::string(where) +
                     (cache ? " has no canonical field; it was dropped"
                            : " is not known to the Messages codec; it was not carried over"));
    });
}
template void record_unknown_keys(const Json&, std::initializer_list<std::string_view>,
                                  const std::string&, std::string_view, Losses&);
template void record_unknown_keys(const JsonElement&, std::initializer_list<std::string_view>,
                                  const std::string&, std::string_view, Losses&);

// ---- 2. content blocks: decode ------------------------------------------------------------------

namespace {

// Blocks that are valid Messages but have no canonical form: documents and the blocks of
// Anthropic-hosted (server) tools. They are dropped with a loss instead of failing the request.
bool is_unrepresentable_block(std::string_view type) {
    static constexpr std::string_view kSuffix = "_tool_result";
    if (type == "document" || type == "search_result" || type == "container_upload" ||
        type == "server_tool_use" || type == "mcp_tool_use") {
        return true;
    }
    return type.size() > kSuffix.size() && type.substr(type.size() - kSuffix.size()) == kSuffix;
}

Result<std::optional<Part>> dropped_block(std::string_view type, const std::string& pointer,
                                          Losses& losses) {
    add_loss(losses, Code::LossPartDropped, Severity::Warn, pointer,
             "a `" + std::string(type) + "` block has no canonical form; it was dropped");
    return std::optional<Part>{};
}

template <class Doc>
Result<ImagePart> decode_image(const Doc& block, const std::string& pointer, bool* dropped,
                               Losses& losses) {
    ImagePart image;
    std::string src_ptr = pointer_join(pointer, "source");
    auto source = find_present(block, "source");
    if (!source) return missing_field(src_ptr, "`source`");
    WIRECHECK_TRY(expect_object(*source, src_ptr));
    std::string type;
    WIRECHECK_TRY(read_string(*source, "type", src_ptr, type, true));
    if (type == "base64") {
        WIRECHECK_TRY(read_string(*source, "media_type", src_ptr, image.media_type));
        WIRECHECK_TRY(read_string(*source, "data", src_ptr, image.data_base64, true));
    } else if (type == "url") {
        WIRECHECK_TRY(read_string(*source, "url", src_ptr, image.url, true));
    } else if (type == "file") {
        // A Files-API id only means something to Anthropic's own storage.
        add_loss(losses, Code::LossPartDropped, Severity::Warn, pointer,
                 "an image given by Files-API `file_id` has no canonical form; it was dropped");
        *dropped = true;
    } else {
        return make_error(Code::JsonUnknownType, pointer_join(src_ptr, "type"),
                          "unknown image source type '" + type + "' (expected base64 or url)");
    }
    record_unknown_keys(block, {"type", "source"}, pointer, "an image block", losses);
    return image;
}

// tool_result content: a string, or an array of text/image blocks (protocols.md §4).
template <class Doc>
Status decode_tool_result_content(const Doc& content, const std::string& pointer,
                                  ToolResultPart& result, Losses& losses) {
    if (content.is_string()) {
        if (!string_of(content).empty()) {
            result.content.push_back({TextPart{std::string(string_of(content)), Json()}});
        }
        return {};
    }
    if (!content.is_array()) return wrong_type(pointer, "a string or an array of blocks", content);
    return for_each_item(content, [&](const auto& item, std::size_t i) -> Status {
        std::string at = pointer_join(pointer, i);
        WIRECHECK_TRY(expect_object(item, at));
        std::string type;
        WIRECHECK_TRY(read_string(item, "type", at, type, true));
        if (type == "text") {
            TextPart text;
            WIRECHECK_TRY(read_string(item, "text", at, text.text, true));
            text.extras =
                extras_of(item, {"type", "text"}, ExtrasKind::Text, at, "a text block", losses);
            result.content.push_back({std::move(text)});
        } else if (type == "image") {
            bool dropped = false;
            Result<ImagePart> image = decode_image(item, at, &dropped, losses);
            if (!image.ok()) return image.error();
            if (!dropped) result.content.push_back({std::move(*image)});
        } else if (type == "document" || type == "search_result") {
            add_loss(losses, Code::LossPartDropped, Severity::Warn, at,
                     "a `" + type + "` inside a tool_result has no canonical form; it was dropped");
        } else {
            return make_error(
                Code::JsonUnknownType, pointer_join(at, "type"),
                "unknown tool_result content type '" + type + "' (expected text or image)");
        }
        return {};
    });
}

}  // namespace

template <class Doc>
Result<std::optional<Part>> decode_content_block(const Doc& block, const std::string& pointer,
                                                 Losses& losses) {
    WIRECHECK_TRY(expect_object(block, pointer));
    std::string type;
    WIRECHECK_TRY(read_string(block, "type", pointer, type, true));

    if (type == "text") {
        TextPart text;
        WIRECHECK_TRY(read_string(block, "text", pointer, text.text, true));
        // cache_control, citations: kept verbatim for Messages -> Messages round trips.
        text.extras =
            extras_of(block, {"type", "text"}, ExtrasKind::Text, pointer, "a text block", losses);
        return std::optional<Part>{std::move(text)};
    }
    if (type == "image") {
        bool dropped = false;
        Result<ImagePart> image = decode_image(block, pointer, &dropped, losses);
        if (!image.ok()) return image.error();
        if (dropped) return std::optional<Part>{};
        return std::optional<Part>{std::move(*image)};
    }
    if (type == "tool_use") {
        ToolCallPart call;
        WIRECHECK_TRY(read_string(block, "id", pointer, call.id, true));
        WIRECHECK_TRY(read_string(block, "name", pointer, call.name, true));
        auto input = find_present(block, "input");
        if (!input) return missing_field(pointer_join(pointer, "input"), "`input`");
        WIRECHECK_TRY(expect_object(*input, pointer_join(pointer, "input")));
        // `input` is an object on the wire; the canonical arguments are JSON text.
        call.arguments = dump_json(as_json(*input));
        record_unknown_keys(block, {"type", "id", "name", "input"}, pointer, "a tool_use block",
                            losses);
        return std::optional<Part>{std::move(call)};
    }
    if (type == "tool_result") {
        ToolResultPart result;
        WIRECHECK_TRY(read_string(block, "tool_use_id", pointer, result.call_id, true));
        if (auto content = find_present(block, "content")) {
            WIRECHECK_TRY(decode_tool_result_content(*content, pointer_join(pointer, "content"),
                                                     result, losses));
        }
        std::optional<bool> is_error;
        WIRECHECK_TRY(read_bool(block, "is_error", pointer, is_error));
        result.is_error = is_error.value_or(false);
        result.extras = extras_of(block, {"type", "tool_use_id", "content", "is_error"},
                                  ExtrasKind::ToolResult, pointer, "a tool_result block", losses);
        return std::optional<Part>{std::move(result)};
    }
    if (type == "thinking") {
        ReasoningPart reasoning;
        reasoning.origin = Protocol::Messages;
        WIRECHECK_TRY(read_string(block, "thinking", pointer, reasoning.text));
        // Opaque; kept byte for byte (re-serialising invalidates it, peers §2 edge case 12).
        WIRECHECK_TRY(read_string(block, "signature", pointer, reasoning.signature));
        record_unknown_keys(block, {"type", "thinking", "signature"}, pointer, "a thinking block",
                            losses);
        return std::optional<Part>{std::move(reasoning)};
    }
    if (type == "redacted_thinking") {
        ReasoningPart reasoning;
        reasoning.origin = Protocol::Messages;
        WIRECHECK_TRY(read_string(block, "data", pointer, reasoning.redacted_data, true));
        record_unknown_keys(block, {"type", "data"}, pointer, "a redacted_thinking block", losses);
        return std::optional<Part>{std::move(reasoning)};
    }
    if (is_unrepresentable_block(type)) return dropped_block(type, pointer, losses);
    return make_error(Code::JsonUnknownType, pointer_join(pointer, "type"),
                      "unknown content block type '" + type + "'");
}
template Result<std::optional<Part>> decode_content_block(const Json&, const std::string&,
                                                          Losses&);
template Result<std::optional<Part>> decode_content_block(const JsonElement&, const std::string&,
                                                          Losses&);

// ---- 3. content blocks: encode ------------------------------------------------------------------

Json encode_text_block(const TextPart& text, const std::string& pointer, Losses& losses) {
    Json block = {{"type", "text"}, {"text", text.text}};
    merge_extras(block, text.extras, ExtrasKind::Text, pointer, losses);
    return block;
}

Json encode_image_block(const ImagePart& image, const std::string& pointer, Losses& losses) {
    Json source;
    if (!image.data_base64.empty()) {
        source = {
            {"type", "base64"}, {"media_type", image.media_type}, {"data", image.data_base64}};
    } else {
        source = {{"type", "url"}, {"url", image.url}};
    }
    if (!image.detail.empty() && image.detail != "auto") {
        add_loss(losses, Code::LossFieldDropped, Severity::Info, pointer_join(pointer, "detail"),
                 "image detail '" + image.detail + "' has no Messages field");
    }
    return Json{{"type", "image"}, {"source", std::move(source)}};
}

Json tool_use_input(const ToolCallPart& call, const std::string& pointer, Losses& losses) {
    if (call.kind == ToolKind::Custom) {
        // Freeform input travels as the single string parameter of the function-shaped tool.
        add_loss(
            losses, Code::LossCustomToolAsFunction, Severity::Info, pointer,
            "custom tool call `" + call.name + "` sent as tool_use with input {\"input\": ...}");
        return Json{{"input", call.arguments}};
    }
    if (call.arguments.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
    Result<Json> parsed = parse_json(call.arguments);
    if (parsed.ok() && parsed->is_object()) return std::move(*parsed);
    // Decision: send {} rather than invent a wrapper parameter the tool does not declare; the
    // model's history then shows a call without arguments. Severity error: it will not replay
    // what the model did.
    std::string why =
        parsed.ok() ? "a JSON " + std::string(json_type_name(*parsed)) : "not valid JSON";
    add_loss(losses, Code::LossValueMapped, Severity::Error, pointer_join(pointer, "arguments"),
             "arguments of tool call `" + call.name + "` are " + why +
                 ", but tool_use.input must be an object; sent as {}");
    return Json::object();
}

Json encode_tool_use_block(const ToolCallPart& call, const std::string& pointer, Losses& losses) {
    return Json{{"type", "tool_use"},
                {"id", tool_id_for_wire(call.id, pointer_join(pointer, "id"), losses)},
                {"name", tool_name_for_wire(call.name_space, call.name,
                                            pointer_join(pointer, "name"), losses)},
                {"input", tool_use_input(call, pointer, losses)}};
}

std::string reasoning_display_text(const ReasoningPart& reasoning) {
    if (!reasoning.text.empty() || reasoning.summary.empty()) return reasoning.text;
    std::string out;
    for (const std::string& s : reasoning.summary) {
        if (!out.empty()) out += "\n\n";
        out += s;
    }
    return out;
}

// Rules (protocols.md §4: thinking blocks go back unmodified with their signature):
// - Messages reasoning with redacted data -> redacted_thinking; with a signature -> thinking,
//   signature verbatim, even when the text is empty (peers §2 edge case 13).
// - To a server (requests), nothing else can be sent: Anthropic verifies signatures, so thinking
//   cannot be forged. Foreign payloads -> loss.foreign_signature, plain text -> reasoning_dropped.
// - To a client (responses, streams), the text is shown as a thinking block with an empty
//   signature: clients only store and echo it, and an adapter needs it back (DeepSeek requires
//   its reasoning_content returned, peers §2 edge case 15). Foreign payloads are not forwarded.
std::optional<Json> encode_reasoning_block(const ReasoningPart& reasoning, Audience audience,
                                           const std::string& pointer, Losses& losses) {
    bool own = reasoning.origin == Protocol::Messages;
    if (own && !reasoning.redacted_data.empty()) {
        return Json{{"type", "redacted_thinking"}, {"data", reasoning.redacted_data}};
    }
    if (own && !reasoning.signature.empty()) {
        return Json{
            {"type", "thinking"}, {"thinking", reasoning.text}, {"signature", reasoning.signature}};
    }
    std::string origin(protocol_name(reasoning.origin));
    bool foreign_payload =
        !own && (!reasoning.signature.empty() || !reasoning.encrypted_content.empty() ||
                 !reasoning.redacted_data.empty());
    if (audience == Audience::Server) {
        if (foreign_payload) {
            add_loss(losses, Code::LossForeignSignature, Severity::Warn, pointer,
                     "reasoning from " + origin +
                         " carries a signature/encrypted payload that "
                         "Anthropic cannot verify; not sent (thinking blocks cannot be forged)");
        } else {
            add_loss(losses, Code::LossReasoningDropped, Severity::Warn, pointer,
                     own ? "a thinking block without a signature cannot be sent back to Anthropic"
                         : "reasoning from " + origin +
                               " has no signature, and Messages only "
                               "accepts signed thinking blocks; dropped");
        }
        return std::nullopt;
    }
    std::string text = own ? reasoning.text : reasoning_display_text(reasoning);
    if (foreign_payload) {
        add_loss(losses, Code::LossForeignSignature, Severity::Info, pointer,
                 "the signature/encrypted payload of reasoning from " + origin +
                     " was not forwarded" + (text.empty() ? "; nothing else to show" : ""));
    } else if (!own && reasoning.text.empty() && !text.empty()) {
        add_loss(losses, Code::LossValueMapped, Severity::Info, pointer,
                 "reasoning summary from " + origin + " sent as thinking text");
    }
    if (text.empty()) {
        if (!foreign_payload) {
            add_loss(losses, Code::LossReasoningDropped, Severity::Info, pointer,
                     "empty reasoning without a signature; no thinking block was sent");
        }
        return std::nullopt;
    }
    return Json{{"type", "thinking"}, {"thinking", text}, {"signature", ""}};
}

void encode_assistant_part(const Part& part, Audience audience, const std::string& pointer,
                           Losses& losses, Json& blocks) {
    if (const auto* text = std::get_if<TextPart>(&part)) {
        if (text->text.empty()) {
            // Anthropic rejects "text content blocks must be non-empty" (peers §2 edge case 10).
            add_loss(losses, Code::LossPartDropped, Severity::Info, pointer,
                     "empty text block not sent (Messages rejects empty text blocks)");
            return;
        }
        blocks.push_back(encode_text_block(*text, pointer, losses));
    } else if (const auto* refusal = std::get_if<RefusalPart>(&part)) {
        if (refusal->text.empty()) return;
        add_loss(losses, Code::LossValueMapped, Severity::Info, pointer,
                 "refusal sent as a text block (Messages has no refusal part)");
        blocks.push_back(Json{{"type", "text"}, {"text", refusal->text}});
    } else if (const auto* call = std::get_if<ToolCallPart>(&part)) {
        blocks.push_back(encode_tool_use_block(*call, pointer, losses));
    } else if (const auto* reasoning = std::get_if<ReasoningPart>(&part)) {
        if (auto block = encode_reasoning_block(*reasoning, audience, pointer, losses)) {
            blocks.push_back(std::move(*block));
        }
    } else if (std::holds_alternative<ImagePart>(part)) {
        add_loss(losses, Code::LossPartDropped, Severity::Warn, pointer,
                 "Messages assistant content cannot hold images; the image was dropped");
    } else {
        add_loss(losses, Code::LossPartDropped, Severity::Error, pointer,
                 "a tool result in assistant content has no Messages form; it was dropped");
    }
}

// ---- 4. tool ids and names ----------------------------------------------------------------------

namespace {
bool is_id_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}
}  // namespace

std::string fnv1a_hex8(std::string_view text) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : text) {
        h ^= c;
        h *= 16777619u;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(8, '0');
    for (int i = 7; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = kHex[h & 0xfu];
        h >>= 4;
    }
    return out;
}

std::string sanitize_tool_id(std::string_view id) {
    if (!id.empty() && std::all_of(id.begin(), id.end(), is_id_char)) return std::string(id);
    std::string out;
    out.reserve(id.size() + 9);
    for (char c : id) out += is_id_char(c) ? c : '_';
    return out + "_" + fnv1a_hex8(id);
}

std::string tool_id_for_wire(std::string_view id, const std::string& pointer, Losses& losses) {
    std::string out = sanitize_tool_id(id);
    if (out != id) {
        add_loss(losses, Code::LossIdRewritten, Severity::Info, pointer,
                 "tool id '" + std::string(id) + "' sent as '" + out +
                     "' (Messages ids must match ^[a-zA-Z0-9_-]+$)");
    }
    return out;
}

std::string sanitize_tool_name(std::string_view flat_name) {
    static constexpr std::size_t kMax = 64;
    if (!flat_name.empty() && flat_name.size() <= kMax &&
        std::all_of(flat_name.begin(), flat_name.end(), is_id_char)) {
        return std::string(flat_name);
    }
    std::string out;
    for (char c : flat_name) out += is_id_char(c) ? c : '_';
    if (out.size() > kMax - 9) out.resize(kMax - 9);
    return out + "_" + fnv1a_hex8(flat_name);
}

std::string tool_name_for_wire(std::string_view name_space, std::string_view name,
                               const std::string& pointer, Losses& losses) {
    std::string flat = flat_tool_name(name_space, name);
    if (flat != name) {
        add_loss(losses, Code::LossNamespaceFlattened, Severity::Info, pointer,
                 "tool `" + std::string(name) + "` of namespace `" + std::string(name_space) +
                     "` sent as `" + flat + "`");
    }
    std::string out = sanitize_tool_name(flat);
    if (out != flat) {
        add_loss(losses, Code::LossValueMapped, Severity::Warn, pointer,
                 "tool name `" + flat + "` sent as `" + out +
                     "` (Messages tool names must match ^[a-zA-Z0-9_-]{1,64}$)");
    }
    return out;
}

// ---- 5. stop reasons, usage, errors -------------------------------------------------------------

namespace {
struct StopReasonName {
    StopReason reason;
    std::string_view wire;
};
// protocols.md §4: stop_reason values.
constexpr StopReasonName kStopReasons[] = {
    {StopReason::EndTurn, "end_turn"},
    {StopReason::MaxTokens, "max_tokens"},
    {StopReason::StopSequence, "stop_sequence"},
    {StopReason::ToolUse, "tool_use"},
    {StopReason::PauseTurn, "pause_turn"},
    {StopReason::Refusal, "refusal"},
    {StopReason::ContextWindow, "model_context_window_exceeded"},
};

// Anthropic's error types (protocols.md §4 Errors, plus billing/timeout seen in the SDK).
constexpr std::string_view kErrorTypes[] = {
    "invalid_request_error", "authentication_error", "permission_error", "not_found_error",
    "request_too_large",     "rate_limit_error",     "api_error",        "overloaded_error",
    "billing_error",         "timeout_error",
};
}  // namespace

std::optional<StopReason> stop_reason_from_wire(std::string_view value) {
    for (const auto& entry : kStopReasons) {
        if (entry.wire == value) return entry.reason;
    }
    return std::nullopt;
}

std::string stop_reason_to_wire(StopReason reason, const std::string& pointer, Losses& losses) {
    for (const auto& entry : kStopReasons) {
        if (entry.reason == reason) return std::string(entry.wire);
    }
    // No Messages value: content_filter is closest to a refusal (the model's output was
    // withheld); an error or unknown reason ends the turn normally.
    std::string wire = reason == StopReason::ContentFilter ? "refusal" : "end_turn";
    add_loss(losses, Code::LossValueMapped,
             reason == StopReason::Unknown ? Severity::Info : Severity::Warn, pointer,
             "stop reason '" + std::string(stop_reason_name(reason)) +
                 "' has no Messages value; sent as '" + wire + "'");
    return wire;
}

Result<Usage> decode_usage(const Json& usage, const std::string& pointer) {
    WIRECHECK_TRY(expect_object(usage, pointer));
    std::optional<std::int64_t> input, output, cache_read, cache_write;
    WIRECHECK_TRY(read_int(usage, "input_tokens", pointer, input));
    WIRECHECK_TRY(read_int(usage, "output_tokens", pointer, output));
    WIRECHECK_TRY(read_int(usage, "cache_read_input_tokens", pointer, cache_read));
    WIRECHECK_TRY(read_int(usage, "cache_creation_input_tokens", pointer, cache_write));
    Usage out;
    out.cache_read = cache_read.value_or(0);
    out.cache_write = cache_write.value_or(0);
    out.input = input.value_or(0) + out.cache_read + out.cache_write;
    out.output = output.value_or(0);  // Messages output_tokens already include thinking
    return out;
}

std::int64_t wire_input_tokens(const Usage& usage) {
    return std::max<std::int64_t>(0, usage.input - usage.cache_read - usage.cache_write);
}

Json encode_usage(const Usage& usage) {
    return Json{{"input_tokens", wire_input_tokens(usage)},
                {"output_tokens", usage.output},
                {"cache_creation_input_tokens", usage.cache_write},
                {"cache_read_input_tokens", usage.cache_read}};
}

Result<ApiError> decode_error_envelope(const Json& body, const std::string& pointer) {
    std::string at = pointer_join(pointer, "error");
    const Json* error = find_present(body, "error");
    if (!error) return missing_field(at, "`error`");
    WIRECHECK_TRY(expect_object(*error, at));
    ApiError out;
    WIRECHECK_TRY(read_string(*error, "type", at, out.type));
    WIRECHECK_TRY(read_string(*error, "message", at, out.message));
    return out;
}

std::string wire_error_type(const ApiError& error, const std::string& pointer, Losses& losses) {
    for (std::string_view known : kErrorTypes) {
        if (known == error.type) return error.type;
    }
    if (!error.type.empty()) {
        add_loss(losses, Code::LossValueMapped, Severity::Info, pointer_join(pointer, "type"),
                 "error type '" + error.type + "' is not a Messages error type; sent as api_error");
    }
    return "api_error";
}

Json encode_error_envelope(const ApiError& error, const std::string& pointer, Losses& losses) {
    if (!error.code.empty()) {
        add_loss(losses, Code::LossFieldDropped, Severity::Info, pointer_join(pointer, "code"),
                 "error code '" + error.code + "' has no field in a Messages error");
    }
    return Json{
        {"type", "error"},
        {"error", {{"type", wire_error_type(error, pointer, losses)}, {"message", error.message}}}};
}

}  // namespace wirecheck::messages

// ---- 6. responses -------------------------------------------------------------------------------

namespace wirecheck {

using namespace messages;

namespace {

Status decode_response_content(const Json& body, Response& response, Losses& losses) {
    const Json* content = find_present(body, "content");
    if (!content) return missing_field("/content", "`content`");
    if (!content->is_array()) return wrong_type("/content", "an array", *content);
    for (std::size_t i = 0; i < content->size(); ++i) {
        Result<std::optional<Part>> part =
            decode_content_block((*content)[i], pointer_join("/content", i), losses);
        if (!part.ok()) return part.error();
        if (*part) response.output.push_back(std::move(**part));
    }
    return {};
}

Status decode_stop(const Json& body, Response& response, Losses& losses) {
    std::string stop;
    WIRECHECK_TRY(read_string(body, "stop_reason", "", stop));
    WIRECHECK_TRY(read_string(body, "stop_sequence", "", response.stop_sequence));
    if (stop.empty()) {
        response.stop_reason = StopReason::Unknown;
        add_loss(losses, Code::LossValueMapped, Severity::Info, "/stop_reason",
                 "the response has no stop_reason");
    } else if (auto reason = stop_reason_from_wire(stop)) {
        response.stop_reason = *reason;
    } else {
        response.stop_reason = StopReason::Unknown;
        add_loss(losses, Code::LossValueMapped, Severity::Warn, "/stop_reason",
                 "unknown stop_reason '" + stop + "' mapped to unknown");
    }
    return {};
}

}  // namespace

Result<Response> decode_messages_response(const Json& body, Losses& losses) {
    WIRECHECK_TRY(expect_object(body, ""));
    Response response;
    std::string type;
    WIRECHECK_TRY(read_string(body, "type", "", type));
    if (type == "error") {
        Result<ApiError> error = decode_error_envelope(body, "");
        if (!error.ok()) return error.error();
        response.error = std::move(*error);
        response.stop_reason = StopReason::Error;
        record_unknown_keys(body, {"type", "error", "request_id"}, "", "an error body", losses);
        return response;
    }
    if (!type.empty() && type != "message") {
        return make_error(Code::JsonUnknownType, "/type",
                          "unknown response type '" + type + "' (expected message or error)");
    }
    WIRECHECK_TRY(read_string(body, "id", "", response.id, true));
    WIRECHECK_TRY(read_string(body, "model", "", response.model));
    std::string role;
    WIRECHECK_TRY(read_string(body, "role", "", role));
    if (!role.empty() && role != "assistant") {
        add_loss(losses, Code::LossValueMapped, Severity::Warn, "/role",
                 "response role '" + role + "' treated as assistant");
    }
    WIRECHECK_TRY(decode_response_content(body, response, losses));
    WIRECHECK_TRY(decode_stop(body, response, losses));
    if (const Json* usage = find_present(body, "usage")) {
        Result<Usage> decoded = decode_usage(*usage, "/usage");
        if (!decoded.ok()) return decoded.error();
        response.usage = *decoded;
    }
    record_unknown_keys(
        body, {"id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"},
        "", "the response", losses);
    return response;
}

Json encode_messages_response(const Response& response, Losses& losses) {
    if (response.error) return encode_error_envelope(*response.error, "/error", losses);
    Json content = Json::array();
    for (std::size_t i = 0; i < response.output.size(); ++i) {
        encode_assistant_part(response.output[i], Audience::Client, pointer_join("/output", i),
                              losses, content);
    }
    std::string id = response.id;
    if (id.empty()) {
        id = "msg_0";  // deterministic: the core has no randomness
        add_loss(losses, Code::LossDefaultApplied, Severity::Info, "/id",
                 "the response has no id; sent as msg_0");
    }
    Json out = {{"id", id},
                {"type", "message"},
                {"role", "assistant"},
                {"model", response.model},
                {"content", std::move(content)},
                {"stop_reason", stop_reason_to_wire(response.stop_reason, "/stop_reason", losses)},
                {"stop_sequence", nullptr}};
    if (response.stop_reason == StopReason::StopSequence)
        out["stop_sequence"] = response.stop_sequence;
    if (response.usage) {
        out["usage"] = encode_usage(*response.usage);
    } else {
        add_loss(losses, Code::LossUsageMissing, Severity::Warn, "/usage",
                 "no token usage to report; Messages usage sent as zeros");
        out["usage"] = encode_usage(Usage{});
    }
    return out;
}

}  // namespace wirecheck
