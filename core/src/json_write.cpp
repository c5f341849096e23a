// Writing JSON text: dump_json, append_json_string (json.hpp) and JsonWriter (json_writer.hpp)
// write the bytes nlohmann's dump writes, several times faster: plain runs are found 16 bytes at a
// time (SSE2 on x86-64, 8 bytes at a time elsewhere) and copied at once, UTF-8 is checked only in
// strings that are not ASCII, and values are written through a pointer instead of appended piece
// by piece.
#include "wirecheck/json_writer.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include <simdjson.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace wirecheck {
namespace {

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
    __m128i special = _mm_or_si128(control, _mm_or_si128(quote, backslash));
    if (!utf8_ok) special = _mm_or_si128(special, v);  // high bit: not ASCII
    return static_cast<unsigned>(_mm_movemask_epi8(special));
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

// The room write_string needs for `text`. Short strings get their worst case (every byte escaped
// as \u00XX, and the quotes) without a look; long ones are measured, so that an 8 MB text does not
// reserve 48 MB (in Wasm, memory the page keeps).
std::size_t room_for_string(std::string_view text) {
    constexpr std::size_t kMeasuredFrom = 4096;
    const std::size_t n = text.size();
    if (n < kMeasuredFrom) return 6 * n + 2;
    std::size_t extra = 0;
    for (std::size_t i = find_special(text.data(), 0, n, true); i < n;
         i = find_special(text.data(), i + 1, n, true)) {
        extra += kShortEscape[static_cast<unsigned char>(text[i])] ? 1 : 5;
    }
    return n + extra + 2;
}

// Short strings (member names, roles, types: most strings a request writes) copied as they are
// checked: the end of the JSON string written at `p`, or nullptr (nothing meaningful written)
// when `text` is long or has a byte that needs care.
char* write_short_plain(std::string_view text, char* p) {
    constexpr std::size_t kShort = 16;
    const std::size_t n = text.size();
    if (n >= kShort) return nullptr;
    *p++ = '"';
    for (std::size_t i = 0; i < n; ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (kByteClass[c] != 0) return nullptr;
        p[i] = static_cast<char>(c);
    }
    p[n] = '"';
    return p + n + 1;
}

// write_string past the short plain case: escapes as it copies. One pass; UTF-8 is validated only
// for strings that are not ASCII, once.
char* write_escaped(std::string_view text, char* p) {
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

// Writes `text` as a JSON string at `p`, which has room_for_string(text) bytes; returns the end,
// or nullptr when `text` is not valid UTF-8 (the caller then lets nlohmann write the value,
// replacing the bad bytes). Inline, so the common short string costs no call.
inline char* write_string(std::string_view text, char* p) {
    char* end = write_short_plain(text, p);
    return end ? end : write_escaped(text, p);
}

using json_detail::TextBuffer;

template <class Integer>
void put_number(Integer value, TextBuffer& out) {
    char* p = out.room(24);
    out.advance_to(std::to_chars(p, p + 24, value).ptr);
}

bool write_string(std::string_view text, TextBuffer& out) {
    char* end = write_string(text, out.room(room_for_string(text)));
    if (!end) return false;
    out.advance_to(end);
    return true;
}

bool write_json(const Json& value, TextBuffer& out) {
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

// A value as nlohmann writes it, invalid UTF-8 replaced: for what write_json leaves to it.
std::string nlohmann_dump(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

namespace json_detail {

std::string TextBuffer::take() {
    std::string text(buffer_.get(), size_);
    size_ = 0;
    return text;
}

void TextBuffer::grow(std::size_t n) {
    std::size_t capacity = std::max({capacity_ * 2, size_ + n, std::size_t{1024}});
    std::unique_ptr<char[]> bigger(new char[capacity]);
    if (size_ > 0) std::memcpy(bigger.get(), buffer_.get(), size_);
    buffer_ = std::move(bigger);
    capacity_ = capacity;
}

}  // namespace json_detail

void append_json_string(std::string_view text, std::string& out) {
    const std::size_t at = out.size();
    out.resize(at + room_for_string(text));
    if (char* end = write_string(text, &out[at])) {
        out.resize(static_cast<std::size_t>(end - out.data()));
        return;
    }
    out.resize(at);
    out += nlohmann_dump(Json(std::string(text)));
}

std::string dump_json(const Json& value) {
    TextBuffer out;
    if (write_json(value, out)) return out.take();
    return nlohmann_dump(value);
}

std::string indent_json(std::string_view text) {
    Result<Json> parsed = parse_json(text);
    if (!parsed.ok()) return std::string(text);
    return parsed->dump(2, ' ', false, Json::error_handler_t::replace);
}

// ---- JsonWriter --------------------------------------------------------------------------------

void JsonWriter::separate() {
#ifndef NDEBUG
    if (!open_.empty() && open_.back().object) {
        if (!open_.back().awaiting_value) std::abort();  // a value in an object without its key()
        open_.back().awaiting_value = false;
    }
#endif
    if (comma_) out_.put(',');
}

JsonWriter& JsonWriter::open(char bracket, bool object) {
    separate();
    out_.put(bracket);
    comma_ = false;
#ifndef NDEBUG
    open_.push_back(Open{object, false, {}});
#else
    (void)object;
#endif
    return *this;
}

JsonWriter& JsonWriter::close(char bracket, bool object) {
#ifndef NDEBUG
    // Unbalanced, or an object closed after a key() without its value.
    if (open_.empty() || open_.back().object != object || open_.back().awaiting_value) std::abort();
    open_.pop_back();
#else
    (void)object;
#endif
    out_.put(bracket);
    comma_ = true;
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
#ifndef NDEBUG
    // Names only in objects, each once: a second one would be a value the encoder meant to replace.
    if (open_.empty() || !open_.back().object || open_.back().awaiting_value) std::abort();
    open_.back().awaiting_value = true;
    auto& names = open_.back().names;
    if (std::find(names.begin(), names.end(), name) != names.end()) std::abort();
    names.emplace_back(name);
#endif
    if (comma_) out_.put(',');
    put_string(name);
    out_.put(':');
    comma_ = false;
    return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
    separate();
    put_string(text);
    comma_ = true;
    return *this;
}

// Invalid UTF-8 is left to nlohmann, which replaces it (as dump_json does).
void JsonWriter::put_string(std::string_view text) {
    if (!write_string(text, out_)) out_.put(nlohmann_dump(Json(std::string(text))));
}

JsonWriter& JsonWriter::integer(std::int64_t value) {
    separate();
    put_number(value, out_);
    comma_ = true;
    return *this;
}

JsonWriter& JsonWriter::number(double value) {
    separate();
    if (std::isfinite(value)) {
        // What nlohmann's dump() calls (Grisu2, shortest round trip, "1.0" for integral values),
        // without building a Json and a serializer for one number: a thousand instructions saved.
        char text[64];
        char* end = nlohmann::detail::to_chars(text, text + sizeof text, value);
        out_.put(std::string_view(text, static_cast<std::size_t>(end - text)));
    } else {
        out_.put("null");  // as nlohmann dumps NaN and the infinities
    }
    comma_ = true;
    return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
    separate();
    out_.put(value ? "true" : "false");
    comma_ = true;
    return *this;
}

JsonWriter& JsonWriter::null() {
    separate();
    out_.put("null");
    comma_ = true;
    return *this;
}

JsonWriter& JsonWriter::json(const Json& value) {
    separate();
    const std::size_t at = out_.size();
    if (!write_json(value, out_)) {
        out_.truncate(at);
        out_.put(nlohmann_dump(value));
    }
    comma_ = true;
    return *this;
}

JsonWriter& JsonWriter::json(const JsonText& value) {
    separate();
    out_.put(value.text());
    comma_ = true;
    return *this;
}

std::string JsonWriter::take() {
    comma_ = false;
#ifndef NDEBUG
    if (!open_.empty()) std::abort();  // a container left open
#endif
    return out_.take();
}

}  // namespace wirecheck
