// Turning an upstream's tool calls back into the calls the CLIENT's tools expect. When a client
// request is translated for an upstream, custom (freeform) tools become functions with one string
// parameter `input` and namespaced tools get flat names (model.hpp conventions); the upstream then
// calls those. Given the client's canonical tools, these helpers undo both on the way back: the
// call gets its namespace and original name again, and a call to a custom tool becomes a custom
// call with the raw input unwrapped from `{"input": ...}` (Codex aborts on a function_call for a
// custom tool, peers.md §2.27).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "wirecheck/codec.hpp"

namespace wirecheck {

// Type, name and namespace of each tool: all that restoring calls needs (copying schemas and
// descriptions too cost more than translating the whole request).
std::vector<Tool> tool_identities(const std::vector<Tool>& tools);

// The client's tools indexed by the name the upstream knows them by: the name the upstream's
// request encoder gave each tool (flattened, sanitised), so restoration never guesses.
class ClientTools {
public:
    ClientTools() = default;
    ClientTools(const std::vector<Tool>& tools, Protocol upstream);

    // The client tool a call of the upstream refers to, or nullptr (unknown or hosted tool).
    // Builds the index on first use: learning the wire names encodes every tool (~7 us each), which
    // a text-only reply never needs and a stream should not pay before its first byte.
    const Tool* find(const ToolCallPart& call) const;

private:
    std::vector<Tool> tools_;  // type, name and namespace only: what restoring a call needs
    Protocol upstream_ = Protocol::Chat;
    mutable bool indexed_ = false;
    mutable std::map<std::string, std::size_t> by_wire_name_;  // flat wire name -> tools_ index
};

// Restores one call in place. Returns true when the call's arguments must be unwrapped from
// {"input": ...}, i.e. the client's tool is custom but the upstream called a function.
bool restore_call_identity(const ClientTools& tools, ToolCallPart& call);

// Unwraps the raw input of a custom call from function arguments {"input":"<raw>"}. Arguments of
// another shape are passed on verbatim as the raw input, recorded as loss.value_mapped (warn).
std::string unwrap_custom_input(const std::string& arguments, const std::string& pointer,
                                Losses& losses);

// Restores every tool call of a response (non-streaming).
void restore_client_tool_calls(Response& response, const ClientTools& tools, Losses& losses);

// The same for a canonical event stream. Calls that need unwrapping are held back: their argument
// deltas are buffered until the call's PartEnd, then the raw input goes out as one delta.
class ClientToolCallRestorer {
public:
    explicit ClientToolCallRestorer(ClientTools tools) : tools_(std::move(tools)) {}
    void feed(const StreamEvent& event, std::vector<StreamEvent>& out, Losses& losses);

private:
    struct Held {
        ToolCallPart call;   // restored identity
        bool unwrap = false;
        std::string buffer;  // arguments seen so far, when unwrapping
    };
    ClientTools tools_;
    std::map<std::size_t, Held> calls_;  // open tool-call parts by canonical index
};

}  // namespace wirecheck
