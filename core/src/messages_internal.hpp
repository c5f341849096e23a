// Private helpers shared by the Anthropic Messages codec files (messages_codec.cpp,
// messages_request.cpp, messages_stream.cpp): safe field access, content blocks, tool ids and
// names, stop reasons, usage and error envelopes. Not part of the public API.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "json_access.hpp"
#include "json_simd.hpp"
#include "wirecheck/loss.hpp"
#include "wirecheck/messages_codec.hpp"
#include "wirecheck/model.hpp"
#include "wirecheck/result.hpp"

namespace wirecheck::messages {

// ---- safe JSON access (json_access.hpp) ---------------------------------------------------------
// JSON null is treated as absent for optional fields (SDKs send `"stop_sequence": null` and the
// like): look fields up with find_present().

using namespace json_access;

// Messages fields that have no canonical field but are kept in `extras` for Messages -> Messages
// round trips, per kind of object. Only these are ever written back: other codecs keep their own
// attachments (e.g. Responses annotations) in the same TextPart.extras, and those must not leak
// to strict upstreams (peers §2 edge case 22).
enum class ExtrasKind { Text, ToolResult, Tool };
// The keys of `obj` that are Messages extras of `kind` (null when none). Keys neither `known`
// nor extras are recorded as loss.unknown_field. Doc (here and below): Json or JsonElement
// (json_simd.hpp), both instantiated.
template <class Doc>
Json extras_of(const Doc& obj, std::initializer_list<std::string_view> known, ExtrasKind kind,
               const std::string& pointer, std::string_view where, Losses& losses);
// Adds the Messages extras of `kind` to `block`; other non-empty keys -> loss.field_dropped.
void merge_extras(Json& block, const Json& extras, ExtrasKind kind, const std::string& pointer,
                  Losses& losses);
// Records loss.unknown_field (warn) for each key of `obj` not in `known`.
template <class Doc>
void record_unknown_keys(const Doc& obj, std::initializer_list<std::string_view> known,
                         const std::string& pointer, std::string_view where, Losses& losses);

// ---- content blocks -----------------------------------------------------------------------------

// Decodes one content block of a message (request) or of a response's `content`. Returns nullopt
// when the block is valid Messages but has no canonical form (document, server tool blocks):
// then a loss.part_dropped is recorded. An unknown `type` is json.unknown_type.
template <class Doc>
Result<std::optional<Part>> decode_content_block(const Doc& block, const std::string& pointer,
                                                 Losses& losses);

// Where encoded blocks go: a request to an Anthropic server (which verifies thinking signatures)
// or a response/stream to a client (which only stores and echoes thinking blocks).
enum class Audience { Server, Client };

Json encode_text_block(const TextPart& text, const std::string& pointer, Losses& losses);
Json encode_image_block(const ImagePart& image, const std::string& pointer, Losses& losses);
Json encode_tool_use_block(const ToolCallPart& call, const std::string& pointer, Losses& losses);
// ToolCallPart.arguments (JSON text) -> the `input` object; custom tools are wrapped in {input}.
Json tool_use_input(const ToolCallPart& call, const std::string& pointer, Losses& losses);
// A thinking / redacted_thinking block, or nullopt when the reasoning cannot be sent (the loss
// is recorded). See the rules in messages_codec.cpp.
std::optional<Json> encode_reasoning_block(const ReasoningPart& reasoning, Audience audience,
                                           const std::string& pointer, Losses& losses);
// Text a client sees for reasoning from another protocol: its text, else its summaries joined.
std::string reasoning_display_text(const ReasoningPart& reasoning);

// Appends the block(s) for one assistant-side part (text, refusal, tool call, reasoning).
void encode_assistant_part(const Part& part, Audience audience, const std::string& pointer,
                           Losses& losses, Json& blocks);

// ---- tool ids and names -------------------------------------------------------------------------

// Anthropic ids must match ^[a-zA-Z0-9_-]+$ (peers §2 edge case 1: Kimi/DeepSeek send
// `functions.Bash:0`). Invalid bytes become '_' and, when anything changed, '_' + 8 hex digits of
// the FNV-1a hash of the original are appended so distinct ids stay distinct. Deterministic: the
// same function serves tool_use.id and tool_result.tool_use_id.
std::string sanitize_tool_id(std::string_view id);
// Same, recording loss.id_rewritten (info) when the id changed.
std::string tool_id_for_wire(std::string_view id, const std::string& pointer, Losses& losses);

// Tool names must match ^[a-zA-Z0-9_-]{1,64}$ (peers §2 edge case 3). Namespaced names are
// flattened with flat_tool_name(); names that still do not fit get invalid bytes replaced by '_'
// and, when changed or too long, are cut to 55 bytes + '_' + 8 hex of the hash (<= 64).
std::string sanitize_tool_name(std::string_view flat_name);
// Flattens + sanitises, recording loss.namespace_flattened (info) / loss.value_mapped (warn).
std::string tool_name_for_wire(std::string_view name_space, std::string_view name,
                               const std::string& pointer, Losses& losses);

std::string fnv1a_hex8(std::string_view text);

// ---- stop reasons, usage, errors ----------------------------------------------------------------

std::optional<StopReason> stop_reason_from_wire(std::string_view value);
// Maps a canonical stop reason to Messages' stop_reason; ContentFilter/Error/Unknown have no
// Messages value and are recorded as loss.value_mapped.
std::string stop_reason_to_wire(StopReason reason, const std::string& pointer, Losses& losses);

// Messages usage -> canonical: input_tokens EXCLUDES cache reads/writes (protocols.md §4), the
// canonical input includes them, so input = input_tokens + cache_read + cache_creation.
Result<Usage> decode_usage(const Json& usage, const std::string& pointer);
// Canonical -> Messages: input_tokens = input - cache_read - cache_write (never negative).
std::int64_t wire_input_tokens(const Usage& usage);
Json encode_usage(const Usage& usage);

// {"type":"error","error":{type,message}} (protocols.md §4 Errors).
Result<ApiError> decode_error_envelope(const Json& body, const std::string& pointer);
// The Messages error type for a canonical error (api_error when it is not one of Anthropic's).
std::string wire_error_type(const ApiError& error, const std::string& pointer, Losses& losses);
Json encode_error_envelope(const ApiError& error, const std::string& pointer, Losses& losses);

}  // namespace wirecheck::messages
