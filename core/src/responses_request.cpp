// Responses requests (POST /v1/responses) <-> canonical Request: input items grouped into turns,
// flat/custom/namespace/hosted tools, Codex's `additional_tools` items, and the request options.
//
// Sections: decoding (top level · input items · tools · options) · encoding (turns · tools ·
// options)
//
// Mapping decisions (protocols.md §2, §3):
// - `instructions` is a leading System turn; on encode a leading System turn made only of text
//   becomes `instructions` again, later System/Developer turns become system/developer messages.
// - Assistant-side items (assistant messages, function_call, custom_tool_call, reasoning) group
// into
//   one Assistant turn until a non-assistant item; each *_call_output item is its own Tool turn
//   (as Chat tool messages and Messages tool_result blocks are).
// - Stateful or cache-only options the canonical model has no place for (store, include,
//   prompt_cache_key, client_metadata, previous_response_id, ...) are recorded as losses; the
//   encoder always sends `store:false` (a translator is stateless) and asks for encrypted reasoning
//   when reasoning is on, as Codex does.
#include <algorithm>
#include <set>

#include "responses_common.hpp"
#include "wirecheck/json_writer.hpp"
#include "wirecheck/responses_codec.hpp"

namespace wirecheck {
namespace {

using namespace responses_detail;

// ==== decoding ===================================================================================

class RequestDecoder {
  public:
    explicit RequestDecoder(Losses& losses) : losses_(losses) {}

    Result<Request> run(JsonElement body) {
        if (auto s = expect_object(body, ""); !s) return s.error();
        if (auto s = decode_top(Fields::indexed(body)); !s) return s.error();
        return std::move(request_);
    }

  private:
    // ---- top level ------------------------------------------------------------------------------

    Status decode_top(const Fields& body) {
        if (auto s = read_string(body, "model", "", request_.model, true); !s) return s;
        std::string instructions;
        if (auto s = take_string(body, "instructions", "", instructions); !s) return s;
        if (!instructions.empty()) {
            request_.turns.push_back(
                Turn{Role::System, {TextPart{std::move(instructions), nullptr}}});
        }
        if (auto input = find_present(body, "input")) {
            if (auto s = decode_input(*input); !s) return s;
        }
        if (auto tools = find_present(body, "tools")) {
            if (auto s = expect_array(*tools, "/tools"); !s) return s;
            auto s = for_each_item(*tools, [&](auto& tool, std::size_t i) {
                return decode_tool(tool, pointer_join("/tools", i), "", request_.tools);
            });
            if (!s) return s;
        }
        if (auto choice = find_present(body, "tool_choice")) {
            if (auto s = decode_tool_choice(*choice); !s) return s;
        }
        if (auto s = decode_options(body); !s) return s;
        note_dropped_options(body);
        note_unknown_fields(body, "",
                            {"model",
                             "instructions",
                             "input",
                             "tools",
                             "tool_choice",
                             "parallel_tool_calls",
                             "temperature",
                             "top_p",
                             "max_output_tokens",
                             "stream",
                             "text",
                             "reasoning",
                             "metadata",
                             "user",
                             "store",
                             "include",
                             "prompt_cache_key",
                             "client_metadata",
                             "previous_response_id",
                             "truncation",
                             "service_tier",
                             "background",
                             "max_tool_calls",
                             "top_logprobs",
                             "safety_identifier",
                             "stream_options",
                             "prompt",
                             "conversation",
                             "prompt_cache_retention"},
                            losses_);
        return {};
    }

    // ---- input items ----------------------------------------------------------------------------

    Status decode_input(JsonElement input) {
        if (input.is_string()) {  // a string is one user message (protocols.md §2)
            request_.turns.push_back(Turn{Role::User, {TextPart{take_text(input), nullptr}}});
            return {};
        }
        if (!input.is_array()) return wrong_type("/input", "a string or an array", input);
        return for_each_item(input, [&](auto& item, std::size_t i) {
            return decode_item(item, pointer_join("/input", i));
        });
    }

    Status decode_item(JsonElement item, const std::string& at) {
        if (auto s = expect_object(item, at); !s) return s;
        auto type_field = find_field(item, "type");
        // EasyInputMessage: {role, content} without a type is a message.
        if (!type_field && find_field(item, "role")) return decode_message(item, at);
        std::string type;
        if (auto s = read_string(item, "type", at, type, true); !s) return s;
        if (type == "message") return decode_message(item, at);
        if (type == "function_call" || type == "custom_tool_call") {
            ToolCallPart call;
            if (auto s = decode_call_item(item, at, call, losses_); !s) return s;
            assistant_turn().parts.push_back(std::move(call));
            return {};
        }
        if (type == "reasoning") {
            ReasoningPart reasoning;
            if (auto s = decode_reasoning_item(item, at, reasoning, losses_); !s) return s;
            assistant_turn().parts.push_back(std::move(reasoning));
            return {};
        }
        if (type == "function_call_output") return decode_tool_output(item, at, ToolKind::Function);
        if (type == "custom_tool_call_output")
            return decode_tool_output(item, at, ToolKind::Custom);
        if (type == "additional_tools") return decode_additional_tools(item, at);
        if (is_known_unrepresentable_item(type)) {
            // Codex sends these back in its history (protocols.md §3); a server must accept them,
            // but the canonical model cannot hold them. item_reference points into server-side
            // storage, which a stateless translator cannot resolve.
            Severity severity = type == "item_reference" ? Severity::Error : Severity::Warn;
            add_loss(losses_, Code::LossPartDropped, severity, at,
                     "input item type \"" + type + "\" has no canonical form; dropped");
            return {};
        }
        return make_error(Code::JsonUnknownType, pointer_join(at, "type"),
                          "unknown input item type \"" + type + "\"");
    }

    Status decode_message(JsonElement item, const std::string& at) {
        std::string role_name;
        if (auto s = read_string(item, "role", at, role_name, true); !s) return s;
        std::optional<Role> role = role_from_name(role_name);
        if (!role) {
            return make_error(Code::JsonUnknownType, pointer_join(at, "role"),
                              "unknown message role \"" + role_name +
                                  "\" (expected user, system, developer or assistant)");
        }
        std::vector<Part> parts;
        auto content = find_field(item, "content");
        std::string content_at = pointer_join(at, "content");
        if (!content) return missing_field(content_at, "`content`");
        if (content->is_string()) {
            parts.push_back(TextPart{take_text(*content), nullptr});
        } else if (content->is_array()) {
            auto s = for_each_item(*content, [&](auto& part, std::size_t i) {
                return decode_content_part(part, pointer_join(content_at, i), parts, losses_);
            });
            if (!s) return s;
        } else {
            return wrong_type(content_at, "a string or an array", *content);
        }
        // Input message ids only matter to server-side storage; `status` is lifecycle state.
        note_unknown_fields(item, at, {"type", "id", "role", "content", "status"}, losses_);
        Turn& turn = *role == Role::Assistant ? assistant_turn() : new_turn(*role);
        for (auto& part : parts) turn.parts.push_back(std::move(part));
        return {};
    }

    Status decode_tool_output(JsonElement item, const std::string& at, ToolKind kind) {
        ToolResultPart result;
        result.kind = kind;
        if (auto s = read_string(item, "call_id", at, result.call_id, true); !s) return s;
        auto output = find_field(item, "output");
        std::string output_at = pointer_join(at, "output");
        if (!output) return missing_field(output_at, "`output`");
        if (output->is_string()) {
            result.content.push_back(ToolResultContent{TextPart{take_text(*output), nullptr}});
        } else if (output->is_array()) {
            // Codex sends arrays of input_text / input_image parts (protocols.md §2).
            auto s = for_each_item(*output, [&](auto& output_part, std::size_t i) -> Status {
                std::string part_at = pointer_join(output_at, i);
                std::vector<Part> parts;
                if (auto s = decode_content_part(output_part, part_at, parts, losses_); !s)
                    return s;
                for (auto& part : parts) {
                    if (auto* text = std::get_if<TextPart>(&part)) {
                        result.content.push_back(ToolResultContent{std::move(*text)});
                    } else if (auto* image = std::get_if<ImagePart>(&part)) {
                        result.content.push_back(ToolResultContent{std::move(*image)});
                    } else {
                        add_loss(losses_, Code::LossPartDropped, Severity::Warn, part_at,
                                 "a refusal inside a tool output has no canonical form; dropped");
                    }
                }
                return {};
            });
            if (!s) return s;
        } else {
            return wrong_type(output_at, "a string or an array", *output);
        }
        note_unknown_fields(item, at, {"type", "id", "call_id", "output", "status"}, losses_);
        tool_turn().parts.push_back(std::move(result));
        return {};
    }

    // Codex 0.169 declares its tools inside input[0] as {type:"additional_tools", role,
    // tools:[...]} (captures/codex-turn1.json). They join Request::tools; where they were declared
    // is lost.
    Status decode_additional_tools(JsonElement item, const std::string& at) {
        auto tools = find_field(item, "tools");
        std::string tools_at = pointer_join(at, "tools");
        if (!tools) return missing_field(tools_at, "array `tools`");
        if (auto s = expect_array(*tools, tools_at); !s) return s;
        std::size_t before = request_.tools.size();
        auto s = for_each_item(*tools, [&](auto& tool, std::size_t i) {
            return decode_tool(tool, pointer_join(tools_at, i), "", request_.tools);
        });
        if (!s) return s;
        add_loss(losses_, Code::LossValueMapped, Severity::Info, at,
                 "additional_tools item: " + std::to_string(request_.tools.size() - before) +
                     " tools moved to the request's tool list");
        note_unknown_fields(item, at, {"type", "id", "role", "tools"}, losses_);
        return {};
    }

    // ---- tools ----------------------------------------------------------------------------------

    Status decode_tool(JsonElement tool, const std::string& at, const std::string& name_space,
                       std::vector<Tool>& out) {
        if (auto s = expect_object(tool, at); !s) return s;
        std::string type;
        if (auto s = read_string(tool, "type", at, type, true); !s) return s;
        Tool t;
        t.name_space = name_space;
        if (type == "function" || type == "custom") {
            if (!find_field(tool, "name") && find_field(tool, "function")) {
                return missing_field(pointer_join(at, "name"),
                                     "string `name` (Responses tools are flat; this looks like the "
                                     "Chat Completions shape {type, function:{name,...}})");
            }
            if (auto s = read_string(tool, "name", at, t.name, true); !s) return s;
            if (auto s = take_string(tool, "description", at, t.description); !s) return s;
        }
        if (type == "function") {
            t.type = ToolType::Function;
            if (auto params = find_present(tool, "parameters")) {
                if (!params->is_object())
                    return wrong_type(pointer_join(at, "parameters"), "an object", *params);
                t.parameters = take_json_text(*params);
            }
            if (auto s = read_bool(tool, "strict", at, t.strict); !s) return s;
            note_unknown_fields(tool, at, {"type", "name", "description", "parameters", "strict"},
                                losses_);
        } else if (type == "custom") {
            t.type = ToolType::Custom;
            if (auto format = find_present(tool, "format")) {
                if (!format->is_object())
                    return wrong_type(pointer_join(at, "format"), "an object", *format);
                t.format = take_json(*format);
            }
            note_unknown_fields(tool, at, {"type", "name", "description", "format"}, losses_);
        } else if (type == "namespace") {
            return decode_namespace(tool, at, name_space, out);
        } else {
            // Hosted tools (web_search, local_shell, file_search, mcp, tool_search, ...) stay
            // opaque.
            t.type = ToolType::Hosted;
            t.name = type;
            if (auto name = find_present(tool, "name"); name && name->is_string()) {
                t.name = string_of(*name);
            }
            t.hosted = take_json(tool);
        }
        out.push_back(std::move(t));
        return {};
    }

    Status decode_namespace(JsonElement tool, const std::string& at, const std::string& outer,
                            std::vector<Tool>& out) {
        if (!outer.empty()) {
            return make_error(Code::JsonUnknownType, pointer_join(at, "type"),
                              "a namespace inside namespace \"" + outer + "\" is not allowed");
        }
        std::string name, description;
        if (auto s = read_string(tool, "name", at, name, true); !s) return s;
        if (auto s = read_string(tool, "description", at, description); !s) return s;
        auto tools = find_field(tool, "tools");
        std::string tools_at = pointer_join(at, "tools");
        if (!tools) return missing_field(tools_at, "array `tools`");
        if (auto s = expect_array(*tools, tools_at); !s) return s;
        auto s = for_each_item(*tools, [&](auto& inner, std::size_t i) {
            return decode_tool(inner, pointer_join(tools_at, i), name, out);
        });
        if (!s) return s;
        if (!description.empty()) {
            add_loss(losses_, Code::LossFieldDropped, Severity::Info,
                     pointer_join(at, "description"),
                     "namespace \"" + name + "\" description has no canonical field; dropped");
        }
        if (array_size(*tools) == 0) {
            add_loss(losses_, Code::LossToolDropped, Severity::Info, at,
                     "namespace \"" + name + "\" declares no tools; dropped");
        }
        note_unknown_fields(tool, at, {"type", "name", "description", "tools"}, losses_);
        return {};
    }

    Status decode_tool_choice(JsonElement choice) {
        ToolChoice tc;
        if (choice.is_string()) {
            std::string mode(string_of(choice));
            if (mode == "auto")
                tc.mode = ToolChoice::Mode::Auto;
            else if (mode == "none")
                tc.mode = ToolChoice::Mode::None;
            else if (mode == "required")
                tc.mode = ToolChoice::Mode::Required;
            else {
                return make_error(
                    Code::JsonUnknownType, "/tool_choice",
                    "unknown tool_choice \"" + mode + "\" (expected auto, none or required)");
            }
            request_.tool_choice = tc;
            return {};
        }
        if (!choice.is_object()) return wrong_type("/tool_choice", "a string or an object", choice);
        std::string type;
        if (auto s = read_string(choice, "type", "/tool_choice", type, true); !s) return s;
        if (type == "function" || type == "custom") {  // flat {type, name} (protocols.md §2)
            tc.mode = ToolChoice::Mode::Named;
            if (auto s = read_string(choice, "name", "/tool_choice", tc.name, true); !s) return s;
        } else if (type == "allowed_tools") {
            std::string mode = "auto";
            if (auto s = read_string(choice, "mode", "/tool_choice", mode); !s) return s;
            tc.mode = mode == "required" ? ToolChoice::Mode::Required : ToolChoice::Mode::Auto;
            add_loss(losses_, Code::LossValueMapped, Severity::Warn, "/tool_choice",
                     "allowed_tools restriction has no canonical form; mapped to \"" + mode + "\"");
        } else {
            // Forcing a hosted tool (web_search_preview, file_search, mcp, ...): the tool's
            // canonical name is its type (see decode_tool), so Named round-trips through
            // encode_tool_choice.
            tc.mode = ToolChoice::Mode::Named;
            tc.name = type;
            std::string name;
            if (auto s = read_string(choice, "name", "/tool_choice", name); !s) return s;
            if (!name.empty()) tc.name = name;
            add_loss(losses_, Code::LossValueMapped, Severity::Info, "/tool_choice",
                     "tool_choice for hosted tool \"" + type + "\" mapped to a named choice");
        }
        request_.tool_choice = tc;
        return {};
    }

    // ---- options --------------------------------------------------------------------------------

    Status decode_options(const Fields& body) {
        if (auto s = read_bool(body, "parallel_tool_calls", "", request_.parallel_tool_calls); !s)
            return s;
        if (auto s = read_number(body, "temperature", "", request_.temperature); !s) return s;
        if (auto s = read_number(body, "top_p", "", request_.top_p); !s) return s;
        if (auto s = read_int_lenient(body, "max_output_tokens", "", request_.max_output_tokens);
            !s)
            return s;
        std::optional<bool> stream;
        if (auto s = read_bool(body, "stream", "", stream); !s) return s;
        request_.stream = stream.value_or(false);
        // Responses streams always end with usage, so a translated stream should ask for it too.
        request_.stream_include_usage = request_.stream;
        if (auto s = read_string(body, "user", "", request_.user); !s) return s;
        if (auto metadata = find_present(body, "metadata")) {
            if (!metadata->is_object()) return wrong_type("/metadata", "an object", *metadata);
            request_.metadata = as_json(*metadata);
        }
        if (auto text = find_present(body, "text")) {
            if (auto s = decode_text(*text); !s) return s;
        }
        if (auto reasoning = find_present(body, "reasoning")) {
            if (auto s = decode_reasoning_config(*reasoning); !s) return s;
        }
        return {};
    }

    // text.format is flat in Responses ({type:"json_schema", name, schema, strict}), which is
    // exactly the canonical response_format shape (model.hpp), so it is kept as is.
    Status decode_text(JsonElement text) {
        if (auto s = expect_object(text, "/text"); !s) return s;
        if (auto format = find_present(text, "format")) {
            if (auto s = expect_object(*format, "/text/format"); !s) return s;
            std::string type;
            if (auto s = read_string(*format, "type", "/text/format", type, true); !s) return s;
            if (type != "text" && type != "json_object" && type != "json_schema") {
                return make_error(Code::JsonUnknownType, "/text/format/type",
                                  "unknown text format \"" + type +
                                      "\" (expected text, json_object or json_schema)");
            }
            request_.response_format = as_json(*format);
        }
        if (auto verbosity = find_present(text, "verbosity")) {
            std::string value = verbosity->is_string() ? std::string(string_of(*verbosity))
                                                       : dump_json(as_json(*verbosity));
            add_loss(losses_, Code::LossFieldDropped, Severity::Warn, "/text/verbosity",
                     "text.verbosity \"" + value + "\" has no canonical field; dropped");
        }
        note_unknown_fields(text, "/text", {"format", "verbosity"}, losses_);
        return {};
    }

    Status decode_reasoning_config(JsonElement reasoning) {
        if (auto s = expect_object(reasoning, "/reasoning"); !s) return s;
        ReasoningConfig config;
        if (auto s = read_string(reasoning, "effort", "/reasoning", config.effort); !s) return s;
        if (auto s = read_string(reasoning, "summary", "/reasoning", config.summary); !s) return s;
        if (config.summary.empty()) {  // generate_summary: the deprecated spelling of summary
            if (auto s = read_string(reasoning, "generate_summary", "/reasoning", config.summary);
                !s)
                return s;
        }
        note_unknown_fields(reasoning, "/reasoning", {"effort", "summary", "generate_summary"},
                            losses_);
        request_.reasoning = config;
        return {};
    }

    // Known options with no canonical field. Severity says what dropping them does: info when it
    // cannot change the model's output, warn when it can, error when the request cannot work
    // without server-side state (protocols.md §2: previous_response_id, stored prompts).
    void note_dropped_options(const Fields& body) {
        auto drop = [&](const char* key, Severity severity, const std::string& why) {
            if (!find_present(body, key)) return;
            add_loss(losses_, Code::LossFieldDropped, severity, pointer_join("", key),
                     std::string(key) + ": " + why);
        };
        auto store = find_present(body, "store");
        bool store_true = store && bool_of(*store) == true;
        drop("store", store_true ? Severity::Warn : Severity::Info,
             store_true ? "cannot be honoured by a stateless translator; not stored"
                        : "dropped (wirecheck never asks an upstream to store responses)");
        drop("include", include_is_reasoning_only(body) ? Severity::Info : Severity::Warn,
             "dropped (encrypted reasoning is requested again whenever reasoning is on)");
        drop("prompt_cache_key", Severity::Info, "cache routing hint dropped");
        drop("prompt_cache_retention", Severity::Info, "cache retention hint dropped");
        drop("client_metadata", Severity::Info, "client metadata dropped");
        drop("safety_identifier", Severity::Info, "dropped");
        drop("stream_options", Severity::Info, "dropped");
        drop("top_logprobs", Severity::Info, "logprobs are not carried; dropped");
        drop("service_tier", Severity::Warn, "dropped");
        drop("max_tool_calls", Severity::Warn, "no canonical limit on tool calls; dropped");
        drop("previous_response_id", Severity::Error,
             "refers to server-side state a stateless translator cannot replay; dropped");
        drop("conversation", Severity::Error,
             "refers to server-side state a stateless translator cannot replay; dropped");
        drop("prompt", Severity::Error, "a stored prompt template cannot be resolved; dropped");
        auto background = find_present(body, "background");
        if (background && bool_of(*background) == true) {
            drop("background", Severity::Warn, "background mode is not supported; dropped");
        }
        auto truncation = find_present(body, "truncation");
        bool auto_truncation =
            truncation && truncation->is_string() && string_of(*truncation) == "auto";
        drop("truncation", auto_truncation ? Severity::Warn : Severity::Info, "dropped");
    }

    static bool include_is_reasoning_only(const Fields& body) {
        auto include = find_present(body, "include");
        if (!include || !include->is_array()) return false;
        bool only = true;
        (void)for_each_item(*include, [&](const auto& v, std::size_t) -> Status {
            only = only && v.is_string() && string_of(v) == "reasoning.encrypted_content";
            return {};
        });
        return only;
    }

    // ---- turns ----------------------------------------------------------------------------------

    static std::optional<Role> role_from_name(const std::string& name) {
        if (name == "user") return Role::User;
        if (name == "system") return Role::System;
        if (name == "developer") return Role::Developer;
        if (name == "assistant") return Role::Assistant;
        return std::nullopt;
    }

    Turn& new_turn(Role role) {
        request_.turns.push_back(Turn{role, {}});
        return request_.turns.back();
    }
    Turn& assistant_turn() {
        if (request_.turns.empty() || request_.turns.back().role != Role::Assistant)
            return new_turn(Role::Assistant);
        return request_.turns.back();
    }
    // One Tool turn per output item, as the Chat and Messages decoders make one per result.
    Turn& tool_turn() { return new_turn(Role::Tool); }

    Losses& losses_;
    Request request_;
};

// ==== encoding ===================================================================================

std::string_view message_role(Role role) {
    switch (role) {
        case Role::System:
            return "system";
        case Role::Developer:
            return "developer";
        case Role::Assistant:
            return "assistant";
        case Role::User:
        case Role::Tool:
            return "user";
    }
    return "user";
}

// Writes the body as text in one pass (json_writer.hpp). Members come out in the order below;
// losses are recorded in the same order as they were when the body was a DOM.
class RequestEncoder {
  public:
    RequestEncoder(const Request& request, Losses& losses) : request_(request), losses_(losses) {}

    std::string run() {
        w_.begin_object();
        w_.key("model").string(request_.model);
        std::size_t first = encode_instructions();
        w_.key("input").begin_array();
        for (std::size_t t = first; t < request_.turns.size(); ++t) encode_turn(t);
        w_.end_array();
        encode_tools();
        encode_options();
        w_.end_object();
        return w_.take();
    }

  private:
    // ---- turns ----------------------------------------------------------------------------------

    // A leading System turn made only of text becomes `instructions` (several texts are joined).
    std::size_t encode_instructions() {
        if (request_.turns.empty() || request_.turns[0].role != Role::System) return 0;
        const Turn& turn = request_.turns[0];
        for (const Part& part : turn.parts) {
            // Not text only: sent as a system message instead.
            if (!std::holds_alternative<TextPart>(part)) return 0;
        }
        std::string joined;
        for (std::size_t j = 0; j < turn.parts.size(); ++j) {
            const auto& text = std::get<TextPart>(turn.parts[j]);
            if (j > 0) joined += "\n\n";
            joined += text.text;
            if (text.extras.is_object())
                note_foreign_extras(text, false, part_pointer(0, j), losses_);
        }
        if (turn.parts.size() > 1) {
            add_loss(
                losses_, Code::LossValueMapped, Severity::Info, "/turns/0",
                std::to_string(turn.parts.size()) + " system texts joined into `instructions`");
        }
        w_.key("instructions").string(joined);
        return 1;
    }

    // Consecutive content parts of a turn share one message item, opened by the first of them and
    // closed by the next item that is not content (a call, a result, reasoning) or the turn's end.
    void encode_turn(std::size_t t) {
        const Turn& turn = request_.turns[t];
        bool assistant = turn.role == Role::Assistant;
        if (turn.role == Role::Tool) {
            for (const auto& part : turn.parts) {
                if (!std::holds_alternative<ToolResultPart>(part)) {
                    add_loss(losses_, Code::LossValueMapped, Severity::Info, turn_pointer(t),
                             "content in a tool turn sent as a user message");
                    break;
                }
            }
        }
        bool message_open = false;
        auto content = [&]() -> JsonWriter& {
            if (!message_open) {
                w_.begin_object().key("type").string("message");
                w_.key("role").string(message_role(turn.role)).key("content").begin_array();
                message_open = true;
            }
            return w_;
        };
        auto close_message = [&] {
            if (message_open) w_.end_array().end_object();
            message_open = false;
        };
        for (std::size_t j = 0; j < turn.parts.size(); ++j) {
            // Only losses need the pointer: built on demand (callgrind: 6% of a 200-turn request).
            auto at = [&] { return part_pointer(t, j); };
            const Part& part = turn.parts[j];
            if (const auto* text = std::get_if<TextPart>(&part)) {
                if (text->extras.is_object()) note_foreign_extras(*text, assistant, at(), losses_);
                if (assistant) {
                    output_text_part(content(), *text);
                } else {
                    content().begin_object().key("type").string("input_text");
                    w_.key("text").string(text->text).end_object();
                }
            } else if (const auto* image = std::get_if<ImagePart>(&part)) {
                if (assistant) {
                    add_loss(losses_, Code::LossPartDropped, Severity::Warn, at(),
                             "Responses assistant messages cannot hold images; dropped");
                } else {
                    input_image(content(), *image);
                }
            } else if (const auto* refusal = std::get_if<RefusalPart>(&part)) {
                if (assistant) {
                    content().begin_object().key("type").string("refusal");
                    w_.key("refusal").string(refusal->text).end_object();
                } else {
                    add_loss(losses_, Code::LossPartDropped, Severity::Warn, at(),
                             "a refusal outside an assistant turn has no Responses form; dropped");
                }
            } else if (const auto* call = std::get_if<ToolCallPart>(&part)) {
                close_message();
                call_input_item(*call);
            } else if (const auto* result = std::get_if<ToolResultPart>(&part)) {
                close_message();
                tool_output_item(*result, at);
            } else if (const auto* reasoning = std::get_if<ReasoningPart>(&part)) {
                close_message();
                std::string id = reasoning->origin == Protocol::Responses ? reasoning->item_id : "";
                Json item = reasoning_item(*reasoning, id, at(), losses_);
                bool empty = item["summary"].empty() && !item.contains("content") &&
                             !item.contains("encrypted_content");
                if (empty && reasoning->origin != Protocol::Responses) {
                    add_loss(losses_, Code::LossReasoningDropped, Severity::Warn, at(),
                             "reasoning without text from " +
                                 std::string(protocol_name(reasoning->origin)) +
                                 " has nothing Responses can carry; dropped");
                } else {
                    w_.json(item);
                }
            }
        }
        close_message();
    }

    // The annotations travel with the text (extras of a Responses output_text).
    static void output_text_part(JsonWriter& w, const TextPart& text) {
        w.begin_object().key("type").string("output_text").key("text").string(text.text);
        const Json* annotations = find_field(text.extras, "annotations");
        w.key("annotations");
        if (annotations && annotations->is_array()) {
            w.json(*annotations);
        } else {
            w.begin_array().end_array();
        }
        w.key("logprobs").begin_array().end_array().end_object();
    }

    static void input_image(JsonWriter& w, const ImagePart& image) {
        w.begin_object().key("type").string("input_image");
        w.key("image_url").string(image_to_url(image));
        if (!image.detail.empty()) w.key("detail").string(image.detail);
        w.end_object();
    }

    // History calls carry no status; the item id only when the source had one (Codex sends none).
    void call_input_item(const ToolCallPart& call) {
        w_.begin_object().key("call_id").string(call.id).key("name").string(call.name);
        if (call.kind == ToolKind::Custom) {
            w_.key("type").string("custom_tool_call").key("input").string(call.arguments);
        } else {
            w_.key("type").string("function_call").key("arguments").string(call.arguments);
        }
        if (!call.item_id.empty()) w_.key("id").string(call.item_id);
        if (should_emit_namespace(call.name_space)) w_.key("namespace").string(call.name_space);
        w_.end_object();
    }

    // `output` is a string when the result is one text, else an array of input_text/input_image
    // parts (images in tool results are native here; peers.md §2.9). is_error has no field:
    // carried as an "Error: " prefix (peers.md §2.8).
    // `at()` makes the part's pointer, for losses only.
    template <class PointerOf>
    void tool_output_item(const ToolResultPart& result, const PointerOf& at) {
        w_.begin_object().key("type").string(result.kind == ToolKind::Custom
                                                  ? "custom_tool_call_output"
                                                  : "function_call_output");
        w_.key("call_id").string(result.call_id);
        if (result.extras.is_object()) note_foreign_extras(result.extras, at(), losses_);
        const std::vector<ToolResultContent>& content = result.content;
        for (std::size_t k = 0; k < content.size(); ++k) {
            const auto* text = std::get_if<TextPart>(&content[k].value);
            if (text && text->extras.is_object()) {
                note_foreign_extras(*text, false, pointer_join(pointer_join(at(), "content"), k),
                                    losses_);
            }
        }
        // With is_error, the first text gets the prefix (or an "Error" text leads).
        std::size_t prefixed = content.size();
        if (result.is_error) {
            add_loss(losses_, Code::LossIsErrorAsText, Severity::Info,
                     pointer_join(at(), "is_error"),
                     "Responses tool outputs have no error flag; carried as an \"Error: \" prefix");
            auto first_text =
                std::find_if(content.begin(), content.end(), [](const ToolResultContent& c) {
                    return std::holds_alternative<TextPart>(c.value);
                });
            prefixed = static_cast<std::size_t>(first_text - content.begin());
        }
        auto text_of = [&](std::size_t k) {
            const std::string& text = std::get<TextPart>(content[k].value).text;
            return k == prefixed ? "Error: " + text : text;
        };
        bool error_text_leads = result.is_error && prefixed == content.size();  // no text to prefix
        std::size_t parts = content.size() + (error_text_leads ? 1 : 0);
        w_.key("output");
        if (parts == 0) {
            w_.string("");
        } else if (parts == 1 && error_text_leads) {
            w_.string("Error");
        } else if (parts == 1 && std::holds_alternative<TextPart>(content[0].value)) {
            w_.string(text_of(0));
        } else {
            w_.begin_array();
            if (error_text_leads) {
                w_.begin_object().key("type").string("input_text").key("text").string("Error");
                w_.end_object();
            }
            for (std::size_t k = 0; k < content.size(); ++k) {
                if (std::holds_alternative<TextPart>(content[k].value)) {
                    w_.begin_object().key("type").string("input_text");
                    w_.key("text").string(text_of(k)).end_object();
                } else {
                    input_image(w_, std::get<ImagePart>(content[k].value));
                }
            }
            w_.end_array();
        }
        w_.end_object();
    }

    // ---- tools ----------------------------------------------------------------------------------

    // Tools of one namespace are regrouped under {type:"namespace"} at the first one's place: the
    // first pass decides what is sent (and records losses in tool order), the second writes.
    void encode_tools() {
        if (request_.tools.empty()) return;
        std::vector<bool> sent(request_.tools.size(), false);
        std::size_t strict_defaulted = 0;
        for (std::size_t i = 0; i < request_.tools.size(); ++i) {
            const Tool& tool = request_.tools[i];
            sent[i] = tool.type != ToolType::Hosted || is_responses_hosted_tool(tool.hosted);
            if (!sent[i]) {
                add_loss(losses_, Code::LossToolDropped, Severity::Warn, pointer_join("/tools", i),
                         "hosted tool \"" + tool.name + "\" is not a Responses tool; dropped");
            }
            if (tool.type == ToolType::Function && !tool.strict) ++strict_defaulted;
            if (tool.extras.is_object())
                note_foreign_extras(tool.extras, pointer_join("/tools", i), losses_);
        }
        w_.key("tools").begin_array();
        std::set<std::string_view> namespaces_written;
        for (std::size_t i = 0; i < request_.tools.size(); ++i) {
            const Tool& tool = request_.tools[i];
            if (!sent[i]) continue;
            if (tool.name_space.empty()) {
                encode_tool(tool);
                continue;
            }
            if (!namespaces_written.insert(tool.name_space).second) continue;
            w_.begin_object().key("type").string("namespace").key("name").string(tool.name_space);
            w_.key("description").string("").key("tools").begin_array();
            for (std::size_t k = i; k < request_.tools.size(); ++k) {
                if (sent[k] && request_.tools[k].name_space == tool.name_space)
                    encode_tool(request_.tools[k]);
            }
            w_.end_array().end_object();
        }
        w_.end_array();
        if (strict_defaulted > 0) {
            // Responses treats a function tool without `strict` as strict, which rewrites optional
            // parameters to required (peers.md §2.25); canonical "unset" means non-strict.
            add_loss(losses_, Code::LossDefaultApplied, Severity::Info, "/tools",
                     std::to_string(strict_defaulted) +
                         " function tools without `strict` sent with strict:false");
        }
    }

    void encode_tool(const Tool& tool) {
        switch (tool.type) {
            case ToolType::Function:
                w_.begin_object().key("type").string("function").key("name").string(tool.name);
                if (!tool.description.empty()) w_.key("description").string(tool.description);
                w_.key("parameters").json(tool.parameters);
                w_.key("strict").boolean(tool.strict.value_or(false)).end_object();
                return;
            case ToolType::Custom:
                w_.begin_object().key("type").string("custom").key("name").string(tool.name);
                if (!tool.description.empty()) w_.key("description").string(tool.description);
                if (!tool.format.is_null()) w_.key("format").json(tool.format);
                w_.end_object();
                return;
            case ToolType::Hosted:
                w_.json(tool.hosted);
                return;
        }
    }

    // Responses hosted tools pass through opaque. Anthropic server tools carry a date suffix
    // (web_search_20250305, bash_20250124) and mean nothing to a Responses server.
    static bool is_responses_hosted_tool(const Json& hosted) {
        const Json* type = find_field(hosted, "type");
        if (!type || !type->is_string()) return false;
        const std::string& name = type->get_ref<const std::string&>();
        if (name.size() < 9) return true;
        std::string_view tail(name.data() + name.size() - 9, 9);  // "_20YYMMDD"
        bool dated =
            tail[0] == '_' && tail[1] == '2' && tail[2] == '0' &&
            std::all_of(tail.begin() + 3, tail.end(), [](char c) { return c >= '0' && c <= '9'; });
        return !dated;
    }

    void encode_tool_choice(const ToolChoice& choice) {
        w_.key("tool_choice");
        switch (choice.mode) {
            case ToolChoice::Mode::Auto:
                w_.string("auto");
                return;
            case ToolChoice::Mode::None:
                w_.string("none");
                return;
            case ToolChoice::Mode::Required:
                w_.string("required");
                return;
            case ToolChoice::Mode::Named:
                break;
        }
        std::string_view type = "function", name = choice.name;
        for (const Tool& tool : request_.tools) {
            if (tool.name != choice.name && tool.flat_name() != choice.name) continue;
            name = tool.name;
            if (tool.type == ToolType::Custom) type = "custom";
            if (tool.type == ToolType::Hosted) {
                // A hosted tool is chosen by its type alone.
                w_.begin_object().key("type");
                if (const Json* hosted_type = find_field(tool.hosted, "type")) {
                    w_.json(*hosted_type);
                } else {
                    w_.string("function").key("name").string(tool.name);
                }
                w_.end_object();
                return;
            }
            break;
        }
        w_.begin_object().key("type").string(type).key("name").string(name).end_object();
    }

    // ---- options --------------------------------------------------------------------------------

    void encode_options() {
        if (request_.tool_choice) encode_tool_choice(*request_.tool_choice);
        if (request_.parallel_tool_calls)
            w_.key("parallel_tool_calls").boolean(*request_.parallel_tool_calls);
        if (request_.temperature) w_.key("temperature").number(*request_.temperature);
        if (request_.top_p) w_.key("top_p").number(*request_.top_p);
        if (request_.max_output_tokens)
            w_.key("max_output_tokens").integer(*request_.max_output_tokens);
        w_.key("stream").boolean(request_.stream);
        if (!request_.response_format.is_null())
            w_.key("text").begin_object().key("format").json(request_.response_format).end_object();
        bool reasoning_on = encode_reasoning();
        if (reasoning_on || has_responses_encrypted_reasoning()) {
            // With store:false, reasoning only survives between turns as encrypted content (§3).
            w_.key("include").begin_array().string("reasoning.encrypted_content").end_array();
        }
        w_.key("store").boolean(false);  // a translator is stateless: never ask an upstream to store
        if (request_.metadata.is_object() && !request_.metadata.empty())
            w_.key("metadata").json(request_.metadata);
        if (!request_.user.empty()) w_.key("user").string(request_.user);
        if (request_.top_k) {
            add_loss(losses_, Code::LossFieldDropped, Severity::Warn, "/top_k",
                     "Responses has no top_k; dropped");
        }
        if (!request_.stop.empty()) {
            add_loss(losses_, Code::LossFieldDropped, Severity::Warn, "/stop",
                     "Responses has no stop sequences; " + std::to_string(request_.stop.size()) +
                         " dropped");
        }
    }

    bool encode_reasoning() {
        if (!request_.reasoning) return false;
        const ReasoningConfig& config = *request_.reasoning;
        if (config.enabled && !*config.enabled) {
            add_loss(losses_, Code::LossFieldDropped, Severity::Info, "/reasoning/enabled",
                     "Responses has no switch to turn reasoning off; reasoning settings omitted");
            return false;
        }
        w_.key("reasoning").begin_object();
        if (!config.effort.empty()) {
            w_.key("effort").string(config.effort);
        } else if (config.budget_tokens) {
            // A token budget (Messages thinking) becomes the nearest effort bucket.
            std::int64_t budget = *config.budget_tokens;
            std::string effort = budget <= 2048 ? "low" : budget <= 8192 ? "medium" : "high";
            w_.key("effort").string(effort);
            add_loss(losses_, Code::LossValueMapped, Severity::Info, "/reasoning/budget_tokens",
                     "thinking budget " + std::to_string(budget) + " tokens mapped to effort \"" +
                         effort + "\"");
        }
        if (!config.summary.empty()) w_.key("summary").string(config.summary);
        w_.end_object();
        return true;
    }

    bool has_responses_encrypted_reasoning() const {
        for (const Turn& turn : request_.turns) {
            for (const Part& part : turn.parts) {
                const auto* r = std::get_if<ReasoningPart>(&part);
                if (r && r->origin == Protocol::Responses && !r->encrypted_content.empty())
                    return true;
            }
        }
        return false;
    }

    static std::string turn_pointer(std::size_t t) { return pointer_join("/turns", t); }
    static std::string part_pointer(std::size_t t, std::size_t j) {
        return pointer_join(pointer_join(turn_pointer(t), "parts"), j);
    }

    const Request& request_;
    Losses& losses_;
    JsonWriter w_;
};

}  // namespace

Result<Request> decode_responses_request(JsonElement body, Losses& losses) {
    return RequestDecoder(losses).run(body);
}

Result<Request> decode_responses_request(Json body, Losses& losses) {
    return decode_request(Protocol::Responses, std::move(body), losses);  // from its text
}

std::string encode_responses_request(const Request& request, Losses& losses,
                                     const EncodeOptions& /*options*/) {
    return RequestEncoder(request, losses).run();
}

}  // namespace wirecheck
