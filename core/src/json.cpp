// Two parsers, one result. Valid JSON is parsed by simdjson (validating UTF-8, escapes, structure
// and depth at several hundred MB/s) and copied into nlohmann's DOM; anything simdjson refuses is
// parsed again by nlohmann's SAX parser, which yields the specific error (what, and at which byte).
// nlohmann's lexer runs at ~100 MB/s and was three quarters of a request translation's time.
#include "wirecheck/json.hpp"

#include "json_simd.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>

#include <simdjson.h>

namespace wirecheck {
namespace {

// Builds the DOM through nlohmann's own DOM builder while counting depth and keeping the first
// error instead of throwing it.
class LimitedDomBuilder {
public:
    LimitedDomBuilder(Json& out, std::size_t max_depth) : dom_(out, false), max_depth_(max_depth) {}

    bool null() { return dom_.null(); }
    bool boolean(bool v) { return dom_.boolean(v); }
    bool number_integer(Json::number_integer_t v) { return dom_.number_integer(v); }
    bool number_unsigned(Json::number_unsigned_t v) { return dom_.number_unsigned(v); }
    bool number_float(Json::number_float_t v, const std::string& s) { return dom_.number_float(v, s); }
    bool string(std::string& v) { return dom_.string(v); }
    bool binary(Json::binary_t& v) { return dom_.binary(v); }
    bool start_object(std::size_t n) { return enter() && dom_.start_object(n); }
    bool key(std::string& v) { return dom_.key(v); }
    bool end_object() { --depth_; return dom_.end_object(); }
    bool start_array(std::size_t n) { return enter() && dom_.start_array(n); }
    bool end_array() { --depth_; return dom_.end_array(); }

    bool parse_error(std::size_t position, const std::string& last_token,
                     const nlohmann::detail::exception& ex) {
        std::string what = ex.what();
        bool utf8 = what.find("UTF-8") != std::string::npos || what.find("surrogate") != std::string::npos;
        error_ = make_error(utf8 ? Code::JsonInvalidUtf8 : Code::JsonMalformed, "",
                            "at byte " + std::to_string(position) + " near '" +
                                printable(last_token.substr(0, 40)) +
                                "': " + printable(strip_prefix(what)));
        return false;
    }

    const Error* error() const { return error_ ? &*error_ : nullptr; }

private:
    bool enter() {
        if (++depth_ <= max_depth_) return true;
        error_ = make_error(Code::JsonTooDeep, "",
                            "nesting exceeds " + std::to_string(max_depth_) + " levels");
        return false;
    }
    // The quoted input may hold the very bytes that are not UTF-8 (or a character cut by the
    // 40-byte excerpt): messages end up in JSON reports and error bodies, so non-ASCII and
    // control bytes are written as \xHH.
    static std::string printable(const std::string& text) {
        static const char* hex = "0123456789ABCDEF";
        std::string out;
        for (unsigned char c : text) {
            if (c >= 0x20 && c < 0x7F) {
                out += static_cast<char>(c);
            } else {
                out += "\\x";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            }
        }
        return out;
    }
    // nlohmann messages start with "[json.exception.parse_error.101] parse error at line 1, ..."
    static std::string strip_prefix(const std::string& what) {
        auto colon = what.rfind(": ");
        return colon == std::string::npos ? what : what.substr(colon + 2);
    }

    nlohmann::detail::json_sax_dom_parser<Json> dom_;
    std::size_t max_depth_;
    std::size_t depth_ = 0;
    std::optional<Error> error_;
};

// simdjson's DOM (a tape) into nlohmann's, written in place (no temporary per value). Duplicate
// keys: the last one wins, as in nlohmann's own parser. Recursion is bounded by the parser's
// max_depth.
void to_nlohmann(simdjson::dom::element value, Json& out) {
    using Type = simdjson::dom::element_type;
    switch (value.type()) {
        case Type::OBJECT: {
            out = Json::object();
            auto& map = out.get_ref<Json::object_t&>();
            simdjson::dom::object object = value.get_object().value_unsafe();
            for (auto field : object) {
                // Keys usually arrive sorted (serializers with sorted maps): the end is then the
                // place, found without a search. The key is built once, in its node.
                auto at = map.empty() || map.key_comp()(map.rbegin()->first, field.key)
                              ? map.end()
                              : map.lower_bound(field.key);
                if (at == map.end() || map.key_comp()(field.key, at->first)) {
                    at = map.emplace_hint(at, std::piecewise_construct,
                                          std::forward_as_tuple(field.key),
                                          std::forward_as_tuple());
                }
                to_nlohmann(field.value, at->second);  // a repeated key: the last value wins
            }
            return;
        }
        case Type::ARRAY: {
            out = Json::array();
            auto& items = out.get_ref<Json::array_t&>();
            simdjson::dom::array array = value.get_array().value_unsafe();
            items.resize(array.size());
            std::size_t i = 0;
            for (auto item : array) to_nlohmann(item, items[i++]);
            return;
        }
        case Type::STRING:  // copied once, into the Json's own string
            out = Json::value_t::string;
            out.get_ref<Json::string_t&>().assign(value.get_string().value_unsafe());
            return;
        case Type::INT64: out = value.get_int64().value_unsafe(); return;
        case Type::UINT64: out = value.get_uint64().value_unsafe(); return;
        case Type::DOUBLE: out = value.get_double().value_unsafe(); return;
        case Type::BOOL: out = value.get_bool().value_unsafe(); return;
        case Type::NULL_VALUE: out = nullptr; return;
    }
}

// The fast path: nullopt when simdjson refuses the text, for whatever reason.
std::optional<Json> parse_fast(std::string_view text, std::size_t max_depth) {
    std::optional<Json> out;
    with_simdjson(text, max_depth, [&](JsonElement root) { to_nlohmann(root, out.emplace()); });
    return out;
}

}  // namespace

// A parser needs about 14 bytes of buffers per input byte. Small documents (stream events,
// replies) reuse one parser per thread; larger ones get a parser of their own, freed right after:
// the adapter serves on up to 256 threads, and a 55 kB request first seen on each would leave 0.8
// MB of buffers on every thread. A parse inside another's `use` gets its own parser too.
bool with_simdjson(std::string_view text, std::size_t max_depth,
                   const std::function<void(JsonElement)>& use) {
    constexpr std::size_t kReuseUpTo = 16u << 10;
    thread_local simdjson::dom::parser shared;
    thread_local bool shared_busy = false;
    std::optional<simdjson::dom::parser> own;
    bool reuse = text.size() <= kReuseUpTo && !shared_busy;
    simdjson::dom::parser* parser = reuse ? &shared : &own.emplace();
    if (parser->max_depth() != max_depth || parser->capacity() < text.size()) {
        if (parser->allocate(text.size(), max_depth) != simdjson::SUCCESS) return false;
    }
    JsonElement root;
    auto parsed = parser->parse(text.data(), text.size(), /*realloc_if_needed=*/true);
    if (parsed.get(root) != simdjson::SUCCESS) return false;
    struct Busy {
        bool& flag;
        bool was;
        ~Busy() { flag = was; }
    } busy{shared_busy, shared_busy};
    if (reuse) shared_busy = true;
    use(root);
    return true;
}

Json to_json(JsonElement value) {
    Json out;
    to_nlohmann(value, out);
    return out;
}

Result<Json> parse_json(std::string_view text, const JsonLimits& limits) {
    if (text.size() > limits.max_bytes) {
        return make_error(Code::JsonTooLarge, "",
                          std::to_string(text.size()) + " bytes, limit " +
                              std::to_string(limits.max_bytes));
    }
    if (std::optional<Json> fast = parse_fast(text, limits.max_depth)) return std::move(*fast);
    Json out;
    LimitedDomBuilder builder(out, limits.max_depth);
    bool ok = Json::sax_parse(text.begin(), text.end(), &builder, nlohmann::detail::input_format_t::json,
                              /*strict=*/true);
    if (const Error* err = builder.error()) return *err;
    if (!ok) return make_error(Code::JsonMalformed, "", "unparsable JSON");
    return out;
}

namespace {

void release_below(Json& value, int depth) {
    if (value.is_object()) {
        auto& map = value.get_ref<Json::object_t&>();
        if (depth < 256) for (auto& field : map) release_below(field.second, depth + 1);
        map.clear();
    } else if (value.is_array()) {
        auto& items = value.get_ref<Json::array_t&>();
        if (depth < 256) for (Json& item : items) release_below(item, depth + 1);
        items.clear();
    }
}

}  // namespace

void release_json(Json& value) {
    release_below(value, 0);
    value = nullptr;
}

JsonText::JsonText(const Json& value) : text_(dump_json(value)) {}

JsonText JsonText::from_compact(std::string compact) {
    JsonText out;
    out.text_ = std::move(compact);
    return out;
}

Json JsonText::json() const {
    Result<Json> parsed = parse_json(text_, JsonLimits{text_.size(), kJsonMaxDepth});
    return parsed.ok() ? std::move(parsed.value()) : Json();
}

std::string pointer_join(std::string_view pointer, std::string_view token) {
    std::string out;
    out.reserve(pointer.size() + 1 + token.size());
    out.append(pointer).append(1, '/');
    for (std::size_t at = 0;;) {  // copies runs without '~' or '/' at once
        std::size_t special = token.find_first_of("~/", at);
        out.append(token.substr(at, special - at));
        if (special == std::string_view::npos) break;
        out += token[special] == '~' ? "~0" : "~1";
        at = special + 1;
    }
    return out;
}

std::string pointer_join(std::string_view pointer, std::size_t index) {
    char digits[24];
    auto end = std::to_chars(digits, digits + sizeof digits, index).ptr;
    std::string out;
    out.reserve(pointer.size() + 1 + static_cast<std::size_t>(end - digits));
    out.append(pointer).append(1, '/').append(digits, end);
    return out;
}

std::string_view json_type_name(const Json& value) { return value.type_name(); }

}  // namespace wirecheck
