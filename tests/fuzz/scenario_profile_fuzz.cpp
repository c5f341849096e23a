// Scenario-profile loading (sim.hpp) on arbitrary text; a profile that loads then answers a few
// requests on every endpoint, streamed and not, so the loaded behaviour is exercised too.
#include "fuzz_util.hpp"
#include "wirecheck/sim.hpp"

using namespace wirecheck;

namespace {

struct Probe {
    const char* method;
    const char* path;
    const char* body;
};

constexpr Probe kProbes[] = {
    {"GET", "/v1/models", ""},
    {"OPTIONS", "/v1/chat/completions", ""},
    {"POST", "/v1/chat/completions",
     R"({"model":"m","messages":[{"role":"user","content":"hi"}]})"},
    {"POST", "/v1/chat/completions",
     R"({"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}],)"
     R"("tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]})"},
    {"POST", "/v1/responses", R"({"model":"m","input":"hi"})"},
    {"POST", "/v1/responses", R"({"model":"m","input":"hi","stream":true,"reasoning":{"effort":"high"}})"},
    {"POST", "/v1/messages?beta=true",
     R"({"model":"m","max_tokens":50,"messages":[{"role":"user","content":"hi"}]})"},
    {"POST", "/v1/messages",
     R"({"model":"m","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"hi"}]})"},
    {"POST", "/v1/messages/count_tokens", R"({"model":"m","messages":[]})"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto sim = Simulator::from_profile(fuzz::as_view(data, size));
    if (!sim.ok()) return 0;
    HttpHeaders headers{{"Content-Type", "application/json"}, {"Origin", "http://localhost"}};
    for (const Probe& p : kProbes) {
        SimReply reply = sim->handle(p.method, p.path, headers, p.body);
        (void)reply.body();
    }
    return 0;
}
