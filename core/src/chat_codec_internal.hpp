// Helpers shared by the Chat Completions codec files (chat_*.cpp): checked JSON field access that
// reports errors with exact pointers, and the mappings requests, responses and streams all use.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json_access.hpp"
#include "json_simd.hpp"
#include "wirecheck/codec.hpp"

namespace wirecheck::chat_detail {

// ---- checked access (json_access.hpp) -----------------------------------------------------------
// OpenAI's SDKs send `null` for unset optional fields, so null means "not given" everywhere in
// this codec: look fields up with find_present().

using namespace json_access;

// Required string: json.missing_field when absent or null (unlike json_access::read_string with
// `required`, which calls an explicit null a wrong type). Doc: Json or JsonElement (json_simd.hpp).
template <class Doc>
Status require_string(const Doc& obj, std::string_view key, const std::string& pointer,
                      std::string& out) {
    auto value = find_present(obj, key);
    if (!value) {
        return missing_field(pointer_join(pointer, key), "string `" + std::string(key) + "`");
    }
    if (!value->is_string()) return wrong_type(pointer_join(pointer, key), "a string", *value);
    out = string_of(*value);
    return {};
}

// json_access::note_unknown_fields naming Chat Completions.
template <class Doc>
void note_unknown_fields(const Doc& obj, const std::string& pointer,
                         std::initializer_list<std::string_view> known, Losses& losses) {
    json_access::note_unknown_fields(obj, pointer, known, "Chat Completions", losses);
}

// Attachments other codecs keep in `extras` (Messages cache_control, Responses annotations) have
// no Chat field and are never forwarded (strict hosts answer 400, peers.md §2.22); each key is
// recorded as loss.field_dropped (info) at <pointer>/extras/<key>, as the Responses codec does.
void note_dropped_extras(const Json& extras, const std::string& pointer, Losses& losses);

// ---- shared mappings ---------------------------------------------------------------------------

// finish_reason -> StopReason (protocols.md §1 "finish_reason"). Unknown values map to Unknown with
// a loss.value_mapped warning; the deprecated "function_call" maps to ToolUse (info).
StopReason decode_finish_reason(const std::string& value, const std::string& pointer,
                                Losses& losses);
// StopReason -> finish_reason. `has_tool_calls`: a turn that ends normally with tool calls is
// "tool_calls" in Chat even when the source (Responses "completed") had no such reason.
std::string encode_finish_reason(StopReason reason, bool has_tool_calls, Losses& losses);

// usage object (with DeepSeek prompt_cache_hit_tokens) -> Usage.
Result<Usage> decode_usage(const Json& usage, const std::string& pointer, Losses& losses);
Json encode_usage(const Usage& usage, Losses& losses);

// {"error":{message,type,param,code}} -> ApiError (code may be a string or a number).
Result<ApiError> decode_api_error(const Json& error, const std::string& pointer, Losses& losses);
Json encode_api_error(const ApiError& error);

// The chat function name of a canonical tool call, recording namespace flattening.
std::string encode_tool_call_name(const ToolCallPart& call, const std::string& pointer,
                                  Losses& losses);
// Custom tool input carried as function arguments: {"input":"<raw>"} (brief: custom tools).
std::string custom_input_as_arguments(const std::string& raw);

// reasoning_content for an assistant message/response built from its ReasoningParts (each with its
// own pointer); records the foreign signatures dropped. Empty optional when nothing is to be sent.
using PointedReasoning = std::pair<const ReasoningPart*, std::string>;
std::optional<std::string> encode_reasoning_content(const std::vector<PointedReasoning>& parts,
                                                    const std::string& pointer, Losses& losses);

// ---- messages (shared by requests and responses) ---------------------------------------------

// The `content` of the message at `message_pointer`: string | array of parts | null. Strings and
// text parts become TextParts (an empty string adds nothing), image_url parts ImageParts, refusal
// parts RefusalParts; input_audio/file are dropped with loss.part_dropped; other part types are
// json.unknown_type. Doc: Json (texts moved out of it) or JsonElement; both are instantiated.
template <class Doc>
Status decode_content(Doc& content, const std::string& message_pointer, std::vector<Part>& out,
                      Losses& losses);

// An assistant message (request history or response choice): reasoning_content first (DeepSeek),
// then content, refusal and tool_calls, in that order. Does not look at `role`.
template <class Doc>
Status decode_assistant_message(Doc& message, const std::string& pointer,
                                std::vector<Part>& out, Losses& losses);

// Writes the assistant fields (content, refusal, tool_calls, reasoning_content) of `parts` into
// `message`. Text parts are joined with `text_separator`. Parts that cannot appear in an assistant
// message (images, tool results) are dropped with a loss. Returns the number of tool calls.
std::size_t encode_assistant_fields(const std::vector<Part>& parts, const std::string& pointer,
                                    std::string_view text_separator, Json& message, Losses& losses);

// {type:"image_url", image_url:{url, detail}}; inline data becomes a data: URL.
Json encode_image_part(const ImagePart& image, const std::string& pointer, Losses& losses);

}  // namespace wirecheck::chat_detail
