// One codec per protocol: decode/encode requests, responses and streams to and from the canonical
// model. Decoders validate types and report the first hard error with a JSON pointer; anything they
// accept but cannot represent is a Loss. Encoders never fail: what the target cannot express
// becomes a Loss. Per-protocol entry points live in chat_codec.hpp, responses_codec.hpp and
// messages_codec.hpp; this header dispatches on Protocol.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "wirecheck/json.hpp"
#include "wirecheck/loss.hpp"
#include "wirecheck/model.hpp"
#include "wirecheck/result.hpp"
#include "wirecheck/sse.hpp"

namespace wirecheck {

struct EncodeOptions {
    // Messages requires max_tokens; used when the source has no output limit (recorded as info).
    std::int64_t default_max_tokens = 8192;
    // Chat targets: ask the upstream for a usage chunk when streaming.
    bool request_stream_usage = true;
    // The protocol the request will be sent to was decoded from; signatures/encrypted payloads whose
    // origin differs from the target are dropped with LossForeignSignature.
};

// The body's text, parsed within `limits` (parse_json's errors). The decoders read simdjson's DOM
// directly, without building nlohmann's (most of a small request's time); text simdjson refuses
// goes through parse_json, for its exact error or, where only nlohmann reads it (an integer
// beyond 64 bits), its value.
Result<Request> decode_request(Protocol p, std::string_view body, const JsonLimits& limits,
                               Losses& losses);
// The same for a parsed body, decoded from its text (dump_json).
Result<Request> decode_request(Protocol p, Json body, Losses& losses);
// The request body as compact JSON text (encoders write text: a DOM in between was half of a
// translation). Takes the request by value for the Messages encoder, which moves tool schemas and
// descriptions into the DOM it still builds.
std::string encode_request(Protocol p, Request request, Losses& losses,
                           const EncodeOptions& options = {});
Result<Response> decode_response(Protocol p, Json body, Losses& losses);  // moves, as above
Json encode_response(Protocol p, const Response& response, Losses& losses);

// Incremental stream decoding: feed SSE events in order, then finish() at end of stream.
class StreamDecoder {
public:
    virtual ~StreamDecoder() = default;
    // Appends the canonical events this SSE event yields. A hard error (data that is not JSON, an
    // event that contradicts the grammar so badly nothing can follow) fails the stream.
    virtual Status feed(const SseEvent& event, std::vector<StreamEvent>& out, Losses& losses) = 0;
    // End of input. If the protocol's terminal event never came, closes open parts and appends an
    // Error event (and a LossStreamTruncated) so no consumer mistakes truncation for success.
    virtual Status finish(std::vector<StreamEvent>& out, Losses& losses) = 0;
};

// Writes canonical events as the protocol's exact SSE grammar. Each event is written in one piece.
class StreamEncoder {
public:
    virtual ~StreamEncoder() = default;
    virtual void encode(const StreamEvent& event, std::string& out, Losses& losses) = 0;
    // End of output (e.g. Chat's `data: [DONE]`); a stream with no Finish/Error gets an error event.
    virtual void finish(std::string& out, Losses& losses) = 0;
};

struct StreamEncoderOptions {
    bool include_usage = true;  // Chat: emit the usage chunk
};

std::unique_ptr<StreamDecoder> make_stream_decoder(Protocol p);
std::unique_ptr<StreamEncoder> make_stream_encoder(Protocol p, const StreamEncoderOptions& options = {});

}  // namespace wirecheck
