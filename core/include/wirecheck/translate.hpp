// Translation between protocols: decode(A) -> canonical -> encode(B), for request bodies, response
// bodies and SSE streams (fed in any chunking). Every result carries the losses of both halves;
// bad input is an Error value with a code and a JSON pointer, never an exception.
//
// Loss pointers: losses found while decoding point into the SOURCE document
// ("/messages/2/content"); losses found while encoding point into the canonical model, spelled
// like its fields ("/turns/3/parts/1", "/tools/0", "/output/0", "/parts/2" for stream parts).
// See docs/translation.md.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wirecheck/client_tools.hpp"
#include "wirecheck/codec.hpp"

namespace wirecheck {

// Bodies larger than this are refused with json.too_large before parsing: the parsed DOM takes
// several times the text's size, and the Wasm playground has little memory. Raise
// TranslateOptions::json.max_bytes for very long agent sessions.
inline constexpr std::size_t kTranslateMaxBodyBytes = 8u << 20;  // 8 MiB
// Deeper nesting is refused with json.too_deep (no real request nests past ~20 levels).
inline constexpr std::size_t kTranslateMaxDepth = 128;

struct TranslateOptions {
    EncodeOptions encode;          // request encoding (Messages max_tokens default, Chat usage)
    StreamEncoderOptions stream;   // stream encoding (Chat usage chunk)
    JsonLimits json{kTranslateMaxBodyBytes, kTranslateMaxDepth};
    SseLimits sse;                 // one SSE event may not exceed sse.max_event_bytes (16 MiB)
    // The canonical tools of the ORIGINATING client request, when a response or stream from an
    // upstream is translated back to that client: calls are restored to the client's tool shapes
    // (custom calls unwrapped, namespaces restored; client_tools.hpp). `from` is the upstream.
    std::optional<std::vector<Tool>> request_tools;
    // translate_client_request: the model the upstream request names, given the client's (the
    // adapter's --model-map). Unset: the client's model.
    std::function<std::string(const std::string&)> upstream_model;
};

struct Translation {
    std::string output;  // the translated body, compact JSON text
    Losses losses;
};

Result<Translation> translate_request(Protocol from, Protocol to, std::string_view body,
                                      const TranslateOptions& options = {});
Result<Translation> translate_response(Protocol from, Protocol to, std::string_view body,
                                       const TranslateOptions& options = {});

// Translates an SSE stream incrementally: feed bytes split anywhere, get target bytes out. The
// output is the same for any chunking. A source stream that ends without its terminal event
// yields the target's error event (and loss.stream_truncated), never a silent end; parts it cut
// short stay open, so no client acts on half a tool call. A hard error (an event that is not the
// protocol's JSON, events out of order, an oversized event) writes the target's error event,
// returns the Error, and makes every later call return it too.
class StreamTranslator {
public:
    StreamTranslator(Protocol from, Protocol to, TranslateOptions options = {});

    Status feed(std::string_view bytes, std::string& out);
    Status finish(std::string& out);  // end of input
    const Losses& losses() const { return losses_; }

private:
    Status fail(Error error, std::string& out);
    void encode(std::vector<StreamEvent>& events, std::string& out);
    Status decode(const std::vector<SseEvent>& events, std::string& out);

    SseParser parser_;
    std::unique_ptr<StreamDecoder> decoder_;
    std::unique_ptr<StreamEncoder> encoder_;
    std::optional<ClientToolCallRestorer> restorer_;
    Losses losses_;
    std::optional<Error> failed_;
    bool finished_ = false;
};

// ---- the adapter flow (`wirecheck serve --upstream`) --------------------------------------------
// A client request translated for the upstream, with what translating the reply back needs.
struct ClientRequestTranslation {
    Translation upstream_request;
    TranslateOptions reply_options;  // options with request_tools = the client's tools
    bool stream = false;             // the client asked for a stream
};
Result<ClientRequestTranslation> translate_client_request(Protocol client, Protocol upstream,
                                                          std::string_view body,
                                                          const TranslateOptions& options = {});

// "chat" | "responses" | "messages" (protocol_name's inverse).
std::optional<Protocol> protocol_from_name(std::string_view name);

}  // namespace wirecheck
