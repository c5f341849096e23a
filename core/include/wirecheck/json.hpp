// Safe JSON parsing for untrusted bodies: size and depth limits, invalid UTF-8 rejected, and a
// specific error (with byte offset) instead of an exception.
#pragma once

#include <cstddef>
#include <map>
#include <string_view>

#include <nlohmann/json.hpp>

#include "wirecheck/json_allocator.hpp"
#include "wirecheck/result.hpp"

namespace wirecheck {

// Object keys in byte order, as std::less<> orders them, but most comparisons end at the first
// byte without a call to memcmp (callgrind: a tenth of a small request's translation was memcmp,
// from map lookups and inserts).
struct JsonKeyLess {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const noexcept {
        if (!a.empty() && !b.empty() && a[0] != b[0])
            return static_cast<unsigned char>(a[0]) < static_cast<unsigned char>(b[0]);
        return a < b;
    }
};
template <class Key, class Value, class /*nlohmann's comparator*/, class Allocator>
using JsonObjectMap = std::map<Key, Value, JsonKeyLess, Allocator>;

// nlohmann::json with its nodes from a pool (json_allocator.hpp).
using Json = nlohmann::basic_json<JsonObjectMap, std::vector, std::string, bool, std::int64_t,
                                  std::uint64_t, double, JsonAllocator>;

struct JsonLimits {
    std::size_t max_bytes = 64u << 20;  // 64 MiB: larger bodies are refused, not parsed
    std::size_t max_depth = 128;        // objects/arrays nested deeper than this are refused
};

Result<Json> parse_json(std::string_view text, const JsonLimits& limits = {});
// The deepest document decoded from a Json (decode_request in codec.hpp), and so the deepest
// JsonText kept from one: simdjson's own default limit.
inline constexpr std::size_t kJsonMaxDepth = 1024;

// Compact JSON text, byte for byte what value.dump(-1, ' ', false, error_handler_t::replace) gives
// (invalid UTF-8 in a string becomes U+FFFD), never throws, and several times faster: runs of
// plain bytes are copied at once instead of being decoded one by one.
std::string dump_json(const Json& value);
// `text` indented by two spaces per level, keys sorted, for people to read (the CLI and the
// playground show translations this way); `text` as it is when it does not parse.
std::string indent_json(std::string_view text);
// Appends `text` as a JSON string literal, the bytes dump_json(Json(text)) gives, without building
// a Json: stream encoders write most events as text.
void append_json_string(std::string_view text, std::string& out);

// A JSON value kept as its compact text. Tool schemas travel from the client's request to the
// upstream one this way: no DOM is built, written and freed for them (that was a quarter of a
// Claude Code request's translation, callgrind), and decoded from text they keep the client's key
// order, which a DOM sorts (models write structured output in the order of the schema's keys).
class JsonText {
  public:
    JsonText() = default;  // null
    JsonText(const Json& value);  // implicit: schemas are also built as Json (probes, tests)
    // `compact`: one JSON value without whitespace, as dump_json or JsonWriter write it.
    static JsonText from_compact(std::string compact);

    const std::string& text() const { return text_; }
    bool is_null() const { return text_ == "null"; }
    bool is_object() const { return !text_.empty() && text_.front() == '{'; }
    Json json() const;  // parsed, for code that reads inside (the simulator, the Messages encoder)

    // The same JSON value (key order aside).
    friend bool operator==(const JsonText& a, const JsonText& b) { return a.json() == b.json(); }
    friend bool operator!=(const JsonText& a, const JsonText& b) { return !(a == b); }

  private:
    std::string text_ = "null";
};

// Frees `value`'s contents from the leaves up. nlohmann's destructor first moves every node of a
// tree into one heap-allocated stack (its guard against deep recursion); freed in place, a parsed
// body costs a fraction of that. Below a depth of 256 the rest is left to nlohmann.
void release_json(Json& value);
// Calls release_json when its scope ends: for a document a function consumes.
struct ReleaseJsonOnExit {
    Json& value;
    ~ReleaseJsonOnExit() { release_json(value); }
};

// Appends one RFC 6901 reference token (escaping '~' and '/') to a pointer.
std::string pointer_join(std::string_view pointer, std::string_view token);
std::string pointer_join(std::string_view pointer, std::size_t index);

// The JSON type name used in messages: "string", "number", "object", ...
std::string_view json_type_name(const Json& value);

}  // namespace wirecheck
