// OpenAI Chat Completions codec, part 3: streams. The decoder turns `data: {chat.completion.chunk}`
// events into canonical StreamEvents; the encoder writes canonical events as Chat chunks ending in
// `data: [DONE]`. Facts: /work/shared/protocols.md §1 "Streaming"; edge cases: peers.md §2.
//
// Sections: decoder (content parts · tool-call fragments · chunks · end of stream) · encoder
#include <algorithm>
#include <map>

#include "chat_codec_internal.hpp"
#include "json_simd.hpp"
#include "wirecheck/chat_codec.hpp"

namespace wirecheck {
namespace {

using namespace chat_detail;

StreamEvent make_event(StreamEvent::Kind kind, std::size_t index, PartType type) {
    StreamEvent e;
    e.kind = kind;
    e.index = index;
    e.part_type = type;
    return e;
}

// ---- decoder -----------------------------------------------------------------------------------
//
// Part discipline: at most one text/reasoning/refusal part is open; it closes when any other part
// starts. Tool calls are keyed by their required `index` and stay open while only tool-call
// fragments follow, so fragments of parallel calls interleaved by index always reach their own
// part (peers.md §2.7); text/reasoning after them, finish_reason or the end closes them. Usage
// never closes anything (peers.md §2.5); the last usage seen wins.

class ChatStreamDecoder final : public StreamDecoder {
  public:
    Status feed(const SseEvent& event, std::vector<StreamEvent>& out, Losses& losses) override;
    Status finish(std::vector<StreamEvent>& out, Losses& losses) override;

  private:
    struct ToolSlot {
        ToolCallPart call;  // arguments accumulate here
        std::size_t part = 0;
        bool opened = false;
        bool closed = false;
    };

    // Doc: simdjson's element, or nlohmann's Json when only parse_json took the chunk.
    template <class Doc>
    Status feed_chunk(const Doc& chunk, std::vector<StreamEvent>& out, Losses& losses);
    template <class Doc>
    Status feed_choice(const Doc& choice, const std::string& pointer,
                       std::vector<StreamEvent>& out, Losses& losses);
    template <class Doc>
    Status feed_tool_fragment(const Doc& fragment, const std::string& pointer,
                              std::vector<StreamEvent>& out, Losses& losses);
    void content_delta(PartType type, const std::string& text, std::vector<StreamEvent>& out,
                       Losses& losses);
    void open_tool(ToolSlot& slot, std::vector<StreamEvent>& out);
    void close_content(std::vector<StreamEvent>& out);
    void close_tool(ToolSlot& slot, std::vector<StreamEvent>& out, Losses& losses);
    void close_all(std::vector<StreamEvent>& out, Losses& losses);
    void ensure_started(std::vector<StreamEvent>& out);
    void emit_finish(std::vector<StreamEvent>& out, Losses& losses);

    bool started_ = false;
    bool ended_ = false;  // Finish or Error emitted: later events are ignored
    std::optional<Error> failed_;
    std::size_t chunks_ = 0;
    std::string id_, model_;
    std::int64_t created_ = 0;
    std::size_t next_part_ = 0;
    // the open text/reasoning/refusal part
    std::optional<std::size_t> content_part_;
    PartType content_type_ = PartType::Text;
    std::string reasoning_text_;
    std::vector<ToolSlot> tools_;                        // in order of appearance
    std::map<std::int64_t, std::size_t> tool_by_index_;  // chat index -> tools_ position
    std::optional<std::string> finish_reason_;
    std::string finish_pointer_;
    std::optional<Usage> usage_;
    bool other_choice_noted_ = false;
    bool function_call_noted_ = false;
};

void ChatStreamDecoder::ensure_started(std::vector<StreamEvent>& out) {
    if (started_) return;
    started_ = true;
    StreamEvent e = make_event(StreamEvent::Kind::Start, 0, PartType::Text);
    e.id = id_;
    e.model = model_;
    e.created = created_;
    out.push_back(std::move(e));
}

// -- content parts

void ChatStreamDecoder::close_content(std::vector<StreamEvent>& out) {
    if (!content_part_) return;
    StreamEvent e = make_event(StreamEvent::Kind::PartEnd, *content_part_, content_type_);
    if (content_type_ == PartType::Reasoning) {
        e.reasoning.text = std::move(reasoning_text_);
        e.reasoning.origin = Protocol::Chat;
        reasoning_text_.clear();
    }
    out.push_back(std::move(e));
    content_part_.reset();
}

void ChatStreamDecoder::content_delta(PartType type, const std::string& text,
                                      std::vector<StreamEvent>& out, Losses& losses) {
    if (text.empty()) return;  // the role chunk's content:"" and DeepSeek's "" fillers
    if (!content_part_ || content_type_ != type) {
        close_content(out);
        // Text after tool calls (vLLM sends trailing "\n") ends them, so consumers with
        // sequential blocks (Messages) never see text and a call open together.
        for (auto& slot : tools_) {
            if (slot.opened) close_tool(slot, out, losses);
        }
        content_part_ = next_part_++;
        content_type_ = type;
        StreamEvent start = make_event(StreamEvent::Kind::PartStart, *content_part_, type);
        if (type == PartType::Reasoning) start.reasoning.origin = Protocol::Chat;
        out.push_back(std::move(start));
    }
    auto kind = type == PartType::Reasoning ? StreamEvent::Kind::ReasoningDelta
                                            : StreamEvent::Kind::TextDelta;
    StreamEvent e = make_event(kind, *content_part_, type);
    e.text = text;
    if (type == PartType::Reasoning) reasoning_text_ += text;
    out.push_back(std::move(e));
}

// -- tool-call fragments (protocols.md §1: `index` required; id/type/name normally only in the
//    first fragment of an index; arguments fragments concatenated)

void ChatStreamDecoder::open_tool(ToolSlot& slot, std::vector<StreamEvent>& out) {
    close_content(out);
    slot.opened = true;
    slot.part = next_part_++;
    StreamEvent start = make_event(StreamEvent::Kind::PartStart, slot.part, PartType::ToolCall);
    start.tool_call = slot.call;
    start.tool_call.arguments.clear();
    out.push_back(std::move(start));
    // Arguments that arrived before the name (peers.md §2.4) are delivered now, in one piece.
    if (!slot.call.arguments.empty()) {
        StreamEvent e =
            make_event(StreamEvent::Kind::ArgumentsDelta, slot.part, PartType::ToolCall);
        e.text = slot.call.arguments;
        out.push_back(std::move(e));
    }
}

void ChatStreamDecoder::close_tool(ToolSlot& slot, std::vector<StreamEvent>& out, Losses& losses) {
    if (slot.closed) return;
    if (!slot.opened) {
        add_loss(losses, Code::LossDefaultApplied, Severity::Warn, "",
                 "a streamed tool call (id '" + slot.call.id + "') never got a function name");
        open_tool(slot, out);
    }
    slot.closed = true;
    StreamEvent e = make_event(StreamEvent::Kind::PartEnd, slot.part, PartType::ToolCall);
    e.tool_call = slot.call;
    out.push_back(std::move(e));
}

void ChatStreamDecoder::close_all(std::vector<StreamEvent>& out, Losses& losses) {
    // Close in part order; a tool call that never opened gets its part number now.
    std::vector<std::pair<std::size_t, int>> order;  // (part, -1 content | tool position)
    if (content_part_) order.emplace_back(*content_part_, -1);
    for (std::size_t i = 0; i < tools_.size(); ++i) {
        if (!tools_[i].closed && tools_[i].opened) order.emplace_back(tools_[i].part, int(i));
    }
    std::sort(order.begin(), order.end());
    for (const auto& [part, which] : order) {
        (void)part;
        if (which < 0)
            close_content(out);
        else
            close_tool(tools_[std::size_t(which)], out, losses);
    }
    for (auto& slot : tools_) close_tool(slot, out, losses);
    tool_by_index_.clear();
}

template <class Doc>
Status ChatStreamDecoder::feed_tool_fragment(const Doc& fragment, const std::string& pointer,
                                             std::vector<StreamEvent>& out, Losses& losses) {
    WIRECHECK_TRY(expect_object(fragment, pointer));
    std::optional<std::int64_t> index;
    WIRECHECK_TRY(read_int(fragment, "index", pointer, index));
    if (!index) return missing_field(pointer_join(pointer, "index"), "`index`");
    std::string id, type, name, arguments;
    WIRECHECK_TRY(read_string(fragment, "id", pointer, id));
    WIRECHECK_TRY(read_string(fragment, "type", pointer, type));
    const char* body_key =
        type == "custom" || find_present(fragment, "custom") ? "custom" : "function";
    if (const auto body = find_present(fragment, body_key)) {
        std::string p = pointer_join(pointer, body_key);
        WIRECHECK_TRY(expect_object(*body, p));
        WIRECHECK_TRY(read_string(*body, "name", p, name));
        WIRECHECK_TRY(read_string(*body, body_key[0] == 'c' ? "input" : "arguments", p, arguments));
    }

    auto found = tool_by_index_.find(*index);
    if (found != tool_by_index_.end() && !id.empty() && !tools_[found->second].call.id.empty() &&
        id != tools_[found->second].call.id) {
        // A new call id under an index already in use: servers with the "all calls at index 0"
        // bug (peers.md §2.7, litellm#21331). Each id still gets its own part.
        add_loss(losses, Code::LossValueMapped, Severity::Warn, pointer_join(pointer, "index"),
                 "tool call '" + id + "' reuses index " + std::to_string(*index) + " of call '" +
                     tools_[found->second].call.id + "'; kept as a separate call");
        close_tool(tools_[found->second], out, losses);
        found = tool_by_index_.end();
    }
    std::size_t position;
    if (found == tool_by_index_.end()) {
        tools_.emplace_back();
        position = tools_.size() - 1;
        tool_by_index_[*index] = position;
    } else {
        position = found->second;
    }
    ToolSlot& slot = tools_[position];
    if (slot.call.id.empty()) slot.call.id = id;
    if (slot.call.name.empty()) slot.call.name = name;
    if (type == "custom" || body_key[0] == 'c') slot.call.kind = ToolKind::Custom;
    if (slot.closed) {
        add_loss(losses, Code::LossFieldDropped, Severity::Warn, pointer,
                 "fragment for tool call index " + std::to_string(*index) +
                     " after the call was closed; dropped");
        return {};
    }
    if (!slot.opened) {
        slot.call.arguments += arguments;
        if (!slot.call.name.empty()) open_tool(slot, out);
        return {};
    }
    if (!arguments.empty()) {
        slot.call.arguments += arguments;
        StreamEvent e =
            make_event(StreamEvent::Kind::ArgumentsDelta, slot.part, PartType::ToolCall);
        e.text = arguments;
        out.push_back(std::move(e));
    }
    return {};
}

// -- chunks

template <class Doc>
Status ChatStreamDecoder::feed_choice(const Doc& choice, const std::string& pointer,
                                      std::vector<StreamEvent>& out, Losses& losses) {
    WIRECHECK_TRY(expect_object(choice, pointer));
    std::optional<std::int64_t> index;
    WIRECHECK_TRY(read_int(choice, "index", pointer, index));
    if (index.value_or(0) != 0) {
        if (!other_choice_noted_) {
            other_choice_noted_ = true;
            add_loss(losses, Code::LossFieldDropped, Severity::Warn, pointer,
                     "only choice 0 is carried (n > 1 has no canonical form)");
        }
        return {};
    }
    if (const auto delta = find_present(choice, "delta")) {
        std::string p = pointer_join(pointer, "delta");
        WIRECHECK_TRY(expect_object(*delta, p));
        // DeepSeek reasoning_content (newer vLLM: reasoning) precedes content (§1 DeepSeek).
        std::string reasoning, content, refusal;
        const char* reasoning_key =
            find_present(*delta, "reasoning_content") ? "reasoning_content" : "reasoning";
        WIRECHECK_TRY(read_string(*delta, reasoning_key, p, reasoning));
        WIRECHECK_TRY(read_string(*delta, "content", p, content));
        WIRECHECK_TRY(read_string(*delta, "refusal", p, refusal));
        content_delta(PartType::Reasoning, reasoning, out, losses);
        content_delta(PartType::Text, content, out, losses);
        content_delta(PartType::Refusal, refusal, out, losses);
        if (const auto calls = find_present(*delta, "tool_calls")) {
            std::string cp = pointer_join(p, "tool_calls");
            if (!calls->is_array()) return wrong_type(cp, "an array", *calls);
            WIRECHECK_TRY(for_each_item(*calls, [&](const auto& call, std::size_t i) {
                return feed_tool_fragment(call, pointer_join(cp, i), out, losses);
            }));
        }
        if (find_present(*delta, "function_call") && !function_call_noted_) {
            function_call_noted_ = true;
            add_loss(losses, Code::LossFieldDropped, Severity::Warn,
                     pointer_join(p, "function_call"),
                     "the deprecated streamed function_call is not supported; dropped");
        }
    }
    std::string finish;
    WIRECHECK_TRY(read_string(choice, "finish_reason", pointer, finish));
    if (!finish.empty()) {
        finish_reason_ = finish;
        finish_pointer_ = pointer_join(pointer, "finish_reason");
        close_all(out, losses);
    }
    return {};
}

template <class Doc>
Status ChatStreamDecoder::feed_chunk(const Doc& chunk, std::vector<StreamEvent>& out,
                                     Losses& losses) {
    WIRECHECK_TRY(expect_object(chunk, ""));
    if (const auto error = find_present(chunk, "error")) {
        // An error inside the stream (OpenAI, new-api after a 200): surface it, never drop it
        // (peers.md §2.31).
        auto decoded = decode_api_error(as_json(*error), "/error", losses);
        if (!decoded.ok()) return decoded.error();
        close_all(out, losses);
        StreamEvent e = make_event(StreamEvent::Kind::Error, 0, PartType::Text);
        e.error = std::move(decoded.value());
        out.push_back(std::move(e));
        ended_ = true;
        return {};
    }
    if (!started_) {
        WIRECHECK_TRY(read_string(chunk, "id", "", id_));
        WIRECHECK_TRY(read_string(chunk, "model", "", model_));
        std::optional<std::int64_t> created;
        WIRECHECK_TRY(read_int(chunk, "created", "", created));
        created_ = created.value_or(0);
        ensure_started(out);
    }
    if (const auto choices = find_present(chunk, "choices")) {
        if (!choices->is_array()) return wrong_type("/choices", "an array", *choices);
        WIRECHECK_TRY(for_each_item(*choices, [&](const auto& choice, std::size_t i) {
            return feed_choice(choice, pointer_join("/choices", i), out, losses);
        }));
    }
    // Usage may come in its own chunk (choices:[]), with finish_reason, or on every chunk; the
    // last one wins and nothing is closed because of it (peers.md §2.5).
    if (const auto usage = find_present(chunk, "usage")) {
        auto decoded = decode_usage(as_json(*usage), "/usage", losses);
        if (!decoded.ok()) return decoded.error();
        usage_ = decoded.value();
    }
    return {};
}

Status ChatStreamDecoder::feed(const SseEvent& event, std::vector<StreamEvent>& out,
                               Losses& losses) {
    if (failed_) return *failed_;
    if (ended_) return {};
    std::string_view data = event.data;
    while (!data.empty() && (data.front() == ' ' || data.front() == '\n')) data.remove_prefix(1);
    if (data.empty()) return {};
    while (!data.empty() && (data.back() == ' ' || data.back() == '\n' || data.back() == '\r')) {
        data.remove_suffix(1);
    }
    ++chunks_;
    if (data == "[DONE]") {  // the terminator line (protocols.md §1 Streaming)
        close_all(out, losses);
        emit_finish(out, losses);
        return {};
    }
    // Read from simdjson's DOM: an nlohmann DOM per chunk was a third of the stream's translation.
    Status status;
    bool read = with_simdjson(data, JsonLimits{}.max_depth, [&](JsonElement chunk) {
        status = feed_chunk(chunk, out, losses);
    });
    if (!read) {
        auto parsed = parse_json(data);
        if (!parsed.ok()) {
            failed_ = make_error(
                Code::SseBadEventData, "",
                "chunk " + std::to_string(chunks_) + " is not JSON: " + parsed.error().message);
            return *failed_;
        }
        ReleaseJsonOnExit release{parsed.value()};
        status = feed_chunk(parsed.value(), out, losses);
    }
    if (!status.ok()) {
        Error e = status.error();
        e.message += " (in chunk " + std::to_string(chunks_) + ")";
        failed_ = e;
        return e;
    }
    return {};
}

// -- end of stream

void ChatStreamDecoder::emit_finish(std::vector<StreamEvent>& out, Losses& losses) {
    ensure_started(out);
    StreamEvent e = make_event(StreamEvent::Kind::Finish, 0, PartType::Text);
    if (finish_reason_) {
        e.stop_reason = decode_finish_reason(*finish_reason_, finish_pointer_, losses);
    } else {
        e.stop_reason = StopReason::Unknown;
        add_loss(losses, Code::LossValueMapped, Severity::Warn, "",
                 "the stream ended with [DONE] but no finish_reason; stop reason unknown");
    }
    e.usage = usage_;
    if (!usage_) {
        add_loss(losses, Code::LossUsageMissing, Severity::Info, "",
                 "the stream carried no usage (ask for stream_options.include_usage)");
    }
    out.push_back(std::move(e));
    ended_ = true;
}

Status ChatStreamDecoder::finish(std::vector<StreamEvent>& out, Losses& losses) {
    if (ended_) return failed_ ? Status(*failed_) : Status();
    close_all(out, losses);
    if (failed_) {
        // The stream was already refused; still end the canonical sequence properly.
        StreamEvent e = make_event(StreamEvent::Kind::Error, 0, PartType::Text);
        e.error = ApiError{"api_error", "invalid_stream", failed_->to_string()};
        out.push_back(std::move(e));
        ended_ = true;
        return *failed_;
    }
    if (finish_reason_) {
        // finish_reason came but [DONE] did not: the answer is complete, so this is tolerated.
        add_loss(losses, Code::LossStreamTruncated, Severity::Info, "",
                 "the stream ended after finish_reason without data: [DONE]; tolerated");
        emit_finish(out, losses);
        return {};
    }
    add_loss(losses, Code::LossStreamTruncated, Severity::Error, "",
             "the stream ended with neither finish_reason nor data: [DONE]");
    StreamEvent e = make_event(StreamEvent::Kind::Error, 0, PartType::Text);
    e.error = ApiError{"api_error", "stream_truncated",
                       "the Chat stream ended before finish_reason and data: [DONE]"};
    out.push_back(std::move(e));
    ended_ = true;
    return {};
}

// ---- encoder -----------------------------------------------------------------------------------
//
// Grammar written (protocols.md §1 Streaming): a first chunk with delta.role "assistant"; content,
// reasoning_content, refusal and tool_calls deltas (the first fragment of a call carries id,
// type "function", name and arguments ""); a chunk with finish_reason; a usage chunk with
// choices:[] when asked for and known; `data: [DONE]`. No `event:` lines. All chunks share id,
// created and model.

class ChatStreamEncoder final : public StreamEncoder {
  public:
    explicit ChatStreamEncoder(const StreamEncoderOptions& options) : options_(options) {}
    void encode(const StreamEvent& event, std::string& out, Losses& losses) override;
    void finish(std::string& out, Losses& losses) override;

  private:
    struct PartState {
        PartType type = PartType::Text;
        std::size_t tool_index = 0;
        ToolKind kind = ToolKind::Function;
        bool wrote_delta = false;
        bool signature_noted = false;
        std::optional<std::size_t> summary_index;
    };

    Json chunk(Json delta, Json finish_reason = nullptr) const;
    void write(std::string& out, const Json& value) const {
        append_sse_frame(out, "", dump_json(value));
    }
    void write_delta(std::string& out, Json delta) const { write(out, chunk(std::move(delta))); }
    void write_text_delta(std::string& out, const char* key, const std::string& text) const;
    void write_chunk_tail(std::string& data) const;
    void write_arguments(std::string& out, const PartState& part, const std::string& text) const;
    void ensure_started(std::string& out);
    void part_start(const StreamEvent& event, std::string& out, Losses& losses);
    void part_end(const StreamEvent& event, std::string& out, Losses& losses);
    void finish_stream(const StreamEvent& event, std::string& out, Losses& losses);
    void note_signature(PartState& part, std::size_t index, Losses& losses);
    PartState& part(std::size_t index, PartType fallback);

    StreamEncoderOptions options_;
    bool started_ = false;
    bool ended_ = false;
    std::string id_ = "chatcmpl-wirecheck";
    std::string model_;
    std::int64_t created_ = 0;
    std::map<std::size_t, PartState> parts_;
    std::size_t next_tool_index_ = 0;
};

Json ChatStreamEncoder::chunk(Json delta, Json finish_reason) const {
    Json choice = Json::object();
    choice["index"] = 0;
    choice["delta"] = std::move(delta);
    choice["finish_reason"] = std::move(finish_reason);
    Json c = Json::object();
    c["id"] = id_;
    c["object"] = "chat.completion.chunk";
    c["created"] = created_;
    c["model"] = model_;
    c["choices"] = Json::array({std::move(choice)});
    return c;
}

// Text deltas are nearly every event of a stream: written as text, the same bytes as
// write_delta(Json{{key, text}}) (keys sorted as Json dumps them), without building and freeing a
// Json chunk per event (callgrind: most of the encoder's time). `key` needs no escaping.
void ChatStreamEncoder::write_text_delta(std::string& out, const char* key,
                                         const std::string& text) const {
    std::string data = "{\"choices\":[{\"delta\":{\"";
    data += key;
    data += "\":";
    append_json_string(text, data);
    write_chunk_tail(data);
    append_sse_frame(out, "", data);
}

// Closes a chunk whose delta was written as text: the rest of the keys, sorted as Json dumps them.
void ChatStreamEncoder::write_chunk_tail(std::string& data) const {
    data += "},\"finish_reason\":null,\"index\":0}],\"created\":";
    data += std::to_string(created_);
    data += ",\"id\":";
    append_json_string(id_, data);
    data += ",\"model\":";
    append_json_string(model_, data);
    data += ",\"object\":\"chat.completion.chunk\"}";
}

void ChatStreamEncoder::ensure_started(std::string& out) {
    if (started_) return;
    started_ = true;
    write_delta(out, Json{{"role", "assistant"}, {"content", ""}});
}

ChatStreamEncoder::PartState& ChatStreamEncoder::part(std::size_t index, PartType fallback) {
    auto it = parts_.find(index);
    if (it != parts_.end()) return it->second;
    PartState state;  // a delta without PartStart: tolerated, treated as its own part
    state.type = fallback;
    return parts_.emplace(index, state).first->second;
}

// Chat has no field for signatures or encrypted reasoning, and Chat-origin reasoning never has
// one, so every signature reaching this encoder is foreign (brief: foreign signatures dropped).
void ChatStreamEncoder::note_signature(PartState& state, std::size_t index, Losses& losses) {
    if (state.signature_noted) return;
    state.signature_noted = true;
    add_loss(losses, Code::LossForeignSignature, Severity::Warn, pointer_join("/parts", index),
             "a reasoning signature/encrypted payload has no Chat field; dropped");
}

void ChatStreamEncoder::write_arguments(std::string& out, const PartState& state,
                                        const std::string& text) const {
    // Written as text, like write_text_delta:
    // {"tool_calls":[{"function":{"arguments":...},"index":N}]}.
    std::string data = "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":";
    if (state.kind == ToolKind::Custom) {
        // Raw custom input streamed inside {"input":"..."}: each piece JSON-escaped on its own.
        std::string quoted;
        append_json_string(text, quoted);
        append_json_string(std::string_view(quoted).substr(1, quoted.size() - 2), data);
    } else {
        append_json_string(text, data);
    }
    data += "},\"index\":";
    data += std::to_string(state.tool_index);
    data += "}]";
    write_chunk_tail(data);
    append_sse_frame(out, "", data);
}

void ChatStreamEncoder::part_start(const StreamEvent& event, std::string& out, Losses& losses) {
    PartState& state = parts_[event.index];
    state = PartState{};
    state.type = event.part_type;
    if (event.part_type != PartType::ToolCall) return;  // text arrives with its deltas
    state.tool_index = next_tool_index_++;
    state.kind = event.tool_call.kind;
    std::string p = pointer_join("/parts", event.index);
    Json fn = Json::object();
    fn["name"] = encode_tool_call_name(event.tool_call, p, losses);
    fn["arguments"] = "";
    if (state.kind == ToolKind::Custom) {
        add_loss(losses, Code::LossCustomToolAsFunction, Severity::Info, p,
                 "custom tool call '" + event.tool_call.name +
                     "' streamed as function arguments {\"input\": ...}");
        fn["arguments"] = "{\"input\":\"";
    }
    Json call = Json::object();
    call["index"] = state.tool_index;
    call["id"] = event.tool_call.id;
    call["type"] = "function";
    call["function"] = std::move(fn);
    write_delta(out, Json{{"tool_calls", Json::array({std::move(call)})}});
}

void ChatStreamEncoder::part_end(const StreamEvent& event, std::string& out, Losses& losses) {
    PartState& state = part(event.index, event.part_type);
    if (state.type == PartType::ToolCall) {
        // Arguments only at the end (LM Studio style, peers.md §2.6) are still delivered.
        if (!state.wrote_delta && !event.tool_call.arguments.empty()) {
            write_arguments(out, state, event.tool_call.arguments);
        }
        if (state.kind == ToolKind::Custom) {
            Json call = Json::object();
            call["index"] = state.tool_index;
            call["function"] = Json{{"arguments", "\"}"}};
            write_delta(out, Json{{"tool_calls", Json::array({std::move(call)})}});
        }
    } else if (state.type == PartType::Reasoning) {
        const ReasoningPart& r = event.reasoning;
        if (!r.signature.empty() || !r.encrypted_content.empty() || !r.redacted_data.empty()) {
            note_signature(state, event.index, losses);
        }
        if (!state.wrote_delta && !r.text.empty()) {
            write_delta(out, Json{{"reasoning_content", r.text}});
        }
    }
    parts_.erase(event.index);
}

void ChatStreamEncoder::finish_stream(const StreamEvent& event, std::string& out, Losses& losses) {
    ensure_started(out);
    bool had_tool_calls = next_tool_index_ > 0;
    write(out,
          chunk(Json::object(), encode_finish_reason(event.stop_reason, had_tool_calls, losses)));
    if (options_.include_usage) {
        if (event.usage) {
            Json c = Json::object();
            c["id"] = id_;
            c["object"] = "chat.completion.chunk";
            c["created"] = created_;
            c["model"] = model_;
            c["choices"] = Json::array();
            c["usage"] = encode_usage(*event.usage, losses);
            write(out, c);
        } else {
            add_loss(losses, Code::LossUsageMissing, Severity::Info, "",
                     "the source stream reported no usage; no usage chunk written");
        }
    }
    append_sse_frame(out, "", "[DONE]");
    ended_ = true;
}

void ChatStreamEncoder::encode(const StreamEvent& event, std::string& out, Losses& losses) {
    if (ended_) return;
    using Kind = StreamEvent::Kind;
    switch (event.kind) {
        case Kind::Start:
            if (!started_) {
                if (!event.id.empty()) id_ = event.id;
                model_ = event.model;
                created_ = event.created;
            }
            ensure_started(out);
            break;
        case Kind::PartStart:
            ensure_started(out);
            part_start(event, out, losses);
            break;
        case Kind::TextDelta: {
            ensure_started(out);
            PartState& state = part(event.index, PartType::Text);
            state.wrote_delta = true;
            const char* key = state.type == PartType::Refusal ? "refusal" : "content";
            write_text_delta(out, key, event.text);
            break;
        }
        case Kind::ReasoningDelta:
            ensure_started(out);
            part(event.index, PartType::Reasoning).wrote_delta = true;
            write_text_delta(out, "reasoning_content", event.text);
            break;
        case Kind::SummaryDelta: {
            // Responses reasoning summaries are the only reasoning text some models expose; Chat
            // clients see them as reasoning_content.
            ensure_started(out);
            PartState& state = part(event.index, PartType::Reasoning);
            std::string text = event.text;
            if (!state.summary_index) {
                add_loss(losses, Code::LossValueMapped, Severity::Info,
                         pointer_join("/parts", event.index),
                         "reasoning summary streamed as reasoning_content");
            } else if (*state.summary_index != event.summary_index) {
                text = "\n\n" + text;
            }
            state.summary_index = event.summary_index;
            state.wrote_delta = true;
            write_delta(out, Json{{"reasoning_content", text}});
            break;
        }
        case Kind::ArgumentsDelta: {
            ensure_started(out);
            PartState& state = part(event.index, PartType::ToolCall);
            state.wrote_delta = true;
            write_arguments(out, state, event.text);
            break;
        }
        case Kind::SignatureDelta:
            note_signature(part(event.index, PartType::Reasoning), event.index, losses);
            break;
        case Kind::PartEnd:
            ensure_started(out);
            part_end(event, out, losses);
            break;
        case Kind::Finish:
            finish_stream(event, out, losses);
            break;
        case Kind::Error: {
            ApiError error = event.error.value_or(ApiError{"api_error", "", "stream error"});
            write(out, encode_api_error(error));
            append_sse_frame(out, "", "[DONE]");
            ended_ = true;
            break;
        }
    }
}

void ChatStreamEncoder::finish(std::string& out, Losses& losses) {
    if (ended_) return;
    add_loss(losses, Code::LossStreamTruncated, Severity::Error, "",
             "the source stream ended without a finish or error event; an error chunk was written");
    write(out, encode_api_error(ApiError{"api_error", "stream_truncated",
                                         "the upstream stream ended before it finished"}));
    append_sse_frame(out, "", "[DONE]");
    ended_ = true;
}

}  // namespace

std::unique_ptr<StreamDecoder> make_chat_stream_decoder() {
    return std::make_unique<ChatStreamDecoder>();
}

std::unique_ptr<StreamEncoder> make_chat_stream_encoder(const StreamEncoderOptions& options) {
    return std::make_unique<ChatStreamEncoder>(options);
}

}  // namespace wirecheck
