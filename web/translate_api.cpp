// translate_text / translate_json (translate_api.hpp): the core's translate API, shaped for the
// playground. No protocol logic here.
#include "translate_api.hpp"

namespace wirecheck::web {

std::string_view translate_kind_name(TranslateKind kind) {
    switch (kind) {
        case TranslateKind::Request:
            return "request";
        case TranslateKind::Response:
            return "response";
        case TranslateKind::Stream:
            return "stream";
    }
    return "request";
}

std::optional<TranslateKind> translate_kind_from_name(std::string_view name) {
    if (name == "request") return TranslateKind::Request;
    if (name == "response") return TranslateKind::Response;
    if (name == "stream") return TranslateKind::Stream;
    return std::nullopt;
}

TranslateOutcome translate_text(Protocol from, Protocol to, TranslateKind kind, std::string_view text) {
    TranslateOutcome out;
    if (kind == TranslateKind::Stream) {
        StreamTranslator translator(from, to);
        Status status = translator.feed(text, out.output);
        if (status.ok()) status = translator.finish(out.output);
        out.losses = translator.losses();
        out.ok = status.ok();
        if (!status.ok()) out.error = status.error();
        return out;
    }
    auto result = kind == TranslateKind::Response ? translate_response(from, to, text)
                                                  : translate_request(from, to, text);
    if (!result.ok()) {
        out.error = result.error();
        return out;
    }
    out.ok = true;
    out.output = indent_json(result->output);
    out.losses = std::move(result->losses);
    return out;
}

namespace {

Json losses_json(const Losses& losses) {
    Json list = Json::array();
    for (const Loss& l : losses) {
        list.push_back(Json{{"code", code_name(l.code)},
                            {"severity", severity_name(l.severity)},
                            {"pointer", l.pointer},
                            {"message", l.message}});
    }
    return list;
}

std::string failure(std::string_view code, const std::string& message) {
    Json out = {{"ok", false},
                {"error", {{"code", code}, {"pointer", ""}, {"message", message}}},
                {"losses", Json::array()}};
    return out.dump();
}

}  // namespace

std::string translate_json(const std::string& from, const std::string& to, const std::string& kind,
                           const std::string& text) {
    auto source = protocol_from_name(from);
    auto target = protocol_from_name(to);
    if (!source || !target)
        return failure("usage.bad_argument", "from and to must be chat, responses or messages");
    auto what = translate_kind_from_name(kind);
    if (!what) return failure("usage.bad_argument", "kind must be request, response or stream");
    TranslateOutcome t = translate_text(*source, *target, *what, text);
    Json out;
    if (t.ok) {
        out = {{"ok", true}, {"output", t.output}, {"losses", losses_json(t.losses)}};
    } else {
        out = {{"ok", false},
               {"error",
                {{"code", code_name(t.error.code)}, {"pointer", t.error.pointer}, {"message", t.error.message}}},
               {"losses", losses_json(t.losses)}};
    }
    return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace wirecheck::web
