// Anthropic Messages codec, part 3: streams. The decoder turns SSE events into canonical stream
// events; the encoder writes canonical events in the exact Messages event grammar
// (protocols.md §4 Streaming):
//   message_start -> (content_block_start -> content_block_delta* -> content_block_stop)* ->
//   message_delta -> message_stop, with `ping` anywhere and `error` possibly mid-stream.
//
// Sections
//   1. decoder: grammar checks, block bookkeeping, usage, terminal events
//   2. encoder: one wire block at a time, lazy text/thinking blocks, terminal events
//
// Decoder decisions
// - A content_block_delta/stop before its content_block_start, for an unknown index, or any block
//   event before message_start is a hard error (sse.bad_event_data): the block's type is unknown,
//   so nothing correct can follow, and Claude Code itself needs the start first (captures README).
// - input_json_delta pieces are forwarded as ArgumentsDelta as they come (split anywhere); the
//   PartEnd of a tool call carries the concatenated arguments. Empty deltas are not forwarded.
// - Blocks without a canonical form (server_tool_use, *_tool_result, unknown types) are skipped
//   with loss.part_dropped; their deltas are ignored. Unknown event types are ignored (recorded as
//   loss.unknown_field, info); `ping` is ignored; `data: [DONE]` is reported (peers §2 edge 31).
// - `error` events close open parts and end the stream with a canonical Error.
// - finish() without message_stop: open parts are closed, then Error + loss.stream_truncated.
//
// Encoder decisions
// - Blocks go out strictly one after another. Events of a part that starts while another block
//   is open are buffered and written when that block stops (parallel tool calls from Chat).
// - Text and thinking blocks open at their first non-empty content: a part that stays empty is
//   not sent (empty text blocks get replayed by Claude Code forever, peers §2 edge case 10).
// - tool_use starts carry the sanitised id, name and input:{}; arguments go as input_json_delta
//   (a custom tool's raw input is wrapped as {"input": "..."}). If no deltas came, the PartEnd's
//   complete arguments are sent (peers §2 edge case 6).
// - signature_delta only for reasoning whose origin is Messages; foreign payloads are dropped with
//   loss.foreign_signature while their text still goes as thinking_delta.
// - message_start carries the Start usage (input_tokens 0 + loss.usage_missing when unknown, peers
//   §2 edge case 20); message_delta carries cumulative output_tokens and the input/cache fields.
// - Error -> `event: error`. finish() without Finish/Error -> an error event + stream_truncated.
//   Never `data: [DONE]` (peers §2 edge case 31).
#include <deque>
#include <map>

#include "messages_internal.hpp"

namespace wirecheck {

using namespace messages;

namespace {

// ---- 1. decoder ---------------------------------------------------------------------------------

class MessagesStreamDecoder final : public StreamDecoder {
  public:
    Status feed(const SseEvent& event, std::vector<StreamEvent>& out, Losses& losses) override;
    Status finish(std::vector<StreamEvent>& out, Losses& losses) override;

  private:
    struct Block {
        std::size_t part = 0;
        PartType type = PartType::Text;
        bool open = true;
        bool skipped = false;  // no canonical form: its deltas are ignored
        ToolCallPart call;
        ReasoningPart reasoning;
    };
    // Usage fields as sent: message_start gives them first, message_delta may update them.
    struct WireUsage {
        std::optional<std::int64_t> input, output, cache_read, cache_write;
        bool any() const { return input || output || cache_read || cache_write; }
    };

    Status dispatch(const std::string& type, const Json& data, std::vector<StreamEvent>& out,
                    Losses& losses);
    Status on_message_start(const Json& data, std::vector<StreamEvent>& out);
    Status on_block_start(const Json& data, std::vector<StreamEvent>& out, Losses& losses);
    Status on_block_delta(const Json& data, std::vector<StreamEvent>& out, Losses& losses);
    Status on_block_stop(const Json& data, std::vector<StreamEvent>& out);
    Status on_message_delta(const Json& data);
    Status on_message_stop(std::vector<StreamEvent>& out, Losses& losses);
    void on_error(const Json& data, std::vector<StreamEvent>& out);

    Error grammar(const std::string& pointer, const std::string& message) const;
    Status require_started(const std::string& type) const;
    Result<Block*> open_block(const Json& data, const std::string& type);
    void add_delta(Block& block, StreamEvent::Kind kind, std::string text,
                   std::vector<StreamEvent>& out);
    Status read_usage(const Json& usage, const std::string& pointer);
    std::optional<Usage> usage() const;
    StreamEvent part_end(const Block& block) const;
    void close_open_blocks(std::vector<StreamEvent>& out, Losses* report);
    void emit_error(ApiError error, std::vector<StreamEvent>& out);

    std::map<std::int64_t, Block> blocks_;
    std::size_t next_part_ = 0;
    std::size_t events_ = 0;
    std::string current_;  // type of the event being handled, for messages
    bool started_ = false;
    bool done_ = false;
    std::optional<Error> failed_;
    WireUsage usage_;
    std::string stop_reason_;
    std::string stop_sequence_;
};

StreamEvent make_event(StreamEvent::Kind kind, std::size_t index, PartType type) {
    StreamEvent e;
    e.kind = kind;
    e.index = index;
    e.part_type = type;
    return e;
}

StreamEvent make_delta(StreamEvent::Kind kind, std::size_t index, PartType type, std::string text) {
    StreamEvent e = make_event(kind, index, type);
    e.text = std::move(text);
    return e;
}

Error MessagesStreamDecoder::grammar(const std::string& pointer, const std::string& message) const {
    return make_error(Code::SseBadEventData, pointer,
                      "event #" + std::to_string(events_) + " (" + current_ + "): " + message);
}

Status MessagesStreamDecoder::require_started(const std::string& type) const {
    if (!started_) return grammar("", type + " before message_start");
    return {};
}

Status MessagesStreamDecoder::feed(const SseEvent& event, std::vector<StreamEvent>& out,
                                   Losses& losses) {
    if (failed_) return *failed_;
    ++events_;
    current_ = event.event.empty() ? "message" : event.event;
    if (event.is_done()) {
        add_loss(losses, Code::SseBadEventData, Severity::Warn, "",
                 "`data: [DONE]` is not part of the Messages stream grammar; strict Anthropic "
                 "parsers fail on it (peers §2 edge case 31)");
        return {};
    }
    if (event.data.empty()) return {};
    Result<Json> parsed = parse_json(event.data);
    if (!parsed.ok() || !parsed->is_object()) {
        if (event.event == "error") {  // an error whose body is not JSON is still an error
            emit_error(ApiError{"api_error", "", event.data}, out);
            return {};
        }
        failed_ = grammar("", parsed.ok() ? "data is not a JSON object"
                                          : "data is not JSON: " + parsed.error().message);
        return *failed_;
    }
    ReleaseJsonOnExit release{parsed.value()};  // nlohmann's destructor costs more, every event
    std::string type;
    Status s = read_string(*parsed, "type", "", type);
    if (s.ok() && type.empty()) type = event.event;
    if (s.ok() && type.empty()) s = missing_field("/type", "`type`");
    if (s.ok() && !event.event.empty() && event.event != type) {
        add_loss(losses, Code::SseBadEventData, Severity::Warn, "/type",
                 "SSE event name `" + event.event + "` differs from data type `" + type + "`");
    }
    if (s.ok()) {
        current_ = type;
        if (done_) {
            if (type != "ping") {
                add_loss(losses, Code::SseBadEventData, Severity::Warn, "",
                         "`" + type + "` after the end of the stream ignored");
            }
            return {};
        }
        s = dispatch(type, *parsed, out, losses);
    }
    if (!s.ok()) {
        Error e = s.error();
        if (e.code != Code::SseBadEventData) {
            e.message = "event #" + std::to_string(events_) + " (" + current_ + "): " + e.message;
        }
        failed_ = e;
        return e;
    }
    return {};
}

Status MessagesStreamDecoder::dispatch(const std::string& type, const Json& data,
                                       std::vector<StreamEvent>& out, Losses& losses) {
    if (type == "ping") return {};
    if (type == "message_start") return on_message_start(data, out);
    if (type == "content_block_start") return on_block_start(data, out, losses);
    if (type == "content_block_delta") return on_block_delta(data, out, losses);
    if (type == "content_block_stop") return on_block_stop(data, out);
    if (type == "message_delta") return on_message_delta(data);
    if (type == "message_stop") return on_message_stop(out, losses);
    if (type == "error") {
        on_error(data, out);
        return {};
    }
    // protocols.md §4: ignore unknown event types.
    add_loss(losses, Code::LossUnknownField, Severity::Info, "",
             "unknown stream event `" + type + "` ignored");
    return {};
}

Status MessagesStreamDecoder::read_usage(const Json& usage, const std::string& pointer) {
    WIRECHECK_TRY(expect_object(usage, pointer));
    WIRECHECK_TRY(read_int(usage, "input_tokens", pointer, usage_.input));
    WIRECHECK_TRY(read_int(usage, "output_tokens", pointer, usage_.output));
    WIRECHECK_TRY(read_int(usage, "cache_read_input_tokens", pointer, usage_.cache_read));
    WIRECHECK_TRY(read_int(usage, "cache_creation_input_tokens", pointer, usage_.cache_write));
    return {};
}

std::optional<Usage> MessagesStreamDecoder::usage() const {
    if (!usage_.any()) return std::nullopt;
    Usage u;
    u.cache_read = usage_.cache_read.value_or(0);
    u.cache_write = usage_.cache_write.value_or(0);
    // input_tokens excludes cache reads/writes; the canonical input includes them (§4 usage).
    u.input = usage_.input.value_or(0) + u.cache_read + u.cache_write;
    u.output = usage_.output.value_or(0);
    return u;
}

Status MessagesStreamDecoder::on_message_start(const Json& data, std::vector<StreamEvent>& out) {
    if (started_) return grammar("", "a second message_start");
    const Json* message = find_present(data, "message");
    if (!message) return missing_field("/message", "`message`");
    WIRECHECK_TRY(expect_object(*message, "/message"));
    StreamEvent start = make_event(StreamEvent::Kind::Start, 0, PartType::Text);
    WIRECHECK_TRY(read_string(*message, "id", "/message", start.id));
    WIRECHECK_TRY(read_string(*message, "model", "/message", start.model));
    if (const Json* usage = find_present(*message, "usage")) {
        WIRECHECK_TRY(read_usage(*usage, "/message/usage"));
    }
    start.usage = usage();
    started_ = true;
    out.push_back(std::move(start));
    return {};
}

// The block an index names, for delta/stop events.
Result<MessagesStreamDecoder::Block*> MessagesStreamDecoder::open_block(const Json& data,
                                                                        const std::string& type) {
    WIRECHECK_TRY(require_started(type));
    std::optional<std::int64_t> index;
    WIRECHECK_TRY(read_int(data, "index", "", index));
    if (!index) return missing_field("/index", "`index`");
    auto it = blocks_.find(*index);
    if (it == blocks_.end()) {
        return grammar("/index", type + " for block " + std::to_string(*index) +
                                     " before its content_block_start");
    }
    if (!it->second.open) {
        return grammar("/index", type + " for block " + std::to_string(*index) +
                                     " after its content_block_stop");
    }
    return &it->second;
}

Status MessagesStreamDecoder::on_block_start(const Json& data, std::vector<StreamEvent>& out,
                                             Losses& losses) {
    WIRECHECK_TRY(require_started("content_block_start"));
    std::optional<std::int64_t> index;
    WIRECHECK_TRY(read_int(data, "index", "", index));
    if (!index) return missing_field("/index", "`index`");
    if (blocks_.count(*index)) {
        return grammar("/index", "content_block_start for block " + std::to_string(*index) +
                                     ", which was already started");
    }
    const std::string at = "/content_block";
    const Json* cb = find_present(data, "content_block");
    if (!cb) return missing_field(at, "`content_block`");
    WIRECHECK_TRY(expect_object(*cb, at));
    std::string type;
    WIRECHECK_TRY(read_string(*cb, "type", at, type, true));

    Block block;
    // Content already present in the start event becomes deltas after the PartStart.
    std::vector<std::pair<StreamEvent::Kind, std::string>> initial;
    if (type == "text") {
        block.type = PartType::Text;
        std::string text;
        WIRECHECK_TRY(read_string(*cb, "text", at, text));
        initial.emplace_back(StreamEvent::Kind::TextDelta, std::move(text));
    } else if (type == "thinking" || type == "redacted_thinking") {
        block.type = PartType::Reasoning;
        block.reasoning.origin = Protocol::Messages;
        if (type == "redacted_thinking") {
            WIRECHECK_TRY(read_string(*cb, "data", at, block.reasoning.redacted_data, true));
        } else {
            std::string text, signature;
            WIRECHECK_TRY(read_string(*cb, "thinking", at, text));
            WIRECHECK_TRY(read_string(*cb, "signature", at, signature));
            initial.emplace_back(StreamEvent::Kind::ReasoningDelta, std::move(text));
            initial.emplace_back(StreamEvent::Kind::SignatureDelta, std::move(signature));
        }
    } else if (type == "tool_use") {
        block.type = PartType::ToolCall;
        WIRECHECK_TRY(read_string(*cb, "id", at, block.call.id, true));
        WIRECHECK_TRY(read_string(*cb, "name", at, block.call.name, true));
        // Anthropic sends input:{} and streams the arguments; some servers send them whole here.
        const Json* input = find_present(*cb, "input");
        if (input && !(input->is_object() && input->empty())) {
            initial.emplace_back(StreamEvent::Kind::ArgumentsDelta, dump_json(*input));
        }
    } else {
        block.skipped = true;
        add_loss(losses, Code::LossPartDropped, Severity::Warn, at,
                 "a streamed `" + type + "` block has no canonical form; it was dropped");
    }
    Block& stored = blocks_[*index] = std::move(block);
    if (stored.skipped) return {};
    stored.part = next_part_++;
    StreamEvent start = make_event(StreamEvent::Kind::PartStart, stored.part, stored.type);
    start.tool_call = stored.call;
    start.reasoning = stored.reasoning;
    out.push_back(std::move(start));
    for (auto& [kind, text] : initial) add_delta(stored, kind, std::move(text), out);
    return {};
}

// Appends a delta to the block's complete fields and emits it (empty deltas carry nothing).
void MessagesStreamDecoder::add_delta(Block& block, StreamEvent::Kind kind, std::string text,
                                      std::vector<StreamEvent>& out) {
    if (text.empty()) return;
    if (kind == StreamEvent::Kind::ArgumentsDelta) block.call.arguments += text;
    if (kind == StreamEvent::Kind::ReasoningDelta) block.reasoning.text += text;
    if (kind == StreamEvent::Kind::SignatureDelta) block.reasoning.signature += text;
    out.push_back(make_delta(kind, block.part, block.type, std::move(text)));
}

Status MessagesStreamDecoder::on_block_delta(const Json& data, std::vector<StreamEvent>& out,
                                             Losses& losses) {
    Result<Block*> found = open_block(data, "content_block_delta");
    if (!found.ok()) return found.error();
    Block& block = **found;
    const Json* delta = find_present(data, "delta");
    if (!delta) return missing_field("/delta", "`delta`");
    WIRECHECK_TRY(expect_object(*delta, "/delta"));
    std::string type;
    WIRECHECK_TRY(read_string(*delta, "type", "/delta", type, true));
    if (block.skipped) return {};

    struct DeltaKind {
        const char* type;
        const char* field;
        PartType part;
        StreamEvent::Kind kind;
    };
    static const DeltaKind kKinds[] = {
        {"text_delta", "text", PartType::Text, StreamEvent::Kind::TextDelta},
        {"input_json_delta", "partial_json", PartType::ToolCall, StreamEvent::Kind::ArgumentsDelta},
        {"thinking_delta", "thinking", PartType::Reasoning, StreamEvent::Kind::ReasoningDelta},
        {"signature_delta", "signature", PartType::Reasoning, StreamEvent::Kind::SignatureDelta},
    };
    for (const DeltaKind& k : kKinds) {
        if (type != k.type) continue;
        std::string text;
        WIRECHECK_TRY(read_string(*delta, k.field, "/delta", text, true));
        if (block.type != k.part) {
            return grammar("/delta/type", type + " for block of another type");
        }
        add_delta(block, k.kind, std::move(text), out);
        return {};
    }
    if (type == "citations_delta") {
        add_loss(losses, Code::LossFieldDropped, Severity::Info, "/delta",
                 "a streamed citation has no canonical stream event; dropped");
    } else {
        add_loss(losses, Code::LossUnknownField, Severity::Warn, "/delta/type",
                 "unknown delta type `" + type + "` ignored");
    }
    return {};
}

StreamEvent MessagesStreamDecoder::part_end(const Block& block) const {
    StreamEvent end = make_event(StreamEvent::Kind::PartEnd, block.part, block.type);
    end.tool_call = block.call;       // complete arguments
    end.reasoning = block.reasoning;  // complete text and signature
    return end;
}

Status MessagesStreamDecoder::on_block_stop(const Json& data, std::vector<StreamEvent>& out) {
    Result<Block*> found = open_block(data, "content_block_stop");
    if (!found.ok()) return found.error();
    Block& block = **found;
    block.open = false;
    if (!block.skipped) out.push_back(part_end(block));
    return {};
}

Status MessagesStreamDecoder::on_message_delta(const Json& data) {
    WIRECHECK_TRY(require_started("message_delta"));
    if (const Json* delta = find_present(data, "delta")) {
        WIRECHECK_TRY(expect_object(*delta, "/delta"));
        WIRECHECK_TRY(read_string(*delta, "stop_reason", "/delta", stop_reason_));
        WIRECHECK_TRY(read_string(*delta, "stop_sequence", "/delta", stop_sequence_));
    }
    if (const Json* usage = find_present(data, "usage"))
        WIRECHECK_TRY(read_usage(*usage, "/usage"));
    return {};
}

void MessagesStreamDecoder::close_open_blocks(std::vector<StreamEvent>& out, Losses* report) {
    for (auto& [index, block] : blocks_) {
        if (!block.open) continue;
        block.open = false;
        if (report) {
            add_loss(*report, Code::SseBadEventData, Severity::Warn, "",
                     "block " + std::to_string(index) + " got no content_block_stop");
        }
        if (!block.skipped) out.push_back(part_end(block));
    }
}

Status MessagesStreamDecoder::on_message_stop(std::vector<StreamEvent>& out, Losses& losses) {
    WIRECHECK_TRY(require_started("message_stop"));
    close_open_blocks(out, &losses);
    StreamEvent finish = make_event(StreamEvent::Kind::Finish, 0, PartType::Text);
    if (auto reason = stop_reason_from_wire(stop_reason_)) {
        finish.stop_reason = *reason;
    } else {
        finish.stop_reason = StopReason::Unknown;
        add_loss(losses, Code::LossValueMapped, Severity::Warn, "",
                 stop_reason_.empty() ? "the stream ended without a stop_reason"
                                      : "unknown stop_reason '" + stop_reason_ + "'");
    }
    finish.stop_sequence = stop_sequence_;
    finish.usage = usage();
    out.push_back(std::move(finish));
    done_ = true;
    return {};
}

void MessagesStreamDecoder::emit_error(ApiError error, std::vector<StreamEvent>& out) {
    close_open_blocks(out, nullptr);
    StreamEvent e = make_event(StreamEvent::Kind::Error, 0, PartType::Text);
    e.error = std::move(error);
    out.push_back(std::move(e));
    done_ = true;
}

void MessagesStreamDecoder::on_error(const Json& data, std::vector<StreamEvent>& out) {
    // `event: error` (e.g. overloaded_error) may arrive after a 200, mid-stream (§4).
    Result<ApiError> error = decode_error_envelope(data, "");
    emit_error(error.ok() ? *error : ApiError{"api_error", "", dump_json(data)}, out);
}

Status MessagesStreamDecoder::finish(std::vector<StreamEvent>& out, Losses& losses) {
    if (failed_) return *failed_;
    if (done_) return {};
    add_loss(losses, Code::LossStreamTruncated, Severity::Error, "",
             started_ ? "the stream ended without message_stop"
                      : "the stream ended before message_start");
    emit_error(ApiError{"api_error", "stream_truncated", "stream ended before message_stop"}, out);
    return {};
}

// ---- 2. encoder ---------------------------------------------------------------------------------

using OJson = nlohmann::ordered_json;

class MessagesStreamEncoder final : public StreamEncoder {
  public:
    void encode(const StreamEvent& event, std::string& out, Losses& losses) override;
    void finish(std::string& out, Losses& losses) override;

  private:
    struct PartState {
        PartType type = PartType::Text;
        ToolCallPart call;                 // from PartStart
        ReasoningPart reasoning;           // from PartStart
        std::vector<StreamEvent> pending;  // buffered while another block is on the wire
        bool ended = false;
        bool wire_open = false;
        std::size_t block = 0;
        bool sent_content = false;  // text / arguments / thinking written
        bool sent_signature = false;
        bool foreign_noted = false;
        bool custom_open = false;  // `{"input":"` written for a custom tool
        std::optional<std::size_t> summary_index;

        bool custom() const { return type == PartType::ToolCall && call.kind == ToolKind::Custom; }
        bool redacted() const {
            return reasoning.origin == Protocol::Messages && !reasoning.redacted_data.empty();
        }
    };

    static void write(std::string& out, const OJson& data);
    void start_message(const StreamEvent* start, std::string& out, Losses& losses);
    void route(const StreamEvent& event, std::string& out, Losses& losses);
    void pump(std::string& out, Losses& losses);
    void activate(PartState& part, std::string& out, Losses& losses);
    void apply(std::size_t index, const StreamEvent& event, std::string& out, Losses& losses);
    void open_block(PartState& part, std::string& out, Losses& losses);
    void write_delta(PartState& part, const char* type, const char* field, const std::string& text,
                     std::string& out, Losses& losses);
    void send_arguments(PartState& part, const std::string& text, std::string& out, Losses& losses);
    void send_thinking(PartState& part, const std::string& text, std::string& out, Losses& losses);
    void complete(std::size_t index, PartState& part, const StreamEvent& end, std::string& out,
                  Losses& losses);
    void close_all(std::string& out, Losses& losses);
    void finish_message(const StreamEvent& finish, std::string& out, Losses& losses);
    void write_error(const ApiError& error, std::string& out, Losses& losses);

    std::map<std::size_t, PartState> parts_;
    std::deque<std::size_t> queue_;  // started parts not yet on the wire, in order
    std::optional<std::size_t> active_;
    std::size_t next_block_ = 0;
    bool started_ = false;
    bool terminated_ = false;
};

void MessagesStreamEncoder::write(std::string& out, const OJson& data) {
    // SSE `event:` equals the data's `type` (protocols.md §4).
    std::string type = data["type"].get<std::string>();
    append_sse_frame(out, type, data.dump(-1, ' ', false, OJson::error_handler_t::replace));
}

OJson wire_usage(const Usage& usage, bool output_first) {
    OJson u = OJson::object();
    if (output_first) u["output_tokens"] = usage.output;
    u["input_tokens"] = wire_input_tokens(usage);
    u["cache_creation_input_tokens"] = usage.cache_write;
    u["cache_read_input_tokens"] = usage.cache_read;
    if (!output_first) u["output_tokens"] = usage.output;
    return u;
}

void MessagesStreamEncoder::start_message(const StreamEvent* start, std::string& out,
                                          Losses& losses) {
    started_ = true;
    std::string id = start ? start->id : "";
    if (id.empty()) {
        id = "msg_0";  // deterministic; the core has no randomness
        add_loss(losses, Code::LossDefaultApplied, Severity::Info, "",
                 "the stream has no message id; message_start sent with msg_0");
    }
    Usage usage;
    if (start && start->usage) {
        usage = *start->usage;
    } else {
        add_loss(losses, Code::LossUsageMissing, Severity::Info, "",
                 "no input token count at the start; message_start says input_tokens 0 (Claude "
                 "Code's context display needs it, peers §2 edge case 20)");
    }
    OJson message = {{"id", id},
                     {"type", "message"},
                     {"role", "assistant"},
                     {"model", start ? start->model : ""},
                     {"content", OJson::array()},
                     {"stop_reason", nullptr},
                     {"stop_sequence", nullptr},
                     {"usage", wire_usage(usage, false)}};
    write(out, OJson{{"type", "message_start"}, {"message", std::move(message)}});
}

void MessagesStreamEncoder::encode(const StreamEvent& event, std::string& out, Losses& losses) {
    using Kind = StreamEvent::Kind;
    if (terminated_) {
        add_loss(losses, Code::Internal, Severity::Info, "",
                 "a stream event after Finish/Error was ignored");
        return;
    }
    if (event.kind == Kind::Error) {
        write_error(event.error.value_or(ApiError{"api_error", "", "stream failed"}), out, losses);
        return;
    }
    if (!started_) start_message(event.kind == Kind::Start ? &event : nullptr, out, losses);
    switch (event.kind) {
        case Kind::Start:
            return;  // a repeated Start has nothing to add
        case Kind::Finish:
            close_all(out, losses);
            finish_message(event, out, losses);
            return;
        case Kind::PartStart: {
            if (parts_.count(event.index)) {
                add_loss(losses, Code::Internal, Severity::Warn, "",
                         "part " + std::to_string(event.index) + " started twice; ignored");
                return;
            }
            PartState& part = parts_[event.index];
            part.type = event.part_type;
            part.call = event.tool_call;
            part.reasoning = event.reasoning;
            queue_.push_back(event.index);
            pump(out, losses);
            return;
        }
        default:
            route(event, out, losses);
    }
}

// Deltas and PartEnd: written now if their part is the block on the wire, else buffered.
void MessagesStreamEncoder::route(const StreamEvent& event, std::string& out, Losses& losses) {
    using Kind = StreamEvent::Kind;
    auto it = parts_.find(event.index);
    if (it == parts_.end()) {
        if (event.kind == Kind::PartEnd) {
            add_loss(losses, Code::Internal, Severity::Warn, "",
                     "PartEnd for part " + std::to_string(event.index) + ", never started");
            return;
        }
        // Tolerate a delta without PartStart: open the part it implies.
        add_loss(losses, Code::Internal, Severity::Warn, "",
                 "a delta for part " + std::to_string(event.index) + " before its PartStart");
        PartState& part = parts_[event.index];
        part.type = event.kind == Kind::TextDelta        ? PartType::Text
                    : event.kind == Kind::ArgumentsDelta ? PartType::ToolCall
                                                         : PartType::Reasoning;
        queue_.push_back(event.index);
        pump(out, losses);
        it = parts_.find(event.index);
    }
    PartState& part = it->second;
    if (part.ended) return;
    if (active_ == event.index) {
        apply(event.index, event, out, losses);
        pump(out, losses);
    } else {
        part.pending.push_back(event);
    }
}

void MessagesStreamEncoder::pump(std::string& out, Losses& losses) {
    while (!active_ && !queue_.empty()) {
        std::size_t index = queue_.front();
        queue_.pop_front();
        active_ = index;
        PartState& part = parts_[index];
        activate(part, out, losses);
        std::vector<StreamEvent> pending = std::move(part.pending);
        part.pending.clear();
        for (const StreamEvent& e : pending) {
            if (active_ != index) break;
            apply(index, e, out, losses);
        }
    }
}

void MessagesStreamEncoder::activate(PartState& part, std::string& out, Losses& losses) {
    if (part.type == PartType::Refusal) {
        add_loss(losses, Code::LossValueMapped, Severity::Info, "",
                 "a refusal part is streamed as a text block (Messages has no refusal block)");
    }
    // tool_use and redacted_thinking blocks carry their identity in the start event.
    if (part.type == PartType::ToolCall || (part.type == PartType::Reasoning && part.redacted())) {
        open_block(part, out, losses);
    }
}

void MessagesStreamEncoder::open_block(PartState& part, std::string& out, Losses& losses) {
    part.wire_open = true;
    part.block = next_block_++;
    OJson block;
    if (part.type == PartType::ToolCall) {
        if (part.custom()) {
            add_loss(losses, Code::LossCustomToolAsFunction, Severity::Info, "",
                     "custom tool call `" + part.call.name +
                         "` streamed as tool_use with input "
                         "{\"input\": ...}");
        }
        block = {{"type", "tool_use"},
                 {"id", tool_id_for_wire(part.call.id, "", losses)},
                 {"name", tool_name_for_wire(part.call.name_space, part.call.name, "", losses)},
                 {"input", OJson::object()}};
    } else if (part.type == PartType::Reasoning && part.redacted()) {
        block = {{"type", "redacted_thinking"}, {"data", part.reasoning.redacted_data}};
    } else if (part.type == PartType::Reasoning) {
        block = {{"type", "thinking"}, {"thinking", ""}, {"signature", ""}};
    } else {
        block = {{"type", "text"}, {"text", ""}};
    }
    write(out, OJson{{"type", "content_block_start"},
                     {"index", part.block},
                     {"content_block", std::move(block)}});
}

void MessagesStreamEncoder::write_delta(PartState& part, const char* type, const char* field,
                                        const std::string& text, std::string& out, Losses& losses) {
    if (!part.wire_open) open_block(part, out, losses);
    // Deltas are nearly every event of a stream: written as text, the bytes write() would produce
    // for {"type","index","delta":{type,field}}, without building and freeing an OJson per event
    // (a third of stream translation went to that, callgrind). `type` and `field` need no escaping.
    std::string data = "{\"type\":\"content_block_delta\",\"index\":";
    data += std::to_string(part.block);
    data += ",\"delta\":{\"type\":\"";
    data += type;
    data += "\",\"";
    data += field;
    data += "\":";
    append_json_string(text, data);
    data += "}}";
    append_sse_frame(out, "content_block_delta", data);
}

void MessagesStreamEncoder::send_arguments(PartState& part, const std::string& text,
                                           std::string& out, Losses& losses) {
    if (text.empty()) return;
    std::string piece = text;
    if (part.custom()) {
        // Raw input inside a JSON string: escape it, without the surrounding quotes.
        std::string quoted;
        append_json_string(text, quoted);
        piece = (part.custom_open ? "" : "{\"input\":\"") + quoted.substr(1, quoted.size() - 2);
        part.custom_open = true;
    }
    part.sent_content = true;
    write_delta(part, "input_json_delta", "partial_json", piece, out, losses);
}

void MessagesStreamEncoder::send_thinking(PartState& part, const std::string& text,
                                          std::string& out, Losses& losses) {
    if (text.empty() || part.redacted()) return;
    part.sent_content = true;
    write_delta(part, "thinking_delta", "thinking", text, out, losses);
}

void MessagesStreamEncoder::apply(std::size_t index, const StreamEvent& event, std::string& out,
                                  Losses& losses) {
    using Kind = StreamEvent::Kind;
    PartState& part = parts_[index];
    bool reasoning = part.type == PartType::Reasoning;
    switch (event.kind) {
        case Kind::TextDelta:
            if (part.type != PartType::Text && part.type != PartType::Refusal) break;
            if (event.text.empty()) return;
            part.sent_content = true;
            write_delta(part, "text_delta", "text", event.text, out, losses);
            return;
        case Kind::ArgumentsDelta:
            if (part.type != PartType::ToolCall) break;
            send_arguments(part, event.text, out, losses);
            return;
        case Kind::ReasoningDelta:
            if (!reasoning) break;
            send_thinking(part, event.text, out, losses);
            return;
        case Kind::SummaryDelta: {
            if (!reasoning) break;
            bool next = part.summary_index && *part.summary_index != event.summary_index;
            part.summary_index = event.summary_index;
            send_thinking(part, next ? "\n\n" + event.text : event.text, out, losses);
            return;
        }
        case Kind::SignatureDelta:
            if (!reasoning) break;
            if (part.reasoning.origin != Protocol::Messages) {
                if (!part.foreign_noted) {
                    part.foreign_noted = true;
                    add_loss(losses, Code::LossForeignSignature, Severity::Info, "",
                             "the reasoning signature/encrypted payload from " +
                                 std::string(protocol_name(part.reasoning.origin)) +
                                 " was not forwarded");
                }
                return;
            }
            if (event.text.empty() || part.redacted()) return;
            part.sent_signature = true;
            write_delta(part, "signature_delta", "signature", event.text, out, losses);
            return;
        case Kind::PartEnd:
            complete(index, part, event, out, losses);
            return;
        default:
            return;
    }
    add_loss(losses, Code::Internal, Severity::Warn, "",
             "a delta that does not fit part " + std::to_string(index) + " was ignored");
}

void MessagesStreamEncoder::complete(std::size_t index, PartState& part, const StreamEvent& end,
                                     std::string& out, Losses& losses) {
    if (part.type == PartType::ToolCall) {
        if (!part.sent_content) send_arguments(part, end.tool_call.arguments, out, losses);
        if (part.custom()) {
            write_delta(part, "input_json_delta", "partial_json",
                        part.custom_open ? "\"}" : "{\"input\":\"\"}", out, losses);
        }
    } else if (part.type == PartType::Reasoning && !part.redacted()) {
        const ReasoningPart& r = end.reasoning;
        bool own = part.reasoning.origin == Protocol::Messages;
        if (!part.sent_content)
            send_thinking(part, own ? r.text : reasoning_display_text(r), out, losses);
        if (own && !part.sent_signature && !r.signature.empty()) {
            part.sent_signature = true;
            write_delta(part, "signature_delta", "signature", r.signature, out, losses);
        }
        if (!own && !part.foreign_noted && (!r.signature.empty() || !r.encrypted_content.empty())) {
            part.foreign_noted = true;
            add_loss(losses, Code::LossForeignSignature, Severity::Info, "",
                     "the reasoning signature/encrypted payload from " +
                         std::string(protocol_name(part.reasoning.origin)) + " was not forwarded");
        }
    }
    if (part.wire_open) {
        write(out, OJson{{"type", "content_block_stop"}, {"index", part.block}});
    } else if (part.type == PartType::Reasoning) {
        if (!part.foreign_noted) {
            add_loss(losses, Code::LossReasoningDropped, Severity::Info, "",
                     "reasoning part " + std::to_string(index) + " had nothing to show; not sent");
        }
    } else {
        add_loss(losses, Code::LossPartDropped, Severity::Info, "",
                 "empty text part " + std::to_string(index) +
                     " not sent (empty text blocks are rejected/replayed, peers §2 edge case 10)");
    }
    part.ended = true;
    part.wire_open = false;
    if (active_ == index) active_.reset();
}

// Closes every part still open or waiting, in order, before the message ends.
void MessagesStreamEncoder::close_all(std::string& out, Losses& losses) {
    while (true) {
        pump(out, losses);
        if (!active_) break;
        std::size_t index = *active_;
        add_loss(losses, Code::Internal, Severity::Info, "",
                 "part " + std::to_string(index) + " had no PartEnd before Finish; closed");
        StreamEvent end;
        end.kind = StreamEvent::Kind::PartEnd;
        end.index = index;
        apply(index, end, out, losses);
    }
}

void MessagesStreamEncoder::finish_message(const StreamEvent& finish, std::string& out,
                                           Losses& losses) {
    OJson delta = {{"stop_reason", stop_reason_to_wire(finish.stop_reason, "", losses)},
                   {"stop_sequence", nullptr}};
    if (finish.stop_reason == StopReason::StopSequence)
        delta["stop_sequence"] = finish.stop_sequence;
    OJson usage = {{"output_tokens", 0}};
    if (finish.usage) {
        usage = wire_usage(*finish.usage, true);  // output_tokens is cumulative (§4)
    } else {
        add_loss(losses, Code::LossUsageMissing, Severity::Warn, "",
                 "no token usage at the end of the stream; message_delta says output_tokens 0");
    }
    write(
        out,
        OJson{{"type", "message_delta"}, {"delta", std::move(delta)}, {"usage", std::move(usage)}});
    write(out, OJson{{"type", "message_stop"}});
    terminated_ = true;
}

void MessagesStreamEncoder::write_error(const ApiError& error, std::string& out, Losses& losses) {
    if (!error.code.empty()) {
        add_loss(losses, Code::LossFieldDropped, Severity::Info, "",
                 "error code '" + error.code + "' has no field in a Messages error event");
    }
    write(out, OJson{{"type", "error"},
                     {"error",
                      {{"type", wire_error_type(error, "", losses)}, {"message", error.message}}}});
    terminated_ = true;
}

void MessagesStreamEncoder::finish(std::string& out, Losses& losses) {
    if (terminated_) return;
    // Never end silently: a client would take a cut stream for a complete answer.
    add_loss(losses, Code::LossStreamTruncated, Severity::Error, "",
             "the source stream ended without Finish or Error; an error event was sent");
    write_error(ApiError{"api_error", "", "the upstream stream ended before the response finished"},
                out, losses);
}

}  // namespace

std::unique_ptr<StreamDecoder> make_messages_stream_decoder() {
    return std::make_unique<MessagesStreamDecoder>();
}

std::unique_ptr<StreamEncoder> make_messages_stream_encoder(const StreamEncoderOptions& options) {
    (void)options;  // include_usage is Chat's: Messages streams always carry usage
    return std::make_unique<MessagesStreamEncoder>();
}

}  // namespace wirecheck
