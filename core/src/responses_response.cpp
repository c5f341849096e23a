// Responses response bodies <-> canonical Response: the response object (status, output items,
// usage) and the OpenAI/new-api error envelope {"error":{...}} (protocols.md §2, §5).
//
// Mapping decisions:
// - Stop reason: completed + any function/custom call -> ToolUse, completed -> EndTurn,
//   incomplete/max_output_tokens -> MaxTokens, incomplete/content_filter -> ContentFilter,
//   failed -> Error (ApiError from `error`). Encoding maps every canonical stop reason back,
//   recording loss.value_mapped where inexact.
// - Encoding writes one message item per canonical text/refusal part (the stream encoder does the
//   same), item ids kept or derived (fc_<call_id>, msg_/rs_<response id>_<output index>).
// - A Response with an error and neither id nor output encodes as the error envelope, so an HTTP
//   error body decoded from any protocol is re-sent as one.
#include "responses_common.hpp"
#include "wirecheck/responses_codec.hpp"

namespace wirecheck {
namespace {

using namespace responses_detail;

Result<Response> decode_error_envelope(const Json& body, const Json& error, Losses& losses) {
    if (!error.is_object() && !error.is_string()) return wrong_type("/error", "an object", error);
    Response response;
    response.error = decode_api_error(error);
    response.stop_reason = StopReason::Error;
    // Anthropic-style envelopes add "type":"error" and a request id; both are envelope framing.
    note_unknown_fields(body, "", {"error", "type", "request_id"}, losses);
    return response;
}

Result<Response> decode_response_object(Json& body, Losses& losses) {
    Response response;
    if (auto s = read_string(body, "id", "", response.id, true); !s) return s.error();
    if (auto s = read_string(body, "model", "", response.model); !s) return s.error();
    std::optional<std::int64_t> created;
    if (auto s = read_int_lenient(body, "created_at", "", created); !s) return s.error();
    response.created = created.value_or(0);
    std::string status;
    if (auto s = read_string(body, "status", "", status, true); !s) return s.error();

    Json* output = find_field(body, "output");
    if (!output) return missing_field("/output", "array `output`");
    if (auto s = expect_array(*output, "/output"); !s) return s.error();
    bool has_call = false;
    for (std::size_t i = 0; i < output->size(); ++i) {
        if (auto s = decode_output_item((*output)[i], pointer_join("/output", i), response.output,
                                        &has_call, losses);
            !s)
            return s.error();
    }

    std::string incomplete_reason;
    if (const Json* details = find_present(body, "incomplete_details")) {
        if (auto s = expect_object(*details, "/incomplete_details"); !s) return s.error();
        if (auto s = read_string(*details, "reason", "/incomplete_details", incomplete_reason); !s)
            return s.error();
    }
    if (const Json* error = find_present(body, "error")) {
        if (auto s = expect_object(*error, "/error"); !s) return s.error();
        response.error = decode_api_error(*error);
    }
    if (const Json* usage = find_present(body, "usage")) {
        if (auto s = decode_usage(*usage, "/usage", response.usage); !s) return s.error();
    }
    response.stop_reason =
        stop_reason_from_status(status, incomplete_reason, has_call, "/status", losses);

    // The rest of a response object echoes the request (instructions, tools, temperature, ...):
    // nothing the canonical response needs, so ignoring it loses nothing.
    note_unknown_fields(body, "",
                        {"id",
                         "object",
                         "created_at",
                         "completed_at",
                         "status",
                         "error",
                         "incomplete_details",
                         "model",
                         "output",
                         "output_text",
                         "usage",
                         "instructions",
                         "tools",
                         "tool_choice",
                         "parallel_tool_calls",
                         "temperature",
                         "top_p",
                         "max_output_tokens",
                         "max_tool_calls",
                         "previous_response_id",
                         "reasoning",
                         "store",
                         "text",
                         "truncation",
                         "user",
                         "metadata",
                         "background",
                         "service_tier",
                         "top_logprobs",
                         "safety_identifier",
                         "prompt_cache_key",
                         "prompt_cache_retention",
                         "prompt",
                         "conversation",
                         "billing"},
                        losses);
    return response;
}

Json encode_error_envelope(const ApiError& error) {
    return Json{{"error",
                 {{"message", error.message},
                  {"type", error.type.empty() ? "server_error" : error.type},
                  {"param", nullptr},
                  {"code", error.code.empty() ? Json(nullptr) : Json(error.code)}}}};
}

// Output items for canonical parts, one message item per text/refusal part.
Json encode_output(const Response& response, const ResponseHead& head, Losses& losses) {
    Json output = Json::array();
    for (std::size_t j = 0; j < response.output.size(); ++j) {
        std::string at = pointer_join("/output", j);
        std::size_t index = output.size();
        const Part& part = response.output[j];
        if (const auto* text = std::get_if<TextPart>(&part)) {
            note_foreign_extras(*text, true, at, losses);
            output.push_back(message_item(message_item_id(head, index), "completed",
                                          Json::array({output_text_part(*text)})));
        } else if (const auto* refusal = std::get_if<RefusalPart>(&part)) {
            output.push_back(message_item(message_item_id(head, index), "completed",
                                          Json::array({refusal_part(refusal->text)})));
        } else if (const auto* call = std::get_if<ToolCallPart>(&part)) {
            ToolCallPart complete = *call;
            if (complete.kind == ToolKind::Function && complete.arguments.empty()) {
                // Codex parses arguments as JSON: an empty string would fail the call.
                complete.arguments = "{}";
                add_loss(losses, Code::LossDefaultApplied, Severity::Info,
                         pointer_join(at, "arguments"),
                         "tool call without arguments sent with \"{}\"");
            }
            output.push_back(call_item(complete, call_item_id(complete, head, index), "completed"));
        } else if (const auto* reasoning = std::get_if<ReasoningPart>(&part)) {
            output.push_back(
                reasoning_item(*reasoning, reasoning_item_id(*reasoning, head, index), at, losses));
        } else {
            add_loss(losses, Code::LossPartDropped, Severity::Warn, at,
                     "a response cannot carry images or tool results in its output; dropped");
        }
    }
    return output;
}

}  // namespace

Result<Response> decode_responses_response(Json body, Losses& losses) {
    if (auto s = expect_object(body, ""); !s) return s.error();
    const Json* error = find_present(body, "error");
    bool response_object =
        find_field(body, "output") != nullptr || find_field(body, "status") != nullptr;
    if (error && !response_object) return decode_error_envelope(body, *error, losses);
    return decode_response_object(body, losses);
}

Json encode_responses_response(const Response& response, Losses& losses) {
    if (response.error && response.id.empty() && response.output.empty()) {
        return encode_error_envelope(*response.error);
    }
    ResponseHead head{response.id, response.model, response.created};
    if (head.id.empty()) {
        head.id = kDefaultResponseId;
        add_loss(
            losses, Code::LossDefaultApplied, Severity::Info, "/id",
            std::string("no response id from the source; sent as \"") + kDefaultResponseId + "\"");
    }
    StatusMapping mapping = status_for_stop_reason(response.stop_reason, "/stop_reason", losses);
    Json error = nullptr;
    if (mapping.status == "failed") {
        error = encode_error_object(response.error.value_or(ApiError{"", "server_error", ""}));
    } else if (response.error) {
        add_loss(losses, Code::LossFieldDropped, Severity::Warn, "/error",
                 "an error on a response that did not fail has no Responses field; dropped");
    }
    Json incomplete = mapping.status == "incomplete" ? Json{{"reason", mapping.incomplete_reason}}
                                                     : Json(nullptr);
    Json output = encode_output(response, head, losses);
    return make_response_object(head, mapping.status, std::move(error), std::move(incomplete),
                                std::move(output), encode_usage(response.usage, "/usage", losses));
}

}  // namespace wirecheck
