// Helpers shared by the unit tests: paths to the repo and shared/ fixtures, file reading,
// splitting input into chunks, and (below) JSON/loss/SSE/codec/translation helpers. Tests (not the
// core) may do I/O.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <exception>
#include <fstream>
#include <sstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wirecheck/chat_codec.hpp"
#include "wirecheck/messages_codec.hpp"
#include "wirecheck/responses_codec.hpp"
#include "wirecheck/translate.hpp"

namespace wirecheck::test {

inline std::string source_path(const std::string& relative) {
    return std::string(WIRECHECK_SOURCE_DIR) + "/" + relative;
}
inline std::string shared_path(const std::string& relative) {
    return std::string(WIRECHECK_SHARED_DIR) + "/" + relative;
}

// Returns the whole file, or "" (and sets *ok=false) when it cannot be read.
inline std::string read_file(const std::string& path, bool* ok = nullptr) {
    std::ifstream in(path, std::ios::binary);
    if (ok) *ok = static_cast<bool>(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

// Splits `text` into pieces of `size` bytes (the last may be shorter).
inline std::vector<std::string> chunks_of(const std::string& text, std::size_t size) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size(); i += size) out.push_back(text.substr(i, size));
    return out;
}

// Deterministic pseudo-random split (xorshift), so failures reproduce.
inline std::vector<std::string> random_chunks(const std::string& text, unsigned seed,
                                              std::size_t max_size = 17) {
    std::vector<std::string> out;
    unsigned state = seed ? seed : 1;
    for (std::size_t i = 0; i < text.size();) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        std::size_t n = 1 + state % max_size;
        out.push_back(text.substr(i, n));
        i += n;
    }
    return out;
}

// ---- JSON, losses, SSE -----------------------------------------------------------------------

// Parses test input, failing the test (not throwing) when it is not JSON.
inline Json parse_or_fail(std::string_view text) {
    auto r = parse_json(text);
    EXPECT_TRUE(r.ok()) << r.error().to_string() << "\n" << text.substr(0, 400);
    return r.ok() ? r.value() : Json();
}

// Request encoders write text; tests look at the body as JSON.
inline Json encode_chat_json(Request request, Losses& losses, const EncodeOptions& options = {}) {
    return parse_or_fail(encode_chat_request(std::move(request), losses, options));
}
inline Json encode_responses_json(Request request, Losses& losses,
                                  const EncodeOptions& options = {}) {
    return parse_or_fail(encode_responses_request(std::move(request), losses, options));
}
inline Json encode_messages_json(Request request, Losses& losses,
                                 const EncodeOptions& options = {}) {
    return parse_or_fail(encode_messages_request(std::move(request), losses, options));
}

// One line per loss: "warn loss.field_dropped at '/store': message".
inline std::string describe_losses(const Losses& losses) {
    std::string out;
    for (const auto& l : losses) {
        out += std::string(severity_name(l.severity)) + " " + std::string(code_name(l.code)) +
               " at '" + l.pointer + "': " + l.message + "\n";
    }
    return out;
}

// [{code, severity, pointer}]: what golden files pin (messages may be reworded freely).
inline Json losses_json(const Losses& losses) {
    Json out = Json::array();
    for (const auto& l : losses) {
        out.push_back(
            Json{{"code", code_name(l.code)}, {"severity", severity_name(l.severity)},
                 {"pointer", l.pointer}});
    }
    return out;
}

inline bool has_loss_code(const Losses& losses, Code code) {
    for (const auto& l : losses) {
        if (l.code == code) return true;
    }
    return false;
}

// Whether `losses` hold `code` at `pointer` ("*": anywhere), with `severity` when one is given.
inline bool has_loss(const Losses& losses, Code code, const std::string& pointer = "*",
                     std::optional<Severity> severity = std::nullopt) {
    for (const auto& l : losses) {
        if (l.code == code && (pointer == "*" || l.pointer == pointer) &&
            (!severity || l.severity == *severity)) {
            return true;
        }
    }
    return false;
}

// The first loss with `code`, or nullptr.
inline const Loss* find_loss(const Losses& losses, Code code) {
    for (const auto& l : losses) {
        if (l.code == code) return &l;
    }
    return nullptr;
}

// All events of a complete SSE text (the last one may lack its blank line).
inline std::vector<SseEvent> parse_sse(const std::string& text) {
    SseParser parser;
    std::vector<SseEvent> events;
    Status fed = parser.feed(text, events);
    Status done = parser.finish(events);
    EXPECT_TRUE(fed.ok() && done.ok()) << "SSE does not parse";
    return events;
}

// An SSE text as [{event, data}], data parsed as JSON when it is JSON (else kept as a string,
// e.g. "[DONE]"), so streams compare event by event as parsed JSON.
inline Json sse_as_json(const std::string& text) {
    Json out = Json::array();
    for (const auto& e : parse_sse(text)) {
        auto data = parse_json(e.data);
        out.push_back(Json{{"event", e.event}, {"data", data.ok() ? data.value() : Json(e.data)}});
    }
    return out;
}

// The frames of a complete SSE text as (event name, data parsed as JSON), failing the test when a
// data payload is not JSON. `skip_done` leaves out `data: [DONE]` frames instead.
inline std::vector<std::pair<std::string, Json>> sse_frames(const std::string& text,
                                                            bool skip_done = false) {
    std::vector<std::pair<std::string, Json>> out;
    for (const auto& e : parse_sse(text)) {
        if (skip_done && e.is_done()) continue;
        out.emplace_back(e.event, parse_or_fail(e.data));
    }
    return out;
}

// A readable difference of two JSON documents (an RFC 6902 patch from expected to actual).
inline std::string json_diff(const Json& expected, const Json& actual) {
    return Json::diff(expected, actual).dump(2, ' ', false, Json::error_handler_t::replace);
}

// ---- codecs ------------------------------------------------------------------------------------

// A capture from shared/fixtures/captures as JSON, failing the test when it cannot be read.
inline Json load_capture(const std::string& name) {
    bool ok = false;
    std::string text = read_file(shared_path("fixtures/captures/" + name), &ok);
    EXPECT_TRUE(ok) << "cannot read capture " << name;
    return parse_or_fail(text);
}

struct DecodedStream {
    std::vector<StreamEvent> events;
    Losses losses;
    Status status;  // the first failure of feed(), else what finish() returned
};

// Feeds SSE text in `pieces` through SseParser and the stream decoder of `protocol`, then calls
// finish(); stops at the first decoder failure.
inline DecodedStream decode_stream(Protocol protocol, const std::vector<std::string>& pieces) {
    DecodedStream d;
    SseParser parser;
    auto decoder = make_stream_decoder(protocol);
    std::vector<SseEvent> sse;
    auto feed_all = [&]() {
        for (const auto& e : sse) {
            d.status = decoder->feed(e, d.events, d.losses);
            if (!d.status.ok()) return false;
        }
        sse.clear();
        return true;
    };
    for (const auto& piece : pieces) {
        EXPECT_TRUE(parser.feed(piece, sse).ok());
        if (!feed_all()) return d;
    }
    EXPECT_TRUE(parser.finish(sse).ok());
    if (!feed_all()) return d;
    d.status = decoder->finish(d.events, d.losses);
    return d;
}

// A canonical stream event with the fields most events need (set any others on the result).
inline StreamEvent stream_event(StreamEvent::Kind kind, std::size_t index = 0,
                                PartType type = PartType::Text, std::string text = "") {
    StreamEvent e;
    e.kind = kind;
    e.index = index;
    e.part_type = type;
    e.text = std::move(text);
    return e;
}

// The PartStart event of a tool call.
inline StreamEvent tool_start(std::size_t index, std::string id, std::string name,
                              ToolKind kind = ToolKind::Function) {
    StreamEvent e = stream_event(StreamEvent::Kind::PartStart, index, PartType::ToolCall);
    e.tool_call.id = std::move(id);
    e.tool_call.name = std::move(name);
    e.tool_call.kind = kind;
    return e;
}

// Encodes canonical events with the stream encoder of `protocol`; `finish` false leaves the
// stream open (no finish() call).
inline std::string encode_stream(Protocol protocol, const std::vector<StreamEvent>& events,
                                 Losses& losses, bool finish = true,
                                 const StreamEncoderOptions& options = {}) {
    auto encoder = make_stream_encoder(protocol, options);
    std::string out;
    for (const auto& e : events) encoder->encode(e, out, losses);
    if (finish) encoder->finish(out, losses);
    return out;
}

// ---- translation -----------------------------------------------------------------------------

// Calls `f`, failing the test (with `what`) if anything is thrown out of the core API.
template <class F>
auto no_throw(const char* what, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const std::exception& e) {
        ADD_FAILURE() << what << " threw: " << e.what();
    } catch (...) {
        ADD_FAILURE() << what << " threw a non-exception";
    }
    return make_error(Code::Internal, "", "threw");
}

struct StreamRun {
    std::string output;
    Losses losses;
    std::optional<Error> error;
};

// Translates an SSE text fed in `pieces`, through to finish(); stops at the first error.
inline StreamRun translate_stream_pieces(Protocol from, Protocol to,
                                         const std::vector<std::string>& pieces,
                                         const TranslateOptions& options = {}) {
    StreamRun run;
    try {
        StreamTranslator translator(from, to, options);
        Status status;
        for (const auto& piece : pieces) {
            status = translator.feed(piece, run.output);
            if (!status.ok()) break;
        }
        if (status.ok()) status = translator.finish(run.output);
        if (!status.ok()) run.error = status.error();
        run.losses = translator.losses();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "StreamTranslator threw: " << e.what();
    }
    return run;
}

inline bool update_golden() {
    const char* v = std::getenv("UPDATE_GOLDEN");
    return v && std::string(v) == "1";
}

}  // namespace wirecheck::test
