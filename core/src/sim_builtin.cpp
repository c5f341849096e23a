// The built-in scenarios: assets/scenarios/*.json, embedded into the library at build time by
// core/embed_scenarios.cmake (the core reads no files), listed for the web page and the CLI.
#include <algorithm>

#include "sim_internal.hpp"

namespace wirecheck {
namespace sim {
// Defined in the generated sim_embedded_profiles.cpp: {file name without .json, file text}.
const std::vector<std::pair<std::string_view, std::string_view>>& embedded_profiles();
}  // namespace sim

const std::vector<BuiltinScenario>& builtin_scenarios() {
    // Built once (thread-safe static initialisation) from constant data; never changes.
    static const std::vector<BuiltinScenario> scenarios = [] {
        std::vector<BuiltinScenario> out;
        for (const auto& [name, json] : sim::embedded_profiles()) {
            auto profile = sim::parse_profile(json);
            if (!profile.ok()) continue;  // tests/unit/sim_test.cpp fails on any such profile
            out.push_back(BuiltinScenario{std::string(name), profile->description,
                                           profile->description_zh, json});
        }
        std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
            bool a_default = a.name == kDefaultScenario, b_default = b.name == kDefaultScenario;
            if (a_default != b_default) return a_default;
            return a.name < b.name;
        });
        return out;
    }();
    return scenarios;
}

std::optional<Simulator> builtin_simulator(std::string_view name) {
    for (const auto& scenario : builtin_scenarios()) {
        if (scenario.name != name) continue;
        auto sim = Simulator::from_profile(scenario.profile_json);
        if (sim.ok()) return std::move(sim.value());
    }
    return std::nullopt;
}

}  // namespace wirecheck
