// The simulated endpoints over real HTTP in `wirecheck serve`: every built-in scenario (core/sim,
// assets/scenarios/*.json) at /sim/<scenario>/v1/..., streams included, so curl, the browser page
// and real clients (Codex, Claude Code, SDKs) can talk to them.
#pragma once

namespace httplib {
class Server;
}

namespace wirecheck::cli {

// Installs the /sim routes: GET /sim/ (the scenario list), GET|HEAD /sim/<s>/ and
// /sim/<s>/v1/models, POST /sim/<s>/v1/{chat/completions,responses,messages,messages/count_tokens},
// OPTIONS (CORS preflight). Unknown scenarios get a 404 listing the available ones. Call it before
// any catch-all route (httplib tries routes in the order they were added).
void add_sim_routes(httplib::Server& server);

}  // namespace wirecheck::cli
