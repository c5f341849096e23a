// The Protocol dispatch of codec.hpp: each entry point forwards to the protocol's own codec
// (chat_codec.hpp, responses_codec.hpp, messages_codec.hpp). No mapping logic lives here.
#include "wirecheck/codec.hpp"

#include <optional>
#include <utility>

#include "request_decoders.hpp"
#include "wirecheck/chat_codec.hpp"
#include "wirecheck/messages_codec.hpp"
#include "wirecheck/responses_codec.hpp"

namespace wirecheck {

namespace {

// The request decoders read simdjson's DOM (request_decoders.hpp); nullopt when simdjson refuses
// the text.
std::optional<Result<Request>> decode_with_simdjson(Protocol p, std::string_view body,
                                                    std::size_t max_depth, Losses& losses) {
    std::optional<Result<Request>> out;
    with_simdjson(body, max_depth, [&](JsonElement root) {
        switch (p) {
            case Protocol::Chat: out = decode_chat_request(root, losses); break;
            case Protocol::Responses: out = decode_responses_request(root, losses); break;
            case Protocol::Messages: out = decode_messages_request(root, losses); break;
        }
    });
    return out;
}

}  // namespace

// A Json is decoded from its text: one decoder per protocol, and dump_json writes only what
// simdjson reads (nlohmann holds an integer beyond 64 bits as a double), up to kJsonMaxDepth.
Result<Request> decode_request(Protocol p, Json body, Losses& losses) {
    std::string text = dump_json(body);
    release_json(body);
    if (auto decoded = decode_with_simdjson(p, text, kJsonMaxDepth, losses))
        return std::move(*decoded);
    auto refused = parse_json(text, JsonLimits{text.size(), kJsonMaxDepth});
    return refused.ok() ? make_error(Code::Internal, "", "simdjson refused a dumped document")
                        : refused.error();
}

Result<Request> decode_request(Protocol p, std::string_view body, const JsonLimits& limits,
                               Losses& losses) {
    if (body.size() <= limits.max_bytes) {
        if (auto decoded = decode_with_simdjson(p, body, limits.max_depth, losses))
            return std::move(*decoded);
    }
    // parse_json's exact error, or the value of text only nlohmann reads.
    auto json = parse_json(body, limits);
    if (!json.ok()) return json.error();
    return decode_request(p, std::move(json.value()), losses);
}

std::string encode_request(Protocol p, Request request, Losses& losses,
                           const EncodeOptions& options) {
    switch (p) {
        case Protocol::Chat: return encode_chat_request(std::move(request), losses, options);
        case Protocol::Responses:
            return encode_responses_request(std::move(request), losses, options);
        case Protocol::Messages:
            return encode_messages_request(std::move(request), losses, options);
    }
    return "null";
}

Result<Response> decode_response(Protocol p, Json body, Losses& losses) {
    switch (p) {
        case Protocol::Chat: return decode_chat_response(std::move(body), losses);
        case Protocol::Responses: return decode_responses_response(std::move(body), losses);
        case Protocol::Messages: return decode_messages_response(body, losses);
    }
    return make_error(Code::Internal, "", "unknown protocol");
}

Json encode_response(Protocol p, const Response& response, Losses& losses) {
    switch (p) {
        case Protocol::Chat: return encode_chat_response(response, losses);
        case Protocol::Responses: return encode_responses_response(response, losses);
        case Protocol::Messages: return encode_messages_response(response, losses);
    }
    return Json();
}

std::unique_ptr<StreamDecoder> make_stream_decoder(Protocol p) {
    switch (p) {
        case Protocol::Chat: return make_chat_stream_decoder();
        case Protocol::Responses: return make_responses_stream_decoder();
        case Protocol::Messages: return make_messages_stream_decoder();
    }
    return nullptr;
}

std::unique_ptr<StreamEncoder> make_stream_encoder(Protocol p,
                                                   const StreamEncoderOptions& options) {
    switch (p) {
        case Protocol::Chat: return make_chat_stream_encoder(options);
        case Protocol::Responses: return make_responses_stream_encoder(options);
        case Protocol::Messages: return make_messages_stream_encoder(options);
    }
    return nullptr;
}

}  // namespace wirecheck
