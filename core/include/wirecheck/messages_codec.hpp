// Anthropic Messages (/v1/messages, what Claude Code speaks) <-> the canonical model (model.hpp).
// Decoders check types and report the first hard error with a JSON pointer; what they accept but
// cannot represent, and what encoders cannot express, is recorded in `losses`.
#pragma once

#include <memory>

#include "wirecheck/codec.hpp"

namespace wirecheck {

// decode_request(Protocol::Messages, ...): the body is decoded from its text.
Result<Request> decode_messages_request(Json body, Losses& losses);
// The request body as compact JSON text. Takes the request by value: tool schemas and
// descriptions are moved into the DOM it builds first.
std::string encode_messages_request(Request request, Losses& losses,
                                    const EncodeOptions& options = {});
Result<Response> decode_messages_response(const Json& body, Losses& losses);
Json encode_messages_response(const Response& response, Losses& losses);
std::unique_ptr<StreamDecoder> make_messages_stream_decoder();
std::unique_ptr<StreamEncoder> make_messages_stream_encoder(const StreamEncoderOptions& options = {});

}  // namespace wirecheck
