// The URL hash: share links and embed mode. A share link carries the configuration but never the
// API key (nor extra headers, which may hold credentials); embed mode is "#embed&scenario=...&
// panel=...". Pure string work, so native tests cover it.
#pragma once

#include <string>

#include "app_state.hpp"

namespace wirecheck::web {

// "scenario=fieldreport-deepseek-v4-pro&tab=evidence" or "base=https%3A...&model=m&budget=1024".
std::string share_hash(const AppState& state);
// Applies a hash to the state (unknown keys ignored; a `key`/`api_key` is ignored on purpose).
// Returns true when it asked for an immediate run (a scenario or `run`).
bool apply_hash(const std::string& hash, AppState& state);

std::string url_encode(const std::string& text);
std::string url_decode(const std::string& text);

std::string tab_name(Tab tab);  // "overview", "evidence", "translate", "learn"

}  // namespace wirecheck::web
