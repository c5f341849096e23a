// A Loss records one thing a translation could not carry over unchanged, with where it was.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "wirecheck/codes.hpp"

namespace wirecheck {

enum class Severity { Info, Warn, Error };
std::string_view severity_name(Severity s);  // "info", "warn", "error"

struct Loss {
    Code code;
    Severity severity = Severity::Warn;
    std::string pointer;  // JSON pointer into the SOURCE document ("" for the whole document)
    std::string message;  // specific: names the field/value and what happened to it
};

using Losses = std::vector<Loss>;

inline void add_loss(Losses& losses, Code code, Severity severity, std::string pointer,
                     std::string message) {
    losses.push_back(Loss{code, severity, std::move(pointer), std::move(message)});
}

}  // namespace wirecheck
