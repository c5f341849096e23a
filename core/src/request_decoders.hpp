// The request decoders, which read simdjson's DOM: codec.cpp's decode_request calls them (a Json
// body is decoded from its text).
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
