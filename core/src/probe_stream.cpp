// Streams under the probe: SSE bytes go through the parser into a protocol grammar checker (what
// clients require of the raw events; the codecs' decoders are deliberately lenient) and into the
// protocol's stream decoder (canonical events), incrementally so a UI can show events live.
//
// Sections: usage · checker base · chat · responses (what Codex needs) · messages (what Claude
// Code needs) · pipeline · assembling a response
#include <map>
#include <set>

#include "probe_internal.hpp"

namespace wirecheck {
namespace probe {

// ---- usage -------------------------------------------------------------------------------------

namespace {

// The first non-integer number (or string standing in for one) inside a usage object.
std::string non_integer_in(const Json& usage, const std::string& pointer) {
    if (!usage.is_object()) return {};
    for (auto it = usage.begin(); it != usage.end(); ++it) {
        std::string p = pointer_join(pointer, it.key());
        const Json& v = *it;
        if (v.is_object()) {
            std::string inner = non_integer_in(v, p);
            if (!inner.empty()) return inner;
        } else if (v.is_string() || (v.is_number() && !v.is_number_integer())) {
            return p + " is " + v.dump();
        }
    }
    return {};
}

}  // namespace

std::string strip_non_integer_usage(Json& data) {
    if (!data.is_object()) return {};
    std::string first;
    auto check = [&first](Json& holder, const char* key, const std::string& pointer) {
        if (!holder.is_object()) return;
        auto it = holder.find(key);
        if (it == holder.end()) return;
        std::string bad = non_integer_in(*it, pointer_join(pointer, key));
        if (bad.empty()) return;
        if (first.empty()) first = bad;
        holder.erase(it);
    };
    check(data, "usage", "");
    for (const char* wrapper : {"response", "message"}) {
        auto it = data.find(wrapper);
        if (it != data.end()) check(*it, "usage", pointer_join("", wrapper));
    }
    return first;
}

// ---- checker base ------------------------------------------------------------------------------

void StreamChecker::issue(Code code, Severity severity, std::string message) {
    obs.issues.push_back(Issue{code, severity, std::move(message), {}});
}

void StreamChecker::issue_once(Code code, Severity severity, std::string message) {
    for (const Issue& i : obs.issues) {
        if (i.code == code) return;
    }
    issue(code, severity, std::move(message));
}

namespace {

std::string type_of(const SseEvent& event, const Json& data) {
    if (data.is_object()) {
        auto t = data.find("type");
        if (t != data.end() && t->is_string()) return t->get<std::string>();
    }
    return event.event;
}

const Json* member(const Json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::string string_member(const Json& obj, const char* key) {
    const Json* v = member(obj, key);
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::optional<std::int64_t> int_member(const Json& obj, const char* key) {
    const Json* v = member(obj, key);
    if (v && v->is_number_integer()) return v->get<std::int64_t>();
    return std::nullopt;
}

bool parses_as_json(const std::string& text) {
    return parse_json(text).ok();
}

// ---- chat (protocols.md §1 Streaming) ----------------------------------------------------------

class ChatChecker final : public StreamChecker {
  public:
    void feed(const SseEvent& event, const Json& data) override {
        ++obs.events;
        if (event.is_done()) {
            obs.event_types.push_back("[DONE]");
            if (done_)
                issue_once(Code::FindingStreamOutOfOrder, Severity::Warn, "[DONE] sent twice");
            done_ = true;
            obs.terminal = true;
            return;
        }
        obs.event_types.push_back(event.event.empty() ? "chunk" : event.event);
        if (done_) {
            issue_once(Code::FindingStreamOutOfOrder, Severity::Error,
                       "a chunk arrived after data: [DONE]");
        }
        if (!data.is_object()) return;
        if (const Json* error = member(data, "error")) {
            issue(Code::FindingStreamErrorEvent, Severity::Error,
                  "an error chunk: " + error->dump());
        }
        if (member(data, "usage")) obs.usage_seen = true;
        const Json* choices = member(data, "choices");
        if (!choices || !choices->is_array()) return;
        for (const Json& choice : *choices) on_choice(choice);
    }

    void finish() override {
        if (done_) return;
        if (finish_seen_) {
            // Most SDKs stop at finish_reason, strict ones wait for [DONE] (protocols.md §1).
            issue(Code::FindingTerminalMissing, Severity::Warn,
                  "the stream ended after finish_reason without data: [DONE]");
        } else {
            issue(Code::FindingTerminalMissing, Severity::Error,
                  "the stream ended with neither finish_reason nor data: [DONE]");
        }
    }

  private:
    void on_choice(const Json& choice) {
        const Json* delta = member(choice, "delta");
        if (delta && delta->is_object()) {
            bool content = !string_member(*delta, "content").empty();
            if (content && finish_seen_) {
                issue_once(Code::FindingStreamOutOfOrder, Severity::Warn,
                           "content arrived after finish_reason");
            }
            if (const Json* calls = member(*delta, "tool_calls"); calls && calls->is_array()) {
                for (const Json& call : *calls) on_tool_delta(call);
            }
        }
        std::string finish = string_member(choice, "finish_reason");
        if (!finish.empty()) {
            obs.finish = finish;
            finish_seen_ = true;
        }
    }

    // Tool calls stream by `index`; id and name come with the first fragment (§1 Streaming).
    void on_tool_delta(const Json& call) {
        auto index = int_member(call, "index");
        if (!index) {
            issue_once(Code::FindingStreamOutOfOrder, Severity::Error,
                       "a tool_calls delta has no integer index (parallel calls cannot be told "
                       "apart)");
            return;
        }
        if (started_.insert(*index).second) {
            const Json* fn = member(call, "function");
            bool named = fn && !string_member(*fn, "name").empty();
            if (string_member(call, "id").empty() || !named) {
                issue_once(Code::FindingStreamOutOfOrder, Severity::Warn,
                           "the first fragment of tool call index " + std::to_string(*index) +
                               " lacks its id or function.name");
            }
        }
    }

    bool done_ = false;
    bool finish_seen_ = false;
    std::set<std::int64_t> started_;
};

// ---- responses: what Codex needs (protocols.md §2 Streaming events, §3) -------------------------

class ResponsesChecker final : public StreamChecker {
  public:
    void feed(const SseEvent& event, const Json& data) override {
        ++obs.events;
        if (event.is_done()) {  // OpenAI sends none, Open Responses requires one: both fine (§2)
            obs.event_types.push_back("[DONE]");
            return;
        }
        std::string type = type_of(event, data);
        obs.event_types.push_back(type.empty() ? "?" : type);
        if (!event.event.empty() && data.is_object() && member(data, "type") &&
            event.event != type) {
            issue_once(Code::FindingStreamOutOfOrder, Severity::Warn,
                       "SSE event name '" + event.event + "' differs from the data's type '" +
                           type + "' (Open Responses: they must be equal)");
        }
        if (terminal_) {
            issue_once(Code::FindingStreamOutOfOrder, Severity::Warn,
                       "'" + type + "' arrived after the terminal event");
            return;
        }
        if (first_) {
            first_ = false;
            if (type != "response.created") {
                issue_once(Code::FindingStreamOutOfOrder, Severity::Warn,
                           "the stream starts with '" + type + "', not response.created");
            }
        }
        dispatch(type, data);
    }

    void finish() override {
        if (terminal_) return;
        issue(Code::FindingTerminalMissing, Severity::Error,
              "the stream closed without response.completed: Codex fails with \"stream closed "
              "before response.completed\" (openai/codex#41340)");
    }

  private:
    struct Item {
        std::string type;
        bool done = false;
        std::string streamed_text;  // output_text deltas
        std::string streamed_args;  // arguments / input deltas
    };

    void dispatch(const std::string& type, const Json& data) {
        if (type == "response.output_item.added") return on_added(data);
        if (type == "response.output_item.done") return on_done(data);
        if (type == "response.completed") return on_completed(data);
        if (type == "response.incomplete") {
            terminal_ = true;
            obs.finish = "incomplete";
            const Json* response = member(data, "response");
            const Json* details = response ? member(*response, "incomplete_details") : nullptr;
            if (details) obs.finish += ":" + string_member(*details, "reason");
            note_usage(response);
            return;
        }
        if (type == "response.failed") {
            terminal_ = true;
            obs.finish = "failed";
            const Json* response = member(data, "response");
            const Json* error = response ? member(*response, "error") : nullptr;
            issue(Code::FindingStreamErrorEvent, Severity::Error,
                  "response.failed" + (error ? ": " + error->dump() : std::string()));
            return;
        }
        if (type == "error") {
            issue(Code::FindingStreamErrorEvent, Severity::Error, "an error event: " + data.dump());
            return;
        }
        bool is_delta = type.size() > 6 && type.compare(type.size() - 6, 6, ".delta") == 0;
        bool item_event = type.rfind("response.content_part.", 0) == 0 ||
                          type.rfind("response.output_text.", 0) == 0 ||
                          type.rfind("response.function_call_arguments.", 0) == 0 ||
                          type.rfind("response.custom_tool_call_input.", 0) == 0 ||
                          type.rfind("response.reasoning", 0) == 0 ||
                          type.rfind("response.refusal.", 0) == 0;
        if (!item_event) return;
        auto index = int_member(data, "output_index");
        if (!index) return;
        auto it = items_.find(*index);
        if (it == items_.end()) {
            issue_once(Code::FindingStreamOutOfOrder, Severity::Warn,
                       "'" + type + "' for output_index " + std::to_string(*index) +
                           " before its response.output_item.added");
            return;
        }
        if (it->second.done) {
            issue_once(Code::FindingStreamOutOfOrder, Severity::Warn,
                       "'" + type + "' for output_index " + std::to_string(*index) +
                           " after its response.output_item.done");
        }
        if (!is_delta) return;
        std::string delta = string_member(data, "delta");
        if (type == "response.output_text.delta") it->second.streamed_text += delta;
        if (type == "response.function_call_arguments.delta" ||
            type == "response.custom_tool_call_input.delta")
            it->second.streamed_args += delta;
    }

    void on_added(const Json& data) {
        auto index = int_member(data, "output_index");
        const Json* item = member(data, "item");
        if (!index || !item) {
            issue_once(Code::FindingStreamOutOfOrder, Severity::Warn,
                       "response.output_item.added without output_index or item");
            return;
        }
        if (items_.count(*index)) {
            issue_once(Code::FindingStreamOutOfOrder, Severity::Warn,
                       "output_index " + std::to_string(*index) + " announced twice");
        }
        items_[*index] = Item{string_member(*item, "type"), false, {}, {}};
    }

    // Codex builds history and runs tools from output_item.done only (§3), so each item must be
    // complete there (peers.md §2.19: a blank name makes Codex report "unsupported call").
    void on_done(const Json& data) {
        auto index = int_member(data, "output_index");
        const Json* item = member(data, "item");
        if (!item || !item->is_object()) {
            issue(Code::FindingCodexItemIncomplete, Severity::Error,
                  "response.output_item.done without an item object");
            return;
        }
        Item* state = nullptr;
        if (index) {
            auto it = items_.find(*index);
            if (it != items_.end()) state = &it->second;
        }
        if (!state) {
            issue_once(Code::FindingStreamOutOfOrder, Severity::Warn,
                       "response.output_item.done without its response.output_item.added");
        } else {
            state->done = true;
        }
        std::string where = "output_item.done";
        if (index) where += " (output_index " + std::to_string(*index) + ")";
        check_item(*item, state, where);
    }

    void check_item(const Json& item, const Item* state, const std::string& where) {
        std::string type = string_member(item, "type");
        auto incomplete = [&](const std::string& what) {
            issue(Code::FindingCodexItemIncomplete, Severity::Error,
                  where + ": " + (type.empty() ? "item" : type) + " " + what);
        };
        if (type == "message") {
            std::string text;
            if (const Json* content = member(item, "content"); content && content->is_array()) {
                for (const Json& part : *content) text += string_member(part, "text");
            }
            if (state && !state->streamed_text.empty() && text != state->streamed_text) {
                incomplete("has text \"" + text.substr(0, 80) + "\" but the deltas streamed \"" +
                           state->streamed_text.substr(0, 80) + "\"");
            }
        } else if (type == "function_call") {
            if (string_member(item, "call_id").empty()) incomplete("has no call_id");
            if (string_member(item, "name").empty()) incomplete("has no name");
            const Json* arguments = member(item, "arguments");
            if (!arguments || !arguments->is_string()) {
                incomplete("has no arguments string");
            } else if (!parses_as_json(arguments->get<std::string>())) {
                incomplete("arguments are not JSON: " +
                           arguments->get<std::string>().substr(0, 80));
            }
        } else if (type == "custom_tool_call") {
            if (string_member(item, "call_id").empty()) incomplete("has no call_id");
            if (string_member(item, "name").empty()) incomplete("has no name");
            const Json* input = member(item, "input");
            if (!input || !input->is_string()) incomplete("has no input string");
        } else if (type.empty()) {
            incomplete("has no type");
        }
    }

    // Codex needs a string response.id; usage, if present, needs integer input_tokens,
    // output_tokens and total_tokens (codex-api sse/responses.rs, protocols.md §3).
    void on_completed(const Json& data) {
        terminal_ = true;
        obs.finish = "completed";
        const Json* response = member(data, "response");
        if (!response || !response->is_object()) {
            issue(Code::FindingCodexCompletedInvalid, Severity::Error,
                  "response.completed carries no response object");
            return;
        }
        if (string_member(*response, "id").empty()) {
            issue(Code::FindingCodexCompletedInvalid, Severity::Error,
                  "response.completed has no string response.id");
        }
        if (const Json* usage = member(*response, "usage")) {
            for (const char* key : {"input_tokens", "output_tokens", "total_tokens"}) {
                const Json* v = member(*usage, key);
                if (!v || !v->is_number_integer()) {
                    issue_once(Code::FindingCodexCompletedInvalid, Severity::Error,
                               std::string("response.completed usage.") + key + " is " +
                                   (v ? v->dump() : std::string("missing")) +
                                   "; Codex needs an integer");
                }
            }
        }
        note_usage(response);
        for (const auto& [index, item] : items_) {
            if (!item.done) {
                issue(Code::FindingCodexItemIncomplete, Severity::Error,
                      "output_index " + std::to_string(index) + " (" + item.type +
                          ") was announced but never completed by output_item.done");
            }
        }
    }

    void note_usage(const Json* response) {
        if (response && member(*response, "usage")) obs.usage_seen = true;
    }

    std::map<std::int64_t, Item> items_;
    bool first_ = true;
    bool terminal_ = false;
};

// ---- messages: what Claude Code needs (protocols.md §4 Streaming, captures README)
// ---------------

class MessagesChecker final : public StreamChecker {
  public:
    void feed(const SseEvent& event, const Json& data) override {
        ++obs.events;
        if (event.is_done()) {
            obs.event_types.push_back("[DONE]");
            issue_once(Code::FindingStreamOutOfOrder, Severity::Warn,
                       "a data: [DONE] line in a Messages stream crashes strict Anthropic parsers "
                       "(peers.md §2.31)");
            return;
        }
        std::string type = type_of(event, data);
        obs.event_types.push_back(type.empty() ? "?" : type);
        if (!event.event.empty() && data.is_object() && member(data, "type") &&
            event.event != type) {
            issue_once(
                Code::FindingStreamOutOfOrder, Severity::Warn,
                "SSE event name '" + event.event + "' differs from the data's type '" + type + "'");
        }
        if (type == "ping") return;
        if (type == "error") {
            const Json* error = member(data, "error");
            issue(Code::FindingStreamErrorEvent, Severity::Error,
                  "an error event: " + (error ? error->dump() : data.dump()));
            return;
        }
        if (stopped_) {
            issue_once(Code::FindingStreamOutOfOrder, Severity::Warn,
                       "'" + type + "' arrived after message_stop");
            return;
        }
        if (!started_ && type != "message_start") {
            issue_once(Code::FindingStreamOutOfOrder, Severity::Error,
                       "'" + type +
                           "' before message_start (Claude Code needs message_start "
                           "first)");
        }
        dispatch(type, data);
    }

    void finish() override {
        if (stopped_) return;
        issue(Code::FindingTerminalMissing, Severity::Error,
              "the stream ended without message_stop");
    }

  private:
    void dispatch(const std::string& type, const Json& data) {
        if (type == "message_start") {
            if (started_) {
                issue_once(Code::FindingStreamOutOfOrder, Severity::Error, "message_start twice");
            }
            started_ = true;
            const Json* message = member(data, "message");
            if (message && member(*message, "usage")) obs.usage_seen = true;
            return;
        }
        auto index = int_member(data, "index");
        std::string at = index ? " (index " + std::to_string(*index) + ")" : std::string();
        if (type == "content_block_start") {
            if (!index || !open_.insert(*index).second || stopped_blocks_.count(*index)) {
                issue_once(Code::FindingStreamOutOfOrder, Severity::Error,
                           "content_block_start" + at + " reuses or lacks a block index");
            }
            return;
        }
        if (type == "content_block_delta") {
            if (!index || !open_.count(*index)) {
                issue_once(Code::FindingStreamOutOfOrder, Severity::Error,
                           "content_block_delta" + at +
                               " outside its block (Claude Code needs content_block_start "
                               "before a block's deltas)");
            }
            return;
        }
        if (type == "content_block_stop") {
            if (!index || !open_.erase(*index)) {
                issue_once(Code::FindingStreamOutOfOrder, Severity::Error,
                           "content_block_stop" + at + " for a block that is not open");
            } else {
                stopped_blocks_.insert(*index);
            }
            return;
        }
        if (type == "message_delta") {
            if (!open_.empty()) {
                issue_once(Code::FindingStreamOutOfOrder, Severity::Warn,
                           "message_delta while a content block is still open");
            }
            const Json* delta = member(data, "delta");
            if (delta) {
                std::string stop = string_member(*delta, "stop_reason");
                if (!stop.empty()) obs.finish = stop;
            }
            if (member(data, "usage")) obs.usage_seen = true;
            return;
        }
        if (type == "message_stop") {
            stopped_ = true;
            obs.terminal = true;
            if (!open_.empty()) {
                issue(Code::FindingStreamOutOfOrder, Severity::Error,
                      "message_stop while " + std::to_string(open_.size()) +
                          " content block(s) never got content_block_stop (tool input is parsed "
                          "at stop)");
            }
        }
    }

    bool started_ = false;
    bool stopped_ = false;
    std::set<std::int64_t> open_;
    std::set<std::int64_t> stopped_blocks_;
};

}  // namespace

std::unique_ptr<StreamChecker> make_stream_checker(Protocol protocol) {
    switch (protocol) {
        case Protocol::Chat:
            return std::make_unique<ChatChecker>();
        case Protocol::Responses:
            return std::make_unique<ResponsesChecker>();
        case Protocol::Messages:
            return std::make_unique<MessagesChecker>();
    }
    return std::make_unique<ChatChecker>();
}

// ---- pipeline ----------------------------------------------------------------------------------

StreamPipeline::StreamPipeline(Protocol p)
    : protocol(p), checker_(make_stream_checker(p)), decoder_(make_stream_decoder(p)) {}

void StreamPipeline::feed(std::string_view bytes) {
    if (finished_) return;
    std::vector<SseEvent> parsed;
    Status status = parser_.feed(bytes, parsed);
    for (SseEvent& event : parsed) handle(std::move(event));
    if (!status && !decode_error) {
        decode_error = status.error();
        checker_->obs.issues.push_back(
            Issue{Code::FindingStreamMalformed, Severity::Error, status.error().to_string(), {}});
    }
}

void StreamPipeline::finish() {
    if (finished_) return;
    std::vector<SseEvent> parsed;
    Status status = parser_.finish(parsed);
    for (SseEvent& event : parsed) handle(std::move(event));
    (void)status;  // an unterminated last event was delivered; the grammar checks judge the rest
    finished_ = true;
    checker_->finish();
    if (!decode_error) {
        Status done = decoder_->finish(events, losses);
        if (!done) decode_error = done.error();
    }
}

void StreamPipeline::handle(SseEvent event) {
    Json data;  // null unless the event carries JSON
    if (!event.is_done() && !event.data.empty()) {
        auto parsed = parse_json(event.data);
        if (parsed.ok()) {
            data = std::move(parsed.value());
        } else {
            checker_->obs.issues.push_back(
                Issue{Code::FindingStreamMalformed,
                      Severity::Error,
                      "event data is not JSON: " + event.data.substr(0, 120),
                      {}});
        }
    }
    checker_->feed(event, data);  // the raw event: the checker judges what clients see
    // The decoder gets usage it can read: non-integer usage is a finding, not a dead stream.
    std::string bad_usage = strip_non_integer_usage(data);
    if (!bad_usage.empty()) {
        if (!usage_not_integer) {
            checker_->obs.issues.push_back(Issue{Code::FindingUsageNotInteger,
                                                 Severity::Warn,
                                                 "usage is not integer: " + bad_usage,
                                                 {}});
        }
        usage_not_integer = true;
        event.data = data.dump();
    }
    if (decode_error) return;
    Status status = decoder_->feed(event, events, losses);
    if (!status) {
        decode_error = status.error();
        checker_->obs.issues.push_back(
            Issue{Code::FindingStreamMalformed,
                  Severity::Error,
                  "the " + std::string(protocol_name(protocol)) +
                      " stream decoder stopped: " + status.error().to_string(),
                  {}});
    }
}

std::vector<StreamEvent> StreamPipeline::take_new_events() {
    std::vector<StreamEvent> out(events.begin() + static_cast<std::ptrdiff_t>(taken_),
                                 events.end());
    taken_ = events.size();
    return out;
}

// ---- assembling a response ---------------------------------------------------------------------

Response assemble_response(const std::vector<StreamEvent>& events) {
    Response response;
    response.stop_reason = StopReason::Unknown;
    std::map<std::size_t, Part> parts;
    for (const StreamEvent& e : events) {
        switch (e.kind) {
            case StreamEvent::Kind::Start:
                response.id = e.id;
                response.model = e.model;
                response.created = e.created;
                break;
            case StreamEvent::Kind::PartStart:
                if (e.part_type == PartType::ToolCall) {
                    parts[e.index] = e.tool_call;
                } else if (e.part_type == PartType::Reasoning) {
                    parts[e.index] = e.reasoning;
                } else if (e.part_type == PartType::Refusal) {
                    parts[e.index] = RefusalPart{};
                } else {
                    parts[e.index] = TextPart{};
                }
                break;
            case StreamEvent::Kind::TextDelta:
                if (auto* t = std::get_if<TextPart>(&parts[e.index])) t->text += e.text;
                if (auto* r = std::get_if<RefusalPart>(&parts[e.index])) r->text += e.text;
                break;
            case StreamEvent::Kind::ArgumentsDelta:
                if (auto* c = std::get_if<ToolCallPart>(&parts[e.index])) c->arguments += e.text;
                break;
            case StreamEvent::Kind::ReasoningDelta:
                if (auto* r = std::get_if<ReasoningPart>(&parts[e.index])) r->text += e.text;
                break;
            case StreamEvent::Kind::SummaryDelta:
                if (auto* r = std::get_if<ReasoningPart>(&parts[e.index])) {
                    if (r->summary.size() <= e.summary_index)
                        r->summary.resize(e.summary_index + 1);
                    r->summary[e.summary_index] += e.text;
                }
                break;
            case StreamEvent::Kind::SignatureDelta:
                break;  // the complete signature comes with PartEnd
            case StreamEvent::Kind::PartEnd:
                if (e.part_type == PartType::ToolCall) {
                    parts[e.index] = e.tool_call;  // complete: ids, name, arguments
                } else if (e.part_type == PartType::Reasoning) {
                    auto* r = std::get_if<ReasoningPart>(&parts[e.index]);
                    std::string streamed = r ? r->text : std::string();
                    ReasoningPart complete = e.reasoning;
                    if (complete.text.empty()) complete.text = streamed;
                    parts[e.index] = std::move(complete);
                }
                break;
            case StreamEvent::Kind::Finish:
                response.stop_reason = e.stop_reason;
                response.stop_sequence = e.stop_sequence;
                response.usage = e.usage;
                break;
            case StreamEvent::Kind::Error:
                response.error = e.error;
                if (response.stop_reason == StopReason::Unknown)
                    response.stop_reason = StopReason::Error;
                break;
        }
    }
    for (auto& [index, part] : parts) response.output.push_back(std::move(part));
    return response;
}

}  // namespace probe
}  // namespace wirecheck
