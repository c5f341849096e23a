// Names of the canonical enums, as used in messages, reports and the CLI.
#include "wirecheck/loss.hpp"
#include "wirecheck/model.hpp"

namespace wirecheck {

std::string_view protocol_name(Protocol p) {
    switch (p) {
        case Protocol::Chat: return "chat";
        case Protocol::Responses: return "responses";
        case Protocol::Messages: return "messages";
    }
    return "?";
}

std::string_view role_name(Role r) {
    switch (r) {
        case Role::System: return "system";
        case Role::Developer: return "developer";
        case Role::User: return "user";
        case Role::Assistant: return "assistant";
        case Role::Tool: return "tool";
    }
    return "?";
}

std::string_view stop_reason_name(StopReason r) {
    switch (r) {
        case StopReason::EndTurn: return "end_turn";
        case StopReason::MaxTokens: return "max_tokens";
        case StopReason::ToolUse: return "tool_use";
        case StopReason::StopSequence: return "stop_sequence";
        case StopReason::ContentFilter: return "content_filter";
        case StopReason::Refusal: return "refusal";
        case StopReason::PauseTurn: return "pause_turn";
        case StopReason::ContextWindow: return "context_window";
        case StopReason::Error: return "error";
        case StopReason::Unknown: return "unknown";
    }
    return "?";
}

std::string_view severity_name(Severity s) {
    switch (s) {
        case Severity::Info: return "info";
        case Severity::Warn: return "warn";
        case Severity::Error: return "error";
    }
    return "?";
}

std::string flat_tool_name(std::string_view name_space, std::string_view name) {
    if (name_space.empty() || name_space == "functions") return std::string(name);
    std::string out(name_space);
    out += "__";
    out.append(name.data(), name.size());
    return out;
}

std::string Tool::flat_name() const { return flat_tool_name(name_space, name); }

}  // namespace wirecheck
