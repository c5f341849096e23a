// The adapter routes (adapter_routes.hpp). Per client request: translate_client_request -> model
// map -> UpstreamCall -> on the upstream's status:
//   no answer       -> 502 (504 on a timeout) in the client's error format
//   not 2xx         -> the same status, the upstream's error envelope re-encoded for the client
//                      (or one built from the status and body text when it has none)
//   JSON            -> translate_response
//   a stream        -> StreamTranslator inside httplib's chunked content provider, run on the
//                      request's thread: each upstream piece is translated and written at once; a
//                      failed write (client gone) aborts the upstream transfer; an upstream that
//                      breaks off ends the client stream with its protocol's error event.
// Sections: helpers · error bodies · the adapter · routes · startup text
#include "adapter_routes.hpp"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <utility>

#include "client_hangup.hpp"
#include "wirecheck/codec.hpp"
#include "wirecheck/translate.hpp"

namespace wirecheck::cli {

// ---- helpers -----------------------------------------------------------------------------------

namespace {

// Long agent sessions send large bodies (a Codex turn carries the whole history).
constexpr std::size_t kMaxBodyBytes = 64u << 20;

using Clock = std::chrono::steady_clock;

// The base without a trailing "/" or "/v1": endpoints are written with their /v1 (as the probe).
std::string upstream_root(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.size() >= 3 && url.compare(url.size() - 3, 3, "/v1") == 0) url.resize(url.size() - 3);
    return url;
}

const char* endpoint_path(Protocol p) {
    switch (p) {
        case Protocol::Chat: return "/v1/chat/completions";
        case Protocol::Responses: return "/v1/responses";
        case Protocol::Messages: return "/v1/messages";
    }
    return "/";
}

// The key the client sent: "Authorization: Bearer K" or "x-api-key: K".
std::string client_key(const httplib::Request& req) {
    std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) == 0) return auth.substr(7);
    if (!auth.empty()) return auth;
    return req.get_header_value("x-api-key");
}

}  // namespace

bool parse_model_map(const std::vector<std::string>& entries, std::vector<ModelMapping>& out,
                     std::string& error) {
    for (const std::string& entry : entries) {
        std::size_t eq = entry.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == entry.size()) {
            error = "--model-map wants FROM=TO (e.g. 'claude-*=qwen3-coder'), got '" + entry + "'";
            return false;
        }
        out.push_back({entry.substr(0, eq), entry.substr(eq + 1)});
    }
    return true;
}

std::string map_model(const std::vector<ModelMapping>& map, const std::string& model) {
    for (const ModelMapping& m : map) {
        if (m.from == model) return m.to;
    }
    for (const ModelMapping& m : map) {
        if (!m.from.empty() && m.from.back() == '*' &&
            model.compare(0, m.from.size() - 1, m.from, 0, m.from.size() - 1) == 0)
            return m.to;
    }
    return model;
}

// ---- error bodies ------------------------------------------------------------------------------

namespace {

// The error type each protocol uses for an HTTP status (protocols.md §4, §5).
std::string error_type_for(Protocol client, int status) {
    switch (status) {
        case 400: return "invalid_request_error";
        case 401: return "authentication_error";
        case 403: return "permission_error";
        case 404: return "not_found_error";
        case 413: return "request_too_large";
        case 429: return "rate_limit_error";
        case 529: return "overloaded_error";
        default: break;
    }
    if (status >= 500) return client == Protocol::Messages ? "api_error" : "server_error";
    return "invalid_request_error";
}

// An error body in the client's protocol, written by the core's response encoder.
std::string error_body(Protocol client, const ApiError& error) {
    Response response;
    response.error = error;
    Losses ignored;
    return dump_json(encode_response(client, response, ignored));
}

void send_error(httplib::Response& res, Protocol client, int status, const std::string& code,
                const std::string& message) {
    res.status = status;
    res.set_content(error_body(client, ApiError{error_type_for(client, status), code, message}),
                    "application/json");
}

// The upstream's error reply for the client: its error envelope re-encoded when it has one (type,
// code and message kept), else one built from the status and the start of the body.
std::string upstream_error_body(Protocol client, Protocol upstream, int status,
                                const std::string& body) {
    auto json = parse_json(body);
    if (json.ok()) {
        Losses ignored;
        auto decoded = decode_response(upstream, std::move(json.value()), ignored);
        if (decoded.ok() && decoded.value().error) {
            ApiError error = *decoded.value().error;
            if (error.type.empty()) error.type = error_type_for(client, status);
            return error_body(client, error);
        }
    }
    std::string text = body.substr(0, 500);
    return error_body(client, ApiError{error_type_for(client, status), "upstream_error",
                                       "the upstream answered HTTP " + std::to_string(status) +
                                           (text.empty() ? std::string() : ": " + text)});
}

// ---- the adapter -------------------------------------------------------------------------------

class Adapter {
public:
    explicit Adapter(AdapterOptions options)
        : options_(std::move(options)), root_(upstream_root(options_.upstream)) {
        translate_.json.max_bytes = kMaxBodyBytes;
        if (!options_.model_map.empty()) {
            translate_.upstream_model = [map = options_.model_map](const std::string& model) {
                return map_model(map, model);
            };
        }
    }

    void serve(Protocol client, const httplib::Request& req, httplib::Response& res) const;
    void models(const httplib::Request& req, httplib::Response& res) const;
    void count_tokens(const httplib::Request& req, httplib::Response& res) const;
    Protocol upstream() const { return options_.upstream_protocol; }

private:
    HttpHeaders upstream_headers(Protocol client, const httplib::Request& req, bool stream) const;
    void log(const httplib::Request& req, const std::string& what, Clock::time_point start) const;

    AdapterOptions options_;
    std::string root_;
    TranslateOptions translate_;
};

HttpHeaders Adapter::upstream_headers(Protocol client, const httplib::Request& req,
                                      bool stream) const {
    HttpHeaders h{{"Content-Type", "application/json"},
                  {"Accept", stream ? "text/event-stream" : "application/json"}};
    std::string key = options_.upstream_key.empty() ? client_key(req) : options_.upstream_key;
    if (options_.upstream_protocol == Protocol::Messages) {
        if (!key.empty()) h.emplace_back("x-api-key", key);
        std::string version = req.get_header_value("anthropic-version");
        h.emplace_back("anthropic-version", version.empty() ? "2023-06-01" : version);
        // Beta flags mean something only to an Anthropic upstream, and only for a Messages client
        // (non-Anthropic servers reject unknown betas: protocols.md §4).
        if (client == Protocol::Messages && req.has_header("anthropic-beta"))
            h.emplace_back("anthropic-beta", req.get_header_value("anthropic-beta"));
    } else if (!key.empty()) {
        h.emplace_back("Authorization", "Bearer " + key);
    }
    return h;
}

void Adapter::log(const httplib::Request& req, const std::string& what,
                  Clock::time_point start) const {
    if (!options_.log) return;
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    std::fprintf(stderr, "wirecheck adapter: %s %s -> %s (%lld ms)\n", req.method.c_str(),
                 req.path.c_str(), what.c_str(), static_cast<long long>(ms));
}

void Adapter::serve(Protocol client, const httplib::Request& req, httplib::Response& res) const {
    auto start = Clock::now();
    Protocol upstream = options_.upstream_protocol;
    auto translated = translate_client_request(client, upstream, req.body, translate_);
    if (!translated.ok()) {
        const Error& e = translated.error();
        send_error(res, client, 400, std::string(code_name(e.code)),
                   "wirecheck adapter: the request could not be translated: " + e.to_string());
        return log(req, "400 (untranslatable request)", start);
    }
    bool stream = translated->stream;

    HttpRequest up;
    up.url = root_ + endpoint_path(upstream);
    up.headers = upstream_headers(client, req, stream);
    up.body = std::move(translated->upstream_request.output);
    up.stream = stream;
    auto call = std::make_shared<UpstreamCall>(up, options_.timeouts);
    call->cancel_if([hangup = ClientHangup(req)]() mutable { return hangup.hung_up(); });
    if (!call->wait_for_headers()) {
        if (call->cancelled()) return log(req, call->error(), start);
        int status = call->timed_out() ? 504 : 502;
        send_error(res, client, status, "upstream_unreachable",
                   "wirecheck adapter: no answer from the upstream " + up.url + ": " +
                       call->error());
        return log(req, std::to_string(status) + " (" + call->error() + ")", start);
    }
    int status = call->status();
    std::string content_type(header_value(call->headers(), "Content-Type"));
    if (status < 200 || status >= 300) {
        std::string text;
        call->read_all(text, kMaxBodyBytes);
        // Some gateways echo the key they were sent ("Incorrect API key provided: sk-..."): the
        // adapter's own upstream key must not reach its clients.
        const std::string& key = options_.upstream_key;
        for (std::size_t at = 0; !key.empty() && (at = text.find(key, at)) != std::string::npos;)
            text.replace(at, key.size(), "[redacted upstream key]");
        res.status = status;
        std::string retry_after(header_value(call->headers(), "Retry-After"));
        if (!retry_after.empty()) res.set_header("Retry-After", retry_after);
        res.set_content(upstream_error_body(client, upstream, status, text), "application/json");
        return log(req, "upstream " + std::to_string(status), start);
    }

    if (!stream || content_type.rfind("text/event-stream", 0) != 0) {
        // A JSON reply (also when a stream was asked for and the upstream answered in one piece:
        // the client then gets the translated JSON body).
        std::string text;
        if (!call->read_all(text, kMaxBodyBytes)) {
            if (call->cancelled()) return log(req, call->error(), start);
            send_error(res, client, call->timed_out() ? 504 : 502, "upstream_failed",
                       "wirecheck adapter: the upstream reply broke off: " + call->error());
            return log(req, "502 (" + call->error() + ")", start);
        }
        auto reply = translate_response(upstream, client, text, translated->reply_options);
        if (!reply.ok()) {
            send_error(res, client, 502, std::string(code_name(reply.error().code)),
                       "wirecheck adapter: the upstream reply could not be translated: " +
                           reply.error().to_string());
            return log(req, "502 (untranslatable reply)", start);
        }
        res.status = 200;
        res.set_content(reply->output, "application/json");
        return log(req, "200", start);
    }

    auto translator = std::make_shared<StreamTranslator>(upstream, client,
                                                       std::move(translated->reply_options));
    int keepalive_ms = options_.keepalive_ms;
    res.status = 200;
    res.set_header("Cache-Control", "no-cache");
    // Exactly "text/event-stream": httplib compresses other text types, holding events back.
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, call, translator, keepalive_ms, req_path = req.path, method = req.method, start](
            std::size_t, httplib::DataSink& sink) {
            std::string out;
            bool client_gone = false;
            auto send = [&] {
                if (out.empty()) return true;
                bool ok = sink.write(out.data(), out.size());
                out.clear();
                if (!ok) client_gone = true;
                return ok;
            };
            call->read_body(
                [&](std::string_view bytes) {
                    bool translated_ok = translator->feed(bytes, out).ok();
                    return send() && translated_ok;  // a failed translator has sent its error
                },
                [&] {
                    out = ": keepalive\n\n";  // an SSE comment: clients ignore it
                    return send();
                },
                keepalive_ms);
            std::string what = "stream";
            if (client_gone) {
                what += " cancelled: the client went away";
            } else {
                // A clean end, or a cut/failed upstream: finish() then writes the client's error
                // event (response.failed, Messages `error`) instead of a silent end.
                Status ended = translator->finish(out);
                if (!call->error().empty()) what += " broke off (" + call->error() + ")";
                if (!ended) what += ", error event sent: " + ended.error().to_string();
                if (!send()) what += ", client gone at the end";
            }
            if (options_.log) {
                auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start)
                              .count();
                std::fprintf(stderr, "wirecheck adapter: %s %s -> %s (%lld ms)\n", method.c_str(),
                             req_path.c_str(), what.c_str(), static_cast<long long>(ms));
            }
            if (client_gone) return false;
            sink.done();
            return true;
        });
}

// GET /v1/models: the upstream's list, as it sent it.
void Adapter::models(const httplib::Request& req, httplib::Response& res) const {
    auto start = Clock::now();
    HttpRequest up;
    up.method = "GET";
    up.url = root_ + "/v1/models";
    up.headers = upstream_headers(Protocol::Chat, req, false);
    UpstreamCall call(up, options_.timeouts);
    call.cancel_if([hangup = ClientHangup(req)]() mutable { return hangup.hung_up(); });
    std::string text;
    if (!call.wait_for_headers() || !call.read_all(text, kMaxBodyBytes)) {
        if (call.cancelled()) return log(req, call.error(), start);
        int status = call.timed_out() ? 504 : 502;
        send_error(res, Protocol::Chat, status, "upstream_unreachable",
                   "wirecheck adapter: no model list from the upstream " + up.url + ": " +
                       call.error());
        return log(req, std::to_string(status) + " (" + call.error() + ")", start);
    }
    res.status = call.status();
    std::string type(header_value(call.headers(), "Content-Type"));
    res.set_content(text, type.empty() ? "application/json" : type.c_str());
    log(req, std::to_string(res.status), start);
}

// POST /v1/messages/count_tokens: forwarded to a Messages upstream; otherwise an estimate (about
// four bytes of request JSON per token), which is what Claude Code needs it for.
void Adapter::count_tokens(const httplib::Request& req, httplib::Response& res) const {
    auto start = Clock::now();
    auto json = parse_json(req.body, translate_.json);
    if (!json.ok() || !json.value().is_object()) {
        send_error(res, Protocol::Messages, 400, "invalid_request",
                   "wirecheck adapter: the body is not a JSON object");
        return log(req, "400", start);
    }
    if (options_.upstream_protocol != Protocol::Messages) {
        std::int64_t estimate = std::max<std::int64_t>(1, req.body.size() / 4);
        res.set_content(dump_json(Json{{"input_tokens", estimate}}), "application/json");
        return log(req, "200 (estimate)", start);
    }
    Json body = std::move(json.value());
    if (auto model = body.find("model"); model != body.end() && model->is_string())
        *model = map_model(options_.model_map, model->get<std::string>());
    HttpRequest up;
    up.url = root_ + "/v1/messages/count_tokens";
    up.headers = upstream_headers(Protocol::Messages, req, false);
    up.body = dump_json(body);
    UpstreamCall call(up, options_.timeouts);
    call.cancel_if([hangup = ClientHangup(req)]() mutable { return hangup.hung_up(); });
    std::string text;
    if (!call.wait_for_headers() || !call.read_all(text, kMaxBodyBytes)) {
        if (call.cancelled()) return log(req, call.error(), start);
        int status = call.timed_out() ? 504 : 502;
        send_error(res, Protocol::Messages, status, "upstream_unreachable",
                   "wirecheck adapter: no answer from the upstream " + up.url + ": " + call.error());
        return log(req, std::to_string(status) + " (" + call.error() + ")", start);
    }
    res.status = call.status();
    res.set_content(text, "application/json");
    log(req, std::to_string(res.status), start);
}

}  // namespace

// ---- routes ------------------------------------------------------------------------------------

void add_adapter_routes(httplib::Server& server, const AdapterOptions& options, bool answer_root) {
    auto adapter = std::make_shared<const Adapter>(options);
    auto route = [adapter](Protocol client) {
        return [adapter, client](const httplib::Request& req, httplib::Response& res) {
            adapter->serve(client, req, res);
        };
    };
    // httplib matches the path without the query, so /v1/messages?beta=true lands here too.
    server.Post("/v1/responses", route(Protocol::Responses));
    server.Post("/v1/messages", route(Protocol::Messages));
    server.Post("/v1/chat/completions", route(Protocol::Chat));
    server.Post("/v1/messages/count_tokens",
                [adapter](const httplib::Request& req, httplib::Response& res) {
                    adapter->count_tokens(req, res);
                });
    server.Get("/v1/models", [adapter](const httplib::Request& req, httplib::Response& res) {
        adapter->models(req, res);
    });
    if (answer_root) {
        std::string text = "wirecheck adapter (upstream protocol: " +
                           std::string(protocol_name(options.upstream_protocol)) + ")\n";
        server.Get("/", [text](const httplib::Request&, httplib::Response& res) {
            res.set_content(text, "text/plain");  // httplib answers HEAD / from this route too
        });
    }
}

// ---- startup text ------------------------------------------------------------------------------

std::string adapter_banner(const AdapterOptions& options, const std::string& base) {
    std::string root = base;
    while (!root.empty() && root.back() == '/') root.pop_back();
    std::string model = "<upstream model>";
    for (const ModelMapping& m : options.model_map) {
        if (m.from == "*") model = m.to;
    }
    if (model.front() == '<' && !options.model_map.empty()) model = options.model_map.front().to;
    bool key_here = !options.upstream_key.empty();
    std::string out;
    out += "wirecheck: protocol adapters for the " +
           std::string(protocol_name(options.upstream_protocol)) + " upstream " +
           options.upstream + (key_here ? " (key from $" + options.upstream_key_env + ")" : "") +
           ":\n";
    out += "  POST " + root + "/v1/responses          Responses (Codex)\n";
    out += "  POST " + root + "/v1/messages           Messages (Claude Code); count_tokens is an estimate\n";
    out += "  POST " + root + "/v1/chat/completions   Chat Completions\n";
    out += "  GET  " + root + "/v1/models             the upstream's model list\n";
    out += "Codex (~/.codex/config.toml):\n";
    out += "  model = \"" + model + "\"\n";
    out += "  model_provider = \"wirecheck\"\n";
    out += "  [model_providers.wirecheck]\n";
    out += "  name = \"wirecheck adapter\"\n";
    out += "  base_url = \"" + root + "/v1\"\n";
    out += "  wire_api = \"responses\"\n";
    if (!key_here) out += "  env_key = \"UPSTREAM_API_KEY\"   # export your upstream key there\n";
    out += "Claude Code:\n";
    out += "  export ANTHROPIC_BASE_URL=" + root + "\n";
    out += key_here ? "  export ANTHROPIC_AUTH_TOKEN=wirecheck   # any value; the adapter sends the key\n"
                    : "  export ANTHROPIC_API_KEY=\"$UPSTREAM_API_KEY\"\n";
    out += "  export ANTHROPIC_MODEL=" + model + " ANTHROPIC_SMALL_FAST_MODEL=" + model;
    out += options.model_map.empty() ? "   # or serve with --model-map '*=MODEL'\n" : "\n";
    return out;
}

}  // namespace wirecheck::cli
