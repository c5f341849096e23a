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
