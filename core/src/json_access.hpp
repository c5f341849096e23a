// Checked access to JSON fields, shared by the three codecs (chat_*, responses_*, messages_*):
// typed readers that return errors as values with exact pointers instead of letting nlohmann
// throw. Not a public header, and no protocol knowledge: codec-specific rules stay in the
// codecs' own internal headers.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "wirecheck/json.hpp"
#include "wirecheck/loss.hpp"
#include "wirecheck/result.hpp"

// Returns the Error of a failed Status/Result expression from the enclosing function.
#define WIRECHECK_TRY(expr)                                      \
    do {                                                         \
        ::wirecheck::Status wirecheck_try_ = (expr);             \
        if (!wirecheck_try_.ok()) return wirecheck_try_.error(); \
    } while (false)

namespace wirecheck::json_access {

// ---- lookup (never inserts, never throws) -------------------------------------------------------

// obj[key] when `obj` is an object holding `key` (even as null), else nullptr.
const Json* find_field(const Json& obj, std::string_view key);
// Same, but a JSON null counts as absent: OpenAI's and Anthropic's SDKs send null for unset
// optional fields.
const Json* find_present(const Json& obj, std::string_view key);

// Request decoders own the parsed body (they take it by value) and move what they keep out of it,
// texts and tool schemas above all: copying them was a third of a Claude Code request's
// translation (callgrind). These lookups hand out mutable values for that.
Json* find_field(Json& obj, std::string_view key);
Json* find_present(Json& obj, std::string_view key);

// ---- errors -------------------------------------------------------------------------------------

// json.wrong_type "expected <expected>, got <type of got>".
Error wrong_type(const std::string& pointer, std::string_view expected, const Json& got);
// json.missing_field "missing required <what>"; `what` names the field, e.g. "`model`" or
// "array `tools`".
Error missing_field(const std::string& pointer, std::string_view what);

Status expect_object(const Json& value, const std::string& pointer);
Status expect_array(const Json& value, const std::string& pointer);

// ---- typed readers ------------------------------------------------------------------------------
// Absent or null leaves `out` unchanged; a value of the wrong type is json.wrong_type at
// <pointer>/<key>.

// `required`: absence is json.missing_field, an explicit null json.wrong_type.
Status read_string(const Json& obj, std::string_view key, const std::string& pointer,
                   std::string& out, bool required = false);
// read_string that moves the string out of `obj` instead of copying it.
Status take_string(Json& obj, std::string_view key, const std::string& pointer, std::string& out,
                   bool required = false);
// JSON integers only (12.0 is a wrong type).
Status read_int(const Json& obj, std::string_view key, const std::string& pointer,
                std::optional<std::int64_t>& out);
// Also accepts a float with no fraction (12.0) and clamps unsigned values above int64's maximum.
Status read_int_lenient(const Json& obj, std::string_view key, const std::string& pointer,
                        std::optional<std::int64_t>& out);
Status read_number(const Json& obj, std::string_view key, const std::string& pointer,
                   std::optional<double>& out);
Status read_bool(const Json& obj, std::string_view key, const std::string& pointer,
                 std::optional<bool>& out);

// ---- unknown fields -----------------------------------------------------------------------------

bool is_known(std::string_view key, std::initializer_list<std::string_view> known);

// Records loss.unknown_field (warn) for every key of `obj` not in `known`; `protocol` names the
// protocol in the message ("Chat Completions", "Responses").
void note_unknown_fields(const Json& obj, const std::string& pointer,
                         std::initializer_list<std::string_view> known, std::string_view protocol,
                         Losses& losses);

}  // namespace wirecheck::json_access
