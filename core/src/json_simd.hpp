// simdjson's DOM read directly, for decoders on a hot path: the Chat stream decoder reads each
// chunk from it instead of from an nlohmann DOM built for the chunk (building and freeing that
// DOM was a third of a 1 MB Chat stream's translation, callgrind). The readers mirror
// json_access.hpp's: the last of duplicate keys wins, a null counts as absent, errors name the
// same pointers and nlohmann's type names. Not a public header: simdjson stays private to the core.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "wirecheck/json.hpp"
#include "wirecheck/result.hpp"

namespace wirecheck {

using JsonElement = simdjson::dom::element;

// Parses `text` with this thread's simdjson parser and calls use(root) while the document lives.
// False, without calling, when simdjson refuses the text: parse_json then gives the exact error
// (or, where simdjson is stricter than nlohmann, the DOM).
bool with_simdjson(std::string_view text, std::size_t max_depth,
                   const std::function<void(JsonElement)>& use);
// nlohmann's DOM of `value`, as parse_json builds it.
Json to_json(JsonElement value);

namespace json_access {

std::optional<JsonElement> find_present(JsonElement obj, std::string_view key);
Error wrong_type(const std::string& pointer, std::string_view expected, JsonElement got);
Status expect_object(JsonElement value, const std::string& pointer);
Status read_string(JsonElement obj, std::string_view key, const std::string& pointer,
                   std::string& out, bool required = false);
Status read_int(JsonElement obj, std::string_view key, const std::string& pointer,
                std::optional<std::int64_t>& out);

}  // namespace json_access
}  // namespace wirecheck
