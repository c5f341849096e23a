// Shared pieces of the Responses codec: exception-free JSON readers, item decoders used by both the
// body and stream decoders, and the item/usage/status builders used by both encoders.
//
// Sections: JSON readers · images · decoding items · usage, errors, status · encoding items
#include "responses_common.hpp"

#include <algorithm>

namespace wirecheck::responses_detail {

// ---- JSON readers -------------------------------------------------------------------------------

// ---- images -------------------------------------------------------------------------------------

ImagePart image_from_url(const std::string& url, const std::string& detail) {
    ImagePart image;
    image.detail = detail;
    const std::string marker = ";base64,";
    auto comma = url.find(marker);
    if (url.rfind("data:", 0) == 0 && comma != std::string::npos) {
        image.media_type = url.substr(5, comma - 5);
        image.data_base64 = url.substr(comma + marker.size());
    } else {
        image.url = url;
    }
    return image;
}

std::string image_to_url(const ImagePart& image) {
    if (!image.url.empty()) return image.url;
    return "data:" + image.media_type + ";base64," + image.data_base64;
}

// ---- decoding items -----------------------------------------------------------------------------

namespace {

template <class Doc>
Status read_type(const Doc& obj, const std::string& pointer, std::string& type) {
    return read_string(obj, "type", pointer, type, true);
}

template <class Doc>
Status decode_image_part(const Doc& part, const std::string& pointer, std::vector<Part>& out,
                         Losses& losses) {
    std::string url, file_id, detail;
    if (auto s = read_string(part, "image_url", pointer, url); !s) return s;
    if (auto s = read_string(part, "file_id", pointer, file_id); !s) return s;
    if (auto s = read_string(part, "detail", pointer, detail); !s) return s;
    note_unknown_fields(part, pointer, {"type", "image_url", "file_id", "detail"}, losses);
    if (url.empty() && !file_id.empty()) {
        // A file_id points into OpenAI's file storage, which no other protocol can dereference.
        add_loss(losses, Code::LossPartDropped, Severity::Warn, pointer,
                 "input_image by file_id `" + file_id + "` has no canonical form; dropped");
        return {};
    }
    if (url.empty()) return missing_field(pointer_join(pointer, "image_url"), "string `image_url`");
    out.push_back(image_from_url(url, detail));
    return {};
}

}  // namespace

template <class Doc>
Status decode_content_part(Doc& part, const std::string& pointer, std::vector<Part>& out,
                           Losses& losses) {
    if (auto s = expect_object(part, pointer); !s) return s;
    std::string type;
    if (auto s = read_type(part, pointer, type); !s) return s;
    if (type == "input_text" || type == "output_text") {
        TextPart text;
        if (auto s = take_string(part, "text", pointer, text.text, true); !s) return s;
        if (auto ann = find_present(part, "annotations")) {
            if (!ann->is_array())
                return wrong_type(pointer_join(pointer, "annotations"), "an array", *ann);
            if (!is_empty_array(*ann)) text.extras = Json{{"annotations", as_json(*ann)}};
        }
        if (auto lp = find_present(part, "logprobs"); lp && array_size(*lp) > 0) {
            add_loss(losses, Code::LossFieldDropped, Severity::Info,
                     pointer_join(pointer, "logprobs"),
                     "token logprobs have no canonical field; dropped");
        }
        note_unknown_fields(part, pointer, {"type", "text", "annotations", "logprobs"}, losses);
        out.push_back(std::move(text));
        return {};
    }
    if (type == "refusal") {
        RefusalPart refusal;
        if (auto s = read_string(part, "refusal", pointer, refusal.text, true); !s) return s;
        note_unknown_fields(part, pointer, {"type", "refusal"}, losses);
        out.push_back(std::move(refusal));
        return {};
    }
    if (type == "input_image") return decode_image_part(part, pointer, out, losses);
    if (type == "input_file" || type == "input_audio") {
        add_loss(losses, Code::LossPartDropped, Severity::Warn, pointer,
                 type + " content has no canonical form; dropped");
        return {};
    }
    return make_error(
        Code::JsonUnknownType, pointer_join(pointer, "type"),
        "unknown content part type \"" + type +
            "\" (expected input_text, output_text, input_image, input_file or refusal)");
}

template <class Doc>
Status decode_call_item(const Doc& item, const std::string& pointer, ToolCallPart& out,
                        Losses& losses) {
    std::string type;
    if (auto s = read_type(item, pointer, type); !s) return s;
    bool custom = type == "custom_tool_call";
    out.kind = custom ? ToolKind::Custom : ToolKind::Function;
    if (auto s = read_string(item, "id", pointer, out.item_id); !s) return s;
    if (auto s = read_string(item, "call_id", pointer, out.id, true); !s) return s;
    if (auto s = read_string(item, "name", pointer, out.name, true); !s) return s;
    if (auto s = read_string(item, "namespace", pointer, out.name_space); !s) return s;
    // Arguments (function) / input (custom) stay verbatim text (model.hpp conventions).
    if (auto s = read_string(item, custom ? "input" : "arguments", pointer, out.arguments, true);
        !s)
        return s;
    // `status` is the item's lifecycle state, derivable from where the item sits; not a loss.
    if (custom) {
        note_unknown_fields(item, pointer,
                            {"type", "id", "call_id", "name", "namespace", "input", "status"},
                            losses);
    } else {
        note_unknown_fields(item, pointer,
                            {"type", "id", "call_id", "name", "namespace", "arguments", "status"},
                            losses);
    }
    return {};
}

template <class Doc>
Status decode_reasoning_item(const Doc& item, const std::string& pointer, ReasoningPart& out,
                             Losses& losses) {
    out.origin = Protocol::Responses;
    if (auto s = read_string(item, "id", pointer, out.item_id); !s) return s;
    // Codex sends encrypted_content: null when the model gave none (protocols.md §3).
    if (auto s = read_string(item, "encrypted_content", pointer, out.encrypted_content); !s)
        return s;
    if (auto summary = find_present(item, "summary")) {
        std::string at = pointer_join(pointer, "summary");
        if (auto s = expect_array(*summary, at); !s) return s;
        auto status = for_each_item(*summary, [&](const auto& entry, std::size_t i) -> Status {
            std::string entry_at = pointer_join(at, i);
            if (auto s = expect_object(entry, entry_at); !s) return s;
            std::string type, text;
            if (auto s = read_type(entry, entry_at, type); !s) return s;
            if (type != "summary_text") {
                return make_error(
                    Code::JsonUnknownType, pointer_join(entry_at, "type"),
                    "unknown reasoning summary type \"" + type + "\" (expected summary_text)");
            }
            if (auto s = read_string(entry, "text", entry_at, text, true); !s) return s;
            out.summary.push_back(std::move(text));
            return {};
        });
        if (!status) return status;
    }
    if (auto content = find_present(item, "content")) {
        std::string at = pointer_join(pointer, "content");
        if (auto s = expect_array(*content, at); !s) return s;
        auto status = for_each_item(*content, [&](const auto& entry, std::size_t i) -> Status {
            std::string entry_at = pointer_join(at, i);
            if (auto s = expect_object(entry, entry_at); !s) return s;
            std::string type, text;
            if (auto s = read_type(entry, entry_at, type); !s) return s;
            if (type != "reasoning_text" && type != "text") {
                return make_error(
                    Code::JsonUnknownType, pointer_join(entry_at, "type"),
                    "unknown reasoning content type \"" + type + "\" (expected reasoning_text)");
            }
            if (auto s = read_string(entry, "text", entry_at, text, true); !s) return s;
            // Several reasoning_text entries become one text, separated by a newline.
            if (i > 0) out.text += '\n';
            out.text += text;
            return {};
        });
        if (!status) return status;
        if (std::size_t n = array_size(*content); n > 1) {
            add_loss(losses, Code::LossValueMapped, Severity::Info, at,
                     std::to_string(n) + " reasoning_text entries joined into one text");
        }
    }
    note_unknown_fields(
        item, pointer, {"type", "id", "summary", "content", "encrypted_content", "status"}, losses);
    return {};
}

template Status decode_content_part(Json&, const std::string&, std::vector<Part>&, Losses&);
template Status decode_content_part(JsonElement&, const std::string&, std::vector<Part>&, Losses&);
template Status decode_call_item(const Json&, const std::string&, ToolCallPart&, Losses&);
template Status decode_call_item(const JsonElement&, const std::string&, ToolCallPart&, Losses&);
template Status decode_reasoning_item(const Json&, const std::string&, ReasoningPart&, Losses&);
template Status decode_reasoning_item(const JsonElement&, const std::string&, ReasoningPart&,
                                      Losses&);

bool is_known_unrepresentable_item(std::string_view type) {
    static constexpr std::string_view kTypes[] = {
        "local_shell_call",
        "local_shell_call_output",
        "shell_call",
        "shell_call_output",
        "apply_patch_call",
        "apply_patch_call_output",
        "web_search_call",
        "file_search_call",
        "computer_call",
        "computer_call_output",
        "code_interpreter_call",
        "image_generation_call",
        "mcp_list_tools",
        "mcp_approval_request",
        "mcp_approval_response",
        "mcp_call",
        "tool_search_call",
        "tool_search_output",
        "compaction",
        "compaction_summary",
        "ghost_snapshot",
        "item_reference",
    };
    return std::find(std::begin(kTypes), std::end(kTypes), type) != std::end(kTypes);
}

Status decode_output_item(Json& item, const std::string& pointer, std::vector<Part>& out,
                          bool* has_call, Losses& losses) {
    if (auto s = expect_object(item, pointer); !s) return s;
    std::string type;
    if (auto s = read_type(item, pointer, type); !s) return s;
    if (type == "message") {
        Json* content = find_field(item, "content");
        std::string at = pointer_join(pointer, "content");
        if (!content) return missing_field(at, "array `content`");
        if (auto s = expect_array(*content, at); !s) return s;
        std::string role;
        if (auto s = read_string(item, "role", pointer, role); !s) return s;
        for (std::size_t i = 0; i < content->size(); ++i) {
            if (auto s = decode_content_part((*content)[i], pointer_join(at, i), out, losses); !s)
                return s;
        }
        // Message item ids are regenerated on encode (msg_<response id>_<index>): not a loss.
        note_unknown_fields(item, pointer, {"type", "id", "role", "status", "content"}, losses);
        return {};
    }
    if (type == "function_call" || type == "custom_tool_call") {
        ToolCallPart call;
        if (auto s = decode_call_item(item, pointer, call, losses); !s) return s;
        if (has_call) *has_call = true;
        out.push_back(std::move(call));
        return {};
    }
    if (type == "reasoning") {
        ReasoningPart reasoning;
        if (auto s = decode_reasoning_item(item, pointer, reasoning, losses); !s) return s;
        out.push_back(std::move(reasoning));
        return {};
    }
    // Server output is tolerated: hosted tool calls (web_search_call, ...) and unknown item types
    // are reported, not fatal, so the rest of the response still crosses.
    add_loss(losses, Code::LossPartDropped, Severity::Warn, pointer,
             (is_known_unrepresentable_item(type) ? "" : "unknown ") +
                 std::string("output item type \"") + type + "\" has no canonical form; dropped");
    return {};
}

// ---- usage, errors, status ----------------------------------------------------------------------

Status decode_usage(const Json& usage, const std::string& pointer, std::optional<Usage>& out) {
    if (auto s = expect_object(usage, pointer); !s) return s;
    Usage u;
    std::optional<std::int64_t> input, output, cached, reasoning;
    if (auto s = read_int_lenient(usage, "input_tokens", pointer, input); !s) return s;
    if (auto s = read_int_lenient(usage, "output_tokens", pointer, output); !s) return s;
    if (const Json* details = find_present(usage, "input_tokens_details")) {
        std::string at = pointer_join(pointer, "input_tokens_details");
        if (auto s = expect_object(*details, at); !s) return s;
        if (auto s = read_int_lenient(*details, "cached_tokens", at, cached); !s) return s;
    }
    if (const Json* details = find_present(usage, "output_tokens_details")) {
        std::string at = pointer_join(pointer, "output_tokens_details");
        if (auto s = expect_object(*details, at); !s) return s;
        if (auto s = read_int_lenient(*details, "reasoning_tokens", at, reasoning); !s) return s;
    }
    // OpenAI inclusion rules are the canonical ones (model.hpp): input includes cached tokens,
    // output includes reasoning tokens. total_tokens is derived, so not kept.
    u.input = input.value_or(0);
    u.output = output.value_or(0);
    u.cache_read = cached.value_or(0);
    u.reasoning = reasoning.value_or(0);
    out = u;
    return {};
}

ApiError decode_api_error(const Json& error) {
    ApiError out;
    if (!error.is_object()) {
        if (error.is_string()) out.message = error.get<std::string>();
        return out;
    }
    if (const Json* v = find_present(error, "type"); v && v->is_string())
        out.type = v->get<std::string>();
    if (const Json* v = find_present(error, "message"); v && v->is_string()) {
        out.message = v->get<std::string>();
    }
    if (const Json* v = find_present(error, "code")) {
        if (v->is_string())
            out.code = v->get<std::string>();
        else if (v->is_number())
            out.code = dump_json(*v);
    }
    return out;
}

StopReason stop_reason_from_status(std::string_view status, std::string_view incomplete_reason,
                                   bool has_calls, const std::string& pointer, Losses& losses) {
    if (status == "completed") return has_calls ? StopReason::ToolUse : StopReason::EndTurn;
    if (status == "failed") return StopReason::Error;
    if (status == "incomplete") {
        if (incomplete_reason == "max_output_tokens") return StopReason::MaxTokens;
        if (incomplete_reason == "content_filter") return StopReason::ContentFilter;
        add_loss(losses, Code::LossValueMapped, Severity::Warn, pointer,
                 "incomplete reason \"" + std::string(incomplete_reason) +
                     "\" has no canonical stop reason; mapped to unknown");
        return StopReason::Unknown;
    }
    add_loss(losses, Code::LossValueMapped, Severity::Warn, pointer,
             "status \"" + std::string(status) + "\" is not a final status; stop reason unknown");
    return StopReason::Unknown;
}

StatusMapping status_for_stop_reason(StopReason reason, const std::string& pointer,
                                     Losses& losses) {
    auto mapped = [&](StatusMapping m, Severity severity) {
        add_loss(losses, Code::LossValueMapped, severity, pointer,
                 "stop reason " + std::string(stop_reason_name(reason)) +
                     " has no Responses status; sent as " + m.status +
                     (m.incomplete_reason.empty() ? "" : "/" + m.incomplete_reason));
        return m;
    };
    switch (reason) {
        case StopReason::EndTurn:
        case StopReason::ToolUse:
            return {"completed", ""};
        case StopReason::MaxTokens:
            return {"incomplete", "max_output_tokens"};
        case StopReason::ContentFilter:
            return {"incomplete", "content_filter"};
        case StopReason::Error:
            return {"failed", ""};
        case StopReason::StopSequence:
            return mapped({"completed", ""}, Severity::Info);
        // Anthropic's refusal stop comes from its safety classifiers: nearest is content_filter.
        case StopReason::Refusal:
            return mapped({"incomplete", "content_filter"}, Severity::Warn);
        case StopReason::PauseTurn:
            return mapped({"completed", ""}, Severity::Warn);
        case StopReason::ContextWindow:
            return mapped({"incomplete", "max_output_tokens"}, Severity::Warn);
        case StopReason::Unknown:
            return mapped({"completed", ""}, Severity::Warn);
    }
    return {"completed", ""};
}

Json encode_usage(const std::optional<Usage>& usage, const std::string& pointer, Losses& losses) {
    Usage u;
    if (usage) {
        u = *usage;
    } else {
        add_loss(losses, Code::LossUsageMissing, Severity::Warn, pointer,
                 "no token usage from the source; usage sent as zeros");
    }
    return Json{{"input_tokens", u.input},
                {"input_tokens_details", {{"cached_tokens", u.cache_read}}},
                {"output_tokens", u.output},
                {"output_tokens_details", {{"reasoning_tokens", u.reasoning}}},
                {"total_tokens", u.input + u.output}};
}

Json encode_error_object(const ApiError& error) {
    std::string code = !error.code.empty()   ? error.code
                       : !error.type.empty() ? error.type
                                             : "server_error";
    return Json{{"code", code},
                {"message", error.message.empty() ? "unknown error" : error.message}};
}

Json make_response_object(const ResponseHead& head, std::string_view status, Json error,
                          Json incomplete_details, Json output, Json usage) {
    return Json{{"id", head.id},
                {"object", "response"},
                {"created_at", head.created},
                {"status", status},
                {"error", std::move(error)},
                {"incomplete_details", std::move(incomplete_details)},
                {"model", head.model},
                {"output", std::move(output)},
                {"usage", std::move(usage)}};
}

// ---- encoding items -----------------------------------------------------------------------------

std::string message_item_id(const ResponseHead& head, std::size_t output_index) {
    return "msg_" + head.id + "_" + std::to_string(output_index);
}

std::string reasoning_item_id(const ReasoningPart& reasoning, const ResponseHead& head,
                              std::size_t output_index) {
    if (!reasoning.item_id.empty()) return reasoning.item_id;
    return "rs_" + head.id + "_" + std::to_string(output_index);
}

std::string call_item_id(const ToolCallPart& call, const ResponseHead& head,
                         std::size_t output_index) {
    if (!call.item_id.empty()) return call.item_id;
    // peers.md §2.2: keep both ids and map them consistently.
    if (!call.id.empty()) return "fc_" + call.id;
    return "fc_" + head.id + "_" + std::to_string(output_index);
}

bool should_emit_namespace(std::string_view name_space) {
    return !name_space.empty() && name_space != "functions";
}

Json output_text_part(TextPart text) {
    // Key by key: an initializer list would copy the text (and the annotations) once more.
    Json part = Json::object();
    part["type"] = "output_text";
    part["text"] = std::move(text.text);
    Json* annotations = find_field(text.extras, "annotations");
    part["annotations"] =
        annotations && annotations->is_array() ? std::move(*annotations) : Json::array();
    part["logprobs"] = Json::array();
    return part;
}

void note_foreign_extras(const Json& extras, const std::string& pointer, Losses& losses,
                         std::string_view keep) {
    if (!extras.is_object()) return;
    for (auto it = extras.begin(); it != extras.end(); ++it) {
        if (it.key() == keep || it.value().is_null() ||
            (it.value().is_structured() && it.value().empty()))
            continue;
        add_loss(losses, Code::LossFieldDropped, Severity::Info,
                 pointer_join(pointer_join(pointer, "extras"), it.key()),
                 "`" + it.key() + "` (from another protocol) has no Responses field; dropped");
    }
}

void note_foreign_extras(const TextPart& text, bool keep_annotations, const std::string& pointer,
                         Losses& losses) {
    note_foreign_extras(text.extras, pointer, losses, keep_annotations ? "annotations" : "");
}

Json refusal_part(const std::string& text) {
    return Json{{"type", "refusal"}, {"refusal", text}};
}

Json message_item(const std::string& id, std::string_view status, Json content) {
    return Json{{"id", id},
                {"type", "message"},
                {"status", status},
                {"role", "assistant"},
                {"content", std::move(content)}};
}

Json call_item(const ToolCallPart& call, const std::string& id, std::string_view status) {
    Json item{{"id", id}, {"status", status}, {"call_id", call.id}, {"name", call.name}};
    if (call.kind == ToolKind::Custom) {
        item["type"] = "custom_tool_call";
        item["input"] = call.arguments;
    } else {
        item["type"] = "function_call";
        item["arguments"] = call.arguments;
    }
    if (should_emit_namespace(call.name_space)) item["namespace"] = call.name_space;
    return item;
}

Json reasoning_item(const ReasoningPart& reasoning, const std::string& id,
                    const std::string& pointer, Losses& losses) {
    Json item{{"type", "reasoning"}};
    if (!id.empty()) item["id"] = id;
    Json summary = Json::array();
    for (const auto& text : reasoning.summary)
        summary.push_back({{"type", "summary_text"}, {"text", text}});
    item["summary"] = std::move(summary);  // required by Codex's ResponseItem::Reasoning
    if (!reasoning.text.empty()) {
        item["content"] = Json::array({Json{{"type", "reasoning_text"}, {"text", reasoning.text}}});
    }
    if (reasoning.origin == Protocol::Responses) {
        if (!reasoning.encrypted_content.empty())
            item["encrypted_content"] = reasoning.encrypted_content;
    } else if (!reasoning.signature.empty() || !reasoning.redacted_data.empty() ||
               !reasoning.encrypted_content.empty()) {
        // Signatures only verify with the provider that issued them (peers.md §2.12, §2.29).
        add_loss(losses, Code::LossForeignSignature, Severity::Warn, pointer,
                 "reasoning signature/encrypted payload from " +
                     std::string(protocol_name(reasoning.origin)) + " not forwarded; text kept");
    }
    return item;
}

}  // namespace wirecheck::responses_detail
