// Simulator::handle: routes one request to the profile's endpoint and serves it natively (decode
// with the endpoint's codec, compose, encode), converted the way a gateway does (the request is
// translated to the model's protocol, answered there, and the reply translated back with the
// codecs), as a fixed error, or as a 404 in the gateway's style; then applies quirks and CORS.
//
// Sections: envelopes · the model list · protocol endpoints · routing · Simulator
#include "sim_internal.hpp"
#include "wirecheck/codec.hpp"

namespace wirecheck {

std::string SimReply::body() const {
    std::string out;
    for (const auto& c : chunks) out += c;
    return out;
}

namespace sim {
namespace {

using OJson = nlohmann::ordered_json;

// ---- envelopes ----------------------------------------------------------------------------------

std::string dump(const OJson& j) {
    return j.dump(-1, ' ', false, OJson::error_handler_t::replace);
}
std::string dump(const Json& j) {
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

SimReply json_reply(int status, std::string body) {
    SimReply r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "application/json");
    r.chunks.push_back(std::move(body));
    return r;
}

// The protocol's own error body (protocols.md §4, §5), keys in the order servers send them.
std::string error_body(Protocol p, const std::string& type, const std::string& code,
                       const std::string& message) {
    if (p == Protocol::Messages) {
        return dump(OJson{{"type", "error"}, {"error", {{"type", type}, {"message", message}}}});
    }
    return dump(OJson{{"error",
                       {{"message", message},
                        {"type", type},
                        {"param", nullptr},
                        {"code", code.empty() ? OJson(nullptr) : OJson(code)}}}});
}

SimReply bad_request(Protocol p, const Error& error) {
    return json_reply(400, error_body(p, "invalid_request_error",
                                      std::string(code_name(error.code)), error.to_string()));
}

// A route the server does not have, as OpenAI/new-api (Invalid URL) or Anthropic (not_found_error)
// answer it.
SimReply not_found(Style style, const std::string& method, const std::string& path) {
    if (style == Style::Anthropic) {
        return json_reply(404, error_body(Protocol::Messages, "not_found_error", "", "Not Found"));
    }
    return json_reply(404, error_body(Protocol::Chat, "invalid_request_error", "",
                                      "Invalid URL (" + method + " " + path + ")"));
}

// ---- the model list -----------------------------------------------------------------------------
// OpenAI: {object:"list", data:[{id, object:"model", created, owned_by}]}; new-api adds
// success:true and keeps supported_endpoint_types & co (protocols.md §5) and answers in Anthropic's
// format to x-api-key + anthropic-version requests; Anthropic: {data:[{type:"model", id,
// display_name, created_at}], has_more, first_id, last_id}.

SimReply model_list(const Profile& profile, const HttpHeaders& headers) {
    bool anthropic =
        profile.style == Style::Anthropic ||
        (profile.style == Style::NewApi && !header_value(headers, "x-api-key").empty() &&
         !header_value(headers, "anthropic-version").empty());
    if (anthropic) {
        OJson data = OJson::array();
        for (std::size_t i = 0; i < profile.models.size(); ++i) {
            const Json& m = profile.models[i];
            std::string id = profile.model_ids[i];
            std::string display = m.contains("display_name") && m["display_name"].is_string()
                                      ? m["display_name"].get<std::string>()
                                      : id;
            data.push_back(OJson{{"type", "model"},
                                 {"id", id},
                                 {"display_name", display},
                                 {"created_at", "2026-07-05T00:00:00Z"}});
        }
        OJson body = {{"data", data}, {"has_more", false}};
        body["first_id"] =
            profile.model_ids.empty() ? OJson(nullptr) : OJson(profile.model_ids.front());
        body["last_id"] =
            profile.model_ids.empty() ? OJson(nullptr) : OJson(profile.model_ids.back());
        return json_reply(200, dump(body));
    }
    OJson data = OJson::array();
    for (const Json& m : profile.models) {
        OJson entry = {{"id", m["id"]}, {"object", "model"}, {"created", kCreated}};
        entry["owned_by"] = m.contains("owned_by")
                                ? OJson::parse(m["owned_by"].dump())
                                : OJson(profile.style == Style::NewApi ? "custom" : "system");
        for (auto it = m.begin(); it != m.end(); ++it) {
            if (!entry.contains(it.key())) entry[it.key()] = OJson::parse(it->dump());
        }
        data.push_back(std::move(entry));
    }
    OJson body = OJson::object();
    if (profile.style == Style::NewApi) body["success"] = true;
    body["object"] = "list";
    body["data"] = std::move(data);
    return json_reply(200, dump(body));
}

// ---- protocol endpoints -------------------------------------------------------------------------

struct Call {
    const Profile& profile;
    std::string path;  // without the query
    const std::string& body;
};

void finish_stream_reply(SimReply& reply, std::vector<std::string> frames, const Quirks& quirks) {
    reply.headers.emplace_back("Content-Type", "text/event-stream; charset=utf-8");
    reply.headers.emplace_back("Cache-Control", "no-cache");
    if (quirks.drop_after_chunks && frames.size() > 1) {
        std::size_t keep =
            *quirks.drop_after_chunks == 0 ? frames.size() / 2 : *quirks.drop_after_chunks;
        keep = std::min(keep, frames.size() - 1);
        frames.resize(keep);
        reply.drop_after_chunks = true;
    }
    reply.chunks = std::move(frames);
}

// `client`: the protocol of the endpoint; `model`: the protocol the model speaks (== client when
// native). A converted request crosses the codecs twice, exactly as a gateway's would.
SimReply serve_protocol(const Call& call, Protocol client, Protocol model, const Quirks& quirks) {
    auto parsed = parse_json(call.body);
    if (!parsed.ok()) return bad_request(client, parsed.error());
    // Ids derive from the request without its stream flags, so a streamed and a plain answer to
    // the same question carry the same ids.
    Json seed = std::move(parsed.value());
    if (seed.is_object()) {
        seed.erase("stream");
        seed.erase("stream_options");
    }
    Losses losses;
    auto decoded = decode_request(client, call.body, JsonLimits{}, losses);
    if (!decoded.ok()) return bad_request(client, decoded.error());
    Request request = std::move(decoded.value());
    bool stream = request.stream;
    bool include_usage = request.stream_include_usage;
    if (model != client) {
        Result<Request> again =
            decode_request(model, encode_request(model, std::move(request), losses), JsonLimits{},
                           losses);
        if (!again.ok()) {
            return json_reply(400, error_body(client, "new_api_error", "convert_request_failed",
                                              again.error().to_string()));
        }
        request = std::move(again.value());
    }
    IdMint ids(call.path + "\n" + dump(seed));
    Response response = compose_reply(request, call.profile.model, model, ids);

    if (!stream) {
        Json body = encode_response(model, response, losses);
        if (model != client) {
            auto back = decode_response(model, body, losses);
            if (back.ok()) body = encode_response(client, back.value(), losses);
        }
        if (quirks.usage_as_strings) apply_usage_as_strings(body);
        return json_reply(200, dump(body));
    }
    std::vector<StreamEvent> events = stream_events(response, call.profile.model.tokenizer);
    // A gateway asks its upstream for usage so it can bill; the client's flag applies at its edge.
    std::vector<std::string> frames =
        encode_stream(model, events, model == client ? include_usage : true);
    if (model != client) {
        std::vector<StreamEvent> crossed = decode_stream(model, frames);
        // Chat streams carry no input count at the start; a gateway counts prompt tokens itself
        // (new-api does, for billing), so Messages' message_start still gets one.
        for (StreamEvent& e : crossed) {
            if (e.kind == StreamEvent::Kind::Start && !e.usage && response.usage)
                e.usage = Usage{response.usage->input, 0, 0, 0, 0};
        }
        frames = encode_stream(client, crossed, include_usage);
    }
    apply_stream_quirks(client, quirks, frames);
    SimReply reply;
    finish_stream_reply(reply, std::move(frames), quirks);
    return reply;
}

// POST /v1/messages/count_tokens (Claude Code calls it): {"input_tokens": N}.
SimReply count_tokens_reply(const Call& call) {
    auto parsed = parse_json(call.body);
    if (!parsed.ok()) return bad_request(Protocol::Messages, parsed.error());
    Json body = parsed.value();
    if (body.is_object() && !body.contains("max_tokens"))
        body["max_tokens"] = 1;  // not required here
    Losses losses;
    auto decoded = decode_request(Protocol::Messages, std::move(body), losses);
    if (!decoded.ok()) return bad_request(Protocol::Messages, decoded.error());
    std::int64_t n = count_request_tokens(decoded.value(), call.profile.model.tokenizer);
    return json_reply(200, dump(OJson{{"input_tokens", n}}));
}

EndpointKind kind_of(Protocol p) {
    return static_cast<EndpointKind>(static_cast<int>(p) + 1);
}

SimReply serve_endpoint(const Call& call, const std::string& method, Protocol protocol,
                        bool count_tokens) {
    const Endpoint& e = call.profile.endpoint(kind_of(protocol));
    SimReply reply;
    switch (e.mode) {
        case Mode::Absent:
            return not_found(call.profile.style, method, call.path);
        case Mode::Error:
            reply = json_reply(e.status, e.body);
            break;
        case Mode::Native:
        case Mode::Converted:
            if (count_tokens) {
                reply = count_tokens_reply(call);
            } else {
                reply = serve_protocol(call, protocol, e.mode == Mode::Native ? protocol : e.via,
                                       e.quirks);
            }
            break;
    }
    for (const auto& h : e.headers) reply.headers.push_back(h);
    reply.delay_ms_per_chunk = e.quirks.delay_ms_per_chunk;
    return reply;
}

// ---- routing ------------------------------------------------------------------------------------

const char* const kAllowHeaders =
    "authorization, content-type, x-api-key, anthropic-version, anthropic-beta, "
    "anthropic-dangerous-direct-browser-access";

std::optional<Protocol> protocol_for_path(const std::string& path) {
    if (path == "/v1/chat/completions") return Protocol::Chat;
    if (path == "/v1/responses") return Protocol::Responses;
    if (path == "/v1/messages" || path == "/v1/messages/count_tokens") return Protocol::Messages;
    return std::nullopt;
}

// The endpoint whose `cors` quirk decides for this path (none for / and unknown paths).
const Endpoint* endpoint_for_path(const Profile& profile, const std::string& path) {
    if (path == "/v1/models") return &profile.endpoint(EndpointKind::Models);
    if (auto p = protocol_for_path(path)) return &profile.endpoint(kind_of(*p));
    return nullptr;
}

SimReply route(const Profile& profile, const std::string& method, const std::string& path,
               const HttpHeaders& headers, const std::string& body) {
    Call call{profile, path, body};
    bool read = method == "GET" || method == "HEAD";
    if (method == "OPTIONS") {
        SimReply r;
        r.status = 204;
        r.headers = {{"Access-Control-Allow-Methods", "GET, POST, HEAD, OPTIONS"},
                     {"Access-Control-Allow-Headers", kAllowHeaders},
                     {"Access-Control-Max-Age", "600"}};
        return r;
    }
    if ((path.empty() || path == "/") && read) {
        // Claude Code sends HEAD <base> before its first request.
        SimReply r;
        r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
        if (method == "GET")
            r.chunks.push_back("wirecheck simulated endpoint: " + profile.name + "\n");
        return r;
    }
    if (path == "/v1/models" && read) {
        const Endpoint& e = profile.endpoint(EndpointKind::Models);
        SimReply r;
        if (e.mode == Mode::Absent) return not_found(profile.style, method, path);
        r = e.mode == Mode::Error ? json_reply(e.status, e.body) : model_list(profile, headers);
        for (const auto& h : e.headers) r.headers.push_back(h);
        r.delay_ms_per_chunk = e.quirks.delay_ms_per_chunk;
        return r;
    }
    if (auto p = protocol_for_path(path); p && method == "POST") {
        return serve_endpoint(call, method, *p, path == "/v1/messages/count_tokens");
    }
    return not_found(profile.style, method, path);
}

// What Chrome prints when a response lacks Access-Control-Allow-Origin (JSON POSTs are
// preflighted).
std::string cors_message(const std::string& method, const std::string& path,
                         const HttpHeaders& headers) {
    std::string origin(header_value(headers, "Origin"));
    if (origin.empty()) origin = "http://127.0.0.1:8080";
    std::string text = "Access to fetch at '" + path + "' from origin '" + origin +
                       "' has been blocked by CORS policy: ";
    if (method == "GET" || method == "HEAD") {
        return text +
               "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
    }
    return text +
           "Response to preflight request doesn't pass access control check: No "
           "'Access-Control-Allow-Origin' header is present on the requested resource.";
}

}  // namespace
}  // namespace sim

// ---- Simulator ----------------------------------------------------------------------------------

Simulator::Simulator(std::unique_ptr<Scenario> scenario) : scenario_(std::move(scenario)) {}
Simulator::Simulator(const Simulator& other)
    : scenario_(std::make_unique<Scenario>(*other.scenario_)) {}
Simulator& Simulator::operator=(const Simulator& other) {
    if (this != &other) scenario_ = std::make_unique<Scenario>(*other.scenario_);
    return *this;
}
Simulator::Simulator(Simulator&&) noexcept = default;
Simulator& Simulator::operator=(Simulator&&) noexcept = default;
Simulator::~Simulator() = default;

Result<Simulator> Simulator::from_profile(std::string_view profile_json) {
    auto profile = sim::parse_profile(profile_json);
    if (!profile.ok()) return profile.error();
    auto scenario = std::make_unique<Scenario>();
    scenario->profile = std::move(profile.value());
    return Simulator(std::move(scenario));
}

const std::string& Simulator::name() const {
    return scenario_->profile.name;
}
const std::string& Simulator::description() const {
    return scenario_->profile.description;
}
const std::vector<std::string>& Simulator::model_ids() const {
    return scenario_->profile.model_ids;
}

SimReply Simulator::handle(const std::string& method, const std::string& path,
                           const HttpHeaders& headers, const std::string& body) const {
    const sim::Profile& profile = scenario_->profile;
    std::string bare = path.substr(0, path.find('?'));
    SimReply reply = sim::route(profile, method, bare, headers, body);

    const sim::Endpoint* endpoint = sim::endpoint_for_path(profile, bare);
    bool cors = endpoint && endpoint->quirks.cors ? *endpoint->quirks.cors : profile.cors;
    if (cors) {
        reply.headers.emplace_back("Access-Control-Allow-Origin", "*");
    } else {
        // The server sends no CORS headers: a browser hides whatever came back.
        if (method == "OPTIONS") {
            reply = sim::not_found(profile.style, method, bare);
            reply.status = 405;
        }
        reply.failure = FailureKind::Cors;
        reply.failure_message = sim::cors_message(method, bare, headers);
    }
    reply.headers.emplace_back("X-Wirecheck-Scenario", profile.name);
    if (method == "HEAD") reply.chunks.clear();
    return reply;
}

}  // namespace wirecheck
