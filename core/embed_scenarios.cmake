# Writes OUTPUT, a C++ source that embeds every SCENARIO_DIR/*.json as a string literal, so the
# core (which reads no files) can offer the built-in scenarios (sim_builtin.cpp). Run at build time
# by core/CMakeLists.txt: cmake -DSCENARIO_DIR=... -DOUTPUT=... -P embed_scenarios.cmake
file(GLOB files "${SCENARIO_DIR}/*.json")
list(SORT files)
set(entries "")
foreach(f IN LISTS files)
  get_filename_component(name "${f}" NAME_WLE)
  file(READ "${f}" text)
  string(FIND "${text}" ")wirecheck_json\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${f} contains the raw-string delimiter )wirecheck_json\"")
  endif()
  string(APPEND entries "        {\"${name}\", R\"wirecheck_json(${text})wirecheck_json\"},\n")
endforeach()
file(WRITE "${OUTPUT}" "// Generated from assets/scenarios/*.json by core/embed_scenarios.cmake. Do not edit.
#include <string_view>
#include <utility>
#include <vector>

namespace wirecheck::sim {

const std::vector<std::pair<std::string_view, std::string_view>>& embedded_profiles() {
    static const std::vector<std::pair<std::string_view, std::string_view>> profiles = {
${entries}    };
    return profiles;
}

}  // namespace wirecheck::sim
")
