# Emscripten settings for Debian's emscripten 3.1.6 (see shared TOOLCHAIN.md for why each exists).

# Its JS optimizer needs Debian's node modules (acorn, ...), which node 20 does not search.
set(CMAKE_CXX_LINKER_LAUNCHER "${CMAKE_COMMAND};-E;env;NODE_PATH=/usr/share/nodejs")
set(CMAKE_C_LINKER_LAUNCHER "${CMAKE_COMMAND};-E;env;NODE_PATH=/usr/share/nodejs")

# nlohmann/json without putting /usr/include on em++'s path (host glibc headers break it).
set(WIRECHECK_SHIM_DIR "${CMAKE_BINARY_DIR}/include-shim")
if(NOT EXISTS "${WIRECHECK_SHIM_DIR}/nlohmann/json.hpp")
  if(NOT EXISTS /usr/include/nlohmann/json.hpp)
    message(FATAL_ERROR "nlohmann/json not found: install package nlohmann-json3-dev")
  endif()
  file(MAKE_DIRECTORY "${WIRECHECK_SHIM_DIR}")
  file(CREATE_LINK /usr/include/nlohmann "${WIRECHECK_SHIM_DIR}/nlohmann" SYMBOLIC)
endif()
add_library(wirecheck_nlohmann INTERFACE)
target_include_directories(wirecheck_nlohmann SYSTEM INTERFACE "${WIRECHECK_SHIM_DIR}")

# Exception policy: catching is enabled everywhere as a safety net (an uncaught exception would
# kill the page), but the core reports errors as values and never relies on it.
# WIRECHECK_WASM_EH: "wasm" = native Wasm exception handling (-fwasm-exceptions; Chrome 95+,
# Firefox 100+, Safari 15.2+, node 17+), "js" = Emscripten's JS-based catching (-fexceptions),
# which sends every call that may unwind through a JS wrapper: about twice the CPU time and a
# 1.50 MB instead of 1.12 MB index.wasm, for browsers without Wasm exceptions.
set(WIRECHECK_WASM_EH "wasm" CACHE STRING "Wasm exception handling: wasm or js")
if(WIRECHECK_WASM_EH STREQUAL "wasm")
  add_compile_options(-fwasm-exceptions)
  add_link_options(-fwasm-exceptions)
else()
  add_compile_options(-fexceptions)
  add_link_options(-fexceptions)
endif()

# Bulk memory operations (Chrome 75+, Firefox 79+, Safari 15+: older than Wasm exceptions, so
# only the "js" build above, for older browsers, goes without): memcpy and memset become single
# instructions; without them Emscripten's memcpy calls out to JS for every copy of 512 bytes or
# more. Chromium A/B: translation 5% faster (Claude Code turn 1 374 -> 351 us, 200 messages ->
# Responses 666 -> 634 us), index.wasm the same size.
if(WIRECHECK_WASM_EH STREQUAL "wasm")
  add_compile_options(-mbulk-memory)
  add_link_options(-mbulk-memory)
endif()

# Link-time optimisation: the linker sees the whole program, drops what nothing calls and inlines
# across files. Measured (README "Size and speed"): index.wasm 478.7 -> 455.5 kB gzip, and
# translation in Chromium faster; a test binary's link takes about twice as long (27 -> 53 s).
add_compile_options(-flto)
add_link_options(-flto)

if(NOT CMAKE_CROSSCOMPILING_EMULATOR)
  # emcmake's default emulator passes a flag node 20 rejects.
  set(CMAKE_CROSSCOMPILING_EMULATOR "/usr/bin/node;--no-experimental-fetch" CACHE STRING "" FORCE)
endif()

# Flags for the playground's link (used by web/CMakeLists.txt).
set(WIRECHECK_WEB_LINK_OPTIONS
  -sUSE_GLFW=3                 # Emscripten's built-in JS GLFW (ports are frozen in Debian's cache)
  -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
  -sMINIFY_HTML=0              # 3.1.6's HTML minifier crashes at -O1+
  -sFILESYSTEM=0               # assets come over fetch, not a virtual filesystem
  -sALLOW_MEMORY_GROWTH=1
  -sENVIRONMENT=web
  -sEXPORTED_RUNTIME_METHODS=[]
)

# simdjson (core/src/json.cpp) compiled from Debian's source package simdjson 3.0.1-1, the version
# of the native build's libsimdjson-dev; fetched into the build tree at configure time, never
# committed. Wasm has no SIMD kernel in 3.0: it runs simdjson's portable "fallback" kernel.
set(WIRECHECK_SIMDJSON_DIR "${CMAKE_BINARY_DIR}/_deps/simdjson" CACHE PATH "simdjson sources")
if(NOT EXISTS "${WIRECHECK_SIMDJSON_DIR}/singleheader/simdjson.cpp")
  execute_process(COMMAND bash "${PROJECT_SOURCE_DIR}/emsdk-config/fetch-debian-source.sh" simdjson 3.0.1-1
                          "${WIRECHECK_SIMDJSON_DIR}" singleheader/simdjson.cpp
                  RESULT_VARIABLE fetch_result)
  if(NOT fetch_result EQUAL 0)
    message(FATAL_ERROR "Could not fetch simdjson sources (see above). Run emsdk-config/setup.sh serve first.")
  endif()
endif()
add_library(wirecheck_simdjson STATIC "${WIRECHECK_SIMDJSON_DIR}/singleheader/simdjson.cpp")
target_include_directories(wirecheck_simdjson SYSTEM PUBLIC "${WIRECHECK_SIMDJSON_DIR}/singleheader")
# Its header says, in every file that includes it, that a 32-bit target gets no fast kernels.
target_compile_options(wirecheck_simdjson PUBLIC -Wno-\#pragma-messages)
# -O3, as simdjson's own release build: its portable kernel is about 40% of a Claude Code
# request's time in Chromium. Measured (README "Where the time goes"): that request 1.1x faster
# than at the page's -Os, the 1 MB Chat -> Messages stream 1.2-1.4x, index.wasm +0.3 kB gzip.
# The last -O on the command line wins.
target_compile_options(wirecheck_simdjson PRIVATE -O3)
