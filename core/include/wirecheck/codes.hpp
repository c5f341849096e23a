// The one list of codes wirecheck reports: errors, translation losses, probe findings, verdicts.
// Each entry yields the enum value, its stable dotted name and its human text; docs/codes.md is
// checked against this list by a test, so a new code needs a line there too.
#pragma once

#include <cstdint>
#include <string_view>

namespace wirecheck {

// X(identifier, "stable.name", "what it means")
#define WIRECHECK_CODES(X)                                                                        \
    /* generic input errors */                                                                    \
    X(JsonMalformed, "json.malformed", "the body is not valid JSON")                              \
    X(JsonTooDeep, "json.too_deep", "JSON nesting is deeper than the documented limit")           \
    X(JsonTooLarge, "json.too_large", "the body is larger than the documented limit")             \
    X(JsonInvalidUtf8, "json.invalid_utf8", "a JSON string holds invalid UTF-8")                  \
    X(JsonWrongType, "json.wrong_type", "a field has the wrong JSON type")                        \
    X(JsonMissingField, "json.missing_field", "a required field is missing")                      \
    X(JsonUnknownType, "json.unknown_type", "an object's type tag is not one this protocol has")  \
    /* server-sent events */                                                                      \
    X(SseEventTooLarge, "sse.event_too_large", "an SSE event is larger than the limit")           \
    X(SseUnterminatedEvent, "sse.unterminated_event",                                             \
      "the stream ended in the middle of an event (no blank line after it)")                      \
    X(SseBadEventData, "sse.bad_event_data", "an SSE event's data is not the JSON expected")      \
    /* translation losses: what could not cross, or crossed changed */                          \
    X(LossFieldDropped, "loss.field_dropped",                                                     \
      "a field has no equivalent in the target protocol and was dropped")                         \
    X(LossUnknownField, "loss.unknown_field",                                                     \
      "the source holds a field the codec does not know; it was not carried over")                \
    X(LossPartDropped, "loss.part_dropped",                                                       \
      "a content part the target protocol cannot express was dropped")                            \
    X(LossToolDropped, "loss.tool_dropped",                                                       \
      "a tool the target protocol cannot express (hosted, built-in) was dropped")                 \
    X(LossCustomToolAsFunction, "loss.custom_tool_as_function",                                   \
      "a freeform custom tool was sent as a function with one string parameter `input`")          \
    X(LossNamespaceFlattened, "loss.namespace_flattened",                                         \
      "a namespaced tool was flattened to `namespace.name`")                                      \
    X(LossIdRewritten, "loss.id_rewritten",                                                       \
      "an id was rewritten to fit the target protocol's character set")                           \
    X(LossValueMapped, "loss.value_mapped",                                                       \
      "a value has no exact equivalent and was mapped to the nearest one")                        \
    X(LossDefaultApplied, "loss.default_applied",                                                 \
      "the target requires a field the source lacks; a documented default was used")             \
    X(LossIsErrorAsText, "loss.is_error_as_text",                                                 \
      "a tool result's is_error flag has no field in the target; carried as an 'Error:' prefix")  \
    X(LossImageMoved, "loss.image_moved",                                                         \
      "an image inside a tool result was moved to a following user message")                     \
    X(LossReasoningDropped, "loss.reasoning_dropped",                                             \
      "reasoning the target cannot carry was dropped")                                            \
    X(LossForeignSignature, "loss.foreign_signature",                                             \
      "a reasoning signature or encrypted payload from another provider was not forwarded")      \
    X(LossUsageMissing, "loss.usage_missing", "the source reported no token usage")               \
    X(LossStreamTruncated, "loss.stream_truncated",                                               \
      "the source stream ended without its terminal event; an error event was sent instead")     \
    /* simulated endpoints */                                                                     \
    X(SimBadProfile, "sim.bad_profile",                                                           \
      "a scenario profile has an unknown key or an invalid value")                               \
    /* probe runs */                                                                              \
    X(ProbeBadConfig, "probe.bad_config",                                                         \
      "the probe configuration is invalid (base URL, model or step ids)")                         \
    /* internal */                                                                                \
    X(Internal, "internal", "an internal error; please report it")

// Probe findings (what a probe step observed; see findings.hpp and docs/findings.md).
// X(identifier, "stable.name", default severity: Info|Warn|Error, "English text", "简体中文")
#define WIRECHECK_FINDINGS(X)                                                                     \
    /* HTTP status and transport */                                                               \
    X(FindingAuthRejected, "http.auth_rejected", Error,                                           \
      "the endpoint rejected the API key (HTTP 401/403)",                                         \
      "接口拒绝了 API 密钥（HTTP 401/403）")                                                      \
    X(FindingEndpointMissing, "http.endpoint_missing", Error,                                     \
      "the endpoint does not exist on this server (HTTP 404/405)",                                \
      "服务器上没有这个接口（HTTP 404/405）")                                                     \
    X(FindingConvertRequestFailed, "http.convert_request_failed", Error,                          \
      "the gateway cannot convert this protocol for the model's channel (convert_request_failed)", \
      "网关无法为该模型所在的渠道转换此协议（convert_request_failed）")                           \
    X(FindingBadRequest, "http.bad_request", Error,                                               \
      "the server rejected the request (HTTP 4xx)",                                               \
      "服务器拒绝了请求（HTTP 4xx）")                                                             \
    X(FindingRateLimited, "http.rate_limited", Warn,                                              \
      "rate limited or out of quota (HTTP 429)",                                                  \
      "触发限流或额度不足（HTTP 429）")                                                           \
    X(FindingServerError, "http.server_error", Error,                                             \
      "the server failed (HTTP 5xx)",                                                             \
      "服务器内部错误（HTTP 5xx）")                                                               \
    X(FindingUnexpectedStatus, "http.unexpected_status", Error,                                   \
      "an unexpected HTTP status",                                                                \
      "意外的 HTTP 状态码")                                                                       \
    X(FindingErrorIn200, "http.error_in_200", Error,                                              \
      "HTTP 200, but the body is an error",                                                       \
      "HTTP 200，但响应体是一条错误")                                                             \
    X(FindingBodyMalformed, "body.malformed", Error,                                              \
      "the body is not the protocol's JSON",                                                      \
      "响应体不是该协议规定的 JSON")                                                              \
    X(FindingNetworkFailed, "net.network_failed", Error,                                          \
      "no HTTP response: the connection failed",                                                  \
      "没有 HTTP 响应：连接失败")                                                                 \
    X(FindingCorsBlocked, "net.cors_blocked", Error,                                              \
      "the browser blocked the response (CORS)",                                                  \
      "浏览器因 CORS 拦截了响应")                                                                 \
    X(FindingTimeout, "net.timeout", Error,                                                       \
      "the request timed out",                                                                    \
      "请求超时")                                                                                 \
    X(FindingAborted, "net.aborted", Warn,                                                        \
      "the request was aborted",                                                                  \
      "请求被中止")                                                                               \
    X(FindingStreamDropped, "net.stream_dropped", Error,                                          \
      "the connection broke in the middle of the body",                                           \
      "响应体传输到一半时连接断开")                                                               \
    X(FindingNoAllowOrigin, "cors.no_allow_origin", Info,                                         \
      "no Access-Control-Allow-Origin header: a web page cannot call this endpoint directly",     \
      "缺少 Access-Control-Allow-Origin 响应头：网页无法直接调用该接口")                          \
    /* the answer */                                                                              \
    X(FindingContentEmpty, "content.empty", Error,                                                \
      "the answer has no visible text",                                                           \
      "回答中没有可见文本")                                                                       \
    X(FindingContentInexact, "content.inexact", Warn,                                             \
      "the answer is not exactly the requested text",                                             \
      "回答与要求的文本不完全一致")                                                               \
    X(FindingFinishUnexpected, "finish.unexpected", Warn,                                         \
      "an unexpected finish_reason / stop_reason",                                                \
      "finish_reason / stop_reason 不符合预期")                                                   \
    X(FindingFinishMissing, "finish.missing", Warn,                                               \
      "no finish_reason / stop_reason",                                                           \
      "缺少 finish_reason / stop_reason")                                                         \
    X(FindingUsageMissing, "usage.missing", Warn,                                                 \
      "no token usage reported",                                                                  \
      "没有返回 token 用量")                                                                      \
    X(FindingUsageNotInteger, "usage.not_integer", Warn,                                          \
      "token usage values are not integers",                                                      \
      "token 用量不是整数")                                                                       \
    X(FindingReasoningExhaustedBudget, "budget.reasoning_exhausted", Warn,                        \
      "reasoning used up the output budget: HTTP 200 but (almost) no visible text",               \
      "推理 token 耗尽了输出预算：HTTP 200，但（几乎）没有可见文本")                              \
    /* the model list */                                                                          \
    X(FindingModelAbsent, "models.model_absent", Warn,                                            \
      "the model is not listed by /v1/models",                                                    \
      "/v1/models 的列表中没有该模型")                                                            \
    X(FindingEndpointTypes, "models.endpoint_types", Info,                                        \
      "the gateway says which endpoint types serve the model (new-api supported_endpoint_types)", \
      "网关列出了该模型支持的接口类型（new-api supported_endpoint_types）")                       \
    X(FindingResponsesNotListed, "models.responses_not_listed", Warn,                             \
      "the model's endpoint types lack openai-response: expect /v1/responses to fail",            \
      "该模型的接口类型中没有 openai-response：/v1/responses 预计会失败")                         \
    /* tool calls */                                                                              \
    X(FindingToolNotCalled, "tool.not_called", Error,                                             \
      "the model did not call the offered tool",                                                  \
      "模型没有调用提供的工具")                                                                   \
    X(FindingToolMissingId, "tool.missing_id", Error,                                             \
      "a tool call has no id",                                                                    \
      "工具调用缺少 id")                                                                          \
    X(FindingToolMissingName, "tool.missing_name", Error,                                         \
      "a tool call has no name",                                                                  \
      "工具调用缺少名称")                                                                         \
    X(FindingToolArgumentsNotJson, "tool.arguments_not_json", Error,                              \
      "tool-call arguments are not valid JSON",                                                   \
      "工具调用的参数不是合法 JSON")                                                              \
    X(FindingCustomToolAsFunction, "tool.custom_as_function", Error,                              \
      "a freeform custom tool came back as a function call",                                      \
      "自由格式的自定义工具被当作函数调用返回")                                                   \
    X(FindingCustomInputWrapped, "tool.custom_input_wrapped", Warn,                               \
      "a custom tool's input is still wrapped in JSON",                                           \
      "自定义工具的输入仍被包在 JSON 里")                                                         \
    X(FindingContinuationRejected, "tool.continuation_rejected", Error,                           \
      "the request carrying the tool result was rejected",                                        \
      "携带工具结果的后续请求被拒绝")                                                             \
    X(FindingContinuationIgnored, "tool.continuation_ignored", Warn,                              \
      "the answer after the tool result does not use it",                                         \
      "收到工具结果后，模型的回答没有用到它")                                                     \
    /* streams */                                                                                 \
    X(FindingStreamContentType, "stream.content_type", Warn,                                      \
      "a stream was not served as text/event-stream",                                             \
      "流式响应的 Content-Type 不是 text/event-stream")                                           \
    X(FindingNotStreamed, "stream.not_streamed", Error,                                           \
      "stream:true was answered with a plain (non-stream) body",                                  \
      "请求了流式输出，却收到非流式响应体")                                                       \
    X(FindingStreamOutOfOrder, "stream.out_of_order", Error,                                      \
      "stream events arrived out of the protocol's order",                                        \
      "流式事件的顺序不符合协议")                                                                 \
    X(FindingTerminalMissing, "stream.terminal_missing", Error,                                   \
      "the stream ended without its terminal event",                                              \
      "流结束时缺少终止事件")                                                                     \
    X(FindingStreamMalformed, "stream.malformed", Error,                                          \
      "a stream event could not be decoded",                                                      \
      "有流式事件无法解析")                                                                       \
    X(FindingStreamErrorEvent, "stream.error_event", Error,                                       \
      "the stream carried an error event",                                                        \
      "流中出现了错误事件")                                                                       \
    /* what the Codex CLI needs of a Responses stream (protocols.md §3) */                        \
    X(FindingCodexItemIncomplete, "codex.item_incomplete", Error,                                 \
      "an item in response.output_item.done is incomplete (Codex acts only on these)",            \
      "response.output_item.done 中的条目不完整（Codex 只依据这些条目执行）")                     \
    X(FindingCodexCompletedInvalid, "codex.completed_invalid", Error,                             \
      "response.completed lacks a string response.id or integer usage",                           \
      "response.completed 缺少字符串 response.id 或整数 usage")                                   \
    /* adapters and bookkeeping */                                                                \
    X(FindingAdapterLoss, "adapter.translation_loss", Info,                                       \
      "the adapter could not carry something over unchanged",                                     \
      "适配层有内容无法原样转换")                                                                 \
    X(FindingStepSkipped, "step.skipped", Info,                                                   \
      "the step was skipped: the endpoint it needs is unusable",                                  \
      "已跳过：该步骤依赖的接口不可用")

// Per-client verdict levels. X(identifier, "stable.name", "English label", "简体中文")
#define WIRECHECK_VERDICTS(X)                                                                     \
    X(VerdictReady, "verdict.ready", "READY", "可用")                                             \
    X(VerdictReadyWithLimitations, "verdict.ready_with_limitations", "READY WITH LIMITATIONS",    \
      "可用（有限制）")                                                                           \
    X(VerdictNotReady, "verdict.not_ready", "NOT READY", "不可用")                                \
    X(VerdictReadyViaAdapter, "verdict.ready_via_adapter", "READY VIA ADAPTER", "通过适配层可用")

enum class Code : std::uint16_t {
#define WIRECHECK_CODE_ENUM(id, name, text) id,
#define WIRECHECK_FINDING_ENUM(id, name, severity, en, zh) id,
#define WIRECHECK_VERDICT_ENUM(id, name, en, zh) id,
    WIRECHECK_CODES(WIRECHECK_CODE_ENUM)
    WIRECHECK_FINDINGS(WIRECHECK_FINDING_ENUM)
    WIRECHECK_VERDICTS(WIRECHECK_VERDICT_ENUM)
#undef WIRECHECK_VERDICT_ENUM
#undef WIRECHECK_FINDING_ENUM
#undef WIRECHECK_CODE_ENUM
};

struct CodeInfo {
    Code code;
    std::string_view name;
    std::string_view text;
};

// Findings and verdicts are in this table too (their English text), so code_name() works for all.
inline constexpr CodeInfo kCodeInfos[] = {
#define WIRECHECK_CODE_INFO(id, name, text) {Code::id, name, text},
#define WIRECHECK_FINDING_INFO(id, name, severity, en, zh) {Code::id, name, en},
#define WIRECHECK_VERDICT_INFO(id, name, en, zh) {Code::id, name, en},
    WIRECHECK_CODES(WIRECHECK_CODE_INFO)
    WIRECHECK_FINDINGS(WIRECHECK_FINDING_INFO)
    WIRECHECK_VERDICTS(WIRECHECK_VERDICT_INFO)
#undef WIRECHECK_VERDICT_INFO
#undef WIRECHECK_FINDING_INFO
#undef WIRECHECK_CODE_INFO
};

constexpr const CodeInfo& code_info(Code code) { return kCodeInfos[static_cast<std::size_t>(code)]; }
constexpr std::string_view code_name(Code code) { return code_info(code).name; }
constexpr std::string_view code_text(Code code) { return code_info(code).text; }

}  // namespace wirecheck
