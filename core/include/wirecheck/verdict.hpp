// Verdicts: per client (Codex CLI, Claude Code, plain Chat SDK apps), whether the probed endpoint
// is READY / READY WITH LIMITATIONS / NOT READY / READY VIA ADAPTER, with the steps and findings
// it rests on and what to do. Also the protocol-layer comparison model with measured results.
// Rules are data (client_rules()); docs/findings.md explains them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wirecheck/findings.hpp"
#include "wirecheck/probe.hpp"

namespace wirecheck {

enum class Client { Codex, ClaudeCode, Chat };
std::string_view client_name(Client c);   // "codex", "claude-code", "chat"
// "Codex CLI", "Claude Code", "Chat SDK apps".
std::string_view client_title(Client c, Language lang = Language::English);

// What a client needs. A required step that fails makes the native verdict NOT READY; an
// important step that fails, or a warning on a required/important step, limits it; advisory steps
// only feed recommendations. When the native verdict is NOT READY and the adapter step passed,
// the client is READY VIA ADAPTER.
struct ClientRule {
    Client client;
    std::vector<std::string_view> required;
    std::vector<std::string_view> important;
    std::vector<std::string_view> advisory;
    std::string_view adapter_step;  // "" = none
};
const std::vector<ClientRule>& client_rules();

// Where the endpoints are (no key), for recommendations such as a Codex config.toml block.
struct ProbeTarget {
    std::string base_url;  // as configured
    std::string chat_url;  // full endpoint URLs
    std::string responses_url;
    std::string messages_url;
    std::string models_url;
    std::string model;
};
ProbeTarget probe_target(const ProbeConfig& config);

struct Verdict {
    Client client = Client::Chat;
    Code level = Code::VerdictNotReady;         // overall, adapter included
    Code native_level = Code::VerdictNotReady;  // the endpoint as it is
    std::string summary;                        // one line, in the language asked for
    std::vector<std::string> steps;    // the steps it rests on (required, important, adapter)
    std::vector<std::string> not_run;  // needed steps that were not part of this run
    std::vector<Finding> findings;     // the findings that decided it (warn and error)
    std::vector<std::string> recommendations;  // Markdown-friendly text (may hold code blocks)
};

// Verdicts for the clients whose steps were run (a client with none of its steps run gets none).
// Summaries and recommendations are written in `lang`; finding messages stay English (they quote
// what was seen), the Chinese text names each finding by its translated title.
std::vector<Verdict> evaluate_verdicts(const std::vector<StepEvidence>& steps,
                                       const ProbeTarget& target,
                                       Language lang = Language::English);

// One row of the protocol-layer comparison model.
struct LayerRow {
    Protocol protocol = Protocol::Chat;
    std::string endpoint;    // "/v1/chat/completions"
    std::string name;        // "OpenAI Chat Completions"
    std::string clients;     // typical clients
    std::string structure;   // the core data structure
    std::string adaptation;  // what makes adapting to it hard
    std::string measured;    // this endpoint's measured result, e.g. "4/4 steps passed"
    Code measured_level =
        Code::VerdictNotReady;  // READY / LIMITED / NOT READY for the layer itself
    bool probed = false;  // false: none of the layer's steps ran ("not probed")
};
// The static part mirrors assets/layers.json (a test keeps them equal).
std::vector<LayerRow> protocol_layers(const std::vector<StepEvidence>& steps,
                                      Language lang = Language::English);

}  // namespace wirecheck
