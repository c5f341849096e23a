// The request decoders that read simdjson's DOM, for codec.cpp's decode_request from text. Each
// codec's Json decoder is the same template instantiated for nlohmann's DOM.
#pragma once

#include "json_simd.hpp"
#include "wirecheck/loss.hpp"
#include "wirecheck/model.hpp"
#include "wirecheck/result.hpp"

namespace wirecheck {

Result<Request> decode_chat_request(JsonElement body, Losses& losses);
Result<Request> decode_messages_request(JsonElement body, Losses& losses);
Result<Request> decode_responses_request(JsonElement body, Losses& losses);

}  // namespace wirecheck
