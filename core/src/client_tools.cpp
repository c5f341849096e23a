// Restores upstream tool calls to the client's tool shapes (see client_tools.hpp): namespaces and
// original names back, custom calls unwrapped from {"input": ...}, in responses and streams.
#include "wirecheck/client_tools.hpp"

namespace wirecheck {
namespace {

std::string string_field(const Json& obj, const char* key) {
    if (!obj.is_object()) return "";
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// The (namespace, name) the upstream's request encoder gives `tool`, read back from what it
// writes, so flattening and sanitising rules stay in the codecs. False for dropped (hosted) tools.
bool wire_name_of(const Tool& tool, Protocol upstream, std::string& flat) {
    if (tool.type == ToolType::Hosted) return false;
    Request probe;
    probe.tools.push_back(tool);
    Losses scratch;  // the request's own translation already reported these
    Result<Json> parsed = parse_json(encode_request(upstream, std::move(probe), scratch));
    if (!parsed.ok()) return false;
    const Json& body = parsed.value();
    auto tools = body.find("tools");
    if (tools == body.end() || !tools->is_array() || tools->empty()) return false;
    const Json* wire = &(*tools)[0];
    std::string name_space;
    if (string_field(*wire, "type") == "namespace") {  // Responses regroups namespaced tools
        name_space = string_field(*wire, "name");
        auto inner = wire->find("tools");
        if (inner == wire->end() || !inner->is_array() || inner->empty()) return false;
        wire = &(*inner)[0];
    }
    if (auto fn = wire->find("function"); fn != wire->end() && fn->is_object()) wire = &*fn;
    std::string name = string_field(*wire, "name");
    if (name.empty()) return false;
    flat = flat_tool_name(name_space, name);
    return true;
}

}  // namespace

std::vector<Tool> tool_identities(const std::vector<Tool>& tools) {
    std::vector<Tool> out;
    out.reserve(tools.size());
    for (const Tool& tool : tools) {
        Tool& named = out.emplace_back();
        named.type = tool.type;
        named.name = tool.name;
        named.name_space = tool.name_space;
    }
    return out;
}

ClientTools::ClientTools(const std::vector<Tool>& tools, Protocol upstream)
    : tools_(tool_identities(tools)), upstream_(upstream) {}

const Tool* ClientTools::find(const ToolCallPart& call) const {
    if (!indexed_) {
        indexed_ = true;
        for (std::size_t i = 0; i < tools_.size(); ++i) {
            std::string flat;
            // The first tool of a name wins.
            if (wire_name_of(tools_[i], upstream_, flat)) by_wire_name_.emplace(flat, i);
        }
    }
    auto it = by_wire_name_.find(flat_tool_name(call.name_space, call.name));
    return it == by_wire_name_.end() ? nullptr : &tools_[it->second];
}

bool restore_call_identity(const ClientTools& tools, ToolCallPart& call) {
    const Tool* tool = tools.find(call);
    if (!tool) return false;
    call.name = tool->name;
    call.name_space = tool->name_space;
    if (tool->type != ToolType::Custom || call.kind == ToolKind::Custom) return false;
    call.kind = ToolKind::Custom;
    return true;
}

std::string unwrap_custom_input(const std::string& arguments, const std::string& pointer,
                                Losses& losses) {
    auto parsed = parse_json(arguments);
    if (parsed.ok() && parsed->is_object()) {
        auto input = parsed->find("input");
        if (input != parsed->end() && input->is_string()) return input->get<std::string>();
    }
    add_loss(losses, Code::LossValueMapped, Severity::Warn, pointer,
             "arguments of a call to a custom tool are not {\"input\": \"...\"}; passed on "
             "verbatim as the raw input");
    return arguments;
}

void restore_client_tool_calls(Response& response, const ClientTools& tools, Losses& losses) {
    for (std::size_t i = 0; i < response.output.size(); ++i) {
        auto* call = std::get_if<ToolCallPart>(&response.output[i]);
        if (call && restore_call_identity(tools, *call)) {
            call->arguments =
                unwrap_custom_input(call->arguments, pointer_join("/output", i), losses);
        }
    }
}

void ClientToolCallRestorer::feed(const StreamEvent& event, std::vector<StreamEvent>& out,
                                  Losses& losses) {
    using Kind = StreamEvent::Kind;
    if (event.kind == Kind::PartStart && event.part_type == PartType::ToolCall) {
        Held held{event.tool_call, false, {}};
        held.unwrap = restore_call_identity(tools_, held.call);
        StreamEvent start = event;
        start.tool_call = held.call;
        calls_[event.index] = std::move(held);
        out.push_back(std::move(start));
        return;
    }
    auto it = calls_.find(event.index);
    bool held_call = it != calls_.end() && event.part_type == PartType::ToolCall;
    if (held_call && event.kind == Kind::ArgumentsDelta && it->second.unwrap) {
        it->second.buffer += event.text;  // the raw input is only known once the call is complete
        return;
    }
    if (!held_call || event.kind != Kind::PartEnd) {
        out.push_back(event);
        return;
    }
    Held held = std::move(it->second);
    calls_.erase(it);
    StreamEvent end = event;
    std::string arguments = event.tool_call.arguments;
    if (held.unwrap) {
        const std::string& wrapped = held.buffer.empty() ? event.tool_call.arguments : held.buffer;
        arguments = unwrap_custom_input(wrapped, pointer_join("/parts", event.index), losses);
        if (!arguments.empty()) {
            StreamEvent delta = event;
            delta.kind = Kind::ArgumentsDelta;
            delta.text = arguments;
            delta.tool_call = ToolCallPart{};
            out.push_back(std::move(delta));
        }
    }
    end.tool_call = held.call;
    end.tool_call.arguments = arguments;
    out.push_back(std::move(end));
}

}  // namespace wirecheck
