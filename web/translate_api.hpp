// Translation for the playground: one call that takes pasted text (a request, a response or an
// SSE stream) and returns the translated text, its losses or the error. Used by the Translate
// panel and, as JSON, by the page's JS API (`window.wirecheck.translate(from, to, kind, text)`).
// All protocol logic is in core/ (wirecheck/translate.hpp); this file only shapes the result.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "wirecheck/translate.hpp"

namespace wirecheck::web {

enum class TranslateKind { Request, Response, Stream };

std::string_view translate_kind_name(TranslateKind kind);  // "request" | "response" | "stream"
std::optional<TranslateKind> translate_kind_from_name(std::string_view name);

struct TranslateOutcome {
    bool ok = false;
    std::string output;  // pretty JSON for bodies, SSE text for streams (partial on a stream error)
    Losses losses;
    Error error;         // when !ok
};

// Never throws. A stream is fed whole; its last event may lack the closing blank line.
TranslateOutcome translate_text(Protocol from, Protocol to, TranslateKind kind, std::string_view text);

// The JS API's answer, as JSON text:
//   {"ok":true,"output":"...","losses":[{"code","severity","pointer","message"}]}
//   {"ok":false,"error":{"code","pointer","message"},"losses":[...]}
// `from`/`to` are "chat" | "responses" | "messages", `kind` "request" | "response" | "stream".
// Bad arguments give ok:false with code "usage.bad_argument" (the JS API's own check; core codes
// are listed in docs/codes.md).
std::string translate_json(const std::string& from, const std::string& to, const std::string& kind,
                           const std::string& text);

}  // namespace wirecheck::web
