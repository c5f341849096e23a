// Test helpers around ProbeRun: drive a run against an in-process Simulator or a scripted
// responder (core's SimTransport: virtual clock, deterministic interleaving, timeouts), and look
// up steps, findings and verdicts.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "wirecheck/probe.hpp"
#include "wirecheck/report.hpp"
#include "wirecheck/sim.hpp"
#include "wirecheck/sim_transport.hpp"

namespace wirecheck::test {

inline constexpr const char* kSimBase = "http://sim.test";
inline constexpr const char* kTestKey = "sk-wirecheck-SECRET-0123456789abcdef";

using Responder = SimResponder;

inline std::string path_of(const std::string& url) { return url_path(url); }
inline Responder sim_responder(const Simulator& sim) { return simulator_responder(sim); }

struct DriveLog {
    std::vector<HttpRequest> requests;  // as handed out (they carry the real key)
    int max_in_flight = 0;
    std::vector<int> timed_out;
};

// Runs `run` to the end on core's SimTransport. `browser`: SimReply.failure is reported as
// on_failure (a web page's view); otherwise the reply is delivered as the server sent it.
inline DriveLog drive(ProbeRun& run, const Responder& respond, bool browser = false) {
    SimTransport transport(respond, browser);
    transport.run_to_end(run);
    EXPECT_TRUE(run.finished()) << "the run did not finish";
    return DriveLog{transport.requests(), transport.max_in_flight(), transport.timed_out()};
}

inline ProbeConfig sim_config(const std::string& model, std::vector<std::string> steps = {}) {
    ProbeConfig config;
    config.base_url = kSimBase;
    config.api_key = kTestKey;
    config.model = model;
    config.steps = std::move(steps);
    return config;
}

// Runs the suite (or `steps`) against a built-in scenario with its first model.
inline ProbeRun run_scenario(const std::string& scenario, std::vector<std::string> steps = {},
                             bool browser = false, DriveLog* log_out = nullptr) {
    std::optional<Simulator> sim = builtin_simulator(scenario);
    EXPECT_TRUE(sim.has_value()) << "no built-in scenario " << scenario;
    std::string model = sim && !sim->model_ids().empty() ? sim->model_ids()[0] : "model";
    ProbeConfig config = sim_config(model, std::move(steps));
    config.browser = browser;
    auto run = ProbeRun::create(config);
    EXPECT_TRUE(run.ok());
    if (sim) {
        DriveLog log = drive(run.value(), sim_responder(*sim), browser);
        if (log_out) *log_out = std::move(log);
    }
    return std::move(run.value());
}

// ---- scripted replies (a test's hand-made answers instead of a simulator)

inline SimReply json_reply(int status, const std::string& body, HttpHeaders extra = {}) {
    SimReply r;
    r.status = status;
    r.headers = {{"Content-Type", "application/json"}, {"Access-Control-Allow-Origin", "*"}};
    for (auto& h : extra) r.headers.push_back(h);
    r.chunks = {body};
    return r;
}

inline SimReply sse_reply(std::vector<std::string> events, std::string type = "text/event-stream") {
    SimReply r;
    r.headers = {{"Content-Type", type}, {"Access-Control-Allow-Origin", "*"}};
    for (auto& e : events) r.chunks.push_back(e + "\n\n");
    return r;
}

// Runs `steps` against `respond` (a non-browser front end unless `browser`).
inline ProbeRun run_scripted(std::vector<std::string> steps, const Responder& respond,
                      ProbeConfig config = sim_config("m")) {
    config.steps = std::move(steps);
    auto run = ProbeRun::create(config);
    EXPECT_TRUE(run.ok()) << (run.ok() ? "" : run.error().to_string());
    drive(run.value(), respond, config.browser);
    return std::move(run.value());
}

// A responder that answers every request with `reply`.
inline Responder always(SimReply reply) {
    return [reply](const HttpRequest&, const std::string&) { return reply; };
}

// The n-th request (0-based) gets replies[n], later ones the last.
inline Responder in_order(std::vector<SimReply> replies) {
    auto count = std::make_shared<std::size_t>(0);
    return [replies, count](const HttpRequest&, const std::string&) {
        std::size_t n = std::min((*count)++, replies.size() - 1);
        return replies[n];
    };
}

inline const StepEvidence* step_of(const ProbeRun& run, const std::string& id) {
    for (const StepEvidence& s : run.steps()) {
        if (s.id == id) return &s;
    }
    return nullptr;
}

inline bool has_finding(const StepEvidence* step, Code code) {
    if (!step) return false;
    for (const Finding& f : step->findings) {
        if (f.code == code) return true;
    }
    return false;
}

inline const Finding* finding_of(const StepEvidence* step, Code code) {
    if (!step) return nullptr;
    for (const Finding& f : step->findings) {
        if (f.code == code) return &f;
    }
    return nullptr;
}

inline const Verdict* verdict_of(const ProbeReport& report, Client client) {
    for (const Verdict& v : report.verdicts) {
        if (v.client == client) return &v;
    }
    return nullptr;
}

// Everything a step found, for failure messages.
inline std::string dump_step(const StepEvidence* step) {
    if (!step) return "(no such step)";
    std::string out = step->id + " " + std::string(step_status_name(step->status)) + "\n";
    for (const Finding& f : step->findings) {
        out += "  " + std::string(severity_name(f.severity)) + " " +
               std::string(code_name(f.code)) + " [" + std::to_string(f.exchange) +
               "]: " + f.message + "\n";
    }
    return out;
}

inline std::string dump_run(const ProbeRun& run) {
    std::string out;
    for (const StepEvidence& s : run.steps()) out += dump_step(&s);
    return out;
}

}  // namespace wirecheck::test
