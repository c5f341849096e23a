// SimTransport (sim_transport.hpp): the in-process front end of ProbeRun.
#include "wirecheck/sim_transport.hpp"

#include <algorithm>

namespace wirecheck {

std::string url_path(const std::string& url) {
    std::size_t scheme = url.find("://");
    std::size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return slash == std::string::npos ? "/" : url.substr(slash);
}

SimResponder simulator_responder(const Simulator& simulator) {
    return [&simulator](const HttpRequest& request, const std::string& path) {
        return simulator.handle(request.method, path, request.headers, request.body);
    };
}

SimTransport::SimTransport(SimResponder respond, bool browser)
    : respond_(std::move(respond)), browser_(browser) {}

// Delivers the next event of one request; returns true when the request is over.
bool SimTransport::advance(ProbeRun& run, Active& a) {
    const int id = a.request.id;
    if (browser_ && a.reply.failure) {
        run.on_failure(id, *a.reply.failure, a.reply.failure_message, now_ms_);
        return true;
    }
    if (!a.headers_sent) {
        run.on_headers(id, a.reply.status, a.reply.headers, now_ms_);
        a.headers_sent = true;
        return false;
    }
    if (a.next_chunk < a.reply.chunks.size()) {
        run.on_body_chunk(id, a.reply.chunks[a.next_chunk++], now_ms_);
        return false;
    }
    if (a.reply.drop_after_chunks) {
        run.on_failure(id, FailureKind::Network, "connection reset by peer", now_ms_);
    } else {
        run.on_done(id, now_ms_);
    }
    return true;
}

bool SimTransport::step(ProbeRun& run) {
    while (auto request = run.next_request(now_ms_)) {
        requests_.push_back(*request);
        SimReply reply = respond_(*request, url_path(request->url));
        active_.push_back(Active{std::move(*request), std::move(reply)});
    }
    max_in_flight_ = std::max(max_in_flight_, static_cast<int>(active_.size()));
    for (Active& a : active_) {
        if (a.finished) continue;  // aborted by a timeout earlier in this round
        // Waiting for the next event lets the clock run: a timeout fires before it arrives.
        now_ms_ += 5 + (a.headers_sent ? a.reply.delay_ms_per_chunk : 0);
        for (int id : run.on_tick(now_ms_)) {
            timed_out_.push_back(id);
            for (Active& other : active_) {
                if (other.request.id == id) other.finished = true;
            }
        }
        if (!a.finished) a.finished = advance(run, a);
    }
    active_.erase(std::remove_if(active_.begin(), active_.end(),
                                 [](const Active& a) { return a.finished; }),
                  active_.end());
    return !run.finished();
}

void SimTransport::run_to_end(ProbeRun& run, int max_rounds) {
    for (int round = 0; round < max_rounds && step(run); ++round) {
    }
    if (run.finished()) return;
    // A guard, never expected to trip: stop with the evidence gathered so far.
    run.cancel();
    for (Active& a : active_) {
        run.on_failure(a.request.id, FailureKind::Aborted, "the simulation was stopped", now_ms_);
    }
    active_.clear();
}

}  // namespace wirecheck
