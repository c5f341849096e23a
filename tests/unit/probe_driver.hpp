// A test front end for ProbeRun: performs its requests against an in-process Simulator (or a
// scripted responder), with a fake clock, feeding the chunks of all requests in flight round-robin
// so parallel lanes interleave deterministically. Honours SimReply.failure, drop_after_chunks and
// delay_ms_per_chunk (the fake clock advances by it), and enforces timeouts via on_tick().
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "wirecheck/probe.hpp"
#include "wirecheck/report.hpp"
#include "wirecheck/sim.hpp"

namespace wirecheck::test {

inline constexpr const char* kSimBase = "http://sim.test";
inline constexpr const char* kTestKey = "sk-wirecheck-SECRET-0123456789abcdef";

// Answers one request: the url path after the base, like Simulator::handle.
using Responder = std::function<SimReply(const HttpRequest& request, const std::string& path)>;

inline std::string path_of(const std::string& url) {
    std::size_t scheme = url.find("://");
    std::size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return slash == std::string::npos ? "/" : url.substr(slash);
}

inline Responder sim_responder(const Simulator& sim) {
    return [&sim](const HttpRequest& request, const std::string& path) {
        return sim.handle(request.method, path, request.headers, request.body);
    };
}

struct DriveLog {
    std::vector<HttpRequest> requests;  // as handed out (they carry the real key)
    int max_in_flight = 0;
    std::vector<int> timed_out;
};

// Runs `run` to the end. `browser`: SimReply.failure is reported as on_failure (a web page's view);
// otherwise the reply is delivered as the server sent it (curl's view).
inline DriveLog drive(ProbeRun& run, const Responder& respond, bool browser = false) {
    struct Active {
        HttpRequest request;
        SimReply reply;
        std::size_t next_chunk = 0;
        bool headers_sent = false;
    };
    DriveLog log;
    std::vector<Active> active;
    std::int64_t now = 1000;
    for (int guard = 0; guard < 100000; ++guard) {
        while (auto request = run.next_request(now)) {
            log.requests.push_back(*request);
            Active a{*request, respond(*request, path_of(request->url)), 0, false};
            active.push_back(std::move(a));
        }
        log.max_in_flight = std::max(log.max_in_flight, static_cast<int>(active.size()));
        if (active.empty()) break;
        // One round: every request in flight advances by one event.
        for (std::size_t i = 0; i < active.size();) {
            // Waiting for the next event lets the clock run: timeouts fire before it arrives.
            now += 5 + (active[i].headers_sent ? active[i].reply.delay_ms_per_chunk : 0);
            std::vector<int> expired = run.on_tick(now);
            log.timed_out.insert(log.timed_out.end(), expired.begin(), expired.end());
            for (int id : expired) {
                for (Active& other : active) {
                    if (other.request.id == id) other.request.id = -1;  // aborted
                }
            }
            Active& a = active[i];
            bool finished = a.request.id == -1;
            if (finished) {
            } else if (browser && a.reply.failure) {
                run.on_failure(a.request.id, *a.reply.failure, a.reply.failure_message, now);
                finished = true;
            } else if (!a.headers_sent) {
                run.on_headers(a.request.id, a.reply.status, a.reply.headers, now);
                a.headers_sent = true;
            } else if (a.next_chunk < a.reply.chunks.size()) {
                run.on_body_chunk(a.request.id, a.reply.chunks[a.next_chunk++], now);
            } else if (a.reply.drop_after_chunks) {
                run.on_failure(a.request.id, FailureKind::Network, "connection reset by peer", now);
                finished = true;
            } else {
                run.on_done(a.request.id, now);
                finished = true;
            }
            if (finished) {
                active.erase(active.begin() + static_cast<std::ptrdiff_t>(i));
            } else {
                ++i;
            }
        }
        // Requests aborted by a timeout while others were served.
        active.erase(std::remove_if(active.begin(), active.end(),
                                    [](const Active& a) { return a.request.id == -1; }),
                     active.end());
    }
    EXPECT_TRUE(run.finished()) << "the run did not finish";
    return log;
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
