// One protocol's decoders (WIRECHECK_FUZZ_PROTOCOL: 0 chat, 1 responses, 2 messages) on arbitrary
// input. Selector byte % 3: request body, response body or SSE stream. Whatever decodes is encoded
// again into all three protocols (encoders never fail), so the encoders see fuzzed models too.
#include <cstdlib>
#include <string>

#include "fuzz_util.hpp"
#include "wirecheck/codec.hpp"

using namespace wirecheck;

namespace {

constexpr Protocol kProtocol = fuzz::protocol_of(WIRECHECK_FUZZ_PROTOCOL);
const JsonLimits kLimits{1u << 20, 64};

void fuzz_request(std::string_view text) {
    Losses losses;
    Result<Request> request = decode_request(kProtocol, text, kLimits, losses);
    if (!request.ok()) return;
    for (unsigned p = 0; p < 3; ++p) {
        // Encoders write text directly: whatever was decoded must come out as JSON that parses.
        std::string encoded = encode_request(fuzz::protocol_of(p), request.value(), losses);
        if (!parse_json(encoded).ok()) std::abort();
    }
}

void fuzz_response(std::string_view text) {
    Result<Json> body = parse_json(text, kLimits);
    if (!body.ok()) return;
    Losses losses;
    Result<Response> response = decode_response(kProtocol, body.value(), losses);
    if (!response.ok()) return;
    for (unsigned p = 0; p < 3; ++p) {
        Json encoded = encode_response(fuzz::protocol_of(p), response.value(), losses);
        (void)encoded.dump();
    }
}

void fuzz_stream(std::string_view bytes) {
    SseParser parser;
    std::vector<SseEvent> sse;
    if (!parser.feed(bytes, sse).ok()) return;
    if (!parser.finish(sse).ok()) return;
    Losses losses;
    std::vector<StreamEvent> events;
    auto decoder = make_stream_decoder(kProtocol);
    bool ok = true;
    for (const SseEvent& e : sse) {
        if (!decoder->feed(e, events, losses).ok()) {
            ok = false;
            break;
        }
    }
    if (ok) (void)decoder->finish(events, losses);
    for (unsigned p = 0; p < 3; ++p) {
        auto encoder = make_stream_encoder(fuzz::protocol_of(p));
        std::string out;
        for (const StreamEvent& e : events) encoder->encode(e, out, losses);
        encoder->finish(out, losses);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input = fuzz::as_view(data, size);
    switch (fuzz::take_selector(input) % 3) {
        case 0: fuzz_request(input); break;
        case 1: fuzz_response(input); break;
        default: fuzz_stream(input); break;
    }
    return 0;
}
