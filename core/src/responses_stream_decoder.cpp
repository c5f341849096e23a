// Responses SSE stream -> canonical StreamEvents, incrementally (one SseEvent at a time).
//
// Sections: state · feed/finish · lifecycle · items · message content · calls · reasoning ·
// helpers
//
// Grammar (protocols.md §2 "Streaming events"): response.created -> response.in_progress -> per
// item output_item.added -> (content_part.added -> output_text.delta* -> output_text.done ->
// content_part.done | function_call_arguments.delta* -> .done | custom_tool_call_input.delta* ->
// .done | reasoning summary/text events) -> output_item.done -> response.completed |
// response.incomplete | response.failed. Tolerated, because real servers do it:
// - no `event:` lines: dispatch is on the JSON `type`, like Codex (codex-api sse/responses.rs);
// - `[DONE]` after the terminal event, or none; unknown event types (ignored);
// - text only in a *.done event with no deltas (peers.md §2.6): the missing text becomes a delta;
// - items only in output_item.done, and an empty output in response.completed (store:false,
//   peers.md §2.19); items only in response.completed.output are emitted before Finish;
// - an `error` event followed by response.failed (the first one ends the stream).
// A stream that ends without a terminal event yields Error + loss.stream_truncated (§2.18).
#include <map>

#include "responses_common.hpp"
#include "wirecheck/responses_codec.hpp"

namespace wirecheck {
namespace {

using namespace responses_detail;

class ResponsesStreamDecoder final : public StreamDecoder {
  public:
    Status feed(const SseEvent& event, std::vector<StreamEvent>& out, Losses& losses) override {
        if (failed_) return *failed_;
        if (terminated_ || event.data.empty() || event.is_done()) return {};
        auto parsed = parse_json(event.data);
        if (!parsed.ok()) {
            return fail(make_error(Code::SseBadEventData, "",
                                   "event data is not JSON: " + parsed.error().message));
        }
        ReleaseJsonOnExit release{parsed.value()};  // nlohmann's destructor costs more
        const Json& data = parsed.value();
        if (!data.is_object()) return fail(wrong_type("", "an event object", data));
        std::string type = event.event;
        if (const Json* t = find_field(data, "type"); t && t->is_string())
            type = t->get<std::string>();
        if (type.empty())
            return fail(make_error(Code::SseBadEventData, "/type", "event has no type"));
        out_ = &out;
        losses_ = &losses;
        Status status = dispatch(type, data);
        if (!status) {
            Error error = status.error();
            error.message = type + " event: " + error.message;
            return fail(std::move(error));
        }
        return {};
    }

    Status finish(std::vector<StreamEvent>& out, Losses& losses) override {
        if (failed_) return *failed_;
        if (terminated_) return {};
        out_ = &out;
        losses_ = &losses;
        close_all_parts();
        add_loss(
            losses, Code::LossStreamTruncated, Severity::Error, "",
            "the stream ended without response.completed, response.incomplete or response.failed");
        StreamEvent error;
        error.kind = StreamEvent::Kind::Error;
        error.error =
            ApiError{"api_error", "stream_truncated", "stream closed before response.completed"};
        emit(std::move(error));
        terminated_ = true;
        return {};
    }

  private:
    // ---- state ----------------------------------------------------------------------------------

    // One canonical part under construction.
    struct PartState {
        PartType type = PartType::Text;
        bool open = true;
        std::string text;         // text / refusal / arguments / input so far
        ToolCallPart call;        // ToolCall: ids, name, kind
        ReasoningPart reasoning;  // Reasoning: item_id, text, summary, encrypted_content so far
        std::map<std::size_t, std::string> reasoning_content;  // reasoning_text per content_index
    };
    // One output item, by output_index.
    struct ItemState {
        std::string type;
        std::string id;
        std::map<std::size_t, std::size_t> content_parts;  // message content_index -> part
        std::optional<std::size_t> part;                   // call / reasoning part
        bool done = false;
        bool dropped = false;  // unrepresentable item already recorded as a loss
    };

    Status fail(Error error) {
        failed_ = std::move(error);
        return *failed_;
    }

    // ---- dispatch -------------------------------------------------------------------------------

    Status dispatch(const std::string& type, const Json& data) {
        if (type == "response.created" || type == "response.in_progress" ||
            type == "response.queued") {
            ensure_start(find_present(data, "response"));
            return {};
        }
        if (type == "response.output_item.added") return on_item_added(data);
        if (type == "response.output_item.done") return on_item_done(data);
        if (type == "response.content_part.added") return on_content_part_added(data);
        if (type == "response.content_part.done") return on_content_part_done(data);
        if (type == "response.output_text.delta") return on_text_delta(data, PartType::Text);
        if (type == "response.refusal.delta") return on_text_delta(data, PartType::Refusal);
        if (type == "response.output_text.done") return on_text_done(data, PartType::Text, "text");
        if (type == "response.refusal.done")
            return on_text_done(data, PartType::Refusal, "refusal");
        if (type == "response.output_text.annotation.added") {
            add_loss(*losses_, Code::LossFieldDropped, Severity::Info, "/annotation",
                     "output_text annotations have no canonical stream event; dropped");
            return {};
        }
        if (type == "response.function_call_arguments.delta") return on_call_delta(data, "delta");
        if (type == "response.custom_tool_call_input.delta") return on_call_delta(data, "delta");
        if (type == "response.function_call_arguments.done") return on_call_done(data, "arguments");
        if (type == "response.custom_tool_call_input.done") return on_call_done(data, "input");
        if (type == "response.reasoning_summary_part.added") return on_summary_part(data);
        if (type == "response.reasoning_summary_part.done") return on_summary_part(data);
        if (type == "response.reasoning_summary_text.delta") return on_summary_delta(data);
        if (type == "response.reasoning_summary_text.done") return on_summary_done(data);
        if (type == "response.reasoning_text.delta") return on_reasoning_text(data, "delta");
        if (type == "response.reasoning_text.done") return on_reasoning_text(data, "text");
        if (type == "response.completed" || type == "response.incomplete")
            return on_finish(data, type);
        if (type == "response.failed") return on_failed(data);
        if (type == "error") return on_error(data);
        return {};  // unknown and hosted-tool progress events: their items are judged at .done
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    void ensure_start(const Json* response) {
        if (started_) return;
        started_ = true;
        StreamEvent start;
        start.kind = StreamEvent::Kind::Start;
        if (response && response->is_object()) {
            if (const Json* v = find_present(*response, "id"); v && v->is_string())
                start.id = v->get<std::string>();
            if (const Json* v = find_present(*response, "model"); v && v->is_string()) {
                start.model = v->get<std::string>();
            }
            std::optional<std::int64_t> created;
            if (read_int_lenient(*response, "created_at", "/response", created))
                start.created = created.value_or(0);
        }
        emit(std::move(start));
    }

    // response.completed / response.incomplete: emit items seen only in the final output, close
    // everything, then Finish with the stop reason and usage.
    Status on_finish(const Json& data, const std::string& type) {
        const Json* response = find_present(data, "response");
        Json empty = Json::object();
        if (!response) response = &empty;
        if (auto s = expect_object(*response, "/response"); !s) return s;
        ensure_start(response);
        if (auto s = emit_unseen_output(*response); !s) return s;
        close_all_parts();

        std::string status = type == "response.completed" ? "completed" : "incomplete";
        if (auto s = read_string(*response, "status", "/response", status); !s) return s;
        std::string reason;
        if (const Json* details = find_present(*response, "incomplete_details")) {
            if (auto s = expect_object(*details, "/response/incomplete_details"); !s) return s;
            if (auto s = read_string(*details, "reason", "/response/incomplete_details", reason);
                !s)
                return s;
        }
        StreamEvent finish;
        finish.kind = StreamEvent::Kind::Finish;
        finish.stop_reason =
            stop_reason_from_status(status, reason, saw_call_, "/response/status", *losses_);
        if (const Json* usage = find_present(*response, "usage")) {
            if (auto s = decode_usage(*usage, "/response/usage", finish.usage); !s) return s;
        }
        emit(std::move(finish));
        terminated_ = true;
        return {};
    }

    Status on_failed(const Json& data) {
        const Json* response = find_present(data, "response");
        ApiError error{"", "server_error", "response.failed without an error object"};
        if (response && response->is_object()) {
            ensure_start(response);
            if (const Json* e = find_present(*response, "error")) error = decode_api_error(*e);
        }
        return emit_error(std::move(error));
    }

    // `error` events: {type:"error", code, message, param} or {type:"error", error:{...}}.
    Status on_error(const Json& data) {
        ApiError error = decode_api_error(data);
        if (const Json* nested = find_present(data, "error"); nested && nested->is_object()) {
            error = decode_api_error(*nested);
        }
        if (error.type == "error") error.type.clear();
        return emit_error(std::move(error));
    }

    Status emit_error(ApiError error) {
        close_all_parts();
        StreamEvent event;
        event.kind = StreamEvent::Kind::Error;
        event.error = std::move(error);
        emit(std::move(event));
        terminated_ = true;
        return {};
    }

    // ---- items ----------------------------------------------------------------------------------

    Status on_item_added(const Json& data) {
        std::int64_t index = 0;
        if (auto s = read_output_index(data, index); !s) return s;
        const Json* item = find_field(data, "item");
        if (!item) return missing_field("/item", "object `item`");
        if (auto s = expect_object(*item, "/item"); !s) return s;
        std::string type;
        if (auto s = read_string(*item, "type", "/item", type, true); !s) return s;
        ItemState& state = items_[index];
        if (!state.type.empty()) return {};  // announced twice: the first announcement stands
        state.type = type;
        if (auto s = read_string(*item, "id", "/item", state.id); !s) return s;

        if (type == "function_call" || type == "custom_tool_call") {
            // The added item may still lack fields, so read leniently; output_item.done is strict.
            ToolCallPart call;
            call.kind = type == "custom_tool_call" ? ToolKind::Custom : ToolKind::Function;
            call.item_id = state.id;
            std::string initial;
            if (auto s = read_string(*item, "call_id", "/item", call.id); !s) return s;
            if (auto s = read_string(*item, "name", "/item", call.name); !s) return s;
            if (auto s = read_string(*item, "namespace", "/item", call.name_space); !s) return s;
            const char* field = call.kind == ToolKind::Custom ? "input" : "arguments";
            if (auto s = read_string(*item, field, "/item", initial); !s) return s;
            state.part = open_call(call);
            append_text(*state.part, initial);
        } else if (type == "reasoning") {
            state.part = open_reasoning(state.id);
        } else if (type != "message") {
            note_dropped_item(state, type);
        }
        return {};
    }

    Status on_item_done(const Json& data) {
        std::int64_t index = 0;
        if (auto s = read_output_index(data, index); !s) return s;
        const Json* item = find_field(data, "item");
        if (!item) return missing_field("/item", "object `item`");
        return complete_item(index, *item, "/item");
    }

    // Completes item `index` from its final form (output_item.done, or response.*.output).
    Status complete_item(std::int64_t index, const Json& item, const std::string& at) {
        if (auto s = expect_object(item, at); !s) return s;
        std::string type;
        if (auto s = read_string(item, "type", at, type, true); !s) return s;
        ItemState& state = items_[index];
        if (state.type.empty()) state.type = type;
        if (state.id.empty()) {
            if (auto s = read_string(item, "id", at, state.id); !s) return s;
        }
        state.done = true;
        if (type == "message") return complete_message(state, item, at);
        if (type == "function_call" || type == "custom_tool_call")
            return complete_call(state, item, at);
        if (type == "reasoning") return complete_reasoning(state, item, at);
        note_dropped_item(state, type);
        return {};
    }

    // Items only in the final response object (never streamed) are emitted now; items the stream
    // announced but never closed are completed from it.
    Status emit_unseen_output(const Json& response) {
        const Json* output = find_present(response, "output");
        if (!output) return {};
        if (auto s = expect_array(*output, "/response/output"); !s) return s;
        for (std::size_t i = 0; i < output->size(); ++i) {
            const Json& item = (*output)[i];
            std::string at = pointer_join("/response/output", i);
            if (auto s = expect_object(item, at); !s) return s;
            std::string id;
            if (auto s = read_string(item, "id", at, id); !s) return s;
            std::optional<std::int64_t> index = find_item(id, static_cast<std::int64_t>(i));
            if (index && items_[*index].done) continue;
            if (!index) index = items_.empty() ? 0 : items_.rbegin()->first + 1;
            if (auto s = complete_item(*index, item, at); !s) return s;
        }
        return {};
    }

    // The item with this id, else the one at `fallback` unless another item holds that index.
    std::optional<std::int64_t> find_item(const std::string& id,
                                          std::optional<std::int64_t> fallback) const {
        if (!id.empty()) {
            for (const auto& [index, state] : items_) {
                if (state.id == id) return index;
            }
        }
        if (!fallback) return std::nullopt;
        auto it = items_.find(*fallback);
        if (it == items_.end() || id.empty() || it->second.id.empty()) return fallback;
        return std::nullopt;
    }

    void note_dropped_item(ItemState& state, const std::string& type) {
        if (state.dropped) return;
        state.dropped = true;
        add_loss(*losses_, Code::LossPartDropped, Severity::Warn, "/item",
                 std::string(is_known_unrepresentable_item(type) ? "" : "unknown ") +
                     "output item type \"" + type + "\" has no canonical form; dropped");
    }

    // ---- message content ------------------------------------------------------------------------

    Status on_content_part_added(const Json& data) {
        std::int64_t index = 0;
        std::size_t content_index = 0;
        if (auto s = read_content_address(data, "content_index", index, content_index); !s)
            return s;
        const Json* part = find_field(data, "part");
        if (!part) return missing_field("/part", "object `part`");
        if (auto s = expect_object(*part, "/part"); !s) return s;
        std::string type, text;
        if (auto s = read_string(*part, "type", "/part", type, true); !s) return s;
        if (type != "output_text" && type != "refusal") return {};  // e.g. reasoning_text parts
        PartType part_type = type == "refusal" ? PartType::Refusal : PartType::Text;
        if (auto s = read_string(*part, part_type == PartType::Refusal ? "refusal" : "text",
                                 "/part", text);
            !s)
            return s;
        std::size_t p = message_part(index, content_index, part_type);
        append_text(p, text);
        return {};
    }

    Status on_text_delta(const Json& data, PartType type) {
        std::int64_t index = 0;
        std::size_t content_index = 0;
        if (auto s = read_content_address(data, "content_index", index, content_index); !s)
            return s;
        std::string delta;
        if (auto s = read_string(data, "delta", "", delta, true); !s) return s;
        append_text(message_part(index, content_index, type), delta);
        return {};
    }

    Status on_text_done(const Json& data, PartType type, const char* field) {
        std::int64_t index = 0;
        std::size_t content_index = 0;
        if (auto s = read_content_address(data, "content_index", index, content_index); !s)
            return s;
        std::string full;
        if (auto s = read_string(data, field, "", full, true); !s) return s;
        complete_text(message_part(index, content_index, type), full, field);
        return {};
    }

    Status on_content_part_done(const Json& data) {
        std::int64_t index = 0;
        std::size_t content_index = 0;
        if (auto s = read_content_address(data, "content_index", index, content_index); !s)
            return s;
        const Json* part = find_present(data, "part");
        std::string type = "output_text", full;
        if (part) {
            if (auto s = expect_object(*part, "/part"); !s) return s;
            if (auto s = read_string(*part, "type", "/part", type); !s) return s;
        }
        if (type != "output_text" && type != "refusal") return {};
        PartType part_type = type == "refusal" ? PartType::Refusal : PartType::Text;
        std::size_t p = message_part(index, content_index, part_type);
        if (part) {
            if (auto s = read_string(*part, type == "refusal" ? "refusal" : "text", "/part", full);
                !s)
                return s;
            complete_text(p, full, "part");
        }
        close_part(p);
        return {};
    }

    Status complete_message(ItemState& state, const Json& item, const std::string& at) {
        const Json* content = find_present(item, "content");
        std::string content_at = pointer_join(at, "content");
        if (content) {
            if (auto s = expect_array(*content, content_at); !s) return s;
            for (std::size_t k = 0; k < content->size(); ++k) {
                std::string part_at = pointer_join(content_at, k);
                const Json& part = (*content)[k];
                if (auto s = expect_object(part, part_at); !s) return s;
                std::string type, text;
                if (auto s = read_string(part, "type", part_at, type, true); !s) return s;
                if (type != "output_text" && type != "refusal") {
                    add_loss(
                        *losses_, Code::LossPartDropped, Severity::Warn, part_at,
                        "message content type \"" + type + "\" has no canonical form; dropped");
                    continue;
                }
                PartType part_type = type == "refusal" ? PartType::Refusal : PartType::Text;
                if (auto s = read_string(part, part_type == PartType::Refusal ? "refusal" : "text",
                                         part_at, text, true);
                    !s)
                    return s;
                std::int64_t index = item_index(state);
                std::size_t p = message_part(index, k, part_type);
                complete_text(p, text, "output_item.done");
                close_part(p);
            }
        }
        for (const auto& [k, p] : state.content_parts) close_part(p);
        return {};
    }

    // ---- calls ----------------------------------------------------------------------------------

    Status on_call_delta(const Json& data, const char* field) {
        std::string delta;
        if (auto s = read_string(data, field, "", delta, true); !s) return s;
        std::optional<std::size_t> p;
        if (auto s = find_item_part(data, p); !s) return s;
        if (!p) {
            note_orphan_delta();
            return {};
        }
        append_text(*p, delta);
        return {};
    }

    Status on_call_done(const Json& data, const char* field) {
        std::string full;
        if (auto s = read_string(data, field, "", full, true); !s) return s;
        std::optional<std::size_t> p;
        if (auto s = find_item_part(data, p); !s) return s;
        if (p) complete_text(*p, full, field);  // edge case 6: only .done, no deltas
        return {};
    }

    Status complete_call(ItemState& state, const Json& item, const std::string& at) {
        ToolCallPart call;
        if (auto s = decode_call_item(item, at, call, *losses_); !s) return s;
        if (!state.part) {
            ToolCallPart announced = call;
            announced.arguments.clear();
            state.part = open_call(announced);
        }
        complete_text(*state.part, call.arguments, "output_item.done");
        close_part(*state.part);
        return {};
    }

    std::size_t open_call(const ToolCallPart& call) {
        saw_call_ = true;
        std::size_t p = open_part(PartType::ToolCall);
        parts_[p].call = call;
        StreamEvent& start = out_->back();
        start.tool_call = call;
        start.tool_call.arguments.clear();
        return p;
    }

    // ---- reasoning ------------------------------------------------------------------------------

    Status on_summary_part(const Json& data) {
        std::int64_t index = 0;
        std::size_t summary_index = 0;
        if (auto s = read_content_address(data, "summary_index", index, summary_index); !s)
            return s;
        std::size_t p = reasoning_part(index);
        const Json* part = find_present(data, "part");
        std::string text;
        if (part) {
            if (auto s = expect_object(*part, "/part"); !s) return s;
            if (auto s = read_string(*part, "text", "/part", text); !s) return s;
        }
        complete_summary(p, summary_index, text);
        return {};
    }

    Status on_summary_delta(const Json& data) {
        std::int64_t index = 0;
        std::size_t summary_index = 0;
        if (auto s = read_content_address(data, "summary_index", index, summary_index); !s)
            return s;
        std::string delta;
        if (auto s = read_string(data, "delta", "", delta, true); !s) return s;
        std::size_t p = reasoning_part(index);
        auto& summary = parts_[p].reasoning.summary;
        if (summary.size() <= summary_index) summary.resize(summary_index + 1);
        emit_summary_delta(p, summary_index, delta);
        return {};
    }

    Status on_summary_done(const Json& data) {
        std::int64_t index = 0;
        std::size_t summary_index = 0;
        if (auto s = read_content_address(data, "summary_index", index, summary_index); !s)
            return s;
        std::string text;
        if (auto s = read_string(data, "text", "", text, true); !s) return s;
        complete_summary(reasoning_part(index), summary_index, text);
        return {};
    }

    // response.reasoning_text.delta {delta} / .done {text}, per content_index.
    Status on_reasoning_text(const Json& data, const char* field) {
        std::int64_t index = 0;
        std::size_t content_index = 0;
        if (auto s = read_content_address(data, "content_index", index, content_index); !s)
            return s;
        std::string text;
        if (auto s = read_string(data, field, "", text, true); !s) return s;
        std::size_t p = reasoning_part(index);
        if (std::string(field) == "delta") {
            emit_reasoning_text(p, content_index, text);
        } else {
            complete_reasoning_text(p, content_index, text);
        }
        return {};
    }

    Status complete_reasoning(ItemState& state, const Json& item, const std::string& at) {
        ReasoningPart full;
        if (auto s = decode_reasoning_item(item, at, full, *losses_); !s) return s;
        if (!state.part) state.part = open_reasoning(full.item_id);
        std::size_t p = *state.part;
        for (std::size_t k = 0; k < full.summary.size(); ++k)
            complete_summary(p, k, full.summary[k]);
        // The item's content is the canonical joined text; complete it as content index 0 when the
        // stream sent none, else trust the streamed per-index texts.
        if (parts_[p].reasoning_content.empty()) {
            complete_reasoning_text(p, 0, full.text);
        } else if (parts_[p].reasoning.text != full.text) {
            note_mismatch("output_item.done reasoning content");
        }
        ReasoningPart& have = parts_[p].reasoning;
        if (!full.encrypted_content.empty() && have.encrypted_content.empty()) {
            have.encrypted_content = full.encrypted_content;
            StreamEvent signature;
            signature.kind = StreamEvent::Kind::SignatureDelta;
            signature.index = p;
            signature.part_type = PartType::Reasoning;
            signature.text = full.encrypted_content;
            emit(std::move(signature));
        }
        close_part(p);
        return {};
    }

    std::size_t open_reasoning(const std::string& item_id) {
        std::size_t p = open_part(PartType::Reasoning);
        parts_[p].reasoning.origin = Protocol::Responses;
        parts_[p].reasoning.item_id = item_id;
        StreamEvent& start = out_->back();
        start.reasoning = parts_[p].reasoning;
        return p;
    }

    // The reasoning part of item `index`, opened on first use if the stream skipped
    // output_item.added.
    std::size_t reasoning_part(std::int64_t index) {
        ItemState& state = items_[index];
        if (state.type.empty()) state.type = "reasoning";
        if (!state.part) state.part = open_reasoning(state.id);
        return *state.part;
    }

    void emit_summary_delta(std::size_t p, std::size_t summary_index, const std::string& delta) {
        if (delta.empty()) return;
        parts_[p].reasoning.summary[summary_index] += delta;
        StreamEvent event;
        event.kind = StreamEvent::Kind::SummaryDelta;
        event.index = p;
        event.part_type = PartType::Reasoning;
        event.summary_index = summary_index;
        event.text = delta;
        emit(std::move(event));
    }

    void complete_summary(std::size_t p, std::size_t summary_index, const std::string& full) {
        auto& summary = parts_[p].reasoning.summary;
        if (summary.size() <= summary_index) summary.resize(summary_index + 1);
        std::optional<std::string> rest = remainder(summary[summary_index], full);
        if (!rest) return note_mismatch("reasoning summary");
        emit_summary_delta(p, summary_index, *rest);
    }

    // Reasoning text entries are joined with '\n' (as decode_reasoning_item does for bodies).
    void emit_reasoning_text(std::size_t p, std::size_t content_index, const std::string& delta) {
        if (delta.empty()) return;
        PartState& part = parts_[p];
        bool new_entry = part.reasoning_content.find(content_index) == part.reasoning_content.end();
        std::string text = new_entry && !part.reasoning_content.empty() ? "\n" + delta : delta;
        part.reasoning_content[content_index] += delta;
        part.reasoning.text += text;
        StreamEvent event;
        event.kind = StreamEvent::Kind::ReasoningDelta;
        event.index = p;
        event.part_type = PartType::Reasoning;
        event.text = std::move(text);
        emit(std::move(event));
    }

    void complete_reasoning_text(std::size_t p, std::size_t content_index,
                                 const std::string& full) {
        auto& content = parts_[p].reasoning_content;
        auto it = content.find(content_index);
        if (it == content.end()) return emit_reasoning_text(p, content_index, full);
        std::optional<std::string> rest = remainder(it->second, full);
        if (!rest) return note_mismatch("reasoning text");
        emit_reasoning_text(p, content_index, *rest);
    }

    // ---- helpers --------------------------------------------------------------------------------

    void emit(StreamEvent event) { out_->push_back(std::move(event)); }

    std::size_t open_part(PartType type) {
        ensure_start(nullptr);
        PartState state;
        state.type = type;
        parts_.push_back(std::move(state));
        StreamEvent start;
        start.kind = StreamEvent::Kind::PartStart;
        start.index = parts_.size() - 1;
        start.part_type = type;
        emit(std::move(start));
        return parts_.size() - 1;
    }

    void close_part(std::size_t p) {
        PartState& part = parts_[p];
        if (!part.open) return;
        part.open = false;
        StreamEvent end;
        end.kind = StreamEvent::Kind::PartEnd;
        end.index = p;
        end.part_type = part.type;
        if (part.type == PartType::ToolCall) {
            end.tool_call = part.call;
            end.tool_call.arguments = part.text;
        } else if (part.type == PartType::Reasoning) {
            end.reasoning = part.reasoning;
        }
        emit(std::move(end));
    }

    // Parts still open at a terminal event: their items never got output_item.done (peers.md
    // §2.19). They are closed with what arrived, and the gap is reported.
    void close_all_parts() {
        for (std::size_t p = 0; p < parts_.size(); ++p) {
            if (!parts_[p].open) continue;
            add_loss(*losses_, Code::LossStreamTruncated, Severity::Warn, "",
                     "part " + std::to_string(p) +
                         " was never completed by output_item.done; closed as received");
            close_part(p);
        }
    }

    // Text / refusal / arguments delta on part p (empty deltas are not events).
    void append_text(std::size_t p, const std::string& delta) {
        if (delta.empty()) return;
        PartState& part = parts_[p];
        part.text += delta;
        StreamEvent event;
        event.index = p;
        event.part_type = part.type;
        event.kind = part.type == PartType::ToolCall ? StreamEvent::Kind::ArgumentsDelta
                                                     : StreamEvent::Kind::TextDelta;
        event.text = delta;
        emit(std::move(event));
    }

    // A *.done event carries the full text: whatever the deltas lacked becomes one more delta.
    void complete_text(std::size_t p, const std::string& full, const std::string& source) {
        std::optional<std::string> rest = remainder(parts_[p].text, full);
        if (!rest) return note_mismatch(source);
        append_text(p, *rest);
    }

    static std::optional<std::string> remainder(const std::string& have, const std::string& full) {
        if (full.size() >= have.size() && full.compare(0, have.size(), have) == 0)
            return full.substr(have.size());
        return std::nullopt;
    }

    void note_mismatch(const std::string& source) {
        add_loss(*losses_, Code::LossValueMapped, Severity::Warn, "",
                 source + " text differs from the streamed deltas; the deltas were kept");
    }

    void note_orphan_delta() {
        add_loss(
            *losses_, Code::LossPartDropped, Severity::Warn, "",
            "a call delta for an item that was never announced; dropped until output_item.done");
    }

    // The message part at (index, content_index), opened on first use (some servers skip
    // content_part.added).
    std::size_t message_part(std::int64_t index, std::size_t content_index, PartType type) {
        ItemState& state = items_[index];
        if (state.type.empty()) state.type = "message";
        auto it = state.content_parts.find(content_index);
        if (it != state.content_parts.end()) return it->second;
        std::size_t p = open_part(type);
        state.content_parts[content_index] = p;
        return p;
    }

    std::int64_t item_index(const ItemState& state) const {
        for (const auto& [index, s] : items_) {
            if (&s == &state) return index;
        }
        return 0;
    }

    // output_index (or, failing that, item_id) -> the item's call/reasoning part.
    Status find_item_part(const Json& data, std::optional<std::size_t>& part) {
        std::optional<std::int64_t> index;
        if (auto s = read_int_lenient(data, "output_index", "", index); !s) return s;
        std::string item_id;
        if (auto s = read_string(data, "item_id", "", item_id); !s) return s;
        if (!index && !item_id.empty()) index = find_item(item_id, std::nullopt);
        if (!index) return {};
        auto it = items_.find(*index);
        if (it != items_.end()) part = it->second.part;
        return {};
    }

    Status read_output_index(const Json& data, std::int64_t& index) {
        std::optional<std::int64_t> value;
        if (auto s = read_int_lenient(data, "output_index", "", value); !s) return s;
        if (!value) {
            // Without output_index, fall back to the item id, else to the next free index.
            std::string item_id;
            if (const Json* item = find_present(data, "item")) {
                if (auto s = read_string(*item, "id", "/item", item_id); !s) return s;
            }
            std::optional<std::int64_t> found =
                item_id.empty() ? std::nullopt : find_item(item_id, std::nullopt);
            value = found ? *found : (items_.empty() ? 0 : items_.rbegin()->first + 1);
        }
        index = *value;
        return {};
    }

    // output_index (or item_id) plus a sub-index such as content_index / summary_index (default 0).
    Status read_content_address(const Json& data, const char* sub_key, std::int64_t& index,
                                std::size_t& sub_index) {
        std::optional<std::int64_t> value, sub;
        if (auto s = read_int_lenient(data, "output_index", "", value); !s) return s;
        if (auto s = read_int_lenient(data, sub_key, "", sub); !s) return s;
        if (!value) {
            std::string item_id;
            if (auto s = read_string(data, "item_id", "", item_id); !s) return s;
            std::optional<std::int64_t> found =
                item_id.empty() ? std::nullopt : find_item(item_id, std::nullopt);
            value = found ? *found : (items_.empty() ? 0 : items_.rbegin()->first);
        }
        if (sub && *sub < 0)
            return make_error(Code::JsonWrongType, pointer_join("", sub_key),
                              "expected a non-negative integer");
        index = *value;
        sub_index = sub ? static_cast<std::size_t>(*sub) : 0;
        return {};
    }

    std::vector<StreamEvent>* out_ = nullptr;
    Losses* losses_ = nullptr;
    std::vector<PartState> parts_;
    std::map<std::int64_t, ItemState> items_;
    std::optional<Error> failed_;
    bool started_ = false;
    bool terminated_ = false;
    bool saw_call_ = false;
};

}  // namespace

std::unique_ptr<StreamDecoder> make_responses_stream_decoder() {
    return std::make_unique<ResponsesStreamDecoder>();
}

}  // namespace wirecheck
