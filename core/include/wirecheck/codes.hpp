// The one list of codes wirecheck reports: errors, translation losses and (later) probe findings.
// Each entry yields the enum value, its stable dotted name and its human text; docs/codes.md is
// checked against this list by a test, so a new code needs a line there too.
#pragma once

#include <cstdint>
#include <string_view>

namespace wirecheck {

// X(identifier, "stable.name", "what it means")
#define WIRECHECK_CODES(X)                                                                        \
    /* generic input errors */                                                                    \
    X(JsonMalformed, "json.malformed", "the body is not valid JSON")                              \
    X(JsonTooDeep, "json.too_deep", "JSON nesting is deeper than the documented limit")           \
    X(JsonTooLarge, "json.too_large", "the body is larger than the documented limit")             \
    X(JsonInvalidUtf8, "json.invalid_utf8", "a JSON string holds invalid UTF-8")                  \
    X(JsonWrongType, "json.wrong_type", "a field has the wrong JSON type")                        \
    X(JsonMissingField, "json.missing_field", "a required field is missing")                      \
    X(JsonUnknownType, "json.unknown_type", "an object's type tag is not one this protocol has")  \
    /* server-sent events */                                                                      \
    X(SseEventTooLarge, "sse.event_too_large", "an SSE event is larger than the limit")           \
    X(SseUnterminatedEvent, "sse.unterminated_event",                                             \
      "the stream ended in the middle of an event (no blank line after it)")                      \
    X(SseBadEventData, "sse.bad_event_data", "an SSE event's data is not the JSON expected")      \
    /* translation losses: what could not cross, or crossed changed */                          \
    X(LossFieldDropped, "loss.field_dropped",                                                     \
      "a field has no equivalent in the target protocol and was dropped")                         \
    X(LossUnknownField, "loss.unknown_field",                                                     \
      "the source holds a field the codec does not know; it was not carried over")                \
    X(LossPartDropped, "loss.part_dropped",                                                       \
      "a content part the target protocol cannot express was dropped")                            \
    X(LossToolDropped, "loss.tool_dropped",                                                       \
      "a tool the target protocol cannot express (hosted, built-in) was dropped")                 \
    X(LossCustomToolAsFunction, "loss.custom_tool_as_function",                                   \
      "a freeform custom tool was sent as a function with one string parameter `input`")          \
    X(LossNamespaceFlattened, "loss.namespace_flattened",                                         \
      "a namespaced tool was flattened to `namespace.name`")                                      \
    X(LossIdRewritten, "loss.id_rewritten",                                                       \
      "an id was rewritten to fit the target protocol's character set")                           \
    X(LossValueMapped, "loss.value_mapped",                                                       \
      "a value has no exact equivalent and was mapped to the nearest one")                        \
    X(LossDefaultApplied, "loss.default_applied",                                                 \
      "the target requires a field the source lacks; a documented default was used")             \
    X(LossIsErrorAsText, "loss.is_error_as_text",                                                 \
      "a tool result's is_error flag has no field in the target; carried as an 'Error:' prefix")  \
    X(LossImageMoved, "loss.image_moved",                                                         \
      "an image inside a tool result was moved to a following user message")                     \
    X(LossReasoningDropped, "loss.reasoning_dropped",                                             \
      "reasoning the target cannot carry was dropped")                                            \
    X(LossForeignSignature, "loss.foreign_signature",                                             \
      "a reasoning signature or encrypted payload from another provider was not forwarded")      \
    X(LossUsageMissing, "loss.usage_missing", "the source reported no token usage")               \
    X(LossStreamTruncated, "loss.stream_truncated",                                               \
      "the source stream ended without its terminal event; an error event was sent instead")     \
    /* internal */                                                                                \
    X(Internal, "internal", "an internal error; please report it")

enum class Code : std::uint16_t {
#define WIRECHECK_CODE_ENUM(id, name, text) id,
    WIRECHECK_CODES(WIRECHECK_CODE_ENUM)
#undef WIRECHECK_CODE_ENUM
};

struct CodeInfo {
    Code code;
    std::string_view name;
    std::string_view text;
};

inline constexpr CodeInfo kCodeInfos[] = {
#define WIRECHECK_CODE_INFO(id, name, text) {Code::id, name, text},
    WIRECHECK_CODES(WIRECHECK_CODE_INFO)
#undef WIRECHECK_CODE_INFO
};

constexpr const CodeInfo& code_info(Code code) { return kCodeInfos[static_cast<std::size_t>(code)]; }
constexpr std::string_view code_name(Code code) { return code_info(code).name; }
constexpr std::string_view code_text(Code code) { return code_info(code).text; }

}  // namespace wirecheck
