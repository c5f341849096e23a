// Checked JSON field access shared by the codecs (see json_access.hpp).
#include "json_access.hpp"

#include "json_simd.hpp"
#include "wirecheck/json_writer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace wirecheck::json_access {

// ---- lookup -------------------------------------------------------------------------------------

const Json* find_field(const Json& obj, std::string_view key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

const Json* find_present(const Json& obj, std::string_view key) {
    const Json* value = find_field(obj, key);
    return value && !value->is_null() ? value : nullptr;
}

Json* find_field(Json& obj, std::string_view key) {
    return const_cast<Json*>(find_field(std::as_const(obj), key));
}

Json* find_present(Json& obj, std::string_view key) {
    return const_cast<Json*>(find_present(std::as_const(obj), key));
}

// ---- errors -------------------------------------------------------------------------------------

Error wrong_type(const std::string& pointer, std::string_view expected, const Json& got) {
    return make_error(
        Code::JsonWrongType, pointer,
        "expected " + std::string(expected) + ", got " + std::string(json_type_name(got)));
}

Error missing_field(const std::string& pointer, std::string_view what) {
    return make_error(Code::JsonMissingField, pointer, "missing required " + std::string(what));
}

Status expect_object(const Json& value, const std::string& pointer) {
    if (!value.is_object()) return wrong_type(pointer, "an object", value);
    return {};
}

Status expect_array(const Json& value, const std::string& pointer) {
    if (!value.is_array()) return wrong_type(pointer, "an array", value);
    return {};
}

// ---- typed readers ------------------------------------------------------------------------------

namespace {

// What read_int, read_number and read_bool share: absent or null leaves `out` unchanged, a value
// failing `has_type` is json.wrong_type at <pointer>/<key>.
template <class T, class HasType>
Status read_optional(const Json& obj, std::string_view key, const std::string& pointer,
                     std::string_view expected, HasType has_type, std::optional<T>& out) {
    const Json* value = find_present(obj, key);
    if (!value) return {};
    if (!has_type(*value)) return wrong_type(pointer_join(pointer, key), expected, *value);
    out = value->get<T>();
    return {};
}

}  // namespace

namespace {

// read_string and take_string: the string field, checked, or nullptr when absent (or null and
// not required). The pointer is only built for an error: streams read a few strings per event.
Result<const Json*> string_field(const Json& obj, std::string_view key, const std::string& pointer,
                                 bool required) {
    const Json* value = find_field(obj, key);
    if (!value) {
        if (!required) return nullptr;
        return missing_field(pointer_join(pointer, key), "string `" + std::string(key) + "`");
    }
    if (value->is_null() && !required) return nullptr;
    if (!value->is_string()) return wrong_type(pointer_join(pointer, key), "a string", *value);
    return value;
}

}  // namespace

Status read_string(const Json& obj, std::string_view key, const std::string& pointer,
                   std::string& out, bool required) {
    auto value = string_field(obj, key, pointer, required);
    if (!value.ok()) return value.error();
    if (value.value()) out = value.value()->get_ref<const std::string&>();
    return {};
}

Status take_string(Json& obj, std::string_view key, const std::string& pointer, std::string& out,
                   bool required) {
    auto value = string_field(obj, key, pointer, required);
    if (!value.ok()) return value.error();
    // const_cast: the field lies in `obj`, which the caller may change.
    if (value.value()) out = std::move(const_cast<Json*>(value.value())->get_ref<std::string&>());
    return {};
}

Status read_int(const Json& obj, std::string_view key, const std::string& pointer,
                std::optional<std::int64_t>& out) {
    auto is_int = [](const Json& v) { return v.is_number_integer(); };
    return read_optional(obj, key, pointer, "an integer", is_int, out);
}

Status read_int_lenient(const Json& obj, std::string_view key, const std::string& pointer,
                        std::optional<std::int64_t>& out) {
    const Json* value = find_present(obj, key);
    if (!value) return {};
    if (value->is_number_unsigned()) {
        auto v = value->get<std::uint64_t>();
        out = v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                  ? std::numeric_limits<std::int64_t>::max()
                  : static_cast<std::int64_t>(v);
        return {};
    }
    if (value->is_number_integer()) {
        out = value->get<std::int64_t>();
        return {};
    }
    // 12.0 is still an integer; 12.5 is not (Codex parses usage as integers, protocols.md §3).
    if (value->is_number_float()) {
        double d = value->get<double>();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e18) {
            out = static_cast<std::int64_t>(d);
            return {};
        }
    }
    return wrong_type(pointer_join(pointer, key), "an integer", *value);
}

Status read_number(const Json& obj, std::string_view key, const std::string& pointer,
                   std::optional<double>& out) {
    auto is_number = [](const Json& v) { return v.is_number(); };
    return read_optional(obj, key, pointer, "a number", is_number, out);
}

Status read_bool(const Json& obj, std::string_view key, const std::string& pointer,
                 std::optional<bool>& out) {
    auto is_bool = [](const Json& v) { return v.is_boolean(); };
    return read_optional(obj, key, pointer, "a boolean", is_bool, out);
}

// ---- unknown fields and serialising -------------------------------------------------------------

bool is_known(std::string_view key, std::initializer_list<std::string_view> known) {
    return std::find(known.begin(), known.end(), key) != known.end();
}

void note_unknown_fields(const Json& obj, const std::string& pointer,
                         std::initializer_list<std::string_view> known, std::string_view protocol,
                         Losses& losses) {
    if (!obj.is_object()) return;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const std::string& key = it.key();
        if (is_known(key, known)) continue;
        add_loss(losses, Code::LossUnknownField, Severity::Warn, pointer_join(pointer, key),
                 "field `" + key + "` is not part of " + std::string(protocol) +
                     " as wirecheck knows it; not carried over");
    }
}

}  // namespace wirecheck::json_access

// ---- the same readers over simdjson's DOM (json_simd.hpp) ---------------------------------------

namespace wirecheck::json_access {

namespace {

// nlohmann's type_name() for simdjson's types, so errors read the same whichever DOM was read.
std::string_view type_name(JsonElement value) {
    using Type = simdjson::dom::element_type;
    switch (value.type()) {
        case Type::OBJECT: return "object";
        case Type::ARRAY: return "array";
        case Type::STRING: return "string";
        case Type::BOOL: return "boolean";
        case Type::NULL_VALUE: return "null";
        default: return "number";
    }
}

}  // namespace

Fields Fields::indexed(JsonElement object) {
    Fields fields(object);
    simdjson::dom::object members;
    if (object.get_object().get(members) != simdjson::SUCCESS) return fields;
    fields.members_.reserve(members.size());
    for (auto field : members) fields.members_.emplace_back(field.key, field.value);
    fields.indexed_ = true;
    return fields;
}

// The field's value, the last one when the key repeats (as nlohmann's parser keeps it).
std::optional<JsonElement> Fields::find(std::string_view key) const {
    std::optional<JsonElement> found;
    if (indexed_) {
        for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
            if (it->first == key) return it->second;
        }
        return found;
    }
    simdjson::dom::object object;
    if (object_.get_object().get(object) != simdjson::SUCCESS) return found;
    for (auto field : object) {
        if (field.key == key) found = field.value;
    }
    return found;
}

std::optional<JsonElement> find_field(const Fields& obj, std::string_view key) {
    return obj.find(key);
}

std::optional<JsonElement> find_present(const Fields& obj, std::string_view key) {
    std::optional<JsonElement> value = find_field(obj, key);
    if (value && value->is_null()) value.reset();
    return value;
}

Error wrong_type(const std::string& pointer, std::string_view expected, JsonElement got) {
    return make_error(Code::JsonWrongType, pointer,
                      "expected " + std::string(expected) + ", got " + std::string(type_name(got)));
}

Status expect_object(JsonElement value, const std::string& pointer) {
    if (!value.is_object()) return wrong_type(pointer, "an object", value);
    return {};
}

Status read_string(const Fields& obj, std::string_view key, const std::string& pointer,
                   std::string& out, bool required) {
    std::optional<JsonElement> value = find_field(obj, key);
    if (!value) {
        if (!required) return {};
        return missing_field(pointer_join(pointer, key), "string `" + std::string(key) + "`");
    }
    if (value->is_null() && !required) return {};
    if (!value->is_string()) return wrong_type(pointer_join(pointer, key), "a string", *value);
    out = value->get_string().value_unsafe();
    return {};
}

// JSON integers only, as the nlohmann reader: an unsigned value above int64's range wraps as
// nlohmann's get<std::int64_t>() does.
Status read_int(const Fields& obj, std::string_view key, const std::string& pointer,
                std::optional<std::int64_t>& out) {
    std::optional<JsonElement> value = find_present(obj, key);
    if (!value) return {};
    std::optional<std::int64_t> integer = int_of(*value);
    if (!integer) return wrong_type(pointer_join(pointer, key), "an integer", *value);
    out = integer;
    return {};
}

Status expect_array(JsonElement value, const std::string& pointer) {
    if (!value.is_array()) return wrong_type(pointer, "an array", value);
    return {};
}

// As the nlohmann version: 12.0 is an integer, unsigned values above int64's range are clamped.
Status read_int_lenient(const Fields& obj, std::string_view key, const std::string& pointer,
                        std::optional<std::int64_t>& out) {
    std::optional<JsonElement> value = find_present(obj, key);
    if (!value) return {};
    if (value->is_uint64()) {
        std::uint64_t v = value->get_uint64().value_unsafe();
        out = v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                  ? std::numeric_limits<std::int64_t>::max()
                  : static_cast<std::int64_t>(v);
        return {};
    }
    if (std::optional<std::int64_t> integer = int_of(*value)) {
        out = integer;
        return {};
    }
    if (value->is_double()) {
        double d = value->get_double().value_unsafe();
        if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e18) {
            out = static_cast<std::int64_t>(d);
            return {};
        }
    }
    return wrong_type(pointer_join(pointer, key), "an integer", *value);
}

Status read_number(const Fields& obj, std::string_view key, const std::string& pointer,
                   std::optional<double>& out) {
    std::optional<JsonElement> value = find_present(obj, key);
    if (!value) return {};
    if (!value->is_number()) return wrong_type(pointer_join(pointer, key), "a number", *value);
    // nlohmann's get<double>() of an integer converts it the same way
    if (value->is_int64()) {
        out = static_cast<double>(value->get_int64().value_unsafe());
    } else if (value->is_uint64()) {
        out = static_cast<double>(value->get_uint64().value_unsafe());
    } else {
        out = value->get_double().value_unsafe();
    }
    return {};
}

Status read_bool(const Fields& obj, std::string_view key, const std::string& pointer,
                 std::optional<bool>& out) {
    std::optional<JsonElement> value = find_present(obj, key);
    if (!value) return {};
    if (!value->is_bool()) return wrong_type(pointer_join(pointer, key), "a boolean", *value);
    out = value->get_bool().value_unsafe();
    return {};
}

std::vector<std::string_view> unknown_keys(const Fields& obj,
                                           std::initializer_list<std::string_view> known) {
    std::vector<std::string_view> unknown;
    obj.for_each_key([&](std::string_view key) {
        if (!is_known(key, known)) unknown.push_back(key);
    });
    if (unknown.size() > 1) {
        std::sort(unknown.begin(), unknown.end());  // string_view's order is JsonKeyLess's
        unknown.erase(std::unique(unknown.begin(), unknown.end()), unknown.end());
    }
    return unknown;
}

void note_unknown_fields(const Fields& obj, const std::string& pointer,
                         std::initializer_list<std::string_view> known, std::string_view protocol,
                         Losses& losses) {
    for_each_unknown_key(obj, known, [&](std::string_view key) {
        add_loss(losses, Code::LossUnknownField, Severity::Warn, pointer_join(pointer, key),
                 "field `" + std::string(key) + "` is not part of " + std::string(protocol) +
                     " as wirecheck knows it; not carried over");
    });
}

namespace {

bool has_repeated_key(simdjson::dom::object object) {
    // Most schema objects: compared pairwise, nothing allocated.
    constexpr std::size_t kInline = 16;
    std::string_view inline_keys[kInline];
    std::vector<std::string_view> many;
    std::size_t n = 0;
    for (auto field : object) {
        if (n < kInline) {
            for (std::size_t i = 0; i < n; ++i) {
                if (inline_keys[i] == field.key) return true;
            }
            inline_keys[n++] = field.key;
            continue;
        }
        if (many.empty()) many.assign(inline_keys, inline_keys + kInline);
        many.push_back(field.key);
    }
    if (many.empty()) return false;
    std::sort(many.begin(), many.end());
    return std::adjacent_find(many.begin(), many.end()) != many.end();
}

void write_element(JsonElement value, JsonWriter& w) {
    using Type = simdjson::dom::element_type;
    switch (value.type()) {
        case Type::OBJECT: {
            simdjson::dom::object object = value.get_object().value_unsafe();
            if (has_repeated_key(object)) {
                w.json(to_json(value));
                return;
            }
            w.begin_object();
            for (auto field : object) {
                w.key(field.key);
                write_element(field.value, w);
            }
            w.end_object();
            return;
        }
        case Type::ARRAY: {
            simdjson::dom::array array = value.get_array().value_unsafe();
            w.begin_array();
            for (JsonElement item : array) write_element(item, w);
            w.end_array();
            return;
        }
        case Type::STRING: w.string(value.get_string().value_unsafe()); return;
        case Type::INT64: w.integer(value.get_int64().value_unsafe()); return;
        case Type::UINT64: w.json(Json(value.get_uint64().value_unsafe())); return;
        case Type::DOUBLE: w.number(value.get_double().value_unsafe()); return;
        case Type::BOOL: w.boolean(value.get_bool().value_unsafe()); return;
        case Type::NULL_VALUE: w.null(); return;
    }
}

}  // namespace

JsonText take_json_text(JsonElement value) {
    JsonWriter w;
    write_element(value, w);
    return JsonText::from_compact(w.take());
}

// ---- both DOMs ----------------------------------------------------------------------------------

bool is_empty_array(const Json& value) { return value.is_array() && value.empty(); }
bool is_empty_array(JsonElement value) {
    simdjson::dom::array array;
    return value.get_array().get(array) == simdjson::SUCCESS && array.begin() == array.end();
}

std::size_t array_size(const Json& value) { return value.is_array() ? value.size() : 0; }
std::size_t array_size(JsonElement value) {
    simdjson::dom::array array;
    return value.get_array().get(array) == simdjson::SUCCESS ? array.size() : 0;
}

std::optional<bool> bool_of(JsonElement value) {
    if (!value.is_bool()) return std::nullopt;
    return value.get_bool().value_unsafe();
}

std::optional<std::int64_t> int_of(JsonElement value) {
    if (value.is_int64()) return value.get_int64().value_unsafe();
    if (value.is_uint64()) return static_cast<std::int64_t>(value.get_uint64().value_unsafe());
    return std::nullopt;
}

}  // namespace wirecheck::json_access
