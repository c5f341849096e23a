// Example inputs for the Translate panel (translate_examples.cpp): what Codex, Claude Code and a
// DeepSeek chat endpoint really send, kept small.
#pragma once

#include <vector>

#include "translate_api.hpp"

namespace wirecheck::web {

struct TranslateExample {
    const char* id;  // stable, for tests and the test hook ("codex-request")
    const char* en;  // button label
    const char* zh;
    Protocol from;
    TranslateKind kind;
    const char* text;
};

const std::vector<TranslateExample>& translate_examples();

}  // namespace wirecheck::web
