// OpenAI Chat Completions (/v1/chat/completions) <-> the canonical model (model.hpp).
// Decoders check types and report the first hard error with a JSON pointer; what they accept but
// cannot represent, and what encoders cannot express, is recorded in `losses`.
#pragma once

#include <memory>

#include "wirecheck/codec.hpp"

namespace wirecheck {

// decode_request(Protocol::Chat, ...): the body is decoded from its text.
Result<Request> decode_chat_request(Json body, Losses& losses);
// The request body as compact JSON text, written straight from the request.
std::string encode_chat_request(const Request& request, Losses& losses,
                                const EncodeOptions& options = {});
Result<Response> decode_chat_response(Json body, Losses& losses);  // moves, as above
Json encode_chat_response(const Response& response, Losses& losses);
std::unique_ptr<StreamDecoder> make_chat_stream_decoder();
std::unique_ptr<StreamEncoder> make_chat_stream_encoder(const StreamEncoderOptions& options = {});

}  // namespace wirecheck
