// The incremental SSE parser on arbitrary bytes. Invariant (sse.hpp): bytes may be split anywhere,
// so feeding the input whole and in small pieces yields the same events and the same status.
#include "fuzz_util.hpp"
#include "wirecheck/sse.hpp"

using namespace wirecheck;

namespace {

struct Parsed {
    std::vector<SseEvent> events;
    bool ok = true;
};

Parsed parse(const std::vector<std::string_view>& pieces) {
    SseParser parser(SseLimits{4096});  // small limit so the fuzzer reaches the oversize path
    Parsed result;
    for (std::string_view piece : pieces) {
        if (!parser.feed(piece, result.events).ok()) {
            result.ok = false;
            return result;
        }
    }
    result.ok = parser.finish(result.events).ok();
    return result;
}

bool same(const SseEvent& a, const SseEvent& b) {
    return a.event == b.event && a.data == b.data && a.id == b.id && a.retry == b.retry &&
           a.unterminated == b.unterminated;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input = fuzz::as_view(data, size);
    std::uint8_t seed = fuzz::take_selector(input);
    Parsed whole = parse({input});
    Parsed pieces = parse(fuzz::chunked(input, seed));
    if (whole.ok != pieces.ok) fuzz::invariant_broken("SSE status depends on chunking");
    if (whole.ok) {
        if (whole.events.size() != pieces.events.size())
            fuzz::invariant_broken("SSE event count depends on chunking");
        for (std::size_t i = 0; i < whole.events.size(); ++i) {
            if (!same(whole.events[i], pieces.events[i]))
                fuzz::invariant_broken("SSE event fields depend on chunking");
        }
    }
    return 0;
}
