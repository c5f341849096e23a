// OpenAI Chat Completions codec, part 1: shared helpers (checked JSON access, finish_reason, usage,
// error bodies, assistant messages) and the non-streaming response (`chat.completion`).
// Requests are in chat_request.cpp, streams in chat_stream.cpp.
// Facts: /work/shared/protocols.md §1.
//
// Sections: checked access · finish_reason · usage · errors · content and assistant messages ·
//           responses
#include "wirecheck/chat_codec.hpp"
#include "chat_codec_internal.hpp"

namespace wirecheck {
namespace chat_detail {

// ---- checked access ----------------------------------------------------------------------------

void note_dropped_extras(const Json& extras, const std::string& pointer, Losses& losses) {
    if (!extras.is_object()) return;
    for (auto it = extras.begin(); it != extras.end(); ++it) {
        if (it.value().is_null() || (it.value().is_structured() && it.value().empty())) continue;
        add_loss(losses, Code::LossFieldDropped, Severity::Info,
                 pointer_join(pointer_join(pointer, "extras"), it.key()),
                 "'" + it.key() + "' has no Chat Completions field; not sent");
    }
}

// ---- finish_reason (protocols.md §1 Response: stop, length, tool_calls, content_filter,
//      function_call deprecated) --------------------------------------------------------------

StopReason decode_finish_reason(const std::string& value, const std::string& pointer,
                                Losses& losses) {
    if (value == "stop") return StopReason::EndTurn;
    if (value == "length") return StopReason::MaxTokens;
    if (value == "tool_calls") return StopReason::ToolUse;
    if (value == "content_filter") return StopReason::ContentFilter;
    if (value == "function_call") {
        add_loss(losses, Code::LossValueMapped, Severity::Info, pointer,
                 "deprecated finish_reason 'function_call' read as tool use");
        return StopReason::ToolUse;
    }
    add_loss(losses, Code::LossValueMapped, Severity::Warn, pointer,
             "unknown finish_reason '" + value + "' read as unknown");
    return StopReason::Unknown;
}

std::string encode_finish_reason(StopReason reason, bool has_tool_calls, Losses& losses) {
    auto mapped = [&](Severity severity, const char* to, const std::string& why) {
        add_loss(losses, Code::LossValueMapped, severity, "/stop_reason",
                 "stop reason '" + std::string(stop_reason_name(reason)) + "' sent as '" + to +
                     "': " + why);
        return std::string(to);
    };
    switch (reason) {
        case StopReason::EndTurn:
            // Responses reports "completed" for a turn that ends in function calls; Chat clients
            // loop on finish_reason "tool_calls" (peers.md §2.17: wrong stop reason on tool turns).
            if (has_tool_calls) {
                return mapped(Severity::Info, "tool_calls", "the turn ends with tool calls");
            }
            return "stop";
        case StopReason::ToolUse:
            if (!has_tool_calls) {
                return mapped(Severity::Warn, "stop", "no tool call reached the Chat output");
            }
            return "tool_calls";
        case StopReason::MaxTokens:
            return "length";
        case StopReason::ContentFilter:
            return "content_filter";
        case StopReason::StopSequence:
            return mapped(Severity::Info, "stop", "Chat reports stop sequences as 'stop'");
        case StopReason::Refusal:
            return mapped(Severity::Info, "stop", "the refusal text is carried in 'refusal'");
        case StopReason::PauseTurn:
            return mapped(Severity::Warn, "stop",
                          "Chat cannot say the turn was paused and should be continued");
        case StopReason::ContextWindow:
            return mapped(Severity::Warn, "length", "the context window was exhausted");
        case StopReason::Error:
            return mapped(Severity::Warn, "stop", "the response failed without an error body");
        case StopReason::Unknown:
            return mapped(Severity::Warn, "stop", "the reason is unknown");
    }
    return "stop";
}

// ---- usage (protocols.md §1: prompt_tokens includes cached; DeepSeek prompt_cache_hit_tokens) --

Result<Usage> decode_usage(const Json& usage, const std::string& pointer, Losses& losses) {
    (void)losses;
    WIRECHECK_TRY(expect_object(usage, pointer));
    std::optional<std::int64_t> prompt, completion, cached, reasoning, cache_hit;
    WIRECHECK_TRY(read_int(usage, "prompt_tokens", pointer, prompt));
    WIRECHECK_TRY(read_int(usage, "completion_tokens", pointer, completion));
    WIRECHECK_TRY(read_int(usage, "prompt_cache_hit_tokens", pointer, cache_hit));
    if (const Json* details = find_present(usage, "prompt_tokens_details")) {
        std::string p = pointer_join(pointer, "prompt_tokens_details");
        WIRECHECK_TRY(expect_object(*details, p));
        WIRECHECK_TRY(read_int(*details, "cached_tokens", p, cached));
    }
    if (const Json* details = find_present(usage, "completion_tokens_details")) {
        std::string p = pointer_join(pointer, "completion_tokens_details");
        WIRECHECK_TRY(expect_object(*details, p));
        WIRECHECK_TRY(read_int(*details, "reasoning_tokens", p, reasoning));
    }
    std::optional<std::int64_t> total;
    WIRECHECK_TRY(read_int(usage, "total_tokens", pointer, total));
    Usage out;
    out.input = prompt.value_or(0);
    out.output = completion.value_or(0);
    out.reasoning = reasoning.value_or(0);
    // OpenAI's cached_tokens and DeepSeek's prompt_cache_hit_tokens mean the same; both are part
    // of prompt_tokens, which already matches the canonical "input includes cache reads" rule.
    out.cache_read = cached ? *cached : cache_hit.value_or(0);
    return out;
}

Json encode_usage(const Usage& usage, Losses& losses) {
    if (usage.cache_write > 0) {
        add_loss(losses, Code::LossFieldDropped, Severity::Info, "/usage/cache_write",
                 "Chat usage has no cache-write count (" + std::to_string(usage.cache_write) +
                     " tokens); they stay counted in prompt_tokens");
    }
    Json out = Json::object();
    out["prompt_tokens"] = usage.input;
    out["completion_tokens"] = usage.output;
    out["total_tokens"] = usage.input + usage.output;
    out["prompt_tokens_details"] = Json{{"cached_tokens", usage.cache_read}};
    out["completion_tokens_details"] = Json{{"reasoning_tokens", usage.reasoning}};
    return out;
}

// ---- error bodies (protocols.md §5: {"error":{message,type,param,code}}, new-api too) --------

Result<ApiError> decode_api_error(const Json& error, const std::string& pointer, Losses& losses) {
    ApiError out;
    if (error.is_string()) {  // some servers send {"error":"text"}
        out.message = error.get_ref<const std::string&>();
        return out;
    }
    WIRECHECK_TRY(expect_object(error, pointer));
    WIRECHECK_TRY(read_string(error, "message", pointer, out.message));
    WIRECHECK_TRY(read_string(error, "type", pointer, out.type));
    if (const Json* code = find_present(error, "code")) {
        if (code->is_string()) {
            out.code = code->get_ref<const std::string&>();
        } else if (code->is_number_integer()) {
            out.code = std::to_string(code->get<std::int64_t>());
        } else {
            return wrong_type(pointer_join(pointer, "code"), "a string or an integer", *code);
        }
    }
    if (const Json* param = find_present(error, "param"); param && *param != "") {
        add_loss(losses, Code::LossFieldDropped, Severity::Info, pointer_join(pointer, "param"),
                 "error.param '" +
                     (param->is_string() ? param->get<std::string>() : dump_json(*param)) +
                     "' has no canonical field");
    }
    return out;
}

Json encode_api_error(const ApiError& error) {
    Json e = Json::object();
    e["message"] = error.message;
    e["type"] = error.type.empty() ? Json(nullptr) : Json(error.type);
    e["param"] = nullptr;
    e["code"] = error.code.empty() ? Json(nullptr) : Json(error.code);
    return Json{{"error", std::move(e)}};
}

// ---- tool calls and reasoning ----------------------------------------------------------------

std::string encode_tool_call_name(const ToolCallPart& call, const std::string& pointer,
                                  Losses& losses) {
    std::string name = flat_tool_name(call.name_space, call.name);
    if (name != call.name) {
        add_loss(losses, Code::LossNamespaceFlattened, Severity::Info, pointer,
                 "tool call '" + call.name + "' in namespace '" + call.name_space + "' sent as '" +
                     name + "'");
    }
    return name;
}

std::string custom_input_as_arguments(const std::string& raw) {
    return dump_json(Json{{"input", raw}});
}

std::optional<std::string> encode_reasoning_content(const std::vector<PointedReasoning>& parts,
                                                    const std::string& pointer, Losses& losses) {
    std::optional<std::string> out;
    auto append = [&](const std::string& text) {
        if (!out) out = std::string();
        if (!out->empty() && !text.empty()) *out += "\n\n";
        *out += text;
    };
    for (const auto& [part, part_pointer] : parts) {
        bool opaque = !part->signature.empty() || !part->encrypted_content.empty() ||
                      !part->redacted_data.empty();
        if (opaque) {
            // Chat has no field for signatures or encrypted reasoning; only Chat-origin reasoning
            // could be sent back as-is, and Chat has none (brief: foreign signatures are dropped).
            add_loss(losses, Code::LossForeignSignature, Severity::Warn, part_pointer,
                     "reasoning from " + std::string(protocol_name(part->origin)) +
                         " carries a signature or encrypted payload Chat cannot send; dropped");
        }
        if (!part->text.empty()) {
            append(part->text);
        } else if (!part->summary.empty()) {
            std::string joined;
            for (const auto& s : part->summary) {
                if (!joined.empty()) joined += "\n\n";
                joined += s;
            }
            add_loss(losses, Code::LossValueMapped, Severity::Info, part_pointer,
                     "reasoning summary sent as reasoning_content (no reasoning text available)");
            append(joined);
        } else if (part->origin == Protocol::Chat) {
            // A Chat client may send reasoning_content "" on purpose (DeepSeek thinking mode
            // demands the field on tool-call turns, protocols.md §1); keep it.
            append("");
        }
    }
    if (parts.size() > 1 && out) {
        add_loss(
            losses, Code::LossValueMapped, Severity::Info, pointer,
            std::to_string(parts.size()) + " reasoning parts joined into one reasoning_content");
    }
    return out;
}

// ---- content and assistant messages ------------------------------------------------------------

namespace {

// "data:image/png;base64,AAAA" -> media type and payload; false for anything else.
bool split_data_url(const std::string& url, std::string& media_type, std::string& data) {
    static constexpr std::string_view kData = "data:";
    static constexpr std::string_view kBase64 = ";base64,";
    if (url.compare(0, kData.size(), kData) != 0) return false;
    std::size_t marker = url.find(kBase64);
    if (marker == std::string::npos) return false;
    media_type = url.substr(kData.size(), marker - kData.size());
    data = url.substr(marker + kBase64.size());
    return true;
}

template <class Doc>
Status decode_image_url_part(const Doc& part, const std::string& pointer, std::vector<Part>& out,
                             Losses& losses) {
    auto image = find_present(part, "image_url");
    std::string p = pointer_join(pointer, "image_url");
    if (!image) return missing_field(p, "`image_url`");
    ImagePart img;
    std::string url;
    if (image->is_string()) {  // older/third-party clients send the URL directly
        url = string_of(*image);
    } else {
        WIRECHECK_TRY(expect_object(*image, p));
        WIRECHECK_TRY(require_string(*image, "url", p, url));
        WIRECHECK_TRY(read_string(*image, "detail", p, img.detail));
        note_unknown_fields(*image, p, {"url", "detail"}, losses);
    }
    if (!split_data_url(url, img.media_type, img.data_base64)) img.url = url;
    out.emplace_back(std::move(img));
    return {};
}

template <class Doc>
Status decode_content_part(Doc& part, const std::string& pointer, std::vector<Part>& out,
                           Losses& losses) {
    WIRECHECK_TRY(expect_object(part, pointer));
    std::string type;
    WIRECHECK_TRY(require_string(part, "type", pointer, type));
    if (type == "text") {
        TextPart text;
        // require_string's errors (null is missing), but moved rather than copied
        if (!find_present(part, "text"))
            return missing_field(pointer_join(pointer, "text"), "string `text`");
        WIRECHECK_TRY(take_string(part, "text", pointer, text.text));
        note_unknown_fields(part, pointer, {"type", "text"}, losses);
        out.emplace_back(std::move(text));
    } else if (type == "image_url") {
        WIRECHECK_TRY(decode_image_url_part(part, pointer, out, losses));
        note_unknown_fields(part, pointer, {"type", "image_url"}, losses);
    } else if (type == "refusal") {
        RefusalPart refusal;
        WIRECHECK_TRY(require_string(part, "refusal", pointer, refusal.text));
        out.emplace_back(std::move(refusal));
    } else if (type == "input_audio" || type == "file") {
        add_loss(losses, Code::LossPartDropped, Severity::Warn, pointer,
                 "'" + type + "' content parts have no canonical form; dropped");
    } else {
        return make_error(Code::JsonUnknownType, pointer_join(pointer, "type"),
                          "unknown content part type '" + type +
                              "' (expected text, image_url, input_audio, file or refusal)");
    }
    return {};
}

template <class Doc>
Status decode_tool_call(Doc& call, const std::string& pointer, std::vector<Part>& out,
                        Losses& losses) {
    WIRECHECK_TRY(expect_object(call, pointer));
    ToolCallPart part;
    WIRECHECK_TRY(require_string(call, "id", pointer, part.id));
    std::string type = "function";
    WIRECHECK_TRY(read_string(call, "type", pointer, type));
    if (type == "function") {
        auto fn = find_present(call, "function");
        std::string p = pointer_join(pointer, "function");
        if (!fn) return missing_field(p, "`function`");
        WIRECHECK_TRY(expect_object(*fn, p));
        WIRECHECK_TRY(require_string(*fn, "name", p, part.name));
        // arguments is a JSON *string*, kept verbatim (protocols.md §1 Assistant).
        WIRECHECK_TRY(take_string(*fn, "arguments", p, part.arguments));
        note_unknown_fields(*fn, p, {"name", "arguments"}, losses);
        note_unknown_fields(call, pointer, {"id", "type", "function", "index"}, losses);
    } else if (type == "custom") {  // newer OpenAI freeform tool calls: custom{name,input}
        auto custom = find_present(call, "custom");
        std::string p = pointer_join(pointer, "custom");
        if (!custom) return missing_field(p, "`custom`");
        WIRECHECK_TRY(expect_object(*custom, p));
        WIRECHECK_TRY(require_string(*custom, "name", p, part.name));
        WIRECHECK_TRY(take_string(*custom, "input", p, part.arguments));
        part.kind = ToolKind::Custom;
        note_unknown_fields(*custom, p, {"name", "input"}, losses);
        note_unknown_fields(call, pointer, {"id", "type", "custom", "index"}, losses);
    } else {
        return make_error(Code::JsonUnknownType, pointer_join(pointer, "type"),
                          "unknown tool call type '" + type + "' (expected function or custom)");
    }
    out.emplace_back(std::move(part));
    return {};
}

}  // namespace

template <class Doc>
Status decode_content(Doc& content, const std::string& message_pointer, std::vector<Part>& out,
                      Losses& losses) {
    if (content.is_null()) return {};
    if (content.is_string()) {
        // An empty string adds no part: an empty text block is rejected by Messages
        // (peers.md §2.10); the encoders write "" back for a turn without text.
        if (!string_of(content).empty()) out.emplace_back(TextPart{take_text(content), Json()});
        return {};
    }
    // Built here, not by callers: a string content (most messages) never needs it.
    std::string pointer = pointer_join(message_pointer, "content");
    if (!content.is_array())
        return wrong_type(pointer, "a string, an array of parts or null", content);
    return for_each_item(content, [&](auto& part, std::size_t i) {
        return decode_content_part(part, pointer_join(pointer, i), out, losses);
    });
}

template <class Doc>
Status decode_assistant_message(Doc& message, const std::string& pointer,
                                std::vector<Part>& out, Losses& losses) {
    // DeepSeek reasoning_content (vLLM/OpenRouter newer servers: `reasoning`) comes first: the
    // model thought before it wrote text or called tools (protocols.md §1 DeepSeek extensions).
    const char* reasoning_key = find_present(message, "reasoning_content") ? "reasoning_content"
                                : find_present(message, "reasoning")       ? "reasoning"
                                                                           : nullptr;
    if (reasoning_key) {
        ReasoningPart reasoning;
        WIRECHECK_TRY(take_string(message, reasoning_key, pointer, reasoning.text));
        reasoning.origin = Protocol::Chat;
        out.emplace_back(std::move(reasoning));
    }
    if (auto content = find_field(message, "content")) {
        WIRECHECK_TRY(decode_content(*content, pointer, out, losses));
    }
    std::string refusal;
    WIRECHECK_TRY(read_string(message, "refusal", pointer, refusal));
    if (!refusal.empty()) out.emplace_back(RefusalPart{refusal});
    if (auto calls = find_present(message, "tool_calls")) {
        std::string p = pointer_join(pointer, "tool_calls");
        if (!calls->is_array()) return wrong_type(p, "an array", *calls);
        WIRECHECK_TRY(for_each_item(*calls, [&](auto& call, std::size_t i) {
            return decode_tool_call(call, pointer_join(p, i), out, losses);
        }));
    }
    if (find_present(message, "function_call")) {
        add_loss(losses, Code::LossFieldDropped, Severity::Warn,
                 pointer_join(pointer, "function_call"),
                 "the deprecated function_call is not supported; use tool_calls");
    }
    if (find_present(message, "audio")) {
        add_loss(losses, Code::LossFieldDropped, Severity::Warn, pointer_join(pointer, "audio"),
                 "assistant audio has no canonical form; dropped");
    }
    if (auto annotations = find_present(message, "annotations");
        annotations && !is_empty_array(*annotations)) {
        add_loss(losses, Code::LossFieldDropped, Severity::Info,
                 pointer_join(pointer, "annotations"), "annotations (url citations) dropped");
    }
    return {};
}

template Status decode_content(Json&, const std::string&, std::vector<Part>&, Losses&);
template Status decode_content(JsonElement&, const std::string&, std::vector<Part>&, Losses&);
template Status decode_assistant_message(Json&, const std::string&, std::vector<Part>&, Losses&);
template Status decode_assistant_message(JsonElement&, const std::string&, std::vector<Part>&,
                                         Losses&);

Json encode_image_part(const ImagePart& image, const std::string& pointer, Losses& losses) {
    Json url_obj = Json::object();
    if (!image.url.empty()) {
        url_obj["url"] = image.url;
    } else {
        std::string media_type = image.media_type;
        if (media_type.empty()) {
            media_type = "image/png";
            add_loss(losses, Code::LossDefaultApplied, Severity::Info, pointer,
                     "inline image without a media type sent as image/png");
        }
        url_obj["url"] = "data:" + media_type + ";base64," + image.data_base64;
    }
    if (!image.detail.empty()) url_obj["detail"] = image.detail;
    return Json{{"type", "image_url"}, {"image_url", std::move(url_obj)}};
}

std::size_t encode_assistant_fields(const std::vector<Part>& parts, const std::string& pointer,
                                    std::string_view text_separator, Json& message,
                                    Losses& losses) {
    std::optional<std::string> text;
    std::string refusal;
    Json tool_calls = Json::array();
    std::vector<PointedReasoning> reasoning;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        std::string p = pointer_join(pointer, i);
        const Part& part = parts[i];
        if (const auto* t = std::get_if<TextPart>(&part)) {
            note_dropped_extras(t->extras, p, losses);
            if (text && !text->empty()) text->append(text_separator.data(), text_separator.size());
            text = text.value_or("") + t->text;
        } else if (const auto* r = std::get_if<RefusalPart>(&part)) {
            refusal += r->text;
        } else if (const auto* rp = std::get_if<ReasoningPart>(&part)) {
            reasoning.emplace_back(rp, p);
        } else if (const auto* call = std::get_if<ToolCallPart>(&part)) {
            Json fn = Json::object();
            fn["name"] = encode_tool_call_name(*call, p, losses);
            if (call->kind == ToolKind::Custom) {
                add_loss(losses, Code::LossCustomToolAsFunction, Severity::Info, p,
                         "custom tool call '" + call->name +
                             "' sent as function arguments {\"input\": ...}");
                fn["arguments"] = custom_input_as_arguments(call->arguments);
            } else if (call->arguments.empty()) {
                add_loss(losses, Code::LossDefaultApplied, Severity::Info, p,
                         "tool call '" + call->name + "' had no arguments; sent \"{}\"");
                fn["arguments"] = "{}";
            } else {
                fn["arguments"] = call->arguments;
            }
            tool_calls.push_back(
                Json{{"id", call->id}, {"type", "function"}, {"function", std::move(fn)}});
        } else if (std::holds_alternative<ImagePart>(part)) {
            add_loss(losses, Code::LossPartDropped, Severity::Warn, p,
                     "Chat assistant messages carry no images; dropped");
        } else {
            add_loss(losses, Code::LossPartDropped, Severity::Warn, p,
                     "a tool result cannot be part of a Chat assistant message; dropped");
        }
    }
    if (auto rc = encode_reasoning_content(reasoning, pointer, losses)) {
        // DeepSeek thinking mode requires reasoning_content back on tool-call turns
        // (protocols.md §1 multi-turn rule); it is sent whenever present.
        message["reasoning_content"] = *rc;
    }
    // content may be null when the turn holds only tool calls or a refusal (protocols.md §1).
    if (text) {
        message["content"] = *text;
    } else {
        message["content"] = (tool_calls.empty() && refusal.empty()) ? Json("") : Json(nullptr);
    }
    if (!refusal.empty()) message["refusal"] = refusal;
    std::size_t count = tool_calls.size();
    if (count > 0) message["tool_calls"] = std::move(tool_calls);
    return count;
}

}  // namespace chat_detail

// ---- responses (chat.completion) -------------------------------------------------------------

using namespace chat_detail;

Result<Response> decode_chat_response(Json body, Losses& losses) {
    WIRECHECK_TRY(expect_object(body, ""));
    Response out;
    WIRECHECK_TRY(read_string(body, "id", "", out.id));
    WIRECHECK_TRY(read_string(body, "model", "", out.model));
    std::optional<std::int64_t> created;
    WIRECHECK_TRY(read_int(body, "created", "", created));
    out.created = created.value_or(0);

    // An error body is a valid answer (HTTP 4xx/5xx, or new-api's error inside a 200), not a
    // decoding failure (protocols.md §5).
    if (const Json* error = find_present(body, "error")) {
        auto decoded = decode_api_error(*error, "/error", losses);
        if (!decoded.ok()) return decoded.error();
        out.error = std::move(decoded.value());
        out.stop_reason = StopReason::Error;
        note_unknown_fields(body, "", {"error", "id", "model", "created", "object"}, losses);
        return out;
    }

    note_unknown_fields(body, "",
                        {"id", "object", "created", "model", "choices", "usage",
                         "system_fingerprint", "service_tier", "prompt_logprobs"},
                        losses);
    Json* choices = find_present(body, "choices");
    if (!choices) return missing_field("/choices", "`choices`");
    if (!choices->is_array()) return wrong_type("/choices", "an array", *choices);
    if (choices->empty()) {
        out.stop_reason = StopReason::Unknown;
    } else {
        Json& choice = (*choices)[0];
        WIRECHECK_TRY(expect_object(choice, "/choices/0"));
        Json* message = find_present(choice, "message");
        if (!message) return missing_field("/choices/0/message", "`message`");
        WIRECHECK_TRY(expect_object(*message, "/choices/0/message"));
        WIRECHECK_TRY(decode_assistant_message(*message, "/choices/0/message", out.output, losses));
        note_unknown_fields(*message, "/choices/0/message",
                            {"role", "content", "refusal", "tool_calls", "reasoning_content",
                             "reasoning", "annotations", "audio", "function_call"},
                            losses);
        std::string finish;
        WIRECHECK_TRY(read_string(choice, "finish_reason", "/choices/0", finish));
        out.stop_reason = finish.empty()
                              ? StopReason::Unknown
                              : decode_finish_reason(finish, "/choices/0/finish_reason", losses);
        if (find_present(choice, "logprobs")) {
            add_loss(losses, Code::LossFieldDropped, Severity::Info, "/choices/0/logprobs",
                     "logprobs have no canonical form; dropped");
        }
        for (std::size_t i = 1; i < choices->size(); ++i) {
            add_loss(losses, Code::LossFieldDropped, Severity::Warn, pointer_join("/choices", i),
                     "only the first choice is carried (n > 1 has no canonical form)");
        }
    }
    if (const Json* usage = find_present(body, "usage")) {
        auto decoded = decode_usage(*usage, "/usage", losses);
        if (!decoded.ok()) return decoded.error();
        out.usage = decoded.value();
    } else {
        add_loss(losses, Code::LossUsageMissing, Severity::Info, "/usage",
                 "the response has no usage object");
    }
    return out;
}

Json encode_chat_response(const Response& response, Losses& losses) {
    if (response.error) {
        if (!response.output.empty()) {
            add_loss(losses, Code::LossFieldDropped, Severity::Warn, "/output",
                     "a Chat error body carries no output; " +
                         std::to_string(response.output.size()) + " parts dropped");
        }
        return encode_api_error(*response.error);
    }
    Json message = Json::object();
    message["role"] = "assistant";
    // Output text parts are one continuous answer (e.g. Messages splits text at citations), so
    // they are concatenated without a separator, as the stream encoder does.
    std::size_t calls = encode_assistant_fields(response.output, "/output", "", message, losses);
    Json choice = Json::object();
    choice["index"] = 0;
    choice["message"] = std::move(message);
    choice["finish_reason"] = encode_finish_reason(response.stop_reason, calls > 0, losses);
    choice["logprobs"] = nullptr;

    Json out = Json::object();
    out["id"] = response.id;
    out["object"] = "chat.completion";
    out["created"] = response.created;
    out["model"] = response.model;
    out["choices"] = Json::array({std::move(choice)});
    if (response.usage) {
        out["usage"] = encode_usage(*response.usage, losses);
    } else {
        add_loss(losses, Code::LossUsageMissing, Severity::Info, "/usage",
                 "the source reported no usage; the Chat response has none");
    }
    return out;
}

}  // namespace wirecheck
