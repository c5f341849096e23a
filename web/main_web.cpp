// The browser entry point: GLFW (Emscripten's JS implementation) + OpenGL ES 3 / WebGL2, one
// ImGui frame per requestAnimationFrame. The canvas fills the window and is resynced every
// frame; ImGui works in device pixels (fonts and style scaled by devicePixelRatio).
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#define GLFW_INCLUDE_ES3
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <imgui_internal.h>

#include <cmath>
#include <exception>
#include <memory>

#include "app.hpp"
#include "fonts.hpp"

extern "C" void wc_install_test_hook();

namespace {

constexpr float kBaseFontPx = 16.0f;

struct Runtime {
    GLFWwindow* window = nullptr;
    std::unique_ptr<wirecheck::web::HttpClient> http;
    wirecheck::web::AppState state;
    ImGuiStyle base_style;
    float styled_dpr = 0;  // dpr the style and fonts were last built for
    std::string hook_json;
};

Runtime& rt() {
    static Runtime r;
    return r;
}

// Canvas backing store = CSS size x devicePixelRatio, so nothing is blurry on hi-DPI screens.
void resync_canvas(Runtime& r) {
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size("#canvas", &css_w, &css_h);
    float dpr = static_cast<float>(emscripten_get_device_pixel_ratio());
    if (dpr <= 0) dpr = 1;
    int w = static_cast<int>(std::lround(css_w * dpr));
    int h = static_cast<int>(std::lround(css_h * dpr));
    int cur_w = 0, cur_h = 0;
    glfwGetWindowSize(r.window, &cur_w, &cur_h);
    if (w > 0 && h > 0 && (w != cur_w || h != cur_h)) glfwSetWindowSize(r.window, w, h);
    r.state.dpr = dpr;
}

// (Re)builds fonts and style when the fonts arrive or the pixel density changes.
void restyle_if_needed(Runtime& r) {
    const auto* ui = r.state.asset(wirecheck::web::kUiFontAsset);
    const auto* mono = r.state.asset(wirecheck::web::kMonoFontAsset);
    bool fonts_ready = ui && ui->done && ui->status == 200 && mono && mono->done;
    bool dpr_changed = r.state.dpr != r.styled_dpr;
    bool fonts_new = fonts_ready && !r.state.fonts_loaded;
    if (!dpr_changed && !fonts_new) return;
    if (fonts_ready) {
        r.state.fonts_loaded = wirecheck::web::build_fonts(ui->body, mono->status == 200 ? mono->body : "",
                                                           kBaseFontPx, r.state.dpr);
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    if (!r.state.fonts_loaded) ImGui::GetIO().FontGlobalScale = r.state.dpr;
    else ImGui::GetIO().FontGlobalScale = 1.0f;
    ImGui::GetStyle() = r.base_style;
    ImGui::GetStyle().ScaleAllSizes(r.state.dpr);
    r.styled_dpr = r.state.dpr;
}

void frame() {
    Runtime& r = rt();
    try {
        resync_canvas(r);
        restyle_if_needed(r);
        glfwPollEvents();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGuiIO& io = ImGui::GetIO();
        if (!(io.DeltaTime > 0.0f)) io.DeltaTime = 1.0f / 60.0f;  // virtual time can stand still
        ImGui::NewFrame();
        wirecheck::web::DrawApp(r.state);
        ImGui::Render();
        int fb_w = 0, fb_h = 0;
        glfwGetFramebufferSize(r.window, &fb_w, &fb_h);
        glViewport(0, 0, fb_w, fb_h);
        ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
        glClearColor(bg.x, bg.y, bg.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        ++r.state.frame;
    } catch (const std::exception& e) {
        // A safety net only: the core reports errors as values. Keep the page alive.
        emscripten_log(EM_LOG_ERROR, "wirecheck: frame failed: %s", e.what());
        if (ImGui::GetCurrentContext() && ImGui::GetCurrentContext()->WithinFrameScope) ImGui::EndFrame();
    }
}

}  // namespace

extern "C" EMSCRIPTEN_KEEPALIVE const char* wc_hook_state() {
    rt().hook_json = wirecheck::web::hook_state_json(rt().state);
    return rt().hook_json.c_str();
}

int main() {
    Runtime& r = rt();
    r.state.version = WIRECHECK_VERSION;
    if (!glfwInit()) {
        emscripten_log(EM_LOG_ERROR, "wirecheck: glfwInit failed");
        return 1;
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    r.window = glfwCreateWindow(1280, 800, "wirecheck", nullptr, nullptr);
    if (!r.window) {
        emscripten_log(EM_LOG_ERROR, "wirecheck: no WebGL2 context");
        return 1;
    }
    glfwMakeContextCurrent(r.window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // no filesystem; layout is code
    ImGui::StyleColorsDark();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowRounding = 4;
    style.FrameRounding = 3;
    style.CellPadding = ImVec2(8, 5);
    r.base_style = style;
    ImGui_ImplGlfw_InitForOpenGL(r.window, true);
    ImGui_ImplOpenGL3_Init("#version 300 es");

    r.http = wirecheck::web::make_http_client();
    wirecheck::web::start_asset_loads(r.state, *r.http);
    wc_install_test_hook();
    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
