// Internals of the simulator (sim_*.cpp): the parsed scenario profile, the simulated model that
// composes canonical replies, and the stream helpers. Schema and rules: docs/scenarios.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wirecheck/codec.hpp"
#include "wirecheck/http.hpp"
#include "wirecheck/sim.hpp"

namespace wirecheck {
namespace sim {

// ---- the profile ------------------------------------------------------------------------------

// Whose conventions error bodies, 404s and the model list follow.
enum class Style { OpenAI, NewApi, Anthropic };
enum class Tokenizer { Words, Chars };
enum class ReasoningWhen { Always, Requested };
enum class CallIdStyle { OpenAI, DeepSeek, Anthropic };
enum class Mode { Native, Converted, Error, Absent };
enum class EndpointKind { Models, Chat, Responses, Messages };
inline constexpr std::size_t kEndpointCount = 4;

// Fixed `created` / `created_at` for every reply: 2026-07-05T00:00:00Z, the field report's date.
inline constexpr std::int64_t kCreated = 1783209600;

struct Quirks {
    bool omit_terminal_event = false;  // streams end without their terminal event
    bool bad_event_order = false;      // a delta comes before the start of its block/item
    bool usage_as_strings = false;     // every number inside `usage` is sent as a string
    std::optional<bool> cors;          // overrides the profile's `cors` for this endpoint
    int delay_ms_per_chunk = 0;        // SimReply pacing hint
    std::optional<std::size_t> drop_after_chunks;  // streams: the connection drops after N chunks
};

struct Endpoint {
    Mode mode = Mode::Absent;
    Protocol via = Protocol::Chat;  // Converted: the protocol the model actually speaks
    int status = 0;                 // Error
    std::string body;               // Error: sent verbatim
    HttpHeaders headers;            // Error: extra headers
    Quirks quirks;
};

struct ModelBehaviour {
    Tokenizer tokenizer = Tokenizer::Words;
    std::int64_t reasoning_tokens_per_call = 0;
    ReasoningWhen reasoning_when = ReasoningWhen::Always;
    bool expose_reasoning = false;
    CallIdStyle call_ids = CallIdStyle::OpenAI;
    std::int64_t default_max_tokens = 4096;  // the output limit when a request sets none
};

struct Profile {
    std::string name;
    std::string description;
    std::string description_zh;  // optional: the page shows `description` when it is empty
    Style style = Style::OpenAI;
    bool cors = true;
    std::vector<Json> models;  // /v1/models entries as written (id required)
    std::vector<std::string> model_ids;
    ModelBehaviour model;
    Endpoint endpoints[kEndpointCount];

    const Endpoint& endpoint(EndpointKind k) const { return endpoints[static_cast<int>(k)]; }
};

Result<Profile> parse_profile(std::string_view text);

// ---- deterministic ids ------------------------------------------------------------------------

// Ids come from a hash of the request (path + body) and a per-reply counter: the same request
// always gets the same ids, different requests different ones, and no state is kept between calls.
class IdMint {
  public:
    explicit IdMint(std::string_view seed_text);
    std::string hex(std::size_t length);  // the next `length` lowercase hex digits
  private:
    std::uint64_t seed_;
    std::uint64_t counter_ = 0;
};

// ---- the simulated model (sim_model.cpp) -----------------------------------------------------

// Splits text into tokens whose concatenation is the text (so a token prefix is a text prefix).
std::vector<std::string_view> tokenize(std::string_view text, Tokenizer tokenizer);
std::int64_t count_tokens(std::string_view text, Tokenizer tokenizer);
// Prompt tokens of a request: all its text, tool results and tool definitions, 3 per turn.
std::int64_t count_request_tokens(const Request& request, Tokenizer tokenizer);

// Answers a canonical request as the profile's model speaking `protocol`: the reply's id, created,
// model, output parts (reasoning, then text or one tool call), stop reason and usage.
Response compose_reply(const Request& request, const ModelBehaviour& model, Protocol protocol,
                       IdMint& ids);

// ---- streams and quirks (sim_stream.cpp) -----------------------------------------------------

// The canonical events a streaming model emits for `response`: Start, then per part PartStart,
// a few deltas (text split at token boundaries, arguments across several pieces), PartEnd; Finish.
std::vector<StreamEvent> stream_events(const Response& response, Tokenizer tokenizer);

// Encodes events with the protocol's stream encoder: one SSE event per returned frame.
std::vector<std::string> encode_stream(Protocol protocol, const std::vector<StreamEvent>& events,
                                       bool include_usage);
// Decodes frames with the protocol's stream decoder (for gateway conversion).
std::vector<StreamEvent> decode_stream(Protocol protocol, const std::vector<std::string>& frames);

void apply_usage_as_strings(Json& body);
void apply_stream_quirks(Protocol protocol, const Quirks& quirks, std::vector<std::string>& frames);

}  // namespace sim

class Scenario {
  public:
    sim::Profile profile;
};

}  // namespace wirecheck
