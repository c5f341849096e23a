// State of the Translate panel (web/panels/translate_panel.cpp): the pasted input, what it is, and
// the translations into the other two protocols, cached until the input, `from` or `kind` change.
#pragma once

#include <array>
#include <string>

#include "translate_api.hpp"

namespace wirecheck::web {

struct TranslateState {
    int from = 0;  // Protocol as int: chat, responses, messages
    int kind = 0;  // TranslateKind as int: request, response, stream
    std::string input;
    std::string example;  // id of the example last loaded, "" once edited

    // The cache: outputs[to] is the translation of `cached_input` from `cached_from` to `to`
    // (outputs[cached_from] stays empty). Filled by the panel when input, from or kind change.
    bool cached = false;
    std::string cached_input;
    int cached_from = -1;
    int cached_kind = -1;
    std::array<TranslateOutcome, 3> outputs;
    int translations = 0;  // how often the cache was refilled (tests check it is not per frame)
};

}  // namespace wirecheck::web
