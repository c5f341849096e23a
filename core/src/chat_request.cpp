// OpenAI Chat Completions codec, part 2: requests (`POST /v1/chat/completions` bodies) to and from
// the canonical Request. Facts: /work/shared/protocols.md §1 "Request" and "DeepSeek extensions".
//
// Sections: decode messages · decode tools and options · decode_chat_request ·
//           encode messages · encode tools and options · encode_chat_request
#include <algorithm>
#include <map>

#include "chat_codec_internal.hpp"
#include "wirecheck/chat_codec.hpp"
#include "wirecheck/json_writer.hpp"

namespace wirecheck {
namespace {

using namespace chat_detail;

// Text parts of one request message become one string: many Chat servers (DeepSeek among them)
// accept only string content, and Claude Code splits system prompts and user turns into blocks.
constexpr std::string_view kRequestTextSeparator = "\n\n";

// Fields of the Chat request that wirecheck knows but the canonical model has no place for.
constexpr std::string_view kDroppedRequestFields[] = {"n",
                                                      "presence_penalty",
                                                      "frequency_penalty",
                                                      "logit_bias",
                                                      "logprobs",
                                                      "top_logprobs",
                                                      "seed",
                                                      "service_tier",
                                                      "store",
                                                      "modalities",
                                                      "audio",
                                                      "prediction",
                                                      "web_search_options",
                                                      "functions",
                                                      "function_call",
                                                      "prompt_cache_key",
                                                      "safety_identifier",
                                                      "verbosity"};

// ---- decode messages ---------------------------------------------------------------------------

// Tool call id -> kind, so a tool message answering a custom call becomes a custom result.
using CallKinds = std::map<std::string, ToolKind>;

Status decode_tool_message(JsonElement msg, const std::string& pointer, const CallKinds& kinds,
                           Turn& turn, Losses& losses) {
    ToolResultPart result;
    WIRECHECK_TRY(require_string(msg, "tool_call_id", pointer, result.call_id));
    if (auto it = kinds.find(result.call_id); it != kinds.end()) result.kind = it->second;
    auto content = find_present(msg, "content");
    if (!content) return missing_field(pointer_join(pointer, "content"), "`content`");
    std::vector<Part> parts;
    WIRECHECK_TRY(decode_content(*content, pointer, parts, losses));
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (auto* text = std::get_if<TextPart>(&parts[i])) {
            result.content.push_back(ToolResultContent{std::move(*text)});
        } else if (auto* image = std::get_if<ImagePart>(&parts[i])) {
            result.content.push_back(ToolResultContent{std::move(*image)});
        } else {
            add_loss(losses, Code::LossPartDropped, Severity::Warn,
                     pointer_join(pointer_join(pointer, "content"), i),
                     "only text and images can be part of a tool result; dropped");
        }
    }
    // One tool message, one Turn(Role::Tool): consecutive tool messages stay separate turns (the
    // Messages encoder merges them into one user message, peers.md §2.11).
    turn.role = Role::Tool;
    turn.parts.emplace_back(std::move(result));
    return {};
}

Status decode_message(JsonElement msg, const std::string& pointer, CallKinds& kinds,
                      std::vector<Turn>& turns, Losses& losses) {
    WIRECHECK_TRY(expect_object(msg, pointer));
    std::string role;
    WIRECHECK_TRY(require_string(msg, "role", pointer, role));
    if (find_present(msg, "name")) {
        add_loss(losses, Code::LossFieldDropped, Severity::Info, pointer_join(pointer, "name"),
                 "participant names have no canonical field; dropped");
    }
    Turn turn;
    std::string_view r = role;  // compared inline, not through std::string::compare
    if (r == "system" || r == "developer" || r == "user") {
        turn.role = r == "system"      ? Role::System
                    : r == "developer" ? Role::Developer
                                       : Role::User;
        auto content = find_present(msg, "content");
        if (!content) return missing_field(pointer_join(pointer, "content"), "`content`");
        WIRECHECK_TRY(decode_content(*content, pointer, turn.parts, losses));
        note_unknown_fields(msg, pointer, {"role", "content", "name"}, losses);
    } else if (r == "assistant") {
        turn.role = Role::Assistant;
        WIRECHECK_TRY(decode_assistant_message(msg, pointer, turn.parts, losses));
        for (const Part& part : turn.parts) {
            if (const auto* call = std::get_if<ToolCallPart>(&part)) kinds[call->id] = call->kind;
        }
        note_unknown_fields(msg, pointer,
                            {"role", "content", "name", "refusal", "tool_calls",
                             "reasoning_content", "reasoning", "audio", "function_call"},
                            losses);
    } else if (r == "tool") {
        WIRECHECK_TRY(decode_tool_message(msg, pointer, kinds, turn, losses));
        note_unknown_fields(msg, pointer, {"role", "content", "name", "tool_call_id"}, losses);
    } else if (r == "function") {
        // Deprecated since tool_calls replaced function_call (protocols.md §1): its result has no
        // call id to answer, so it cannot become a canonical tool result.
        add_loss(losses, Code::LossPartDropped, Severity::Warn, pointer,
                 "deprecated 'function' role message dropped (use tool messages)");
        return {};
    } else {
        return make_error(
            Code::JsonUnknownType, pointer_join(pointer, "role"),
            "unknown role '" + role + "' (expected system, developer, user, assistant or tool)");
    }
    turns.push_back(std::move(turn));
    return {};
}

// ---- decode tools and options ------------------------------------------------------------------

// Chat's custom tool format nests the grammar ({type:"grammar", grammar:{syntax, definition}});
// the canonical format is flat like Responses ({type:"grammar", syntax, definition}).
Json flatten_custom_format(Json format) {
    if (!format.is_object()) return format;
    const Json* grammar = find_present(format, "grammar");
    if (!grammar || !grammar->is_object()) return format;
    Json out = Json::object();
    out["type"] = "grammar";
    if (const Json* syntax = find_present(*grammar, "syntax")) out["syntax"] = *syntax;
    if (const Json* definition = find_present(*grammar, "definition"))
        out["definition"] = *definition;
    return out;
}

Status decode_tool(JsonElement tool, const std::string& pointer, Request& req, Losses& losses) {
    WIRECHECK_TRY(expect_object(tool, pointer));
    std::string type;
    WIRECHECK_TRY(require_string(tool, "type", pointer, type));
    Tool out;
    if (type == "function") {
        auto fn = find_present(tool, "function");
        std::string p = pointer_join(pointer, "function");
        if (!fn) return missing_field(p, "`function`");
        WIRECHECK_TRY(expect_object(*fn, p));
        WIRECHECK_TRY(require_string(*fn, "name", p, out.name));
        WIRECHECK_TRY(take_string(*fn, "description", p, out.description));
        if (auto params = find_present(*fn, "parameters")) {
            if (!params->is_object())
                return wrong_type(pointer_join(p, "parameters"), "an object", *params);
            out.parameters = take_json_text(*params);
        }
        WIRECHECK_TRY(read_bool(*fn, "strict", p, out.strict));
        note_unknown_fields(*fn, p, {"name", "description", "parameters", "strict"}, losses);
        note_unknown_fields(tool, pointer, {"type", "function"}, losses);
    } else if (type ==
               "custom") {  // newer Chat: {type:"custom", custom:{name, description, format}}
        auto custom = find_present(tool, "custom");
        std::string p = pointer_join(pointer, "custom");
        if (!custom) return missing_field(p, "`custom`");
        WIRECHECK_TRY(expect_object(*custom, p));
        out.type = ToolType::Custom;
        WIRECHECK_TRY(require_string(*custom, "name", p, out.name));
        WIRECHECK_TRY(take_string(*custom, "description", p, out.description));
        if (auto format = find_present(*custom, "format"))
            out.format = flatten_custom_format(take_json(*format));
        note_unknown_fields(*custom, p, {"name", "description", "format"}, losses);
        note_unknown_fields(tool, pointer, {"type", "custom"}, losses);
    } else {
        // Not a Chat tool type; kept opaque so an encoder can report exactly what it drops.
        out.type = ToolType::Hosted;
        out.name = type;
        out.hosted = take_json(tool);
    }
    req.tools.push_back(std::move(out));
    return {};
}

Status decode_tool_choice(JsonElement choice, const std::string& pointer, Request& req,
                          Losses& losses) {
    ToolChoice out;
    if (choice.is_string()) {
        std::string mode(string_of(choice));
        if (mode == "auto")
            out.mode = ToolChoice::Mode::Auto;
        else if (mode == "none")
            out.mode = ToolChoice::Mode::None;
        else if (mode == "required")
            out.mode = ToolChoice::Mode::Required;
        else {
            return make_error(
                Code::JsonUnknownType, pointer,
                "unknown tool_choice '" + mode + "' (expected none, auto or required)");
        }
        req.tool_choice = out;
        return {};
    }
    WIRECHECK_TRY(expect_object(choice, pointer));
    std::string type;
    WIRECHECK_TRY(require_string(choice, "type", pointer, type));
    if (type == "function" || type == "custom") {
        auto named = find_present(choice, type);
        std::string p = pointer_join(pointer, type);
        if (!named) return missing_field(p, "`" + type + "`");
        WIRECHECK_TRY(expect_object(*named, p));
        WIRECHECK_TRY(require_string(*named, "name", p, out.name));
        out.mode = ToolChoice::Mode::Named;
    } else if (type == "allowed_tools") {
        std::string mode = "auto";
        if (auto allowed = find_present(choice, "allowed_tools")) {
            WIRECHECK_TRY(expect_object(*allowed, pointer_join(pointer, "allowed_tools")));
            WIRECHECK_TRY(
                read_string(*allowed, "mode", pointer_join(pointer, "allowed_tools"), mode));
        }
        out.mode = mode == "required" ? ToolChoice::Mode::Required : ToolChoice::Mode::Auto;
        add_loss(losses, Code::LossFieldDropped, Severity::Warn, pointer,
                 "the allowed_tools subset has no canonical form; read as '" + mode + "'");
    } else {
        return make_error(Code::JsonUnknownType, pointer_join(pointer, "type"),
                          "unknown tool_choice type '" + type + "'");
    }
    req.tool_choice = out;
    return {};
}

Status decode_stop(JsonElement stop, Request& req) {
    if (stop.is_string()) {
        req.stop.emplace_back(string_of(stop));
        return {};
    }
    if (!stop.is_array()) return wrong_type("/stop", "a string or an array of strings", stop);
    return for_each_item(stop, [&](const auto& item, std::size_t i) -> Status {
        if (!item.is_string()) return wrong_type(pointer_join("/stop", i), "a string", item);
        req.stop.emplace_back(string_of(item));
        return {};
    });
}

// Nested json_schema (Chat) -> canonical flat {type, name, schema, strict, description}.
Status decode_response_format(JsonElement format, Request& req) {
    const std::string pointer = "/response_format";
    WIRECHECK_TRY(expect_object(format, pointer));
    std::string type;
    WIRECHECK_TRY(require_string(format, "type", pointer, type));
    Json out = Json::object();
    out["type"] = type;
    if (type == "json_schema") {
        auto schema = find_present(format, "json_schema");
        std::string p = pointer + "/json_schema";
        if (!schema) return missing_field(p, "`json_schema`");
        WIRECHECK_TRY(expect_object(*schema, p));
        std::string name, description;
        std::optional<bool> strict;
        WIRECHECK_TRY(require_string(*schema, "name", p, name));
        WIRECHECK_TRY(read_string(*schema, "description", p, description));
        WIRECHECK_TRY(read_bool(*schema, "strict", p, strict));
        out["name"] = name;
        if (auto s = find_present(*schema, "schema")) out["schema"] = as_json(*s);
        if (strict) out["strict"] = *strict;
        if (!description.empty()) out["description"] = description;
    } else if (type != "text" && type != "json_object") {
        return make_error(Code::JsonUnknownType, pointer + "/type",
                          "unknown response_format type '" + type +
                              "' (expected text, json_object or json_schema)");
    }
    req.response_format = std::move(out);
    return {};
}

// reasoning_effort (OpenAI, DeepSeek) and DeepSeek's thinking:{type:enabled|disabled}.
Status decode_reasoning(const Fields& body, Request& req, Losses& losses) {
    ReasoningConfig config;
    bool any = false;
    if (find_present(body, "reasoning_effort")) {
        WIRECHECK_TRY(read_string(body, "reasoning_effort", "", config.effort));
        any = true;
    }
    if (auto thinking = find_present(body, "thinking")) {
        WIRECHECK_TRY(expect_object(*thinking, "/thinking"));
        std::string type;
        WIRECHECK_TRY(read_string(*thinking, "type", "/thinking", type));
        if (type == "enabled")
            config.enabled = true;
        else if (type == "disabled")
            config.enabled = false;
        else if (!type.empty()) {
            add_loss(losses, Code::LossValueMapped, Severity::Warn, "/thinking/type",
                     "thinking type '" + type + "' is neither enabled nor disabled; ignored");
        }
        WIRECHECK_TRY(read_int(*thinking, "budget_tokens", "/thinking", config.budget_tokens));
        note_unknown_fields(*thinking, "/thinking", {"type", "budget_tokens"}, losses);
        any = true;
    }
    if (any) req.reasoning = std::move(config);
    return {};
}

Status decode_options(const Fields& body, Request& req, Losses& losses) {
    if (auto tools = find_present(body, "tools")) {
        if (!tools->is_array()) return wrong_type("/tools", "an array", *tools);
        WIRECHECK_TRY(for_each_item(*tools, [&](auto& tool, std::size_t i) {
            return decode_tool(tool, pointer_join("/tools", i), req, losses);
        }));
    }
    if (auto choice = find_present(body, "tool_choice")) {
        WIRECHECK_TRY(decode_tool_choice(*choice, "/tool_choice", req, losses));
    }
    WIRECHECK_TRY(read_bool(body, "parallel_tool_calls", "", req.parallel_tool_calls));
    WIRECHECK_TRY(read_number(body, "temperature", "", req.temperature));
    WIRECHECK_TRY(read_number(body, "top_p", "", req.top_p));
    WIRECHECK_TRY(read_int(body, "top_k", "", req.top_k));  // vLLM/SGLang extension
    if (auto stop = find_present(body, "stop")) WIRECHECK_TRY(decode_stop(*stop, req));

    // max_tokens is deprecated for max_completion_tokens; both mean the output limit (§1).
    std::optional<std::int64_t> max_tokens, max_completion;
    WIRECHECK_TRY(read_int(body, "max_tokens", "", max_tokens));
    WIRECHECK_TRY(read_int(body, "max_completion_tokens", "", max_completion));
    if (max_tokens && max_completion && *max_tokens != *max_completion) {
        add_loss(losses, Code::LossFieldDropped, Severity::Info, "/max_tokens",
                 "both max_tokens and max_completion_tokens given; max_completion_tokens (" +
                     std::to_string(*max_completion) + ") kept");
    }
    req.max_output_tokens = max_completion ? max_completion : max_tokens;

    std::optional<bool> stream;
    WIRECHECK_TRY(read_bool(body, "stream", "", stream));
    req.stream = stream.value_or(false);
    if (auto options = find_present(body, "stream_options")) {
        WIRECHECK_TRY(expect_object(*options, "/stream_options"));
        std::optional<bool> include_usage;
        WIRECHECK_TRY(read_bool(*options, "include_usage", "/stream_options", include_usage));
        req.stream_include_usage = include_usage.value_or(false);
        note_unknown_fields(*options, "/stream_options", {"include_usage"}, losses);
    }
    if (auto format = find_present(body, "response_format")) {
        WIRECHECK_TRY(decode_response_format(*format, req));
    }
    WIRECHECK_TRY(decode_reasoning(body, req, losses));
    WIRECHECK_TRY(read_string(body, "user", "", req.user));
    if (auto metadata = find_present(body, "metadata")) {
        if (!metadata->is_object()) return wrong_type("/metadata", "an object", *metadata);
        req.metadata = take_json(*metadata);
    }
    return {};
}

void note_dropped_and_unknown_fields(const Fields& body, Losses& losses) {
    static const std::initializer_list<std::string_view> kKnown = {
        "model",       "messages", "tools",      "tool_choice",           "parallel_tool_calls",
        "temperature", "top_p",    "top_k",      "stop",                  "max_tokens",
        "max_completion_tokens",   "stream",     "stream_options",        "response_format",
        "reasoning_effort",        "thinking",   "user",                  "metadata"};
    // One pass over the body's few keys; the dropped fields are then reported in list order.
    bool any_dropped = false;
    std::vector<std::string_view> unknown;
    for_each_unknown_key(body, kKnown, [&](std::string_view key) {
        if (std::find(std::begin(kDroppedRequestFields), std::end(kDroppedRequestFields), key) !=
            std::end(kDroppedRequestFields)) {
            any_dropped = true;
        } else {
            unknown.push_back(key);
        }
    });
    for (std::string_view key : kDroppedRequestFields) {
        if (!any_dropped) break;
        auto v = find_present(body, key);
        if (!v) continue;
        // Defaults carry nothing: n = 1, store/logprobs = false.
        if (bool_of(*v) == false) continue;
        if (key == "n" && int_of(*v) == 1) continue;
        add_loss(losses, Code::LossFieldDropped, Severity::Warn, pointer_join("", key),
                 "'" + std::string(key) + "' has no canonical field; dropped");
    }
    for (std::string_view key : unknown) {
        add_loss(losses, Code::LossUnknownField, Severity::Warn, pointer_join("", key),
                 "unknown request field '" + std::string(key) + "'; not carried over");
    }
}

Result<Request> decode_request_from(JsonElement object, Losses& losses) {
    WIRECHECK_TRY(expect_object(object, ""));
    const Fields body = Fields::indexed(object);
    Request req;
    WIRECHECK_TRY(require_string(body, "model", "", req.model));
    auto messages = find_present(body, "messages");
    if (!messages) return missing_field("/messages", "`messages`");
    if (!messages->is_array()) return wrong_type("/messages", "an array", *messages);
    CallKinds kinds;
    WIRECHECK_TRY(for_each_item(*messages, [&](auto& message, std::size_t i) {
        return decode_message(message, pointer_join("/messages", i), kinds, req.turns, losses);
    }));
    WIRECHECK_TRY(decode_options(body, req, losses));
    note_dropped_and_unknown_fields(body, losses);
    return req;
}

}  // namespace

Result<Request> decode_chat_request(Json body, Losses& losses) {
    return decode_request(Protocol::Chat, std::move(body), losses);  // from its text
}

Result<Request> decode_chat_request(JsonElement body, Losses& losses) {
    return decode_request_from(body, losses);
}

namespace {

// ---- encode messages ---------------------------------------------------------------------------

// Writes the `messages` array. Images moved out of tool results wait until the run of tool
// messages ends: a user message between tool messages would break "tool_calls must be followed by
// tool messages" (protocols.md §1).
class MessageWriter {
  public:
    MessageWriter(JsonWriter& w, Losses& losses) : w_(w), losses_(losses) {}

    void write_turn(const Turn& turn, const std::string& pointer);
    void finish() { flush_moved_images(); }

  private:
    void flush_moved_images() {
        if (moved_images_.empty()) return;
        w_.begin_object().key("role").string("user").key("content").json(moved_images_);
        w_.end_object();
        moved_images_ = Json::array();
    }
    void write_tool_result(const ToolResultPart& result, const std::string& pointer);
    // user/system content: one string when all parts are text, else an array of parts.
    void write_content(const std::vector<const Part*>& parts,
                       const std::vector<std::string>& pointers, bool allow_images);

    JsonWriter& w_;
    Losses& losses_;
    Json moved_images_ = Json::array();
};

void MessageWriter::write_content(const std::vector<const Part*>& parts,
                                  const std::vector<std::string>& pointers, bool allow_images) {
    std::string joined;
    std::size_t texts = 0;
    // With an image the content is an array of parts, else one string: only one is written.
    bool has_image = allow_images && std::any_of(parts.begin(), parts.end(), [](const Part* p) {
                         return std::holds_alternative<ImagePart>(*p);
                     });
    w_.key("content");
    if (has_image) {
        w_.begin_array();
    } else {  // one allocation for the joined text (Codex sends several large parts)
        std::size_t size = 0;
        for (const Part* p : parts) {
            if (const auto* text = std::get_if<TextPart>(p))
                size += text->text.size() + kRequestTextSeparator.size();
        }
        joined.reserve(size);
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const Part& part = *parts[i];
        if (const auto* text = std::get_if<TextPart>(&part)) {
            note_dropped_extras(text->extras, pointers[i], losses_);
            if (has_image) {
                w_.begin_object().key("type").string("text").key("text").string(text->text);
                w_.end_object();
                continue;
            }
            if (texts++ > 0) joined += kRequestTextSeparator;
            joined += text->text;
        } else if (const auto* image = std::get_if<ImagePart>(&part); image && allow_images) {
            w_.json(encode_image_part(*image, pointers[i], losses_));
        } else if (std::holds_alternative<ReasoningPart>(part)) {
            add_loss(losses_, Code::LossReasoningDropped, Severity::Warn, pointers[i],
                     "reasoning outside an assistant turn has no Chat form; dropped");
        } else {
            add_loss(losses_, Code::LossPartDropped, Severity::Warn, pointers[i],
                     "this part cannot appear in a Chat message of this role; dropped");
        }
    }
    if (has_image) {
        w_.end_array();
        return;
    }
    w_.string(joined);
    if (texts > 1) {
        add_loss(losses_, Code::LossValueMapped, Severity::Info,
                 pointers.empty() ? std::string() : pointers.front(),
                 std::to_string(texts) + " text parts joined into one string with a blank line");
    }
}

// Not preceded by the moved images: they wait for the end of the run of tool messages.
void MessageWriter::write_tool_result(const ToolResultPart& result, const std::string& pointer) {
    std::string text;
    std::size_t texts = 0;
    note_dropped_extras(result.extras, pointer, losses_);
    for (std::size_t i = 0; i < result.content.size(); ++i) {
        const auto& value = result.content[i].value;
        if (const auto* t = std::get_if<TextPart>(&value)) {
            note_dropped_extras(t->extras, pointer_join(pointer_join(pointer, "content"), i),
                                losses_);
            if (texts++ > 0) text += kRequestTextSeparator;
            text += t->text;
        } else {
            // Chat tool messages carry text only; vLLM moves images to a user message after the
            // tool results (peers.md §2.9).
            std::string p = pointer_join(pointer_join(pointer, "content"), i);
            moved_images_.push_back(encode_image_part(std::get<ImagePart>(value), p, losses_));
            add_loss(losses_, Code::LossImageMoved, Severity::Info, p,
                     "image in the result of tool call '" + result.call_id +
                         "' moved to a user message after the tool messages");
        }
    }
    if (result.is_error) {
        // No is_error field in Chat; forwarding it as a key gets 400 from strict hosts, so it is
        // carried as an "Error: " prefix (peers.md §2.8, any-llm PR #1402).
        text = "Error: " + text;
        add_loss(losses_, Code::LossIsErrorAsText, Severity::Info, pointer,
                 "is_error of tool call '" + result.call_id + "' carried as an 'Error: ' prefix");
    }
    w_.begin_object().key("role").string("tool").key("tool_call_id").string(result.call_id);
    w_.key("content").string(text).end_object();
}

void MessageWriter::write_turn(const Turn& turn, const std::string& pointer) {
    std::string parts_pointer = pointer_join(pointer, "parts");
    if (turn.role == Role::Assistant) {
        // The fields are shared with Chat responses (encode_assistant_fields builds them).
        Json message = Json::object();
        message["role"] = "assistant";
        encode_assistant_fields(turn.parts, parts_pointer, kRequestTextSeparator, message, losses_);
        flush_moved_images();
        w_.json(message);
        return;
    }
    // Tool results first, each as its own tool message; the rest of the turn follows as one
    // message (Messages user turns mix tool_result blocks and text).
    std::vector<const Part*> rest;
    std::vector<std::string> rest_pointers;
    bool result_after_rest = false;
    for (std::size_t i = 0; i < turn.parts.size(); ++i) {
        std::string p = pointer_join(parts_pointer, i);
        if (const auto* result = std::get_if<ToolResultPart>(&turn.parts[i])) {
            if (!rest.empty()) result_after_rest = true;
            write_tool_result(*result, p);
        } else {
            rest.push_back(&turn.parts[i]);
            rest_pointers.push_back(p);
        }
    }
    if (result_after_rest) {
        add_loss(losses_, Code::LossValueMapped, Severity::Info, pointer,
                 "tool results moved before the other content of their turn (Chat tool messages "
                 "must follow the assistant message directly)");
    }
    bool had_results = rest.size() != turn.parts.size();
    if (had_results && rest.empty()) return;

    std::string_view role = "user";
    switch (turn.role) {
        case Role::System:
            role = "system";
            break;
        case Role::Developer:
            // o-series OpenAI models accept "developer", most other servers only "system" (§1).
            role = "system";
            add_loss(losses_, Code::LossValueMapped, Severity::Info, pointer,
                     "developer message sent with role 'system'");
            break;
        case Role::Tool:
            add_loss(losses_, Code::LossValueMapped, Severity::Info, pointer,
                     "non-result content of a tool turn sent as a user message");
            break;
        default:
            break;
    }
    flush_moved_images();
    w_.begin_object().key("role").string(role);
    write_content(rest, rest_pointers, turn.role == Role::User || turn.role == Role::Tool);
    w_.end_object();
}

// ---- encode tools and options ------------------------------------------------------------------

// The schema a freeform custom tool gets as a function (brief: canonical conventions).
void write_custom_input_schema(JsonWriter& w) {
    w.begin_object().key("type").string("object").key("properties").begin_object();
    w.key("input").begin_object().key("type").string("string").end_object().end_object();
    w.key("required").begin_array().string("input").end_array().end_object();
}

// Writes one tool; hosted tools have no Chat form and are only reported.
void encode_tool(const Tool& tool, const std::string& pointer, JsonWriter& w, Losses& losses) {
    if (tool.type == ToolType::Hosted) {
        add_loss(losses, Code::LossToolDropped, Severity::Warn, pointer,
                 "hosted tool '" + tool.name + "' has no Chat equivalent; dropped");
        return;
    }
    note_dropped_extras(tool.extras, pointer, losses);
    std::string name = tool.flat_name();
    if (name != tool.name) {
        add_loss(losses, Code::LossNamespaceFlattened, Severity::Info, pointer,
                 "tool '" + tool.name + "' in namespace '" + tool.name_space + "' sent as '" +
                     name + "'");
    }
    std::string grammar_description;  // a custom tool's description with its grammar
    const std::string* description = &tool.description;
    if (tool.type == ToolType::Custom) {
        // The grammar has no Chat field; it goes into the description so the model still knows
        // the input format (Codex apply_patch, peers.md §2.27).
        const Json* definition = find_present(tool.format, "definition");
        if (definition && definition->is_string()) {
            std::string syntax = "grammar";
            if (const Json* s = find_present(tool.format, "syntax"); s && s->is_string())
                syntax = s->get<std::string>();
            grammar_description = tool.description;
            if (!grammar_description.empty()) grammar_description += "\n\n";
            grammar_description += "The `input` string must follow this " + syntax +
                                   " grammar:\n" + definition->get<std::string>();
            description = &grammar_description;
        }
        add_loss(losses, Code::LossCustomToolAsFunction, Severity::Info, pointer,
                 "custom tool '" + name + "' sent as a function with one string parameter 'input'" +
                     (definition ? " (its grammar appended to the description)" : ""));
    }
    w.begin_object().key("type").string("function").key("function").begin_object();
    w.key("name").string(name);
    if (!description->empty()) w.key("description").string(*description);
    if (tool.type == ToolType::Custom) {
        write_custom_input_schema(w.key("parameters"));
    } else if (!tool.parameters.is_null()) {
        w.key("parameters").json(tool.parameters);
    }
    if (tool.strict && tool.type == ToolType::Function) w.key("strict").boolean(*tool.strict);
    w.end_object().end_object();
}

void encode_tool_choice(const ToolChoice& choice, JsonWriter& w) {
    switch (choice.mode) {
        case ToolChoice::Mode::Auto:
            w.string("auto");
            return;
        case ToolChoice::Mode::None:
            w.string("none");
            return;
        case ToolChoice::Mode::Required:
            w.string("required");
            return;
        case ToolChoice::Mode::Named:
            w.begin_object().key("type").string("function").key("function").begin_object();
            w.key("name").string(choice.name).end_object().end_object();
            return;
    }
}

// Canonical flat response_format -> Chat's nested json_schema.
Json encode_response_format(const Json& format, Losses& losses) {
    const Json* type = find_present(format, "type");
    if (!type || !type->is_string() || *type != "json_schema") return format;
    Json schema = Json::object();
    const Json* name = find_present(format, "name");
    if (name && name->is_string()) {
        schema["name"] = *name;
    } else {
        schema["name"] = "response";
        add_loss(losses, Code::LossDefaultApplied, Severity::Info, "/response_format/name",
                 "Chat requires json_schema.name; 'response' used");
    }
    for (const char* key : {"schema", "strict", "description"}) {
        if (const Json* v = find_present(format, key)) schema[key] = *v;
    }
    return Json{{"type", "json_schema"}, {"json_schema", std::move(schema)}};
}

// Messages thinking budgets -> effort buckets when no effort is given (as LiteLLM does, peers.md
// note f): under 4096 low, under 16384 medium, else high.
std::string effort_for_budget(std::int64_t budget) {
    if (budget < 4096) return "low";
    if (budget < 16384) return "medium";
    return "high";
}

void encode_reasoning(const ReasoningConfig& config, JsonWriter& w, Losses& losses) {
    std::string effort = config.effort;
    if (config.budget_tokens) {
        if (effort.empty()) {
            effort = effort_for_budget(*config.budget_tokens);
            add_loss(losses, Code::LossValueMapped, Severity::Info, "/reasoning/budget_tokens",
                     "thinking budget " + std::to_string(*config.budget_tokens) +
                         " sent as reasoning_effort '" + effort + "'");
        } else {
            add_loss(losses, Code::LossFieldDropped, Severity::Info, "/reasoning/budget_tokens",
                     "Chat has no thinking budget; reasoning_effort '" + effort + "' kept");
        }
    }
    if (!effort.empty()) w.key("reasoning_effort").string(effort);
    // DeepSeek's thinking toggle (protocols.md §1 DeepSeek extensions).
    if (config.enabled) {
        w.key("thinking").begin_object().key("type").string(*config.enabled ? "enabled"
                                                                            : "disabled");
        w.end_object();
    }
    if (!config.summary.empty()) {
        add_loss(losses, Code::LossFieldDropped, Severity::Info, "/reasoning/summary",
                 "Chat has no reasoning summary option ('" + config.summary + "'); dropped");
    }
}

void encode_tools_and_choice(const Request& request, JsonWriter& w, Losses& losses) {
    bool any_sent = std::any_of(request.tools.begin(), request.tools.end(),
                                [](const Tool& tool) { return tool.type != ToolType::Hosted; });
    if (any_sent) w.key("tools").begin_array();
    for (std::size_t i = 0; i < request.tools.size(); ++i) {
        encode_tool(request.tools[i], pointer_join("/tools", i), w, losses);
    }
    if (any_sent) {
        w.end_array();
        if (request.tool_choice) encode_tool_choice(*request.tool_choice, w.key("tool_choice"));
        if (request.parallel_tool_calls)
            w.key("parallel_tool_calls").boolean(*request.parallel_tool_calls);
        return;
    }
    // OpenAI rejects tool_choice and parallel_tool_calls when no tools are given.
    if (request.tool_choice) {
        add_loss(losses, Code::LossFieldDropped, Severity::Info, "/tool_choice",
                 "tool_choice dropped: no tool reached the Chat request");
    }
    if (request.parallel_tool_calls) {
        add_loss(losses, Code::LossFieldDropped, Severity::Info, "/parallel_tool_calls",
                 "parallel_tool_calls dropped: no tool reached the Chat request");
    }
}

}  // namespace

// Written as text in one pass (json_writer.hpp), members in the order below; losses come in the
// same order as when the body was a DOM.
std::string encode_chat_request(const Request& request, Losses& losses,
                                const EncodeOptions& options) {
    JsonWriter w;
    w.begin_object().key("model").string(request.model);
    w.key("messages").begin_array();
    MessageWriter messages(w, losses);
    for (std::size_t i = 0; i < request.turns.size(); ++i) {
        messages.write_turn(request.turns[i], pointer_join("/turns", i));
    }
    messages.finish();
    w.end_array();
    encode_tools_and_choice(request, w, losses);
    if (request.temperature) w.key("temperature").number(*request.temperature);
    if (request.top_p) w.key("top_p").number(*request.top_p);
    if (request.top_k) {
        add_loss(losses, Code::LossFieldDropped, Severity::Warn, "/top_k",
                 "top_k is not a Chat Completions field (OpenAI rejects it); dropped");
    }
    if (!request.stop.empty()) {
        w.key("stop").begin_array();
        for (const std::string& stop : request.stop) w.string(stop);
        w.end_array();
    }
    // max_tokens rather than max_completion_tokens: most third-party servers only know it (§1).
    if (request.max_output_tokens) w.key("max_tokens").integer(*request.max_output_tokens);
    if (request.stream) {
        w.key("stream").boolean(true);
        if (request.stream_include_usage || options.request_stream_usage) {
            // Without it a Chat stream carries no usage at all (peers.md §2.20).
            w.key("stream_options").begin_object().key("include_usage").boolean(true);
            w.end_object();
        }
    }
    if (request.response_format.is_object()) {
        w.key("response_format").json(encode_response_format(request.response_format, losses));
    }
    if (request.reasoning) encode_reasoning(*request.reasoning, w, losses);
    if (request.metadata.is_object() && !request.metadata.empty())
        w.key("metadata").json(request.metadata);
    if (!request.user.empty()) w.key("user").string(request.user);
    w.end_object();
    return w.take();
}

}  // namespace wirecheck
