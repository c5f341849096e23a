// OpenAI Responses (/v1/responses, what the Codex CLI speaks) <-> the canonical model (model.hpp).
// Decoders check types and report the first hard error with a JSON pointer; what they accept but
// cannot represent, and what encoders cannot express, is recorded in `losses`.
#pragma once

#include <memory>

#include "wirecheck/codec.hpp"

namespace wirecheck {

// decode_request(Protocol::Responses, ...): the body is decoded from its text.
Result<Request> decode_responses_request(Json body, Losses& losses);
// The request body as compact JSON text, written straight from the request.
std::string encode_responses_request(const Request& request, Losses& losses,
                                     const EncodeOptions& options = {});
Result<Response> decode_responses_response(Json body, Losses& losses);  // moves, as above
Json encode_responses_response(const Response& response, Losses& losses);
std::unique_ptr<StreamDecoder> make_responses_stream_decoder();
std::unique_ptr<StreamEncoder> make_responses_stream_encoder(const StreamEncoderOptions& options = {});

}  // namespace wirecheck
