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

#include <algorithm>
#include <cmath>
#include <iterator>
#include <cstdlib>
#include <exception>
#include <memory>

#include "app.hpp"
#include "cjk_font.hpp"
#include "fonts.hpp"
#include "platform/ime.hpp"
#include "platform/paste.hpp"
#include "translate_api.hpp"
#include "wirecheck/report.hpp"

extern "C" void wc_install_test_hook();

EM_JS(char*, wc_page_origin, (), { return allocateUTF8(location.origin); });
EM_JS(char*, wc_relay_token, (), {
    var meta = document.querySelector("meta[name=wirecheck-relay]");
    return allocateUTF8(meta && meta.content ? meta.content : "");
});

namespace {

constexpr float kBaseFontPx = 16.0f;

struct Runtime {
    GLFWwindow* window = nullptr;
    std::unique_ptr<wirecheck::web::HttpClient> http;
    std::unique_ptr<wirecheck::web::BrowserServices> browser;
    std::unique_ptr<wirecheck::web::AppServices> services;
    wirecheck::web::AppState state;
    ImGuiStyle base_style;
    float styled_dpr = 0;  // dpr the style and fonts were last built for
    std::string hook_json;
    std::string api_text;  // the last string handed to JS
    int width = 0, height = 0;  // the canvas backing store, device pixels
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
    // Not glfwSetWindowSize: Emscripten's GLFW treats a size equal to screen.width x height as a
    // fullscreen request and ignores it, which a maximised window (or headless Chromium) hits.
    if (w > 0 && h > 0 && (w != r.width || h != r.height)) {
        emscripten_set_canvas_element_size("#canvas", w, h);
        r.width = w;
        r.height = h;
    }
    r.state.dpr = dpr;
}

// (Re)builds fonts and style when the fonts arrive (the CJK font later: it is fetched after the
// first frames, cjk_font.hpp) or the pixel density changes.
void restyle_if_needed(Runtime& r) {
    wirecheck::web::request_cjk_font_if_due(r.state, *r.http);
    const auto* ui = r.state.asset(wirecheck::web::kUiFontAsset);
    const auto* mono = r.state.asset(wirecheck::web::kMonoFontAsset);
    const std::string* cjk = wirecheck::web::cjk_font_data(r.state);
    bool fonts_ready = ui && ui->done && ui->status == 200 && mono && mono->done;
    bool dpr_changed = r.state.dpr != r.styled_dpr;
    bool fonts_new = fonts_ready && (!r.state.fonts_loaded || (cjk && !r.state.cjk_loaded));
    if (!dpr_changed && !fonts_new) return;
    if (fonts_ready) {
        bool cjk_merged = false;
        r.state.fonts_loaded = wirecheck::web::build_fonts(
            ui->body, mono->status == 200 ? mono->body : "", cjk ? *cjk : std::string(),
            kBaseFontPx, r.state.dpr, &cjk_merged);
        if (cjk && !cjk_merged) wirecheck::web::mark_cjk_font_unusable(r.state);
        r.state.cjk_loaded = cjk_merged;
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
        ImGui::GetIO().Fonts->ClearTexData();  // the GPU has it; the CJK atlas is tens of MB
    }
    if (!r.state.fonts_loaded) ImGui::GetIO().FontGlobalScale = r.state.dpr;
    else ImGui::GetIO().FontGlobalScale = 1.0f;
    // Sizes come from the base style scaled to the density; colours stay (the theme is chosen).
    ImGuiStyle& style = ImGui::GetStyle();
    ImVec4 colors[ImGuiCol_COUNT];
    std::copy(std::begin(style.Colors), std::end(style.Colors), colors);
    style = r.base_style;
    std::copy(std::begin(colors), std::end(colors), style.Colors);
    style.ScaleAllSizes(r.state.dpr);
    r.styled_dpr = r.state.dpr;
}

void frame() {
    Runtime& r = rt();
    try {
        r.state.now_ms = emscripten_get_now();
        resync_canvas(r);
        restyle_if_needed(r);
        wirecheck::web::UpdateApp(r.state, *r.services);
        glfwPollEvents();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::GetIO().DisplaySize = ImVec2(static_cast<float>(r.width), static_cast<float>(r.height));
        ImGui::GetIO().DisplayFramebufferScale = ImVec2(1, 1);
        ImGuiIO& io = ImGui::GetIO();
        if (!(io.DeltaTime > 0.0f)) io.DeltaTime = 1.0f / 60.0f;  // virtual time can stand still
        ImGui::NewFrame();
        wirecheck::web::DrawApp(r.state);
        ImGui::Render();
        glViewport(0, 0, r.width, r.height);
        ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
        glClearColor(bg.x, bg.y, bg.z, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        // What 60 fps needs from us (<= 16.7 ms), apart from the browser's compositing.
        double work = emscripten_get_now() - r.state.now_ms;
        r.state.frame_work_ms = r.state.frame == 0 ? work : 0.9 * r.state.frame_work_ms + 0.1 * work;
        wirecheck::web::update_browser_ime();
        if (r.state.frame == 0) EM_ASM(performance.mark("wirecheck:first-frame"));
        ++r.state.frame;
    } catch (const std::exception& e) {
        // A safety net only: the core reports errors as values. Keep the page alive.
        emscripten_log(EM_LOG_ERROR, "wirecheck: frame failed: %s", e.what());
        if (ImGui::GetCurrentContext() && ImGui::GetCurrentContext()->WithinFrameScope) ImGui::EndFrame();
    }
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* wc_hook_state() {
    rt().hook_json = wirecheck::web::hook_state_json(rt().state);
    return rt().hook_json.c_str();
}

// window.wirecheck.run(config): the embedding page's configuration (JSON: scenario, or base_url,
// model, api_key, steps) replaces the form and starts a run; "" or why it cannot start.
EMSCRIPTEN_KEEPALIVE const char* wc_api_run(const char* config_json) {
    Runtime& r = rt();
    auto config = wirecheck::parse_json(config_json ? config_json : "");
    if (!config.ok() || !config->is_object()) {
        r.api_text = "config must be a JSON object";
        return r.api_text.c_str();
    }
    auto text = [&](const char* key) {
        auto it = config->find(key);
        return it != config->end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    wirecheck::web::ConnectionForm form;
    form.simulated = !text("scenario").empty() || text("base_url").empty();
    if (!text("scenario").empty()) form.scenario = text("scenario");
    form.base_url = text("base_url");
    form.api_key = text("api_key");
    form.model = text("model");
    form.messages_base_url = text("messages_base_url");
    if (auto it = config->find("relay"); it != config->end() && it->is_boolean()) form.use_relay = it->get<bool>();
    std::vector<std::string> steps;
    if (auto it = config->find("steps"); it != config->end() && it->is_array()) {
        for (const auto& s : *it)
            if (s.is_string()) steps.push_back(s.get<std::string>());
    }
    r.state.connection = form;
    r.api_text = r.state.session.start(form, steps, r.state.page_origin, *r.http, emscripten_get_now(),
                                       r.state.relay);
    return r.api_text.c_str();
}

// window.wirecheck.translate(from, to, kind, text): JSON {ok, output, losses} or {ok, error}.
EMSCRIPTEN_KEEPALIVE const char* wc_api_translate(const char* from, const char* to,
                                                  const char* kind, const char* text) {
    Runtime& r = rt();
    r.api_text = wirecheck::web::translate_json(from, to, kind, text);
    return r.api_text.c_str();
}

// 0 = no run, 1 = running, 2 = finished.
EMSCRIPTEN_KEEPALIVE int wc_api_run_status() {
    // Fetch callbacks may have finished the run since the last frame: bring the report up to date
    // first, so run() never resolves with a report older than the run.
    Runtime& r = rt();
    r.state.session.pump(*r.http, emscripten_get_now());
    const auto& s = r.state.session;
    return !s.has_run() ? 0 : s.running() ? 1 : 2;
}

// The current report as JSON (schema docs/report-schema.md; never the key).
EMSCRIPTEN_KEEPALIVE const char* wc_api_report() {
    Runtime& r = rt();
    const wirecheck::ProbeReport* report = r.state.session.report();
    r.api_text = report ? wirecheck::report_json_text(*report) : "null";
    return r.api_text.c_str();
}

}  // extern "C"

int main() {
    Runtime& r = rt();
    EM_ASM(performance.mark("wirecheck:main"));
    r.state.version = WIRECHECK_VERSION;
    wirecheck::web::install_browser_ime();
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
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // Tab / arrows / Enter / Space
    ImGui::StyleColorsDark();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowRounding = 4;
    style.FrameRounding = 3;
    style.CellPadding = ImVec2(8, 5);
    r.base_style = style;
    ImGui_ImplGlfw_InitForOpenGL(r.window, true);
    wirecheck::web::install_browser_paste();  // after the GLFW backend: its clipboard is a no-op
    ImGui_ImplOpenGL3_Init("#version 300 es");

    r.http = wirecheck::web::make_http_client();
    r.browser = wirecheck::web::make_browser_services();
    r.services.reset(new wirecheck::web::AppServices{*r.http, *r.browser});
    if (char* origin = wc_page_origin()) {
        if (std::string(origin).rfind("http", 0) == 0) r.state.page_origin = origin;
        std::free(origin);
    }
    if (char* token = wc_relay_token()) {
        if (*token) r.state.relay = {r.state.page_origin + "/relay", token};
        std::free(token);
    }
    r.state.now_ms = emscripten_get_now();
    EM_ASM(performance.mark("wirecheck:gl-ready"));
    wirecheck::web::start_asset_loads(r.state, *r.http);
    wirecheck::web::StartApp(r.state, *r.services);
    wc_install_test_hook();
    EM_ASM(performance.mark("wirecheck:started"));  // web_perf.mjs times the start-up phases
    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
