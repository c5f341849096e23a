// Internal to the Responses codec (core/src/responses_*.cpp): JSON readers that report errors as
// values, and the item/usage/status mappings shared by the body and stream halves of the codec.
// Not a public header: nothing outside responses_*.cpp includes it.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_access.hpp"
#include "json_simd.hpp"
#include "wirecheck/codec.hpp"

namespace wirecheck::responses_detail {

// ---- reading JSON without exceptions (json_access.hpp) ------------------------------------------

// Integers are read with read_int_lenient (12.0 accepted, huge unsigned values clamped): Codex
// parses usage as integers, protocols.md §3.
using namespace json_access;

// json_access::note_unknown_fields naming Responses. Doc (here and below): Json or JsonElement
// (json_simd.hpp): the request decoder reads simdjson's DOM, the others nlohmann's.
template <class Doc>
void note_unknown_fields(const Doc& obj, const std::string& pointer,
                         std::initializer_list<std::string_view> known, Losses& losses) {
    json_access::note_unknown_fields(obj, pointer, known, "Responses", losses);
}

// ---- images -------------------------------------------------------------------------------------

// "data:<media>;base64,<data>" splits into media_type/data_base64; anything else is a URL.
ImagePart image_from_url(const std::string& url, const std::string& detail);
std::string image_to_url(const ImagePart& image);

// ---- decoding items (shared by the request, response and stream decoders)
// ------------------------

// One content part of a message (input_text, output_text, input_image, refusal, ...). Parts the
// canonical model cannot hold (input_file, input_audio) are recorded as loss.part_dropped. Texts
// are moved out of `part`, as request decoders do (json_access.hpp).
template <class Doc>
Status decode_content_part(Doc& part, const std::string& pointer, std::vector<Part>& out,
                           Losses& losses);
// function_call / custom_tool_call items (kind from `type`).
template <class Doc>
Status decode_call_item(const Doc& item, const std::string& pointer, ToolCallPart& out,
                        Losses& losses);
// reasoning items: summary[] summary_text, content[] reasoning_text, encrypted_content.
template <class Doc>
Status decode_reasoning_item(const Doc& item, const std::string& pointer, ReasoningPart& out,
                             Losses& losses);
// An output item of a response (message, function_call, custom_tool_call, reasoning). Hosted tool
// items and unknown types become loss.part_dropped. Sets *has_call for function/custom calls.
Status decode_output_item(Json& item, const std::string& pointer, std::vector<Part>& out,
                          bool* has_call, Losses& losses);

Status decode_usage(const Json& usage, const std::string& pointer, std::optional<Usage>& out);
// Reads {code, message, type} from an OpenAI-style error object (code may be a number).
ApiError decode_api_error(const Json& error);

// status + incomplete_details.reason -> StopReason (protocols.md §2 "Response object").
StopReason stop_reason_from_status(std::string_view status, std::string_view incomplete_reason,
                                   bool has_calls, const std::string& pointer, Losses& losses);

// Output item types Codex and OpenAI send that the canonical model cannot hold (hosted tool calls,
// compaction, ...): accepted, recorded as loss.part_dropped. Anything else is an unknown type.
bool is_known_unrepresentable_item(std::string_view type);

// ---- encoding items (shared by the response and stream encoders) --------------------------------

// The id used when the source gave none (Codex requires a string response.id, protocols.md §3).
inline constexpr const char* kDefaultResponseId = "resp_wirecheck";

// The response-level facts every response object repeats.
struct ResponseHead {
    std::string id;
    std::string model;
    std::int64_t created = 0;
};

// Terminal status for a canonical stop reason: "completed" | "incomplete" | "failed", with the
// incomplete reason. Inexact mappings record loss.value_mapped.
struct StatusMapping {
    std::string status;
    std::string incomplete_reason;  // "" unless status == "incomplete"
};
StatusMapping status_for_stop_reason(StopReason reason, const std::string& pointer, Losses& losses);

// Integer usage, always with input_tokens/output_tokens/total_tokens (Codex parses them as
// integers, protocols.md §3); zeros plus loss.usage_missing when the source had none.
Json encode_usage(const std::optional<Usage>& usage, const std::string& pointer, Losses& losses);
// {code, message} for response.error; the code falls back to the error type, then "server_error".
Json encode_error_object(const ApiError& error);

Json make_response_object(const ResponseHead& head, std::string_view status, Json error,
                          Json incomplete_details, Json output, Json usage);

// Item ids: kept when the source had one, otherwise derived deterministically (brief: no clocks,
// no randomness): fc_<call_id> for calls, msg_/rs_<response id>_<output index> for the rest.
std::string message_item_id(const ResponseHead& head, std::size_t output_index);
std::string reasoning_item_id(const ReasoningPart& reasoning, const ResponseHead& head,
                              std::size_t output_index);
std::string call_item_id(const ToolCallPart& call, const ResponseHead& head,
                         std::size_t output_index);

// Responses omits the namespace of Codex's default namespace "functions": its calls arrive
// un-namespaced (captures/codex-turn1.json: custom_tool_call `exec` has no namespace).
bool should_emit_namespace(std::string_view name_space);

// The output_text content part (annotations from TextPart::extras when present); moves the text.
Json output_text_part(TextPart text);
Json refusal_part(const std::string& text);
// Extras this codec understands are output_text annotations on a TextPart. Any other attachment
// (another protocol's, e.g. Messages cache_control on text, tools or tool results) is recorded as
// loss.field_dropped (info) at <pointer>/extras/<key>; `keep` names the one key to leave alone.
void note_foreign_extras(const Json& extras, const std::string& pointer, Losses& losses,
                         std::string_view keep = "");
void note_foreign_extras(const TextPart& text, bool keep_annotations, const std::string& pointer,
                         Losses& losses);

// Complete items, as output_item.done and response.output carry them.
Json message_item(const std::string& id, std::string_view status, Json content);
Json call_item(const ToolCallPart& call, const std::string& id, std::string_view status);
// A reasoning item. Encrypted content is only written for Responses-origin reasoning; a foreign
// signature / redacted payload is recorded as loss.foreign_signature (the text still crosses).
Json reasoning_item(const ReasoningPart& reasoning, const std::string& id,
                    const std::string& pointer, Losses& losses);

}  // namespace wirecheck::responses_detail
