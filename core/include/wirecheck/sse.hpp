// Incremental Server-Sent Events parser and writer (WHATWG HTML "event stream interpretation").
// Bytes may arrive split anywhere (inside a line, between CR and LF, inside a UTF-8 sequence); the
// parser emits each event once its terminating blank line has arrived.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wirecheck/result.hpp"

namespace wirecheck {

struct SseEvent {
    std::string event;                 // the `event:` field; empty means the default ("message")
    std::string data;                  // `data:` lines joined with '\n'
    std::string id;                    // the last `id:` seen so far in the stream (spec: sticky)
    std::optional<std::int64_t> retry; // `retry:` given with this event, if any
    bool unterminated = false;         // delivered by finish() without its blank line

    // OpenAI-style end-of-stream sentinel: `data: [DONE]`.
    bool is_done() const { return data == "[DONE]"; }
};

struct SseLimits {
    std::size_t max_event_bytes = 16u << 20;  // one event (all its lines) may not exceed this
};

class SseParser {
public:
    explicit SseParser(SseLimits limits = {}) : limits_(limits) {}

    // Parses `bytes` and appends every event completed by them to `out`. After an error the parser
    // stays failed and ignores further input.
    Status feed(std::string_view bytes, std::vector<SseEvent>& out);

    // End of stream. An event still missing its blank line is delivered with `unterminated` set
    // (many servers omit the last blank line); callers decide whether that is acceptable.
    Status finish(std::vector<SseEvent>& out);

    std::size_t comment_count() const { return comments_; }
    std::size_t bytes_seen() const { return bytes_seen_; }

private:
    Status feed_bytes(std::string_view bytes, std::vector<SseEvent>& out);
    void process_line(std::string_view line, std::vector<SseEvent>& out);
    void dispatch(std::vector<SseEvent>& out, bool unterminated);

    SseLimits limits_;
    std::string line_;           // the incomplete line carried between feeds
    SseEvent pending_;           // fields of the event being assembled
    bool has_data_ = false;      // a `data:` field was seen for the pending event
    bool any_field_ = false;     // any field was seen for the pending event
    std::string last_id_;
    bool skip_lf_ = false;       // previous chunk ended with CR: a leading LF belongs to it
    bool bom_checked_ = false;
    std::size_t pending_bytes_ = 0;
    std::size_t comments_ = 0;
    std::size_t bytes_seen_ = 0;
    std::optional<Error> failed_;
};

// Writes one event in a single piece: `event: <name>\n` (when non-empty), one `data:` line per
// line of `data`, and the blank line.
std::string sse_frame(std::string_view event, std::string_view data);
void append_sse_frame(std::string& out, std::string_view event, std::string_view data);

}  // namespace wirecheck
