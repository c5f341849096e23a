// Compact JSON text written directly, for encoders whose output is text anyway: building a Json
// DOM and dumping it was half of a 200-turn request's translation (callgrind: the DOM's nodes, its
// map inserts and frees, then the walk that writes it). Members come out in the order they are
// written; strings are escaped as dump_json escapes them (invalid UTF-8 becomes U+FFFD), and the
// commas are the writer's business.
//
//     JsonWriter w;
//     w.begin_object().key("model").string(model).key("stream").boolean(true).end_object();
//     std::string body = w.take();
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wirecheck/json.hpp"

namespace wirecheck {

namespace json_detail {
// An uninitialised buffer grown in doubling steps: values are written through a pointer after one
// capacity check, and no room is zero-filled (std::string appends and resizes were most of writing
// a request, callgrind).
class TextBuffer {
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
    std::size_t size() const { return size_; }
    void truncate(std::size_t size) { size_ = size; }
    std::string take();

  private:
    void grow(std::size_t n);

    std::unique_ptr<char[]> buffer_;
    std::size_t capacity_ = 0;
    std::size_t size_ = 0;
};
}  // namespace json_detail

class JsonWriter {
  public:
    JsonWriter& begin_object() { return open('{', true); }
    JsonWriter& end_object() { return close('}', true); }
    JsonWriter& begin_array() { return open('[', false); }
    JsonWriter& end_array() { return close(']', false); }
    // An object member's name; its value is the next thing written.
    JsonWriter& key(std::string_view name);

    JsonWriter& string(std::string_view text);
    JsonWriter& integer(std::int64_t value);
    JsonWriter& number(double value);  // nlohmann's shortest round trip, as dump_json writes it
    JsonWriter& boolean(bool value);
    JsonWriter& null();
    JsonWriter& json(const Json& value);  // a whole value, as dump_json writes it
    JsonWriter& json(const JsonText& value);  // its text, as it is

    // The text written so far; the writer is empty afterwards.
    std::string take();

  private:
    void separate();  // the ',' before every element and member but the first
    JsonWriter& open(char bracket, bool object);
    JsonWriter& close(char bracket, bool object);
    void put_string(std::string_view text);

    json_detail::TextBuffer out_;
    bool comma_ = false;  // the next element or member needs a ',' first
    // Debug builds check the structure (an encoder's bug, never the input's): names only in
    // objects, each once per object and followed by its value; containers closed in order. (Kept
    // in release builds too, unused, so the class has one layout whatever NDEBUG says.)
    struct Open {
        bool object;
        bool awaiting_value;  // key() written, its value not yet
        std::vector<std::string> names;
    };
    std::vector<Open> open_;
};

}  // namespace wirecheck
