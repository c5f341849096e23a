// Streams of the simulator: the canonical events a streaming model emits for a reply (split into
// realistic pieces), their encoding and decoding with the codecs' stream encoders/decoders (one SSE
// event per frame), and the faulty scenarios' quirks applied to bodies and frames.
//
// Sections: canonical events · frames · quirks
#include <algorithm>

#include "sim_internal.hpp"
#include "wirecheck/sse.hpp"

namespace wirecheck {
namespace sim {
namespace {

using OJson = nlohmann::ordered_json;

// ---- canonical events ---------------------------------------------------------------------------

StreamEvent event(StreamEvent::Kind kind, std::size_t index, PartType type) {
    StreamEvent e;
    e.kind = kind;
    e.index = index;
    e.part_type = type;
    return e;
}

// Text in a few deltas: groups of tokens, at most 6 deltas per part (at least 2 tokens each).
std::vector<std::string> text_pieces(const std::string& text, Tokenizer tokenizer) {
    auto tokens = tokenize(text, tokenizer);
    std::size_t group = std::max<std::size_t>(2, (tokens.size() + 5) / 6);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < tokens.size(); i += group) {
        std::string piece;
        for (std::size_t k = i; k < i + group && k < tokens.size(); ++k) piece.append(tokens[k]);
        out.push_back(std::move(piece));
    }
    return out;
}

// Tool arguments in three pieces of about equal bytes, never inside a UTF-8 sequence, so clients
// that parse each fragment (instead of concatenating) are caught out.
std::vector<std::string> argument_pieces(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (int k = 1; k <= 3; ++k) {
        std::size_t end = k == 3 ? text.size() : text.size() * static_cast<std::size_t>(k) / 3;
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
        if (end > start) out.push_back(text.substr(start, end - start));
        start = std::max(start, end);
    }
    return out;
}

}  // namespace

std::vector<StreamEvent> stream_events(const Response& response, Tokenizer tokenizer) {
    using Kind = StreamEvent::Kind;
    std::vector<StreamEvent> out;
    StreamEvent start = event(Kind::Start, 0, PartType::Text);
    start.id = response.id;
    start.model = response.model;
    start.created = response.created;
    if (response.usage) start.usage = Usage{response.usage->input, 0, 0, 0, 0};
    out.push_back(start);
    for (std::size_t i = 0; i < response.output.size(); ++i) {
        const Part& part = response.output[i];
        if (const auto* r = std::get_if<ReasoningPart>(&part)) {
            StreamEvent s = event(Kind::PartStart, i, PartType::Reasoning);
            s.reasoning.origin = r->origin;
            s.reasoning.item_id = r->item_id;
            out.push_back(s);
            for (const auto& piece : text_pieces(r->text, tokenizer)) {
                StreamEvent d = event(Kind::ReasoningDelta, i, PartType::Reasoning);
                d.text = piece;
                out.push_back(d);
            }
            for (std::size_t k = 0; k < r->summary.size(); ++k) {
                for (const auto& piece : text_pieces(r->summary[k], tokenizer)) {
                    StreamEvent d = event(Kind::SummaryDelta, i, PartType::Reasoning);
                    d.summary_index = k;
                    d.text = piece;
                    out.push_back(d);
                }
            }
            if (!r->signature.empty()) {
                StreamEvent d = event(Kind::SignatureDelta, i, PartType::Reasoning);
                d.text = r->signature;
                out.push_back(d);
            }
            StreamEvent e = event(Kind::PartEnd, i, PartType::Reasoning);
            e.reasoning = *r;
            out.push_back(e);
        } else if (const auto* t = std::get_if<TextPart>(&part)) {
            out.push_back(event(Kind::PartStart, i, PartType::Text));
            for (const auto& piece : text_pieces(t->text, tokenizer)) {
                StreamEvent d = event(Kind::TextDelta, i, PartType::Text);
                d.text = piece;
                out.push_back(d);
            }
            out.push_back(event(Kind::PartEnd, i, PartType::Text));
        } else if (const auto* c = std::get_if<ToolCallPart>(&part)) {
            StreamEvent s = event(Kind::PartStart, i, PartType::ToolCall);
            s.tool_call = *c;
            s.tool_call.arguments.clear();
            out.push_back(s);
            for (const auto& piece : argument_pieces(c->arguments)) {
                StreamEvent d = event(Kind::ArgumentsDelta, i, PartType::ToolCall);
                d.text = piece;
                out.push_back(d);
            }
            StreamEvent e = event(Kind::PartEnd, i, PartType::ToolCall);
            e.tool_call = *c;
            out.push_back(e);
        }
    }
    StreamEvent finish = event(Kind::Finish, 0, PartType::Text);
    finish.stop_reason = response.stop_reason;
    finish.stop_sequence = response.stop_sequence;
    finish.usage = response.usage;
    out.push_back(finish);
    return out;
}

// ---- frames -------------------------------------------------------------------------------------

namespace {

// Encoders write whole events ending in a blank line; data never holds a blank line (each data
// line is its own `data:` field), so "\n\n" separates events exactly.
void split_frames(const std::string& text, std::vector<std::string>& frames) {
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find("\n\n", start);
        end = end == std::string::npos ? text.size() : end + 2;
        frames.push_back(text.substr(start, end - start));
        start = end;
    }
}

// The event name and data of one frame.
SseEvent parse_frame(const std::string& frame) {
    SseParser parser;
    std::vector<SseEvent> events;
    (void)parser.feed(frame, events);
    (void)parser.finish(events);
    return events.empty() ? SseEvent{} : events.front();
}

}  // namespace

std::vector<std::string> encode_stream(Protocol protocol, const std::vector<StreamEvent>& events,
                                       bool include_usage) {
    StreamEncoderOptions options;
    options.include_usage = include_usage;
    auto encoder = make_stream_encoder(protocol, options);
    Losses losses;  // what a simulated gateway loses is visible in its output; not reported here
    std::vector<std::string> frames;
    std::string out;
    for (const StreamEvent& e : events) {
        out.clear();
        encoder->encode(e, out, losses);
        split_frames(out, frames);
    }
    out.clear();
    encoder->finish(out, losses);
    split_frames(out, frames);
    return frames;
}

std::vector<StreamEvent> decode_stream(Protocol protocol, const std::vector<std::string>& frames) {
    auto decoder = make_stream_decoder(protocol);
    SseParser parser;
    Losses losses;
    std::vector<StreamEvent> out;
    std::vector<SseEvent> sse;
    for (const std::string& frame : frames) {
        sse.clear();
        if (!parser.feed(frame, sse).ok()) break;
        for (const SseEvent& e : sse) (void)decoder->feed(e, out, losses);
    }
    sse.clear();
    (void)parser.finish(sse);
    for (const SseEvent& e : sse) (void)decoder->feed(e, out, losses);
    (void)decoder->finish(out, losses);
    return out;
}

// ---- quirks -------------------------------------------------------------------------------------

namespace {

template <class J>
void stringify_numbers(J& value) {
    if (value.is_number()) {
        value = value.dump();
    } else if (value.is_object() || value.is_array()) {
        for (auto& child : value) stringify_numbers(child);
    }
}

template <class J>
void usage_as_strings(J& value) {
    if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (it.key() == "usage" && it->is_object()) {
                stringify_numbers(*it);
            } else {
                usage_as_strings(*it);
            }
        }
    } else if (value.is_array()) {
        for (auto& child : value) usage_as_strings(child);
    }
}

void frames_usage_as_strings(std::vector<std::string>& frames) {
    for (std::string& frame : frames) {
        SseEvent e = parse_frame(frame);
        if (e.data.find("\"usage\"") == std::string::npos) continue;
        OJson data = OJson::parse(e.data, nullptr, false);
        if (data.is_discarded()) continue;
        usage_as_strings(data);
        frame = sse_frame(e.event, data.dump(-1, ' ', false, OJson::error_handler_t::replace));
    }
}

bool is_terminal(Protocol protocol, const SseEvent& e) {
    switch (protocol) {
        case Protocol::Chat:
            return e.is_done();
        case Protocol::Responses:
            return e.event == "response.completed" || e.event == "response.incomplete" ||
                   e.event == "response.failed";
        case Protocol::Messages:
            return e.event == "message_stop";
    }
    return false;
}

// Moves frame `from` to position `to` (to < from), shifting the frames in between.
void move_before(std::vector<std::string>& frames, std::size_t from, std::size_t to) {
    std::rotate(frames.begin() + static_cast<long>(to), frames.begin() + static_cast<long>(from),
                frames.begin() + static_cast<long>(from) + 1);
}

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Messages: the first content_block_delta goes before its content_block_start. Responses: the
// first delta goes before its output_item.added. Chat: the finish_reason chunk goes before the
// last content chunk.
void bad_event_order(Protocol protocol, std::vector<std::string>& frames) {
    std::vector<SseEvent> events;
    for (const auto& f : frames) events.push_back(parse_frame(f));
    std::optional<std::size_t> start;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const SseEvent& e = events[i];
        if (protocol == Protocol::Messages) {
            if (e.event == "content_block_start") start = i;
            if (e.event == "content_block_delta" && start) return move_before(frames, i, *start);
        } else if (protocol == Protocol::Responses) {
            if (e.event == "response.output_item.added") start = i;
            if (ends_with(e.event, ".delta") && start) return move_before(frames, i, *start);
        } else {
            Json chunk = Json::parse(e.data, nullptr, false);
            bool finish = chunk.is_object() && chunk.contains("choices") &&
                          chunk["choices"].is_array() && !chunk["choices"].empty() &&
                          chunk["choices"][0].contains("finish_reason") &&
                          !chunk["choices"][0]["finish_reason"].is_null();
            if (finish && i > 1) return move_before(frames, i, i - 1);
        }
    }
}

}  // namespace

void apply_usage_as_strings(Json& body) {
    usage_as_strings(body);
}

void apply_stream_quirks(Protocol protocol, const Quirks& quirks,
                         std::vector<std::string>& frames) {
    if (quirks.usage_as_strings) frames_usage_as_strings(frames);
    if (quirks.bad_event_order) bad_event_order(protocol, frames);
    if (quirks.omit_terminal_event) {
        frames.erase(std::remove_if(frames.begin(), frames.end(),
                                    [&](const std::string& f) {
                                        return is_terminal(protocol, parse_frame(f));
                                    }),
                     frames.end());
    }
}

}  // namespace sim
}  // namespace wirecheck
