// Runs a ProbeRun against an in-process responder (a Simulator, or a test's scripted replies) on a
// virtual clock: no sockets, no real time, fully deterministic. The CLI's `probe --scenario`, the
// web page's offline first run and the tests all use it.
//
// Each round starts the requests the run may start, then advances every request in flight by one
// event (headers, one chunk, the end), round-robin, so parallel lanes interleave the way they do
// on the wire. The clock advances 5 ms per event plus the reply's pacing (delay_ms_per_chunk), so
// timeouts fire exactly as they would against the real endpoint.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wirecheck/probe.hpp"
#include "wirecheck/sim.hpp"

namespace wirecheck {

// Answers one request; `path` is the URL's path (and query), as Simulator::handle takes it.
using SimResponder = std::function<SimReply(const HttpRequest& request, const std::string& path)>;
SimResponder simulator_responder(const Simulator& simulator);  // keeps a reference: outlive it

class SimTransport {
  public:
    // `browser`: a SimReply.failure (e.g. a CORS refusal) is reported as on_failure, as a web page
    // sees it; otherwise the reply is delivered as the server sent it, as curl sees it.
    explicit SimTransport(SimResponder respond, bool browser = false);

    // One round (see above). Returns false once the run has finished.
    bool step(ProbeRun& run);
    // Rounds until the run finishes (or `max_rounds`, a guard against a run that never ends).
    void run_to_end(ProbeRun& run, int max_rounds = 100000);

    std::int64_t now_ms() const { return now_ms_; }
    // What happened, for tests and the UI: requests as handed out (they carry the real key: never
    // render them), the most requests in flight at once, and the ids that timed out.
    const std::vector<HttpRequest>& requests() const { return requests_; }
    int max_in_flight() const { return max_in_flight_; }
    const std::vector<int>& timed_out() const { return timed_out_; }

  private:
    struct Active {
        HttpRequest request;
        SimReply reply;
        std::size_t next_chunk = 0;
        bool headers_sent = false;
        bool finished = false;
    };
    bool advance(ProbeRun& run, Active& active);

    SimResponder respond_;
    bool browser_;
    std::int64_t now_ms_ = 1000;
    std::vector<Active> active_;
    std::vector<HttpRequest> requests_;
    int max_in_flight_ = 0;
    std::vector<int> timed_out_;
};

// Convenience for one-shot use: the path of an absolute URL ("http://h/v1/x?y" -> "/v1/x?y").
std::string url_path(const std::string& url);

}  // namespace wirecheck
