// Anthropic Messages codec, part 2: requests (POST /v1/messages) to and from the canonical model.
// Shared block/id/usage helpers are in messages_codec.cpp; streams in messages_stream.cpp.
//
// Sections
//   1. decode: system, messages (tool_result split), tools, tool_choice, thinking, the rest
//   2. encode: turns -> system + alternating messages, tools, tool_choice, thinking, the rest
//
// Mapping decisions other codecs rely on
// - A user message holding tool_result blocks becomes one Role::Tool turn per result, in order,
//   followed by one Role::User turn with the message's other blocks (in their order). Encoding
//   merges them back: consecutive Tool turns and a following User turn form ONE user message,
//   tool_results first (peers §2 edge case 11).
// - `system` (string or text blocks) -> one leading Role::System turn, one TextPart per block
//   (cache_control kept in TextPart.extras). Claude Code's role:"system" messages inside
//   `messages` -> a System turn where they appear. Encoding hoists every System/Developer turn
//   into the top-level `system`.
// - thinking {enabled,budget} / {adaptive} / {disabled} -> ReasoningConfig.enabled (+budget);
//   output_config.effort -> effort; output_config.format json_schema -> response_format.
// - metadata.user_id <-> Request.user. context_management and other extras -> loss.unknown_field.
// - max_tokens is required by the protocol but decoded leniently (absent = unset); the encoder
//   always writes it (EncodeOptions.default_max_tokens + loss.default_applied when unset).
#include <algorithm>

#include "messages_internal.hpp"

namespace wirecheck {

using namespace messages;

namespace {

// ---- 1. decode ----------------------------------------------------------------------------------

Status decode_system(JsonElement system, Request& request, Losses& losses) {
    Turn turn{Role::System, {}};
    if (system.is_string()) {
        if (!string_of(system).empty()) turn.parts.push_back(TextPart{take_text(system), Json()});
    } else if (system.is_array()) {
        WIRECHECK_TRY(for_each_item(system, [&](auto& block, std::size_t i) -> Status {
            std::string at = pointer_join("/system", i);
            WIRECHECK_TRY(expect_object(block, at));
            std::string type;
            WIRECHECK_TRY(read_string(block, "type", at, type, true));
            if (type != "text") {
                return make_error(Code::JsonUnknownType, pointer_join(at, "type"),
                                  "system blocks must be text, got '" + type + "'");
            }
            TextPart text;
            WIRECHECK_TRY(take_string(block, "text", at, text.text, true));
            text.extras =
                extras_of(block, {"type", "text"}, ExtrasKind::Text, at, "a system block", losses);
            turn.parts.push_back(std::move(text));
            return {};
        }));
    } else {
        return wrong_type("/system", "a string or an array of text blocks", system);
    }
    if (!turn.parts.empty()) request.turns.push_back(std::move(turn));
    return {};
}

Status decode_message_content(JsonElement content, const std::string& pointer,
                              std::vector<Part>& parts, std::vector<std::string>& pointers,
                              Losses& losses) {
    if (content.is_string()) {
        // Kept even when empty, so the encoder reports dropping it (peers §2 edge case 10).
        parts.push_back(TextPart{take_text(content), Json()});
        pointers.push_back(pointer);
        return {};
    }
    if (!content.is_array()) return wrong_type(pointer, "a string or an array of blocks", content);
    return for_each_item(content, [&](const auto& block, std::size_t i) -> Status {
        std::string at = pointer_join(pointer, i);
        Result<std::optional<Part>> part = decode_content_block(block, at, losses);
        if (!part.ok()) return part.error();
        if (*part) {
            parts.push_back(std::move(**part));
            pointers.push_back(at);
        }
        return {};
    });
}

// A user message's tool_result blocks become Role::Tool turns (one per result, in order), the
// rest one Role::User turn after them.
void split_user_message(std::vector<Part>& parts, const std::vector<std::string>& pointers,
                        Request& request, Losses& losses) {
    Turn user{Role::User, {}};
    bool any_result = false;
    bool moved_reported = false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (std::holds_alternative<ToolResultPart>(parts[i])) {
            any_result = true;
            if (!user.parts.empty() && !moved_reported) {
                moved_reported = true;
                add_loss(losses, Code::LossValueMapped, Severity::Info, pointers[i],
                         "user content before a tool_result is placed after the tool results "
                         "(canonical Tool turns come first)");
            }
            request.turns.push_back(Turn{Role::Tool, {std::move(parts[i])}});
        } else {
            user.parts.push_back(std::move(parts[i]));
        }
    }
    if (!user.parts.empty() || !any_result) request.turns.push_back(std::move(user));
}

Status decode_message(JsonElement message, const std::string& pointer, Request& request,
                      Losses& losses) {
    WIRECHECK_TRY(expect_object(message, pointer));
    std::string role;
    WIRECHECK_TRY(read_string(message, "role", pointer, role, true));
    auto content = find_present(message, "content");
    if (!content) return missing_field(pointer_join(pointer, "content"), "`content`");
    std::vector<Part> parts;
    std::vector<std::string> pointers;
    WIRECHECK_TRY(decode_message_content(*content, pointer_join(pointer, "content"), parts,
                                         pointers, losses));
    record_unknown_keys(message, {"role", "content"}, pointer, "a message", losses);
    if (role == "user") {
        split_user_message(parts, pointers, request, losses);
    } else if (role == "assistant") {
        request.turns.push_back(Turn{Role::Assistant, std::move(parts)});
    } else if (role == "system") {
        // Claude Code sends role:"system" messages inside `messages` (captures/claude-turn1.json).
        request.turns.push_back(Turn{Role::System, std::move(parts)});
    } else {
        return make_error(Code::JsonUnknownType, pointer_join(pointer, "role"),
                          "unknown role '" + role + "' (expected user, assistant or system)");
    }
    return {};
}

Status decode_messages(const Fields& body, Request& request, Losses& losses) {
    auto messages = find_present(body, "messages");
    if (!messages) return missing_field("/messages", "`messages`");
    if (!messages->is_array()) return wrong_type("/messages", "an array", *messages);
    return for_each_item(*messages, [&](auto& message, std::size_t i) {
        return decode_message(message, pointer_join("/messages", i), request, losses);
    });
}

Status decode_tool(JsonElement item, const std::string& pointer, Request& request, Losses& losses) {
    WIRECHECK_TRY(expect_object(item, pointer));
    Tool tool;
    std::string type;
    WIRECHECK_TRY(read_string(item, "type", pointer, type));
    if (!type.empty() && type != "custom") {
        // Anthropic server tools (web_search_20250305, bash_20250124, ...): kept opaque.
        tool.type = ToolType::Hosted;
        WIRECHECK_TRY(read_string(item, "name", pointer, tool.name));
        tool.hosted = take_json(item);
        request.tools.push_back(std::move(tool));
        return {};
    }
    WIRECHECK_TRY(read_string(item, "name", pointer, tool.name, true));
    WIRECHECK_TRY(take_string(item, "description", pointer, tool.description));
    auto schema = find_present(item, "input_schema");
    std::string schema_ptr = pointer_join(pointer, "input_schema");
    if (!schema) return missing_field(schema_ptr, "`input_schema`");
    WIRECHECK_TRY(expect_object(*schema, schema_ptr));
    tool.parameters = take_json_text(*schema);
    WIRECHECK_TRY(read_bool(item, "strict", pointer, tool.strict));
    // cache_control, input_examples, defer_loading, ...: kept for Messages round trips.
    tool.extras = extras_of(item, {"type", "name", "description", "input_schema", "strict"},
                            ExtrasKind::Tool, pointer, "a tool", losses);
    request.tools.push_back(std::move(tool));
    return {};
}

Status decode_tool_choice(JsonElement choice, Request& request, Losses& losses) {
    const std::string at = "/tool_choice";
    WIRECHECK_TRY(expect_object(choice, at));
    std::string type;
    WIRECHECK_TRY(read_string(choice, "type", at, type, true));
    ToolChoice out;
    if (type == "auto") {
        out.mode = ToolChoice::Mode::Auto;
    } else if (type == "any") {
        out.mode = ToolChoice::Mode::Required;  // peers §2 edge case 24: any == required
    } else if (type == "none") {
        out.mode = ToolChoice::Mode::None;
    } else if (type == "tool") {
        WIRECHECK_TRY(read_string(choice, "name", at, out.name));
        if (out.name.empty()) {
            // Cursor sends {type:"tool"} without a name (peers §2 edge case 24).
            out.mode = ToolChoice::Mode::Required;
            add_loss(losses, Code::LossValueMapped, Severity::Warn, at,
                     "tool_choice {type:\"tool\"} without a name treated as `any` (required)");
        } else {
            out.mode = ToolChoice::Mode::Named;
        }
    } else {
        return make_error(
            Code::JsonUnknownType, at + "/type",
            "unknown tool_choice type '" + type + "' (expected auto, any, tool, none)");
    }
    std::optional<bool> disable_parallel;
    WIRECHECK_TRY(read_bool(choice, "disable_parallel_tool_use", at, disable_parallel));
    if (disable_parallel) request.parallel_tool_calls = !*disable_parallel;
    record_unknown_keys(choice, {"type", "name", "disable_parallel_tool_use"}, at, "tool_choice",
                        losses);
    request.tool_choice = out;
    return {};
}

Status decode_thinking(JsonElement thinking, ReasoningConfig& reasoning, Losses& losses) {
    const std::string at = "/thinking";
    WIRECHECK_TRY(expect_object(thinking, at));
    std::string type;
    WIRECHECK_TRY(read_string(thinking, "type", at, type, true));
    if (type == "enabled") {
        reasoning.enabled = true;
        WIRECHECK_TRY(read_int(thinking, "budget_tokens", at, reasoning.budget_tokens));
    } else if (type == "adaptive") {
        reasoning.enabled = true;  // no budget: encoded back as adaptive
    } else if (type == "disabled") {
        reasoning.enabled = false;
    } else {
        return make_error(
            Code::JsonUnknownType, at + "/type",
            "unknown thinking type '" + type + "' (expected enabled, adaptive or disabled)");
    }
    record_unknown_keys(thinking, {"type", "budget_tokens"}, at, "thinking", losses);
    return {};
}

// Structured output: {type:"json_schema", schema} (output_config.format, or the older top-level
// output_format) -> canonical response_format.
Status decode_output_format(JsonElement format, const std::string& at, Request& request,
                            Losses& losses) {
    WIRECHECK_TRY(expect_object(format, at));
    std::string type;
    WIRECHECK_TRY(read_string(format, "type", at, type, true));
    if (type != "json_schema") {
        return make_error(Code::JsonUnknownType, at + "/type",
                          "unknown output format type '" + type + "' (expected json_schema)");
    }
    auto schema = find_present(format, "schema");
    if (!schema) return missing_field(at + "/schema", "`schema`");
    WIRECHECK_TRY(expect_object(*schema, at + "/schema"));
    request.response_format = Json{{"type", "json_schema"}, {"schema", as_json(*schema)}};
    record_unknown_keys(format, {"type", "schema"}, at, "the output format", losses);
    return {};
}

Status decode_output_config(JsonElement config, ReasoningConfig& reasoning, bool& any,
                            Request& request, Losses& losses) {
    const std::string at = "/output_config";
    WIRECHECK_TRY(expect_object(config, at));
    WIRECHECK_TRY(read_string(config, "effort", at, reasoning.effort));
    any = any || !reasoning.effort.empty();
    if (auto format = find_present(config, "format")) {
        WIRECHECK_TRY(decode_output_format(*format, at + "/format", request, losses));
    }
    record_unknown_keys(config, {"effort", "format"}, at, "output_config", losses);
    return {};
}

Status decode_reasoning(const Fields& body, Request& request, Losses& losses) {
    ReasoningConfig reasoning;
    bool any = false;
    if (auto thinking = find_present(body, "thinking")) {
        WIRECHECK_TRY(decode_thinking(*thinking, reasoning, losses));
        any = true;
    }
    if (auto config = find_present(body, "output_config")) {
        WIRECHECK_TRY(decode_output_config(*config, reasoning, any, request, losses));
    }
    if (auto format = find_present(body, "output_format")) {
        WIRECHECK_TRY(decode_output_format(*format, "/output_format", request, losses));
    }
    if (!any) return {};
    // Without `thinking`, Anthropic does not think: state it, so effort alone is not read as
    // "reason with this effort" by other encoders.
    if (!reasoning.enabled) reasoning.enabled = false;
    request.reasoning = reasoning;
    return {};
}

Status decode_sampling(const Fields& body, Request& request) {
    WIRECHECK_TRY(read_int(body, "max_tokens", "", request.max_output_tokens));
    WIRECHECK_TRY(read_number(body, "temperature", "", request.temperature));
    WIRECHECK_TRY(read_number(body, "top_p", "", request.top_p));
    WIRECHECK_TRY(read_int(body, "top_k", "", request.top_k));
    std::optional<bool> stream;
    WIRECHECK_TRY(read_bool(body, "stream", "", stream));
    request.stream = stream.value_or(false);
    if (auto stops = find_present(body, "stop_sequences")) {
        if (!stops->is_array()) return wrong_type("/stop_sequences", "an array", *stops);
        return for_each_item(*stops, [&](const auto& stop, std::size_t i) -> Status {
            if (!stop.is_string())
                return wrong_type(pointer_join("/stop_sequences", i), "a string", stop);
            request.stop.emplace_back(string_of(stop));
            return {};
        });
    }
    return {};
}

Status decode_metadata(const Fields& body, Request& request, Losses& losses) {
    auto metadata = find_present(body, "metadata");
    if (!metadata) return {};
    WIRECHECK_TRY(expect_object(*metadata, "/metadata"));
    WIRECHECK_TRY(read_string(*metadata, "user_id", "/metadata", request.user));
    record_unknown_keys(*metadata, {"user_id"}, "/metadata", "metadata", losses);
    return {};
}

Result<Request> decode_request_from(JsonElement object, Losses& losses) {
    WIRECHECK_TRY(expect_object(object, ""));
    const Fields body = Fields::indexed(object);
    Request request;
    WIRECHECK_TRY(read_string(body, "model", "", request.model, true));
    if (auto system = find_present(body, "system")) {
        WIRECHECK_TRY(decode_system(*system, request, losses));
    }
    WIRECHECK_TRY(decode_messages(body, request, losses));
    if (auto tools = find_present(body, "tools")) {
        if (!tools->is_array()) return wrong_type("/tools", "an array", *tools);
        WIRECHECK_TRY(for_each_item(*tools, [&](auto& tool, std::size_t i) {
            return decode_tool(tool, pointer_join("/tools", i), request, losses);
        }));
    }
    if (auto choice = find_present(body, "tool_choice")) {
        WIRECHECK_TRY(decode_tool_choice(*choice, request, losses));
    }
    WIRECHECK_TRY(decode_sampling(body, request));
    WIRECHECK_TRY(decode_metadata(body, request, losses));
    WIRECHECK_TRY(decode_reasoning(body, request, losses));
    // Claude Code also sends context_management (captures/claude-turn1.json): no canonical home.
    record_unknown_keys(object,
                        {"model", "messages", "system", "max_tokens", "tools", "tool_choice",
                         "stop_sequences", "stream", "temperature", "top_p", "top_k", "metadata",
                         "thinking", "output_config", "output_format"},
                        "", "the request", losses);
    return request;
}

}  // namespace

Result<Request> decode_messages_request(Json body, Losses& losses) {
    return decode_request(Protocol::Messages, std::move(body), losses);  // from its text
}

Result<Request> decode_messages_request(JsonElement body, Losses& losses) {
    return decode_request_from(body, losses);
}

namespace {

// ---- 2. encode ----------------------------------------------------------------------------------

struct WireMessage {
    std::string role;  // "user" | "assistant"
    Json content = Json::array();
    Role last_turn = Role::User;  // the canonical role of the last turn merged in
};

std::string turn_pointer(std::size_t turn) {
    return pointer_join("/turns", turn);
}
std::string part_pointer(std::size_t turn, std::size_t part) {
    return pointer_join(turn_pointer(turn) + "/parts", part);
}

Json encode_tool_result_block(const ToolResultPart& result, const std::string& pointer,
                              Losses& losses) {
    Json block = {{"type", "tool_result"},
                  {"tool_use_id",
                   tool_id_for_wire(result.call_id, pointer_join(pointer, "call_id"), losses)}};
    const auto* only_text =
        result.content.size() == 1 ? std::get_if<TextPart>(&result.content[0].value) : nullptr;
    if (only_text && only_text->extras.is_null()) {
        if (!only_text->text.empty()) block["content"] = only_text->text;
    } else if (!result.content.empty()) {
        Json content = Json::array();
        for (std::size_t i = 0; i < result.content.size(); ++i) {
            std::string at = pointer_join(pointer_join(pointer, "content"), i);
            if (const auto* text = std::get_if<TextPart>(&result.content[i].value)) {
                if (text->text.empty()) {
                    add_loss(losses, Code::LossPartDropped, Severity::Info, at,
                             "empty text block in a tool result not sent");
                    continue;
                }
                content.push_back(encode_text_block(*text, at, losses));
            } else {
                content.push_back(
                    encode_image_block(std::get<ImagePart>(result.content[i].value), at, losses));
            }
        }
        if (!content.empty()) block["content"] = std::move(content);
    }
    if (result.is_error) block["is_error"] = true;
    merge_extras(block, result.extras, ExtrasKind::ToolResult, pointer, losses);
    return block;
}

// Blocks of a user or tool turn.
void encode_user_part(const Part& part, const std::string& pointer, Losses& losses, Json& blocks) {
    if (const auto* text = std::get_if<TextPart>(&part)) {
        if (text->text.empty()) {
            add_loss(losses, Code::LossPartDropped, Severity::Info, pointer,
                     "empty text block not sent (Messages rejects empty text blocks)");
            return;
        }
        blocks.push_back(encode_text_block(*text, pointer, losses));
    } else if (const auto* image = std::get_if<ImagePart>(&part)) {
        blocks.push_back(encode_image_block(*image, pointer, losses));
    } else if (const auto* result = std::get_if<ToolResultPart>(&part)) {
        blocks.push_back(encode_tool_result_block(*result, pointer, losses));
    } else if (const auto* refusal = std::get_if<RefusalPart>(&part)) {
        if (!refusal->text.empty())
            blocks.push_back(Json{{"type", "text"}, {"text", refusal->text}});
    } else if (std::holds_alternative<ReasoningPart>(part)) {
        add_loss(losses, Code::LossReasoningDropped, Severity::Warn, pointer,
                 "reasoning in a user turn has no Messages form; dropped");
    } else {
        add_loss(losses, Code::LossPartDropped, Severity::Error, pointer,
                 "a tool call in a user turn has no Messages form; dropped");
    }
}

bool is_tool_result(const Json& block) {
    return block.is_object() && block.contains("type") && block["type"] == "tool_result";
}

class MessageBuilder {
  public:
    explicit MessageBuilder(Losses& losses) : losses_(losses) {}

    // Adds one canonical turn's blocks. Consecutive turns of the same wire role merge into one
    // message, because Messages must alternate user/assistant (protocols.md §4).
    void add(Role role, Json blocks, std::size_t turn) {
        if (blocks.empty()) return;
        std::string wire = role == Role::Assistant ? "assistant" : "user";
        if (messages_.empty() || messages_.back().role != wire) {
            messages_.push_back(WireMessage{wire, std::move(blocks), role});
            return;
        }
        WireMessage& into = messages_.back();
        // Tool turns following tool/user turns are the normal shape of a Messages user message;
        // other merges change the conversation's structure and are reported.
        bool expected = role == Role::Tool || into.last_turn == Role::Tool;
        if (!expected) {
            add_loss(losses_, Code::LossValueMapped, Severity::Info, turn_pointer(turn),
                     "consecutive " + std::string(role_name(role)) +
                         " turns merged into one Messages " + wire + " message");
        }
        for (auto& block : blocks) into.content.push_back(std::move(block));
        into.last_turn = role;
        tool_results_first(into, turn);
    }

    Json take() {
        Json out = Json::array();
        for (auto& m : messages_) {
            out.push_back(Json{{"role", m.role}, {"content", std::move(m.content)}});
        }
        return out;
    }

  private:
    // Every tool_result must open the message right after the tool_use (peers §2 edge case 11).
    void tool_results_first(WireMessage& message, std::size_t turn) {
        Json& c = message.content;
        auto first_other =
            std::find_if(c.begin(), c.end(), [](const Json& b) { return !is_tool_result(b); });
        if (std::find_if(first_other, c.end(), is_tool_result) == c.end()) return;
        std::stable_partition(c.begin(), c.end(), is_tool_result);
        add_loss(losses_, Code::LossValueMapped, Severity::Info, turn_pointer(turn),
                 "tool_result blocks moved before the user content of the same message");
    }

    Losses& losses_;
    std::vector<WireMessage> messages_;
};

void encode_turns(const Request& request, Json& out, Losses& losses) {
    Json system = Json::array();
    MessageBuilder builder(losses);
    bool conversation_started = false;
    for (std::size_t t = 0; t < request.turns.size(); ++t) {
        const Turn& turn = request.turns[t];
        Json blocks = Json::array();
        if (turn.role == Role::System || turn.role == Role::Developer) {
            if (turn.role == Role::Developer) {
                add_loss(losses, Code::LossValueMapped, Severity::Info, turn_pointer(t),
                         "developer instructions sent as system");
            }
            if (conversation_started) {
                add_loss(losses, Code::LossValueMapped, Severity::Info, turn_pointer(t),
                         "a system turn in the middle of the conversation was hoisted into the "
                         "top-level system");
            }
            for (std::size_t p = 0; p < turn.parts.size(); ++p) {
                const auto* text = std::get_if<TextPart>(&turn.parts[p]);
                if (text && !text->text.empty()) {
                    system.push_back(encode_text_block(*text, part_pointer(t, p), losses));
                } else {
                    add_loss(losses, Code::LossPartDropped, text ? Severity::Info : Severity::Warn,
                             part_pointer(t, p),
                             text ? "empty system text not sent"
                                  : "Messages system prompts hold text only; part dropped");
                }
            }
            continue;
        }
        conversation_started = true;
        for (std::size_t p = 0; p < turn.parts.size(); ++p) {
            if (turn.role == Role::Assistant) {
                encode_assistant_part(turn.parts[p], Audience::Server, part_pointer(t, p), losses,
                                      blocks);
            } else {
                encode_user_part(turn.parts[p], part_pointer(t, p), losses, blocks);
            }
        }
        if (turn.parts.empty()) {
            add_loss(losses, Code::LossPartDropped, Severity::Info, turn_pointer(t),
                     "an empty " + std::string(role_name(turn.role)) + " turn was not sent");
        }
        builder.add(turn.role, std::move(blocks), t);
    }
    if (!system.empty()) out["system"] = std::move(system);
    out["messages"] = builder.take();
}

// Anthropic server tools carry a dated type (web_search_20250305, bash_20250124); OpenAI's
// hosted tools (web_search, local_shell, file_search, mcp) do not and cannot be sent.
bool is_anthropic_server_tool(const Json& hosted) {
    const Json* type = find_present(hosted, "type");
    if (!type || !type->is_string()) return false;
    const std::string& t = type->get_ref<const std::string&>();
    if (t.size() < 10 || t[t.size() - 9] != '_') return false;
    return std::all_of(t.end() - 8, t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

const Json& custom_tool_schema() {
    static const Json schema = {{"type", "object"},
                                {"properties", {{"input", {{"type", "string"}}}}},
                                {"required", {"input"}}};
    return schema;
}

void encode_tools(Request& request, Json& out, Losses& losses) {
    Json tools = Json::array();
    for (std::size_t i = 0; i < request.tools.size(); ++i) {
        Tool& tool = request.tools[i];
        std::string at = pointer_join("/tools", i);
        if (tool.type == ToolType::Hosted) {
            if (is_anthropic_server_tool(tool.hosted)) {
                tools.push_back(std::move(tool.hosted));
            } else {
                std::string type = dump_json(tool.hosted.is_object() && tool.hosted.contains("type")
                                                 ? tool.hosted["type"]
                                                 : Json(tool.name));
                add_loss(losses, Code::LossToolDropped, Severity::Warn, at,
                         "hosted tool " + type + " has no Messages equivalent; dropped");
            }
            continue;
        }
        Json wire = {
            {"name", tool_name_for_wire(tool.name_space, tool.name, at + "/name", losses)}};
        if (!tool.description.empty()) wire["description"] = std::move(tool.description);
        if (tool.type == ToolType::Custom) {
            add_loss(losses, Code::LossCustomToolAsFunction, Severity::Info, at,
                     "custom tool `" + tool.name +
                         "` sent as a tool with one string parameter "
                         "`input`");
            if (!tool.format.is_null()) {
                add_loss(losses, Code::LossFieldDropped, Severity::Warn, at + "/format",
                         "the custom tool's input format (grammar) has no Messages field");
            }
            wire["input_schema"] = custom_tool_schema();
        } else if (tool.parameters.is_object()) {
            wire["input_schema"] = tool.parameters.json();
        } else {
            // input_schema is required by Messages.
            add_loss(
                losses, Code::LossDefaultApplied, Severity::Info, at + "/parameters",
                "tool `" + tool.name + "` has no parameter schema; sent an empty object schema");
            wire["input_schema"] = Json{{"type", "object"}, {"properties", Json::object()}};
        }
        if (tool.strict.value_or(false)) wire["strict"] = true;
        merge_extras(wire, tool.extras, ExtrasKind::Tool, at, losses);
        tools.push_back(std::move(wire));
    }
    if (!tools.empty()) out["tools"] = std::move(tools);
}

std::string named_choice_wire_name(const Request& request, const std::string& name) {
    for (const Tool& tool : request.tools) {
        if (tool.name == name || tool.flat_name() == name) {
            return sanitize_tool_name(tool.flat_name());
        }
    }
    return sanitize_tool_name(name);
}

void encode_tool_choice(const Request& request, Json& out) {
    if (!request.tool_choice && !request.parallel_tool_calls) return;
    Json choice = {{"type", "auto"}};
    if (request.tool_choice) {
        switch (request.tool_choice->mode) {
            case ToolChoice::Mode::Auto:
                break;
            case ToolChoice::Mode::None:
                choice["type"] = "none";
                break;
            case ToolChoice::Mode::Required:
                choice["type"] = "any";
                break;
            case ToolChoice::Mode::Named:
                choice["type"] = "tool";
                choice["name"] = named_choice_wire_name(request, request.tool_choice->name);
                break;
        }
    }
    if (request.parallel_tool_calls) {
        if (!*request.parallel_tool_calls) {
            choice["disable_parallel_tool_use"] = true;
        } else if (request.tool_choice) {
            choice["disable_parallel_tool_use"] = false;
        } else {
            return;  // parallel calls are the default: nothing to say
        }
    }
    out["tool_choice"] = std::move(choice);
}

// Effort names: Anthropic's output_config.effort knows low|medium|high|max.
std::string wire_effort(const std::string& effort, Losses& losses) {
    if (effort == "minimal") {
        add_loss(losses, Code::LossValueMapped, Severity::Info, "/reasoning/effort",
                 "reasoning effort 'minimal' sent as 'low'");
        return "low";
    }
    if (effort == "xhigh") {
        add_loss(losses, Code::LossValueMapped, Severity::Info, "/reasoning/effort",
                 "reasoning effort 'xhigh' sent as 'max'");
        return "max";
    }
    return effort;
}

// With thinking on, an assistant message that continues a tool loop must start with a thinking
// block (peers.md §2.12), or Anthropic answers 400. A request from an OpenAI-style source (a
// reasoning effort, no explicit thinking switch) has no signed thinking to send back, so in a
// tool loop its effort cannot be honoured: thinking is left off for that request.
bool last_tool_turn_lacks_signed_thinking(const Request& request) {
    for (auto turn = request.turns.rbegin(); turn != request.turns.rend(); ++turn) {
        if (turn->role != Role::Assistant) continue;
        bool tool_loop = false, signed_thinking = false;
        for (const Part& part : turn->parts) {
            if (std::holds_alternative<ToolCallPart>(part)) tool_loop = true;
            if (const auto* r = std::get_if<ReasoningPart>(&part)) {
                signed_thinking |= r->origin == Protocol::Messages &&
                                   (!r->signature.empty() || !r->redacted_data.empty());
            }
        }
        return tool_loop && !signed_thinking;
    }
    return false;
}

// A thinking budget for an OpenAI-style effort (no Messages equivalent): documented buckets.
std::int64_t budget_for_effort(const std::string& effort) {
    if (effort == "minimal") return 1024;
    if (effort == "low") return 2048;
    if (effort == "medium") return 8192;
    if (effort == "high") return 16384;
    return 32768;  // xhigh, max and anything larger
}

// Rules (protocols.md §4 thinking):
// - enabled == true: {type:"enabled", budget_tokens} with a budget, else {type:"adaptive"};
//   effort -> output_config.effort. enabled == false: no thinking field unless nothing else is
//   said ({type:"disabled"}); effort -> output_config.effort.
// - enabled unset (OpenAI-style sources): a budget, or the effort's bucket (loss.value_mapped),
//   becomes {type:"enabled"}; budget_tokens must be >= 1024 and < max_tokens, so it is clamped,
//   and thinking is left off when max_tokens <= 1024. effort "none" means no thinking.
void encode_reasoning(const Request& request, std::int64_t max_tokens, Json& out, Losses& losses) {
    if (!request.reasoning) return;
    const ReasoningConfig& r = *request.reasoning;
    if (!r.summary.empty()) {
        add_loss(losses, Code::LossFieldDropped, Severity::Info, "/reasoning/summary",
                 "reasoning summary '" + r.summary + "' has no Messages field");
    }
    if (r.enabled.has_value()) {
        if (*r.enabled && r.budget_tokens) {
            out["thinking"] = {{"type", "enabled"}, {"budget_tokens", *r.budget_tokens}};
        } else if (*r.enabled) {
            out["thinking"] = {{"type", "adaptive"}};
        } else if (r.effort.empty()) {
            out["thinking"] = {{"type", "disabled"}};
        }
        if (!r.effort.empty()) out["output_config"]["effort"] = wire_effort(r.effort, losses);
        return;
    }
    if (r.effort == "none" || (!r.budget_tokens && r.effort.empty())) return;
    std::int64_t budget = r.budget_tokens.value_or(budget_for_effort(r.effort));
    if (!r.budget_tokens) {
        add_loss(losses, Code::LossValueMapped, Severity::Info, "/reasoning/effort",
                 "reasoning effort '" + r.effort + "' sent as thinking budget_tokens " +
                     std::to_string(budget));
    }
    if (max_tokens <= 1024) {
        add_loss(losses, Code::LossFieldDropped, Severity::Warn, "/reasoning",
                 "thinking needs max_tokens > 1024 (budget_tokens >= 1024); thinking left off");
        return;
    }
    if (last_tool_turn_lacks_signed_thinking(request)) {
        add_loss(losses, Code::LossFieldDropped, Severity::Warn, "/reasoning",
                 "thinking left off: the last assistant turn continues a tool loop without a "
                 "signed thinking block, which Anthropic requires when thinking is on");
        return;
    }
    std::int64_t clamped = std::max<std::int64_t>(1024, std::min(budget, max_tokens - 1));
    if (clamped != budget) {
        add_loss(losses, Code::LossValueMapped, Severity::Info, "/reasoning/budget_tokens",
                 "thinking budget " + std::to_string(budget) + " clamped to " +
                     std::to_string(clamped) + " (must be >= 1024 and < max_tokens)");
    }
    out["thinking"] = {{"type", "enabled"}, {"budget_tokens", clamped}};
}

void encode_response_format(const Request& request, Json& out, Losses& losses) {
    const Json& f = request.response_format;
    if (!f.is_object()) return;
    const Json* type = find_present(f, "type");
    std::string t = type && type->is_string() ? type->get<std::string>() : "";
    if (t.empty() || t == "text") return;
    const Json* schema = find_present(f, "schema");
    if (t == "json_schema" && schema && schema->is_object()) {
        out["output_config"]["format"] = {{"type", "json_schema"}, {"schema", *schema}};
        for (const char* key : {"name", "description", "strict"}) {
            if (find_present(f, key)) {
                add_loss(losses, Code::LossFieldDropped, Severity::Info,
                         pointer_join("/response_format", key),
                         std::string("json_schema `") + key + "` has no Messages field");
            }
        }
        return;
    }
    add_loss(losses, Code::LossFieldDropped, Severity::Warn, "/response_format",
             "response format '" + t + "' has no Messages equivalent; dropped");
}

}  // namespace

std::string encode_messages_request(Request request, Losses& losses,
                                    const EncodeOptions& options) {
    Json out = Json::object();
    ReleaseJsonOnExit release{out};
    out["model"] = request.model;
    std::int64_t max_tokens = options.default_max_tokens;
    if (request.max_output_tokens) {
        max_tokens = *request.max_output_tokens;
    } else {
        // max_tokens is required by Messages (protocols.md §4).
        add_loss(losses, Code::LossDefaultApplied, Severity::Info, "/max_output_tokens",
                 "no output limit in the source; max_tokens set to " + std::to_string(max_tokens));
    }
    out["max_tokens"] = max_tokens;
    encode_turns(request, out, losses);
    encode_tools(request, out, losses);
    encode_tool_choice(request, out);
    if (!request.stop.empty()) out["stop_sequences"] = request.stop;
    if (request.temperature) out["temperature"] = *request.temperature;
    if (request.top_p) out["top_p"] = *request.top_p;
    if (request.top_k) out["top_k"] = *request.top_k;
    if (request.stream) out["stream"] = true;
    if (!request.user.empty()) out["metadata"] = {{"user_id", request.user}};
    if (request.metadata.is_object() && !request.metadata.empty()) {
        add_loss(losses, Code::LossFieldDropped, Severity::Warn, "/metadata",
                 "Messages metadata holds only user_id; the other metadata was dropped");
    }
    encode_reasoning(request, max_tokens, out, losses);
    encode_response_format(request, out, losses);
    return dump_json(out);
}

}  // namespace wirecheck
