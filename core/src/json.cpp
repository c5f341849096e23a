// Two parsers, one result. Valid JSON is parsed by simdjson (validating UTF-8, escapes, structure
// and depth at several hundred MB/s) and copied into nlohmann's DOM; anything simdjson refuses is
// parsed again by nlohmann's SAX parser, which yields the specific error (what, and at which byte).
// nlohmann's lexer runs at ~100 MB/s and was three quarters of a request translation's time.
#include "wirecheck/json.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include <simdjson.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
                // Keys usually arrive in order when a serializer with sorted maps wrote them.
                auto slot = map.empty() || map.key_comp()(map.rbegin()->first, field.key)
                                ? map.emplace_hint(map.end(), std::string(field.key), nullptr)
                                : map.try_emplace(std::string(field.key)).first;
                to_nlohmann(field.value, slot->second);
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
        case Type::STRING: out = std::string(value.get_string().value_unsafe()); return;
        case Type::INT64: out = value.get_int64().value_unsafe(); return;
        case Type::UINT64: out = value.get_uint64().value_unsafe(); return;
        case Type::DOUBLE: out = value.get_double().value_unsafe(); return;
        case Type::BOOL: out = value.get_bool().value_unsafe(); return;
        case Type::NULL_VALUE: out = nullptr; return;
    }
}

// The fast path: nullopt when simdjson refuses the text, for whatever reason. A parser needs about
// 14 bytes of buffers per input byte. Small documents (stream events, replies) reuse one parser per
// thread; larger ones get a parser of their own, freed right after: the adapter serves on up to 256
// threads, and a 55 kB request first seen on each would leave 0.8 MB of buffers on every thread.
std::optional<Json> parse_fast(std::string_view text, std::size_t max_depth) {
    constexpr std::size_t kReuseUpTo = 16u << 10;
    thread_local simdjson::dom::parser shared;
    std::optional<simdjson::dom::parser> own;
    simdjson::dom::parser* parser = text.size() <= kReuseUpTo ? &shared : &own.emplace();
    if (parser->max_depth() != max_depth || parser->capacity() < text.size()) {
        if (parser->allocate(text.size(), max_depth) != simdjson::SUCCESS) return std::nullopt;
    }
    simdjson::dom::element root;
    auto parsed = parser->parse(text.data(), text.size(), /*realloc_if_needed=*/true);
    if (parsed.get(root) != simdjson::SUCCESS) return std::nullopt;
    Json out;
    to_nlohmann(root, out);
    return out;
}

// ---- writing ------------------------------------------------------------------------------------

// How write_string treats each byte: 0 copied as is, 1 escaped, 2 not ASCII (the rest of the
// string is then checked for valid UTF-8, once).
constexpr std::array<std::uint8_t, 256> kByteClass = [] {
    std::array<std::uint8_t, 256> table{};
    for (int c = 0; c < 0x20; ++c) table[c] = 1;
    table['"'] = table['\\'] = 1;
    for (int c = 0x80; c < 0x100; ++c) table[c] = 2;
    return table;
}();
// The letter of a two-character escape (\n, \", ...); 0 for the \u00XX ones.
constexpr std::array<char, 256> kShortEscape = [] {
    std::array<char, 256> table{};
    table['"'] = '"';
    table['\\'] = '\\';
    table['\b'] = 'b';
    table['\f'] = 'f';
    table['\n'] = 'n';
    table['\r'] = 'r';
    table['\t'] = 't';
    return table;
}();

// True when one of the 8 bytes in `w` is a control character, '"', '\\' or (until the string is
// known to be valid UTF-8) not ASCII: the classic "has a byte less than n / equal to c" word
// tricks, exact as a yes/no answer.
inline bool word_needs_care(std::uint64_t w, bool utf8_ok) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    std::uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    std::uint64_t hits = ((w - ones * 0x20) & ~w) | ((quote - ones) & ~quote) |
                         ((backslash - ones) & ~backslash) | (utf8_ok ? 0 : w);
    return (hits & high) != 0;
}

#if defined(__SSE2__)
// A mask of the bytes among the 16 at `p` to escape (or, unless utf8_ok, not ASCII).
inline unsigned special_bytes16(const char* p, bool utf8_ok) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
    __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))));
    return utf8_ok ? mask : mask | static_cast<unsigned>(_mm_movemask_epi8(v));
}
#endif

// The first byte at or after `i` to escape (or, unless utf8_ok, not ASCII); n when none. Plain
// runs are skipped 16 bytes at a time with SSE2 (x86-64), else 8 at a time.
std::size_t find_special(const char* data, std::size_t i, std::size_t n, bool utf8_ok) {
#if defined(__SSE2__)
    for (; i + 16 <= n; i += 16) {
        if (unsigned mask = special_bytes16(data + i, utf8_ok))
            return i + static_cast<std::size_t>(__builtin_ctz(mask));
    }
#endif
    for (; i + 8 <= n; i += 8) {
        std::uint64_t w;
        std::memcpy(&w, data + i, 8);
        if (word_needs_care(w, utf8_ok)) break;
    }
    for (; i < n; ++i) {
        std::uint8_t kind = kByteClass[static_cast<unsigned char>(data[i])];
        if (kind == 1 || (kind == 2 && !utf8_ok)) return i;
    }
    return n;
}

// Writes `text` as a JSON string at `p`, which has room for 6 * text.size() + 2 bytes (every byte
// escaped as \u00XX, and the quotes); returns the end, or nullptr when `text` is not valid UTF-8
// (the caller then lets nlohmann write the value, replacing the bad bytes). One pass: plain runs
// are found 8 bytes at a time and copied at once; UTF-8 is validated only for strings that are
// not ASCII, once.
char* write_string(std::string_view text, char* p) {
    static const char* hex = "0123456789abcdef";
    const char* data = text.data();
    const std::size_t n = text.size();
    bool utf8_ok = false;
    *p++ = '"';
    std::size_t plain = 0;  // start of the run not yet copied
    for (std::size_t i = find_special(data, 0, n, false); i < n;
         i = find_special(data, i + 1, n, utf8_ok)) {
        auto c = static_cast<unsigned char>(data[i]);
        if (kByteClass[c] == 2) {
            // Every byte before is ASCII, so validating from here covers the whole string.
            if (!simdjson::validate_utf8(data + i, n - i)) return nullptr;
            utf8_ok = true;
            continue;
        }
        std::memcpy(p, data + plain, i - plain);
        p += i - plain;
        plain = i + 1;
        *p++ = '\\';
        if (char letter = kShortEscape[c]) {
            *p++ = letter;
        } else {
            *p++ = 'u';
            *p++ = '0';
            *p++ = '0';
            *p++ = hex[c >> 4];
            *p++ = hex[c & 0xF];
        }
    }
    std::memcpy(p, data + plain, n - plain);
    p += n - plain;
    *p++ = '"';
    return p;
}

constexpr std::size_t room_for_string(std::size_t size) { return 6 * size + 2; }

// dump_json's output: an uninitialised buffer with room to spare, grown in doubling steps, so
// values are written through a pointer after one capacity check instead of appended piece by
// piece, and no room is zero-filled (callgrind: std::string appends, then resizes, were most of
// writing a request).
class Output {
public:
    char* room(std::size_t n) {
        if (size_ + n > capacity_) grow(n);
        return buffer_.get() + size_;
    }
    void advance_to(const char* end) { size_ = static_cast<std::size_t>(end - buffer_.get()); }
    void put(char c) { *room(1) = c; ++size_; }
    void put(std::string_view s) {
        std::memcpy(room(s.size()), s.data(), s.size());
        size_ += s.size();
    }
    std::string text() const { return std::string(buffer_.get(), size_); }

private:
    void grow(std::size_t n) {
        std::size_t capacity = std::max({capacity_ * 2, size_ + n, std::size_t{1024}});
        std::unique_ptr<char[]> bigger(new char[capacity]);
        if (size_ > 0) std::memcpy(bigger.get(), buffer_.get(), size_);
        buffer_ = std::move(bigger);
        capacity_ = capacity;
    }

    std::unique_ptr<char[]> buffer_;
    std::size_t capacity_ = 0;
    std::size_t size_ = 0;
};

template <class Integer>
void put_number(Integer value, Output& out) {
    char* p = out.room(24);
    out.advance_to(std::to_chars(p, p + 24, value).ptr);
}

bool write_string(std::string_view text, Output& out) {
    char* end = write_string(text, out.room(room_for_string(text.size())));
    if (!end) return false;
    out.advance_to(end);
    return true;
}

bool write_json(const Json& value, Output& out) {
    switch (value.type()) {
        case Json::value_t::object: {
            out.put('{');
            bool first = true;
            for (const auto& [key, item] : value.get_ref<const Json::object_t&>()) {
                if (!first) out.put(',');
                first = false;
                if (!write_string(key, out)) return false;
                out.put(':');
                if (!write_json(item, out)) return false;
            }
            out.put('}');
            return true;
        }
        case Json::value_t::array: {
            out.put('[');
            bool first = true;
            for (const Json& item : value.get_ref<const Json::array_t&>()) {
                if (!first) out.put(',');
                first = false;
                if (!write_json(item, out)) return false;
            }
            out.put(']');
            return true;
        }
        case Json::value_t::string: return write_string(value.get_ref<const std::string&>(), out);
        case Json::value_t::number_integer: put_number(value.get<std::int64_t>(), out); return true;
        case Json::value_t::number_unsigned: put_number(value.get<std::uint64_t>(), out); return true;
        case Json::value_t::boolean: out.put(value.get<bool>() ? "true" : "false"); return true;
        case Json::value_t::null: out.put("null"); return true;
        default:  // floats (nlohmann's shortest round trip) and binary
            out.put(value.dump());
            return true;
    }
}

}  // namespace

void append_json_string(std::string_view text, std::string& out) {
    const std::size_t at = out.size();
    out.resize(at + room_for_string(text.size()));
    if (char* end = write_string(text, &out[at])) {
        out.resize(static_cast<std::size_t>(end - out.data()));
        return;
    }
    out.resize(at);
    out += Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string dump_json(const Json& value) {
    Output out;
    if (write_json(value, out)) return out.text();
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
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
