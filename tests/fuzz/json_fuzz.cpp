// parse_json on arbitrary bytes, against nlohmann's own parser as the reference: parse_json takes a
// fast path (simdjson, copied into nlohmann's DOM) and falls back to nlohmann for errors, so the
// two paths must agree on every input: same acceptance, same value, same serialisation. dump_json
// must write what nlohmann's dump writes (invalid UTF-8 replaced).
#include "fuzz_util.hpp"
#include "wirecheck/json.hpp"

#include <algorithm>

using namespace wirecheck;

namespace {

// Nesting depth as JsonLimits counts it: a scalar is 0, [] and {} are 1.
std::size_t depth_of(const Json& value) {
    std::size_t deepest = 0;
    if (value.is_structured()) {
        for (const Json& child : value) deepest = std::max(deepest, depth_of(child));
        return deepest + 1;
    }
    return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input = fuzz::as_view(data, size);
    JsonLimits limits;
    limits.max_depth = 1 + fuzz::take_selector(input) % 64;  // reach the depth limit's edge
    Result<Json> ours = parse_json(input, limits);
    Json reference = Json::parse(input.begin(), input.end(), nullptr, /*allow_exceptions=*/false);
    if (ours.ok()) {
        if (reference.is_discarded()) {
            fuzz::invariant_broken("parse_json accepted what nlohmann refuses");
        }
        if (*ours != reference || ours->dump() != reference.dump()) {
            fuzz::invariant_broken("parse_json's value differs from nlohmann's");
        }
        if (depth_of(*ours) > limits.max_depth) {
            fuzz::invariant_broken("parse_json exceeded max_depth");
        }
        if (dump_json(*ours) != reference.dump()) {
            fuzz::invariant_broken("dump_json differs from dump");
        }
    } else if (ours.error().code != Code::JsonTooDeep && !reference.is_discarded()) {
        fuzz::invariant_broken("parse_json refused what nlohmann accepts");
    }
    // Any bytes as a string value (the parser only ever yields valid UTF-8).
    Json raw = std::string(input);
    if (dump_json(raw) != raw.dump(-1, ' ', false, Json::error_handler_t::replace)) {
        fuzz::invariant_broken("dump_json differs from dump on a string of arbitrary bytes");
    }
    return 0;
}
