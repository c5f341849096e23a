// simdjson's DOM read directly, for decoders on a hot path: the request decoders read bodies from
// it, and the Chat stream decoder each chunk, instead of from an nlohmann DOM built for them
// (building and freeing that DOM was a third of a 1 MB Chat stream's translation, callgrind).
// The readers mirror json_access.hpp's: the last of duplicate keys wins, a null counts as absent,
// errors name the same pointers and nlohmann's type names. Not a public header: simdjson stays
// private to the core.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "json_access.hpp"
#include "wirecheck/json.hpp"
#include "wirecheck/loss.hpp"
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

// The object a reader looks keys up in. From an element (implicitly) each lookup walks simdjson's
// tape over all the object's members; Fields::indexed lists them once, for an object read many
// times (a request body: about twenty lookups), and lookups then compare keys in that list.
// Either way the last of duplicate keys wins.
class Fields {
  public:
    Fields(JsonElement object) : object_(object) {}  // NOLINT(google-explicit-constructor)
    static Fields indexed(JsonElement object);

    std::optional<JsonElement> find(std::string_view key) const;
    template <class F>
    void for_each_key(F&& f) const;  // f(key) in document order, repetitions included

  private:
    JsonElement object_;
    bool indexed_ = false;
    std::vector<std::pair<std::string_view, JsonElement>> members_;  // when indexed
};

template <class F>
void Fields::for_each_key(F&& f) const {
    if (indexed_) {
        for (const auto& member : members_) f(member.first);
        return;
    }
    simdjson::dom::object object;
    if (object_.get_object().get(object) != simdjson::SUCCESS) return;
    for (auto field : object) f(field.key);
}

// The readers of json_access.hpp over simdjson's element. take_string copies: the tape is not ours.
std::optional<JsonElement> find_field(const Fields& obj, std::string_view key);
std::optional<JsonElement> find_present(const Fields& obj, std::string_view key);
Error wrong_type(const std::string& pointer, std::string_view expected, JsonElement got);
Status expect_object(JsonElement value, const std::string& pointer);
Status expect_array(JsonElement value, const std::string& pointer);
Status read_string(const Fields& obj, std::string_view key, const std::string& pointer,
                   std::string& out, bool required = false);
inline Status take_string(const Fields& obj, std::string_view key, const std::string& pointer,
                          std::string& out, bool required = false) {
    return read_string(obj, key, pointer, out, required);
}
Status read_int(const Fields& obj, std::string_view key, const std::string& pointer,
                std::optional<std::int64_t>& out);
Status read_int_lenient(const Fields& obj, std::string_view key, const std::string& pointer,
                        std::optional<std::int64_t>& out);
Status read_number(const Fields& obj, std::string_view key, const std::string& pointer,
                   std::optional<double>& out);
Status read_bool(const Fields& obj, std::string_view key, const std::string& pointer,
                 std::optional<bool>& out);
// As the nlohmann version: unknown keys in nlohmann's order (sorted, each once), whatever order
// and repetitions the document has, so losses come out the same from either DOM.
void note_unknown_fields(const Fields& obj, const std::string& pointer,
                         std::initializer_list<std::string_view> known, std::string_view protocol,
                         Losses& losses);

// The same readers called with an element. Exact matches are needed: an element converts to
// Fields, but also to json_access.hpp's Json (through simdjson's implicit conversions).
inline std::optional<JsonElement> find_field(JsonElement obj, std::string_view key) {
    return Fields(obj).find(key);
}
inline std::optional<JsonElement> find_present(JsonElement obj, std::string_view key) {
    return find_present(Fields(obj), key);
}
inline Status read_string(JsonElement obj, std::string_view key, const std::string& pointer,
                          std::string& out, bool required = false) {
    return read_string(Fields(obj), key, pointer, out, required);
}
inline Status take_string(JsonElement obj, std::string_view key, const std::string& pointer,
                          std::string& out, bool required = false) {
    return read_string(Fields(obj), key, pointer, out, required);
}
inline Status read_int(JsonElement obj, std::string_view key, const std::string& pointer,
                       std::optional<std::int64_t>& out) {
    return read_int(Fields(obj), key, pointer, out);
}
inline Status read_int_lenient(JsonElement obj, std::string_view key, const std::string& pointer,
                               std::optional<std::int64_t>& out) {
    return read_int_lenient(Fields(obj), key, pointer, out);
}
inline Status read_number(JsonElement obj, std::string_view key, const std::string& pointer,
                          std::optional<double>& out) {
    return read_number(Fields(obj), key, pointer, out);
}
inline Status read_bool(JsonElement obj, std::string_view key, const std::string& pointer,
                        std::optional<bool>& out) {
    return read_bool(Fields(obj), key, pointer, out);
}
inline void note_unknown_fields(JsonElement obj, const std::string& pointer,
                                std::initializer_list<std::string_view> known,
                                std::string_view protocol, Losses& losses) {
    note_unknown_fields(Fields(obj), pointer, known, protocol, losses);
}

// ---- one set of names for both DOMs, for helpers templated over the document type ---------------
// The request decoders read simdjson's DOM (no nlohmann DOM built and freed for a body: most of a
// small request's time); the response and stream decoders share item helpers with them and read
// nlohmann's.

inline std::string_view string_of(const Json& value) { return value.get_ref<const std::string&>(); }
inline std::string_view string_of(JsonElement value) { return value.get_string().value_unsafe(); }
bool is_empty_array(const Json& value);
bool is_empty_array(JsonElement value);
std::size_t array_size(const Json& value);  // 0 for anything but an array
std::size_t array_size(JsonElement value);
// The value when it is a boolean / an integer (as read_int takes it).
std::optional<bool> bool_of(JsonElement value);
std::optional<std::int64_t> int_of(JsonElement value);

// A string value to keep: moved out of nlohmann's DOM (the decoder owns it), copied from the tape.
inline std::string take_text(Json& value) { return std::move(value.get_ref<std::string&>()); }
inline std::string take_text(JsonElement value) { return std::string(string_of(value)); }
// A value the model keeps as Json (formats, hosted tools, metadata), converted.
inline Json take_json(JsonElement value) { return to_json(value); }
// A value the model keeps as text (tool schemas), written in document order (an object with a
// repeated key as nlohmann keeps it: sorted, the last value).
JsonText take_json_text(JsonElement value);
// nlohmann's DOM of a value for a helper that reads only it: the value itself, or converted.
inline const Json& as_json(const Json& value) { return value; }
inline Json as_json(JsonElement value) { return to_json(value); }

// Calls f(item, index) for each item of an array (callers checked is_array()), stopping at the
// first failure.
template <class F>
Status for_each_item(Json& array, F&& f) {
    for (std::size_t i = 0; i < array.size(); ++i) WIRECHECK_TRY(f(array[i], i));
    return {};
}
template <class F>
Status for_each_item(const Json& array, F&& f) {
    for (std::size_t i = 0; i < array.size(); ++i) WIRECHECK_TRY(f(array[i], i));
    return {};
}
template <class F>
Status for_each_item(JsonElement array, F&& f) {
    simdjson::dom::array items;
    if (array.get_array().get(items) != simdjson::SUCCESS) return {};
    std::size_t i = 0;
    for (JsonElement item : items) WIRECHECK_TRY(f(item, i++));
    return {};
}

// Calls f(key) for each key of an object that is not in `known`, in nlohmann's order (sorted,
// each once). Over simdjson's DOM it allocates only when there is such a key.
std::vector<std::string_view> unknown_keys(const Fields& obj,
                                           std::initializer_list<std::string_view> known);
template <class F>
void for_each_unknown_key(const Json& obj, std::initializer_list<std::string_view> known, F&& f) {
    if (!obj.is_object()) return;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (!is_known(it.key(), known)) f(std::string_view(it.key()));
    }
}
template <class F>
void for_each_unknown_key(const Fields& obj, std::initializer_list<std::string_view> known, F&& f) {
    for (std::string_view key : unknown_keys(obj, known)) f(key);
}
template <class F>
void for_each_unknown_key(JsonElement obj, std::initializer_list<std::string_view> known, F&& f) {
    for_each_unknown_key(Fields(obj), known, std::forward<F>(f));
}

}  // namespace json_access
}  // namespace wirecheck
