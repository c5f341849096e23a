// /sim/<scenario>/... in `wirecheck serve`: hands each request to the scenario's Simulator and
// delivers its SimReply over HTTP: JSON in one piece, streams with chunked transfer encoding, one
// SSE event per chunk, sleeping delay_ms_per_chunk before each and closing the connection without
// the final chunk when the scenario drops mid-stream.
//
// CORS: the simulator adds Access-Control-Allow-Origin for every scenario except cors-blocked. A
// SimReply's `failure` (cors-blocked) is meant for in-process browser front ends; over real HTTP
// the reply simply goes out without CORS headers, so a browser blocks it and curl does not.
#include "sim_routes.hpp"

#include <httplib.h>

#include <chrono>
#include <map>
#include <memory>
#include <thread>

#include "wirecheck/sim.hpp"

namespace wirecheck::cli {
namespace {

using Simulators = std::map<std::string, Simulator, std::less<>>;

std::shared_ptr<const Simulators> load_simulators() {
    auto sims = std::make_shared<Simulators>();
    for (const BuiltinScenario& s : builtin_scenarios()) {
        if (auto sim = builtin_simulator(s.name)) sims->emplace(s.name, std::move(*sim));
    }
    return sims;
}

Json scenario_list() {
    Json list = Json::array();
    for (const BuiltinScenario& s : builtin_scenarios()) {
        list.push_back({{"name", s.name},
                        {"description", s.description},
                        {"base_url", "/sim/" + s.name + "/v1"}});
    }
    return list;
}

void send_json(httplib::Response& res, int status, const Json& body) {
    res.status = status;
    res.set_header("Access-Control-Allow-Origin", "*");
    res.set_content(body.dump(2, ' ', false, Json::error_handler_t::replace) + "\n",
                    "application/json");
}

void unknown_scenario(httplib::Response& res, const std::string& name) {
    std::string names;
    for (const BuiltinScenario& s : builtin_scenarios())
        names += (names.empty() ? "" : ", ") + s.name;
    send_json(res, 404,
              {{"error",
                {{"message", "unknown scenario '" + name + "'; available: " + names},
                 {"type", "invalid_request_error"},
                 {"code", "unknown_scenario"}}},
               {"scenarios", scenario_list()}});
}

// Streams (and anything paced or dropped) go out chunk by chunk; plain JSON in one piece.
void deliver(SimReply reply, httplib::Response& res) {
    res.status = reply.status;
    std::string content_type(header_value(reply.headers, "Content-Type"));
    for (const auto& [name, value] : reply.headers) {
        if (name != "Content-Type") res.set_header(name, value);
    }
    bool paced = content_type.rfind("text/event-stream", 0) == 0 || reply.delay_ms_per_chunk > 0 ||
                 reply.drop_after_chunks;
    if (!paced) {
        if (!content_type.empty() || !reply.chunks.empty())
            res.set_content(reply.body(), content_type);
        return;
    }
    // httplib compresses text/* for clients that accept gzip/br, and a compressor holds chunks
    // back until it has enough; it leaves exactly "text/event-stream" alone. SSE from the
    // simulator carries "; charset=utf-8", so name the bare type to keep events flowing.
    if (content_type.rfind("text/event-stream", 0) == 0) content_type = "text/event-stream";
    auto shared = std::make_shared<SimReply>(std::move(reply));
    auto next = std::make_shared<std::size_t>(0);
    res.set_chunked_content_provider(content_type, [shared, next](std::size_t,
                                                                  httplib::DataSink& sink) {
        if (*next < shared->chunks.size()) {
            if (shared->delay_ms_per_chunk > 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(shared->delay_ms_per_chunk));
            const std::string& chunk = shared->chunks[(*next)++];
            return sink.write(chunk.data(), chunk.size());
        }
        if (shared->drop_after_chunks) return false;  // close without the terminating chunk
        sink.done();
        return true;
    });
}

}  // namespace

void add_sim_routes(httplib::Server& server) {
    auto sims = load_simulators();
    auto handler = [sims](const httplib::Request& req, httplib::Response& res) {
        std::string name = req.matches[1];
        std::string path = req.matches[2];
        auto it = sims->find(name);
        if (it == sims->end()) return unknown_scenario(res, name);
        HttpHeaders headers(req.headers.begin(), req.headers.end());
        deliver(it->second.handle(req.method, path.empty() ? "/" : path, headers, req.body), res);
    };
    const char* pattern = R"(/sim/([^/]+)(/.*)?)";
    server.Get(R"(/sim/?)", [](const httplib::Request&, httplib::Response& res) {
        send_json(res, 200, {{"scenarios", scenario_list()}});
    });
    server.Get(pattern, handler);  // httplib routes HEAD here too
    server.Post(pattern, handler);
    server.Options(pattern, handler);
}

}  // namespace wirecheck::cli
