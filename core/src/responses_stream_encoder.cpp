// Canonical StreamEvents -> the Responses SSE grammar Codex and the Open Responses spec expect.
//
// Sections: encoder state · lifecycle · opening items · deltas · closing items ·
// terminal events
//
// Every event is one SSE frame whose `event:` equals its JSON `type`, with `sequence_number`
// counting from 0 (protocols.md §2). Each canonical part becomes one output item: text and refusal
// parts a message item each (as encode_responses_response does), tool calls function_call or
// custom_tool_call items, reasoning a reasoning item. Every item is announced with
// output_item.added and, when its part ends, closed with a COMPLETE output_item.done, because
// Codex builds tool calls and history only from output_item.done (protocols.md §3). The terminal
// response.completed / response.incomplete carries the full response object with all items and
// integer usage. An Error writes `error` then response.failed; items still open at that point are
// left unfinished rather than closed as if complete, so no client executes half a tool call. A
// stream that ends with neither Finish nor Error gets the same error pair (never a silent end).
// No `[DONE]` is written: OpenAI sends none after a Responses stream and Codex skips it anyway.
#include <map>
#include <set>

#include "responses_common.hpp"
#include "wirecheck/responses_codec.hpp"

namespace wirecheck {
namespace {

using namespace responses_detail;

class ResponsesStreamEncoder final : public StreamEncoder {
  public:
    void encode(const StreamEvent& event, std::string& out, Losses& losses) override {
        if (terminated_) return;
        out_ = &out;
        losses_ = &losses;
        switch (event.kind) {
            case StreamEvent::Kind::Start:
                return on_start(event);
            case StreamEvent::Kind::PartStart:
                return open_item(event.index, event.part_type, &event);
            case StreamEvent::Kind::TextDelta:
            case StreamEvent::Kind::ArgumentsDelta:
            case StreamEvent::Kind::ReasoningDelta:
            case StreamEvent::Kind::SummaryDelta:
            case StreamEvent::Kind::SignatureDelta:
                return on_delta(event);
            case StreamEvent::Kind::PartEnd:
                return close_item(event.index, &event);
            case StreamEvent::Kind::Finish:
                return on_finish(event);
            case StreamEvent::Kind::Error:
                return fail(event.error.value_or(
                    ApiError{"", "server_error", "the upstream stream failed"}));
        }
    }

    void finish(std::string& out, Losses& losses) override {
        if (terminated_) return;
        out_ = &out;
        losses_ = &losses;
        add_loss(losses, Code::LossStreamTruncated, Severity::Error, "",
                 "the source stream ended with neither Finish nor Error; sent response.failed");
        fail(ApiError{"", "stream_truncated",
                      "the upstream stream ended before its terminal event (stream closed before "
                      "response.completed)"});
    }

  private:
    // ---- encoder state --------------------------------------------------------------------------

    // One output item being streamed, keyed by its canonical part index.
    struct OpenItem {
        PartType type = PartType::Text;
        std::size_t output_index = 0;
        std::string item_id;
        std::string text;  // text, refusal, arguments/input so far
        ToolCallPart call;
        // reasoning
        Protocol origin = Protocol::Responses;
        std::vector<std::string> summary;
        std::optional<std::size_t> open_summary;
        std::string reasoning_text;
        std::string encrypted;
        bool foreign_noted = false;
    };

    // `type` and `sequence_number` lead the object, as on the wire from OpenAI (Json objects are
    // otherwise key-sorted). Event types are fixed ASCII names, so they need no escaping.
    void emit(const char* type, const Json& data) {
        std::string body = dump_json(data);
        std::string head = std::string("{\"type\":\"") + type +
                           "\",\"sequence_number\":" + std::to_string(sequence_++);
        body = body == "{}" ? head + "}" : head + "," + body.substr(1);
        append_sse_frame(*out_, type, body);
    }

    // A delta event written as text: the bytes emit() gives for item_address + content_index,
    // delta and logprobs (keys sorted), without a Json built, dumped and re-spliced per event
    // (deltas are nearly every event of a stream; callgrind).
    void emit_delta(const char* type, const OpenItem& item, const std::string& delta,
                    bool with_content_index, bool with_logprobs) {
        std::string body = std::string("{\"type\":\"") + type +
                           "\",\"sequence_number\":" + std::to_string(sequence_++);
        if (with_content_index) body += ",\"content_index\":0";
        body += ",\"delta\":";
        append_json_string(delta, body);
        body += ",\"item_id\":";
        append_json_string(item.item_id, body);
        if (with_logprobs) body += ",\"logprobs\":[]";
        body += ",\"output_index\":";
        body += std::to_string(item.output_index);
        body += "}";
        append_sse_frame(*out_, type, body);
    }

    Json item_address(const OpenItem& item) const {
        return Json{{"item_id", item.item_id}, {"output_index", item.output_index}};
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    void on_start(const StreamEvent& event) {
        if (started_) return;
        head_ = ResponseHead{event.id, event.model, event.created};
        start();
    }

    void ensure_started() {
        if (!started_) start();
    }

    void start() {
        started_ = true;
        if (head_.id.empty()) {
            head_.id = kDefaultResponseId;
            add_loss(*losses_, Code::LossDefaultApplied, Severity::Info, "/id",
                     std::string("no response id from the source; sent as \"") +
                         kDefaultResponseId + "\"");
        }
        Json response =
            make_response_object(head_, "in_progress", nullptr, nullptr, Json::array(), nullptr);
        emit("response.created", Json{{"response", response}});
        emit("response.in_progress", Json{{"response", response}});
    }

    // ---- opening items --------------------------------------------------------------------------

    void open_item(std::size_t index, PartType type, const StreamEvent* start) {
        ensure_started();
        if (!seen_.insert(index).second) return;  // a part starts once
        OpenItem item;
        item.type = type;
        item.output_index = output_.size();
        output_.push_back(nullptr);
        switch (type) {
            case PartType::Text:
            case PartType::Refusal: {
                item.item_id = message_item_id(head_, item.output_index);
                emit("response.output_item.added",
                     Json{{"output_index", item.output_index},
                          {"item", message_item(item.item_id, "in_progress", Json::array())}});
                Json part =
                    type == PartType::Refusal ? refusal_part("") : output_text_part(TextPart{});
                Json data = item_address(item);
                data["content_index"] = 0;
                data["part"] = std::move(part);
                emit("response.content_part.added", std::move(data));
                break;
            }
            case PartType::ToolCall: {
                if (start) item.call = start->tool_call;
                item.call.arguments.clear();
                item.item_id = call_item_id(item.call, head_, item.output_index);
                emit("response.output_item.added",
                     Json{{"output_index", item.output_index},
                          {"item", call_item(item.call, item.item_id, "in_progress")}});
                break;
            }
            case PartType::Reasoning: {
                ReasoningPart reasoning = start ? start->reasoning : ReasoningPart{};
                item.origin = reasoning.origin;
                item.item_id = reasoning_item_id(reasoning, head_, item.output_index);
                emit("response.output_item.added", Json{{"output_index", item.output_index},
                                                        {"item",
                                                         {{"id", item.item_id},
                                                          {"type", "reasoning"},
                                                          {"summary", Json::array()},
                                                          {"content", Json::array()}}}});
                break;
            }
        }
        open_.emplace(index, std::move(item));
    }

    // ---- deltas ---------------------------------------------------------------------------------

    void on_delta(const StreamEvent& event) {
        auto it = open_.find(event.index);
        if (it == open_.end()) {
            // A delta without PartStart: text and reasoning can still be opened implicitly; a tool
            // call cannot (no id or name), nor can a part that has already ended.
            bool implicit = event.kind == StreamEvent::Kind::TextDelta ||
                            event.kind == StreamEvent::Kind::ReasoningDelta ||
                            event.kind == StreamEvent::Kind::SummaryDelta;
            if (!implicit || seen_.count(event.index)) {
                add_loss(*losses_, Code::LossPartDropped, Severity::Warn, "",
                         "a delta for part " + std::to_string(event.index) +
                             " that is not open; dropped");
                return;
            }
            PartType type =
                event.kind == StreamEvent::Kind::TextDelta ? PartType::Text : PartType::Reasoning;
            open_item(event.index, type, nullptr);
            it = open_.find(event.index);
        }
        OpenItem& item = it->second;
        switch (item.type) {
            case PartType::Text:
            case PartType::Refusal:
                return text_delta(item, event.text);
            case PartType::ToolCall:
                return call_delta(item, event.text);
            case PartType::Reasoning:
                return reasoning_delta(item, event);
        }
    }

    void text_delta(OpenItem& item, const std::string& delta) {
        if (delta.empty()) return;
        item.text += delta;
        if (item.type == PartType::Refusal) {
            emit_delta("response.refusal.delta", item, delta, true, false);
        } else {
            emit_delta("response.output_text.delta", item, delta, true, true);
        }
    }

    void call_delta(OpenItem& item, const std::string& delta) {
        if (delta.empty()) return;
        item.text += delta;
        emit_delta(item.call.kind == ToolKind::Custom ? "response.custom_tool_call_input.delta"
                                                      : "response.function_call_arguments.delta",
                   item, delta, false, false);
    }

    void reasoning_delta(OpenItem& item, const StreamEvent& event) {
        switch (event.kind) {
            case StreamEvent::Kind::SummaryDelta:
                return summary_delta(item, event.summary_index, event.text);
            case StreamEvent::Kind::SignatureDelta:
                return signature_delta(item, event.text);
            default:
                return reasoning_text_delta(item, event.text);
        }
    }

    void summary_delta(OpenItem& item, std::size_t summary_index, const std::string& delta) {
        if (item.open_summary != summary_index) {
            close_summary(item);
            if (item.summary.size() <= summary_index) item.summary.resize(summary_index + 1);
            item.open_summary = summary_index;
            Json data = item_address(item);
            data["summary_index"] = summary_index;
            data["part"] = Json{{"type", "summary_text"}, {"text", ""}};
            emit("response.reasoning_summary_part.added", std::move(data));
        }
        if (delta.empty()) return;
        item.summary[summary_index] += delta;
        Json data = item_address(item);
        data["summary_index"] = summary_index;
        data["delta"] = delta;
        emit("response.reasoning_summary_text.delta", std::move(data));
    }

    void reasoning_text_delta(OpenItem& item, const std::string& delta) {
        if (delta.empty()) return;
        if (item.reasoning_text.empty()) {
            // The reasoning_text part is announced before its deltas, like any content part (the
            // openai SDK's responses.stream fails with "missing content at index 0" otherwise).
            Json data = item_address(item);
            data["content_index"] = 0;
            data["part"] = Json{{"type", "reasoning_text"}, {"text", ""}};
            emit("response.content_part.added", std::move(data));
        }
        item.reasoning_text += delta;
        Json data = item_address(item);
        data["content_index"] = 0;
        data["delta"] = delta;
        emit("response.reasoning_text.delta", std::move(data));
    }

    // Encrypted reasoning travels only back to the protocol that issued it (model.hpp
    // ReasoningPart).
    void signature_delta(OpenItem& item, const std::string& delta) {
        if (item.origin == Protocol::Responses) {
            item.encrypted += delta;
            return;
        }
        note_foreign(item);
    }

    void note_foreign(OpenItem& item) {
        if (item.foreign_noted) return;
        item.foreign_noted = true;
        add_loss(*losses_, Code::LossForeignSignature, Severity::Warn, "",
                 "reasoning signature from " + std::string(protocol_name(item.origin)) +
                     " not forwarded in encrypted_content; text kept");
    }

    // ---- closing items --------------------------------------------------------------------------

    void close_item(std::size_t index, const StreamEvent* end) {
        auto it = open_.find(index);
        if (it == open_.end()) return;
        OpenItem& item = it->second;
        Json done;
        switch (item.type) {
            case PartType::Text:
            case PartType::Refusal:
                done = close_message(item);
                break;
            case PartType::ToolCall:
                done = close_call(item, end);
                break;
            case PartType::Reasoning:
                done = close_reasoning(item, end);
                break;
        }
        emit("response.output_item.done",
             Json{{"output_index", item.output_index}, {"item", done}});
        output_[item.output_index] = std::move(done);
        open_.erase(it);
    }

    Json close_message(OpenItem& item) {
        bool refusal = item.type == PartType::Refusal;
        Json data = item_address(item);
        data["content_index"] = 0;
        if (refusal) {
            data["refusal"] = item.text;
            emit("response.refusal.done", data);
        } else {
            data["text"] = item.text;
            data["logprobs"] = Json::array();
            emit("response.output_text.done", data);
        }
        Json part =
            refusal ? refusal_part(item.text) : output_text_part(TextPart{item.text, nullptr});
        Json part_done = item_address(item);
        part_done["content_index"] = 0;
        part_done["part"] = part;
        emit("response.content_part.done", std::move(part_done));
        return message_item(item.item_id, "completed", Json::array({part}));
    }

    Json close_call(OpenItem& item, const StreamEvent* end) {
        // A blank name in .done makes Codex report "unsupported call" (peers.md §2.19): take the
        // name from PartEnd when PartStart had none.
        if (item.call.name.empty() && end && !end->tool_call.name.empty())
            item.call.name = end->tool_call.name;
        if (item.call.kind == ToolKind::Function && item.text.empty()) {
            add_loss(*losses_, Code::LossDefaultApplied, Severity::Info, "",
                     "tool call " + item.call.id + " had no arguments; sent \"{}\"");
            call_delta(item, "{}");
        }
        bool custom = item.call.kind == ToolKind::Custom;
        Json data = item_address(item);
        if (custom) {
            data["input"] = item.text;
            emit("response.custom_tool_call_input.done", std::move(data));
        } else {
            data["name"] = item.call.name;
            data["arguments"] = item.text;
            emit("response.function_call_arguments.done", std::move(data));
        }
        ToolCallPart complete = item.call;
        complete.arguments = item.text;
        return call_item(complete, item.item_id, "completed");
    }

    void close_summary(OpenItem& item) {
        if (!item.open_summary) return;
        std::size_t k = *item.open_summary;
        item.open_summary.reset();
        Json data = item_address(item);
        data["summary_index"] = k;
        data["text"] = item.summary[k];
        emit("response.reasoning_summary_text.done", data);
        data.erase("text");
        data["part"] = Json{{"type", "summary_text"}, {"text", item.summary[k]}};
        emit("response.reasoning_summary_part.done", std::move(data));
    }

    Json close_reasoning(OpenItem& item, const StreamEvent* end) {
        if (end) complete_reasoning_from_end(item, end->reasoning);
        close_summary(item);
        if (!item.reasoning_text.empty()) {
            Json data = item_address(item);
            data["content_index"] = 0;
            data["text"] = item.reasoning_text;
            emit("response.reasoning_text.done", data);
            data.erase("text");
            data["part"] = Json{{"type", "reasoning_text"}, {"text", item.reasoning_text}};
            emit("response.content_part.done", std::move(data));
        }
        ReasoningPart complete;
        complete.origin = item.origin;
        complete.text = item.reasoning_text;
        complete.summary = item.summary;
        complete.encrypted_content = item.encrypted;
        return reasoning_item(complete, item.item_id, "", *losses_);
    }

    // Decoders put the complete reasoning on PartEnd; whatever the deltas did not deliver is
    // streamed now so the done events still follow their deltas.
    void complete_reasoning_from_end(OpenItem& item, const ReasoningPart& full) {
        if (item.summary.empty()) {
            for (std::size_t k = 0; k < full.summary.size(); ++k)
                summary_delta(item, k, full.summary[k]);
        }
        if (item.reasoning_text.empty()) reasoning_text_delta(item, full.text);
        if (item.origin == Protocol::Responses) {
            if (item.encrypted.empty()) item.encrypted = full.encrypted_content;
        } else if (!full.signature.empty() || !full.redacted_data.empty() ||
                   !full.encrypted_content.empty()) {
            note_foreign(item);
        }
    }

    // ---- terminal events ------------------------------------------------------------------------

    void on_finish(const StreamEvent& event) {
        if (event.stop_reason == StopReason::Error) {
            return fail(event.error.value_or(
                ApiError{"", "server_error", "the upstream stopped with an error"}));
        }
        ensure_started();
        while (!open_.empty()) close_item(open_.begin()->first, nullptr);
        StatusMapping mapping = status_for_stop_reason(event.stop_reason, "/stop_reason", *losses_);
        Json incomplete = mapping.status == "incomplete"
                              ? Json{{"reason", mapping.incomplete_reason}}
                              : Json(nullptr);
        Json response =
            make_response_object(head_, mapping.status, nullptr, std::move(incomplete),
                                 completed_output(), encode_usage(event.usage, "/usage", *losses_));
        emit(mapping.status == "completed" ? "response.completed" : "response.incomplete",
             Json{{"response", std::move(response)}});
        terminated_ = true;
    }

    // `error` then response.failed (an error is always followed by response.failed, §2).
    void fail(const ApiError& error) {
        ensure_started();
        Json error_object = encode_error_object(error);
        emit("error", Json{{"code", error_object["code"]},
                           {"message", error_object["message"]},
                           {"param", nullptr}});
        Json response = make_response_object(head_, "failed", std::move(error_object), nullptr,
                                             completed_output(), nullptr);
        emit("response.failed", Json{{"response", std::move(response)}});
        terminated_ = true;
    }

    Json completed_output() const {
        Json output = Json::array();
        for (const Json& item : output_) {
            if (!item.is_null()) output.push_back(item);
        }
        return output;
    }

    std::string* out_ = nullptr;
    Losses* losses_ = nullptr;
    ResponseHead head_;
    std::map<std::size_t, OpenItem> open_;  // canonical part index -> its open item
    std::set<std::size_t> seen_;            // canonical part indexes already started
    std::vector<Json> output_;              // complete items by output_index (null while open)
    std::int64_t sequence_ = 0;
    bool started_ = false;
    bool terminated_ = false;
};

}  // namespace

std::unique_ptr<StreamEncoder> make_responses_stream_encoder(
    const StreamEncoderOptions& /*options*/) {
    return std::make_unique<ResponsesStreamEncoder>();
}

}  // namespace wirecheck
