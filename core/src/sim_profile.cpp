// Loads a scenario profile (assets/scenarios/<name>.json) into sim::Profile, strictly: a wrong type
// is json.wrong_type, an unknown key or value sim.bad_profile, each with the JSON pointer, so a
// typo in a profile fails loudly instead of silently simulating something else. Schema:
// docs/scenarios.md.
//
// Sections: checked access · model behaviour · endpoints · the profile
#include <initializer_list>

#include "sim_internal.hpp"

namespace wirecheck {
namespace sim {
namespace {

// ---- checked access ----------------------------------------------------------------------------

Error wrong_type(const std::string& pointer, std::string_view expected, const Json& got) {
    return make_error(
        Code::JsonWrongType, pointer,
        "expected " + std::string(expected) + ", got " + std::string(json_type_name(got)));
}

Error bad_value(const std::string& pointer, std::string message) {
    return make_error(Code::SimBadProfile, pointer, std::move(message));
}

Status expect_object(const Json& value, const std::string& pointer) {
    if (!value.is_object()) return wrong_type(pointer, "an object", value);
    return {};
}

Status known_keys_only(const Json& obj, const std::string& pointer,
                       std::initializer_list<std::string_view> known) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        bool found = false;
        for (std::string_view k : known) found = found || it.key() == k;
        if (!found) {
            return bad_value(pointer_join(pointer, it.key()),
                             "unknown key '" + it.key() + "' (see docs/scenarios.md)");
        }
    }
    return {};
}

const Json* find(const Json& obj, const char* key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

Status read_string(const Json& obj, const char* key, const std::string& pointer, std::string& out,
                   bool required = false) {
    const Json* v = find(obj, key);
    if (!v) {
        if (!required) return {};
        return make_error(Code::JsonMissingField, pointer_join(pointer, key),
                          std::string("required field missing: ") + key);
    }
    if (!v->is_string()) return wrong_type(pointer_join(pointer, key), "a string", *v);
    out = v->get<std::string>();
    return {};
}

Status read_bool(const Json& obj, const char* key, const std::string& pointer, bool& out) {
    const Json* v = find(obj, key);
    if (!v) return {};
    if (!v->is_boolean()) return wrong_type(pointer_join(pointer, key), "a boolean", *v);
    out = v->get<bool>();
    return {};
}

Status read_count(const Json& obj, const char* key, const std::string& pointer, std::int64_t& out,
                  std::int64_t min_value) {
    const Json* v = find(obj, key);
    if (!v) return {};
    std::string p = pointer_join(pointer, key);
    if (!v->is_number_integer()) return wrong_type(p, "an integer", *v);
    std::int64_t n = v->get<std::int64_t>();
    if (n < min_value) return bad_value(p, "must be at least " + std::to_string(min_value));
    out = n;
    return {};
}

// A string that must be one of `names`; returns its position.
Result<std::size_t> read_choice(const Json& obj, const char* key, const std::string& pointer,
                                std::initializer_list<std::string_view> names,
                                std::size_t fallback) {
    std::string value;
    Status s = read_string(obj, key, pointer, value);
    if (!s.ok()) return s.error();
    if (!find(obj, key)) return fallback;
    std::size_t i = 0;
    std::string list;
    for (std::string_view n : names) {
        if (value == n) return i;
        list += (list.empty() ? "" : ", ") + std::string(n);
        ++i;
    }
    return bad_value(pointer_join(pointer, key), "'" + value + "' is not one of: " + list);
}

#define SIM_TRY(expr)                                \
    do {                                             \
        ::wirecheck::Status sim_try_ = (expr);       \
        if (!sim_try_.ok()) return sim_try_.error(); \
    } while (false)

#define SIM_CHOICE(var, expr)                              \
    std::size_t var = 0;                                   \
    do {                                                   \
        auto sim_choice_ = (expr);                         \
        if (!sim_choice_.ok()) return sim_choice_.error(); \
        var = sim_choice_.value();                         \
    } while (false)

// ---- model behaviour ---------------------------------------------------------------------------

Status parse_model(const Json& m, ModelBehaviour& out) {
    const std::string at = "/model";
    SIM_TRY(expect_object(m, at));
    SIM_TRY(known_keys_only(m, at,
                            {"tokenizer", "reasoning_tokens_per_call", "reasoning_when",
                             "expose_reasoning", "tool_call_id_style", "default_max_tokens"}));
    SIM_CHOICE(tokenizer, read_choice(m, "tokenizer", at, {"words", "chars"}, 0));
    out.tokenizer = tokenizer == 0 ? Tokenizer::Words : Tokenizer::Chars;
    SIM_TRY(read_count(m, "reasoning_tokens_per_call", at, out.reasoning_tokens_per_call, 0));
    SIM_CHOICE(when, read_choice(m, "reasoning_when", at, {"always", "requested"}, 0));
    out.reasoning_when = when == 0 ? ReasoningWhen::Always : ReasoningWhen::Requested;
    SIM_TRY(read_bool(m, "expose_reasoning", at, out.expose_reasoning));
    SIM_CHOICE(ids,
               read_choice(m, "tool_call_id_style", at, {"openai", "deepseek", "anthropic"}, 0));
    out.call_ids = ids == 0   ? CallIdStyle::OpenAI
                   : ids == 1 ? CallIdStyle::DeepSeek
                              : CallIdStyle::Anthropic;
    SIM_TRY(read_count(m, "default_max_tokens", at, out.default_max_tokens, 1));
    return {};
}

// ---- endpoints ----------------------------------------------------------------------------------

Status parse_quirks(const Json& q, const std::string& at, Quirks& out) {
    SIM_TRY(expect_object(q, at));
    SIM_TRY(known_keys_only(q, at,
                            {"omit_terminal_event", "bad_event_order", "usage_as_strings", "cors",
                             "delay_ms_per_chunk", "drop_mid_stream"}));
    SIM_TRY(read_bool(q, "omit_terminal_event", at, out.omit_terminal_event));
    SIM_TRY(read_bool(q, "bad_event_order", at, out.bad_event_order));
    SIM_TRY(read_bool(q, "usage_as_strings", at, out.usage_as_strings));
    if (const Json* cors = find(q, "cors")) {
        if (!cors->is_boolean()) return wrong_type(pointer_join(at, "cors"), "a boolean", *cors);
        out.cors = cors->get<bool>();
    }
    std::int64_t delay = 0;
    SIM_TRY(read_count(q, "delay_ms_per_chunk", at, delay, 0));
    if (delay > 60000) return bad_value(pointer_join(at, "delay_ms_per_chunk"), "at most 60000");
    out.delay_ms_per_chunk = static_cast<int>(delay);
    if (const Json* drop = find(q, "drop_mid_stream")) {
        std::string p = pointer_join(at, "drop_mid_stream");
        if (drop->is_boolean()) {
            if (drop->get<bool>()) out.drop_after_chunks = 0;  // 0: after half of the chunks
        } else if (drop->is_number_integer() && drop->get<std::int64_t>() >= 1) {
            out.drop_after_chunks = drop->get<std::size_t>();
        } else {
            return wrong_type(p, "a boolean or a positive integer", *drop);
        }
    }
    return {};
}

Status parse_endpoint(const Json& e, const std::string& at, EndpointKind kind, Endpoint& out) {
    SIM_TRY(expect_object(e, at));
    SIM_TRY(known_keys_only(e, at, {"mode", "via", "status", "body", "headers", "quirks"}));
    if (!find(e, "mode")) {
        return make_error(Code::JsonMissingField, pointer_join(at, "mode"),
                          "required field missing: mode");
    }
    SIM_CHOICE(mode, read_choice(e, "mode", at, {"native", "converted", "error", "absent"}, 0));
    out.mode = static_cast<Mode>(mode);
    if (kind == EndpointKind::Models && out.mode == Mode::Converted) {
        return bad_value(pointer_join(at, "mode"), "the model list cannot be 'converted'");
    }
    if (out.mode == Mode::Converted) {
        SIM_CHOICE(via, read_choice(e, "via", at, {"chat", "responses", "messages"}, 0));
        out.via = static_cast<Protocol>(via);
        if (static_cast<int>(out.via) + 1 == static_cast<int>(kind)) {
            return bad_value(pointer_join(at, "via"), "an endpoint cannot be converted to itself");
        }
    } else if (find(e, "via")) {
        return bad_value(pointer_join(at, "via"), "'via' only applies to mode 'converted'");
    }
    if (out.mode == Mode::Error) {
        std::int64_t status = 0;
        if (!find(e, "status")) {
            return make_error(Code::JsonMissingField, pointer_join(at, "status"),
                              "required field missing: status");
        }
        SIM_TRY(read_count(e, "status", at, status, 100));
        if (status > 599) return bad_value(pointer_join(at, "status"), "not an HTTP status");
        out.status = static_cast<int>(status);
        // A string body is sent byte for byte (key order, spacing); JSON is serialised compactly.
        if (const Json* body = find(e, "body")) {
            out.body = body->is_string()
                           ? body->get<std::string>()
                           : body->dump(-1, ' ', false, Json::error_handler_t::replace);
        }
    } else if (find(e, "status") || find(e, "body")) {
        return bad_value(at, "'status' and 'body' only apply to mode 'error'");
    }
    if (const Json* headers = find(e, "headers")) {
        std::string p = pointer_join(at, "headers");
        SIM_TRY(expect_object(*headers, p));
        for (auto it = headers->begin(); it != headers->end(); ++it) {
            if (!it->is_string()) return wrong_type(pointer_join(p, it.key()), "a string", *it);
            out.headers.emplace_back(it.key(), it->get<std::string>());
        }
    }
    if (const Json* quirks = find(e, "quirks")) {
        SIM_TRY(parse_quirks(*quirks, pointer_join(at, "quirks"), out.quirks));
    }
    return {};
}

Status parse_models(const Json& models, Profile& out) {
    if (!models.is_array()) return wrong_type("/models", "an array", models);
    for (std::size_t i = 0; i < models.size(); ++i) {
        std::string p = pointer_join("/models", i);
        SIM_TRY(expect_object(models[i], p));
        std::string id;
        SIM_TRY(read_string(models[i], "id", p, id, true));
        out.models.push_back(models[i]);
        out.model_ids.push_back(id);
    }
    return {};
}

}  // namespace

// ---- the profile --------------------------------------------------------------------------------

Result<Profile> parse_profile(std::string_view text) {
    auto parsed = parse_json(text);
    if (!parsed.ok()) return parsed.error();
    const Json& root = parsed.value();
    SIM_TRY(expect_object(root, ""));
    SIM_TRY(known_keys_only(
        root, "", {"name", "description", "description_zh", "style", "cors", "models", "model",
                   "endpoints"}));
    Profile out;
    SIM_TRY(read_string(root, "name", "", out.name, true));
    if (out.name.empty()) return bad_value("/name", "the name may not be empty");
    for (char c : out.name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) return bad_value("/name", "use lowercase letters, digits, '-' and '_' only");
    }
    SIM_TRY(read_string(root, "description", "", out.description, true));
    SIM_TRY(read_string(root, "description_zh", "", out.description_zh, false));
    SIM_CHOICE(style, read_choice(root, "style", "", {"openai", "new-api", "anthropic"}, 0));
    out.style = static_cast<Style>(style);
    SIM_TRY(read_bool(root, "cors", "", out.cors));
    if (const Json* models = find(root, "models")) SIM_TRY(parse_models(*models, out));
    if (const Json* model = find(root, "model")) SIM_TRY(parse_model(*model, out.model));
    if (const Json* endpoints = find(root, "endpoints")) {
        SIM_TRY(expect_object(*endpoints, "/endpoints"));
        SIM_TRY(
            known_keys_only(*endpoints, "/endpoints", {"models", "chat", "responses", "messages"}));
        const char* keys[kEndpointCount] = {"models", "chat", "responses", "messages"};
        for (std::size_t i = 0; i < kEndpointCount; ++i) {
            if (const Json* e = find(*endpoints, keys[i])) {
                SIM_TRY(parse_endpoint(*e, pointer_join("/endpoints", keys[i]),
                                       static_cast<EndpointKind>(i), out.endpoints[i]));
            }
        }
    }
    return out;
}

#undef SIM_CHOICE
#undef SIM_TRY

}  // namespace sim
}  // namespace wirecheck
