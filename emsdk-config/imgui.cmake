# Dear ImGui 1.86 for the Wasm build, compiled from Debian's source package (fetched into the build
# tree at configure time by fetch-debian-source.sh; never committed).
set(WIRECHECK_IMGUI_DIR "${CMAKE_BINARY_DIR}/_deps/imgui" CACHE PATH "Dear ImGui sources")
if(NOT EXISTS "${WIRECHECK_IMGUI_DIR}/imgui.cpp")
  execute_process(COMMAND bash "${PROJECT_SOURCE_DIR}/emsdk-config/fetch-debian-source.sh" imgui 1.86+ds-1
                          "${WIRECHECK_IMGUI_DIR}" backends/imgui_impl_opengl3.cpp
                  RESULT_VARIABLE fetch_result)
  if(NOT fetch_result EQUAL 0)
    message(FATAL_ERROR "Could not fetch Dear ImGui sources (see above). Run emsdk-config/setup.sh serve first.")
  endif()
endif()
add_library(wirecheck_imgui STATIC
  ${WIRECHECK_IMGUI_DIR}/imgui.cpp
  ${WIRECHECK_IMGUI_DIR}/imgui_draw.cpp
  ${WIRECHECK_IMGUI_DIR}/imgui_tables.cpp
  ${WIRECHECK_IMGUI_DIR}/imgui_widgets.cpp
  ${WIRECHECK_IMGUI_DIR}/backends/imgui_impl_glfw.cpp
  ${WIRECHECK_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
target_include_directories(wirecheck_imgui SYSTEM PUBLIC ${WIRECHECK_IMGUI_DIR} ${WIRECHECK_IMGUI_DIR}/backends)
target_compile_definitions(wirecheck_imgui PUBLIC IMGUI_IMPL_OPENGL_ES3 IMGUI_DISABLE_FILE_FUNCTIONS
  IMGUI_DISABLE_OBSOLETE_FUNCTIONS)
