// The protocol adapters of `wirecheck serve --upstream URL --upstream-protocol P`: /v1/responses,
// /v1/messages (+ /v1/messages/count_tokens), /v1/chat/completions and /v1/models on the serve
// port, each request translated to the upstream's protocol and the reply (JSON or stream)
// translated back. All protocol work is the core's adapter flow (translate.hpp:
// translate_client_request, translate_response, StreamTranslator), the same code the playground's
// adapter steps run; this file only does HTTP (httplib in front, libcurl to the upstream).
#pragma once

#include <string>
#include <vector>

#include "upstream.hpp"
#include "wirecheck/model.hpp"

namespace httplib {
class Server;
}

namespace wirecheck::cli {

// --model-map FROM=TO: a client model id rewritten before the request goes upstream. FROM may end
// in '*' (a prefix: "claude-*"), or be just "*" (every model). Exact entries win over prefixes.
struct ModelMapping {
    std::string from;
    std::string to;
};

struct AdapterOptions {
    std::string upstream;  // base URL, with or without /v1 ("" = no adapters)
    Protocol upstream_protocol = Protocol::Chat;
    // The upstream key, read from the environment variable named by --upstream-key-env (never from
    // the command line, never logged). Empty: the client's own Authorization / x-api-key is
    // forwarded.
    std::string upstream_key;
    std::string upstream_key_env;  // the variable's name, for the startup text
    std::vector<ModelMapping> model_map;
    UpstreamTimeouts timeouts;
    // A stream whose upstream is quiet this long gets an SSE comment, so a client that went away
    // is noticed (and the upstream request cancelled) even before the next event. 0 = never.
    int keepalive_ms = 10000;
    bool log = false;  // one line per request on stderr (method, path, status, time; no bodies)

    bool enabled() const { return !upstream.empty(); }
};

// Parses FROM=TO entries; false with a message naming the bad one.
bool parse_model_map(const std::vector<std::string>& entries, std::vector<ModelMapping>& out,
                     std::string& error);
// The upstream model for a client model ("" in, or no match: unchanged).
std::string map_model(const std::vector<ModelMapping>& map, const std::string& model);

// Installs POST /v1/responses, /v1/messages, /v1/messages/count_tokens, /v1/chat/completions and
// GET /v1/models (a query such as ?beta=true is accepted). With answer_root also GET|HEAD / (Claude
// Code sends HEAD <base> first; leave it false when the playground's site answers /). Call it
// before any catch-all route.
void add_adapter_routes(httplib::Server& server, const AdapterOptions& options, bool answer_root);

// What `wirecheck serve` prints at startup: the endpoints, and the Codex config.toml / Claude Code
// environment lines that point the clients at them. `base` is the server's URL ("http://h:p/").
std::string adapter_banner(const AdapterOptions& options, const std::string& base);

}  // namespace wirecheck::cli
