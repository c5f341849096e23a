// One translation kind (WIRECHECK_FUZZ_KIND: 0 request, 1 response, 2 stream) in every direction:
// selector byte % 3 is the source protocol, (byte / 3) % 3 the target. Streams are translated
// twice, whole and in small pieces: translate.hpp promises the same output for any chunking.
#include "fuzz_util.hpp"
#include "wirecheck/translate.hpp"

using namespace wirecheck;

namespace {

TranslateOptions options() {
    TranslateOptions o;
    o.json = JsonLimits{1u << 20, 64};
    o.sse = SseLimits{1u << 16};
    return o;
}

void translate_stream(Protocol from, Protocol to, std::string_view bytes, std::uint8_t seed) {
    auto run = [&](const std::vector<std::string_view>& pieces, bool& ok) {
        StreamTranslator translator(from, to, options());
        std::string out;
        ok = true;
        for (std::string_view piece : pieces) {
            if (!translator.feed(piece, out).ok()) ok = false;
        }
        if (!translator.finish(out).ok()) ok = false;
        return out;
    };
    bool whole_ok = true, pieces_ok = true;
    std::string whole = run({bytes}, whole_ok);
    std::string pieces = run(fuzz::chunked(bytes, seed), pieces_ok);
    if (whole_ok != pieces_ok) fuzz::invariant_broken("stream status depends on chunking");
    if (whole != pieces) fuzz::invariant_broken("stream output depends on chunking");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input = fuzz::as_view(data, size);
    std::uint8_t selector = fuzz::take_selector(input);
    Protocol from = fuzz::protocol_of(selector % 3);
    Protocol to = fuzz::protocol_of(selector / 3 % 3);
#if WIRECHECK_FUZZ_KIND == 0
    if (selector & 0x80) {
        // The adapter's path: the client's tools are kept to restore calls in the reply.
        (void)translate_client_request(from, to, input, options());
    } else {
        (void)translate_request(from, to, input, options());
    }
#elif WIRECHECK_FUZZ_KIND == 1
    (void)translate_response(from, to, input, options());
#else
    translate_stream(from, to, input, selector);
#endif
    return 0;
}
