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

// Everything a decode tells: the error, or the losses and the request in all three protocols.
std::string outcome(const Result<Request>& request, Losses losses) {
    if (!request.ok()) return request.error().to_string();
    std::string out;
    for (unsigned p = 0; p < 3; ++p) {
        // Encoders write text directly: whatever was decoded must come out as JSON that parses.
        Result<Json> encoded =
            parse_json(encode_request(fuzz::protocol_of(p), request.value(), losses));
        if (!encoded.ok()) std::abort();
        out += dump_json(encoded.value()) + '\n';  // as a value: schemas keep their key order
    }
    for (const Loss& loss : losses) out += loss.pointer + ' ' + loss.message + '\n';
    return out;
}

// Decoding from text (simdjson's DOM where it takes the text) and from nlohmann's DOM must agree
// on every input parse_json accepts (tool schemas aside from their key order).
void fuzz_request(std::string_view text) {
    Result<Json> body = parse_json(text, kLimits);
    if (!body.ok()) return;
    Losses from_dom, from_text;
    std::string a = outcome(decode_request(kProtocol, body.value(), from_dom), from_dom);
    std::string b = outcome(decode_request(kProtocol, text, kLimits, from_text), from_text);
    if (a != b) std::abort();
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
