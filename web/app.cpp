// Start-up, the per-frame update, the frame layout and the test hook's state (app.hpp).
#include "app.hpp"

#include <imgui.h>

#include "panels/panels.hpp"
#include "share_link.hpp"

namespace wirecheck::web {
namespace {

void toast(AppState& state, std::string text) {
    state.toast = std::move(text);
    state.toast_until_ms = state.now_ms + 2500;
}

// GET /v1/models with the form's credentials; fills the model picker.
void load_models(AppState& state, HttpClient& http) {
    ProbeConfig config = probe_config(state.connection, state.page_origin);
    FetchRequest request{"GET", models_url(config), config.extra_headers, {}, 20000};
    if (!config.api_key.empty()) {
        request.headers.emplace_back("Authorization", "Bearer " + config.api_key);
        request.headers.emplace_back("x-api-key", config.api_key);
        request.headers.emplace_back("anthropic-version", "2023-06-01");
        request.headers.emplace_back("anthropic-dangerous-direct-browser-access", "true");
    }
    state.models_status = "loading " + request.url;
    if (state.connection.use_relay && state.relay.available()) request = via_relay(std::move(request), state.relay);
    auto body = std::make_shared<std::string>();
    auto status = std::make_shared<int>(0);
    FetchCallbacks cb;
    cb.on_headers = [status](int s, const Headers&) { *status = s; };
    cb.on_chunk = [body](std::string_view bytes) {
        if (body->size() < (4u << 20)) body->append(bytes);
    };
    cb.on_done = [&state, body, status] {
        auto parsed = parse_json(*body);
        state.models.clear();
        if (*status == 200 && parsed.ok() && parsed->is_object() && parsed->contains("data") &&
            (*parsed)["data"].is_array()) {
            for (const Json& m : (*parsed)["data"]) {
                if (m.is_object() && m.contains("id") && m["id"].is_string())
                    state.models.push_back(m["id"].get<std::string>());
            }
            state.models_status = std::to_string(state.models.size()) + " models listed";
        } else {
            state.models_status = "GET /v1/models: HTTP " + std::to_string(*status) +
                                  (parsed.ok() ? "" : " (not JSON)");
        }
    };
    cb.on_failure = [&state](FetchFailure, const std::string& message) {
        state.models_status = "GET /v1/models failed: " + message;
    };
    http.start(request, std::move(cb));
}

void apply_theme(const AppState& state) {
    if (state.light_theme)
        ImGui::StyleColorsLight();
    else
        ImGui::StyleColorsDark();
}

void draw_toast(AppState& state) {
    if (state.toast.empty() || state.now_ms > state.toast_until_ms) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImVec2 pos(vp->WorkPos.x + vp->WorkSize.x - px(state, 16), vp->WorkPos.y + vp->WorkSize.y - px(state, 16));
    ImGui::SetNextWindowPos(pos, ImGuiCond_Always, ImVec2(1, 1));
    ImGui::SetNextWindowBgAlpha(0.9f);
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                             ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                             ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoInputs;
    if (ImGui::Begin("##toast", nullptr, flags)) ImGui::TextUnformatted(state.toast.c_str());
    ImGui::End();
}

void draw_tab(AppState& state, Tab tab) {
    switch (tab) {
        case Tab::Overview:
            DrawOverviewPanel(state);
            break;
        case Tab::Evidence:
            DrawEvidencePanel(state);
            break;
        case Tab::Translate:
            DrawTranslatePanel(state);
            break;
        case Tab::Learn:
            DrawLearnPanel(state);
            break;
    }
}

void draw_tabs(AppState& state) {
    struct Item {
        Tab tab;
        const char* en;
        const char* zh;
    };
    const Item items[] = {{Tab::Overview, "Overview", "概览"},
                          {Tab::Evidence, "Evidence", "证据"},
                          {Tab::Translate, "Translate", "翻译"},
                          {Tab::Learn, "Learn", "了解"}};
    if (!ImGui::BeginTabBar("##tabs")) return;
    const bool forced = state.tab_forced;
    for (const Item& item : items) {
        ImGuiTabItemFlags flags = forced && state.tab == item.tab ? ImGuiTabItemFlags_SetSelected : 0;
        std::string label = std::string(tr(state, item.en, item.zh)) + "###" + item.en;
        bool open = ImGui::BeginTabItem(label.c_str(), nullptr, flags);
        std::string widget = "tab." + tab_name(item.tab);
        record_widget(state, widget.c_str());
        if (!open) continue;
        if (!forced) state.tab = item.tab;
        ImGui::BeginChild("##tabbody", ImVec2(0, 0), false);
        draw_tab(state, item.tab);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    state.tab_forced = false;
    ImGui::EndTabBar();
}

}  // namespace

void start_asset_load(AppState& state, HttpClient& http, const char* path, int timeout_ms) {
    state.assets.push_back(AssetLoad{path});
    std::size_t index = state.assets.size() - 1;  // an index: later loads may move the vector
    FetchCallbacks cb;
    cb.on_headers = [&state, index](int status, const Headers&) { state.assets[index].status = status; };
    cb.on_chunk = [&state, index](std::string_view bytes) { state.assets[index].body.append(bytes); };
    cb.on_done = [&state, index] {
        AssetLoad& a = state.assets[index];
        a.done = true;
        if (a.status != 200) {
            a.error = "HTTP " + std::to_string(a.status);
            a.body.clear();
        }
        if (a.path == kLayersAsset && a.status == 200) {
            auto parsed = parse_json(a.body);
            if (parsed.ok() && parsed->is_array()) state.layers = std::move(parsed.value());
            else a.error = parsed.ok() ? "not a JSON array" : parsed.error().to_string();
        }
    };
    cb.on_failure = [&state, index](FetchFailure, const std::string& message) {
        state.assets[index].done = true;
        state.assets[index].error = message;
        state.assets[index].body.clear();
    };
    http.start(FetchRequest{"GET", path, {}, {}, timeout_ms}, std::move(cb));
}

void start_asset_loads(AppState& state, HttpClient& http) {
    for (const char* path : {kLayersAsset, kUiFontAsset, kMonoFontAsset}) start_asset_load(state, http, path, 15000);
}

void StartApp(AppState& state, AppServices& services) {
    bool run_now = apply_hash(services.browser.location_hash(), state);
    std::string stored = services.browser.storage_get(kStoredKey);
    if (!stored.empty()) {  // only there because the user ticked "remember on this device"
        state.connection.api_key = stored;
        state.connection.remember_key = true;
    }
    apply_theme(state);
    state.tab_forced = true;
    // A first visit (or a scenario link) shows a finished run on its second frame; a link to a
    // real endpoint waits for the visitor's key and a click on Run.
    if (state.connection.simulated) {
        state.first_run_due = true;
    } else if (run_now) {
        std::string error = state.session.start(state.connection, {}, state.page_origin,
                                                services.http, state.now_ms);
        if (!error.empty()) toast(state, error);
    }
}

namespace {

void run_first_visit_scenario(AppState& state, AppServices& services) {
    state.first_run_due = false;
    if (state.session.has_run()) return;  // the embedding page started one already
    std::string error =
        state.session.start(state.connection, {}, state.page_origin, services.http, state.now_ms);
    if (error.empty()) state.session.finish_now(services.http, state.now_ms);
    if (!error.empty()) toast(state, error);
}

}  // namespace

void UpdateApp(AppState& state, AppServices& services) {
    if (state.first_run_due && state.frame > 0) run_first_visit_scenario(state, services);
    Intents intents = std::move(state.intents);
    state.intents = Intents{};
    const ProbeReport* report = state.session.report();
    if (intents.cancel) state.session.cancel(services.http);
    if (intents.run) {
        std::string error = state.session.start(state.connection, intents.steps, state.page_origin,
                                                services.http, state.now_ms, state.relay);
        if (!error.empty()) toast(state, error);
        report = state.session.report();
    }
    if (intents.load_models) load_models(state, services.http);
    if (intents.copy_markdown && report) {
        services.browser.clipboard_write(report_markdown(*report, state.lang));
        toast(state, tr(state, "Markdown report copied", "已复制 Markdown 报告"));
    }
    if (intents.download_json && report) {
        services.browser.download("wirecheck-report.json", "application/json", report_json_text(*report));
        toast(state, tr(state, "JSON report downloaded", "已下载 JSON 报告"));
    }
    if (intents.copy_share_link) {
        services.browser.clipboard_write(services.browser.page_url() + "#" + share_hash(state));
        toast(state, tr(state, "Share link copied (without the key)", "已复制分享链接（不含密钥）"));
    }
    if (!intents.copy_text.empty()) {
        services.browser.clipboard_write(intents.copy_text);
        toast(state, tr(state, "Copied", "已复制"));
    }
    if (intents.forget_key) {
        state.connection.remember_key = false;
        intents.remember_key_changed = true;
    }
    // Remembering is an explicit opt-in; unticking (or "forget") removes the stored key at once.
    if (intents.remember_key_changed || state.connection.remember_key) {
        std::string want = state.connection.remember_key ? state.connection.api_key : "";
        if (want != state.stored_key) {
            if (want.empty())
                services.browser.storage_remove(kStoredKey);
            else
                services.browser.storage_set(kStoredKey, want);
            state.stored_key = want;
        }
        if (intents.remember_key_changed && !state.connection.remember_key)
            toast(state, tr(state, "Key removed from this device", "已从此设备删除密钥"));
    }
    if (intents.theme_changed) apply_theme(state);
    state.session.set_language(state.lang);
    state.session.pump(services.http, state.now_ms);
}

void DrawApp(AppState& state) {
    state.widgets.clear();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    if (!state.embed) DrawMenuBar(state);
    ImGui::SetNextWindowPos(state.embed ? vp->Pos : vp->WorkPos);
    ImGui::SetNextWindowSize(state.embed ? vp->Size : vp->WorkSize);
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                             ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings;
    if (ImGui::Begin("##main", nullptr, flags)) {
        if (state.embed) {
            draw_tab(state, state.tab);
        } else {
            ImGui::BeginChild("##left", ImVec2(px(state, 360), 0), false);
            float share = state.connection.simulated ? 0.3f : 0.55f;  // the form, then the steps
            ImGui::BeginChild("##connection", ImVec2(0, ImGui::GetContentRegionAvail().y * share), false);
            DrawConnectionPanel(state);
            ImGui::EndChild();
            DrawRunPanel(state);
            ImGui::EndChild();
            ImGui::SameLine();
            ImGui::BeginChild("##right", ImVec2(0, 0), false);
            draw_tabs(state);
            ImGui::EndChild();
        }
    }
    ImGui::End();
    if (state.show_about) DrawAboutWindow(state);
    draw_toast(state);
}

std::string hook_state_json(const AppState& state) {
    Json assets = Json::object();
    for (const auto& a : state.assets) {
        assets[a.path] = {{"status", a.status}, {"bytes", a.body.size()}, {"done", a.done},
                          {"error", a.error}};
    }
    Json widgets = Json::object();
    for (const auto& [name, r] : state.widgets) widgets[name] = {{"x", r.x}, {"y", r.y}, {"w", r.w}, {"h", r.h}};
    const ConnectionForm& f = state.connection;
    Json connection = {{"simulated", f.simulated},  {"scenario", f.scenario},
                       {"base_url", f.base_url},    {"model", f.model},
                       {"key_set", !f.api_key.empty()}, {"remember_key", f.remember_key},
                       {"relay_available", state.relay.available()}, {"use_relay", f.use_relay},
                       {"relayed", state.session.relayed()}};
    Json run = nullptr;
    if (const ProbeRun* r = state.session.run()) {
        Json steps = Json::object();
        for (const StepEvidence& s : r->steps()) steps[s.id] = step_status_name(s.status);
        run = {{"running", state.session.running()},
               {"done", state.session.steps_done()},
               {"total", state.session.steps_total()},
               {"steps", steps}};
    }
    Json verdicts = Json::object();
    Json layers = Json::array();
    if (const ProbeReport* report = state.session.report()) {
        for (const Verdict& v : report->verdicts) verdicts[std::string(client_name(v.client))] = code_name(v.level);
        for (const LayerRow& l : report->layers)
            layers.push_back({{"endpoint", l.endpoint}, {"level", code_name(l.measured_level)}, {"measured", l.measured}});
    }
    Json out = {{"app", "wirecheck"},
                {"version", state.version},
                {"frame", state.frame},
                {"frame_work_ms", state.frame_work_ms},
                {"dpr", state.dpr},
                {"display", ImGui::GetCurrentContext()
                                ? Json::array({ImGui::GetIO().DisplaySize.x, ImGui::GetIO().DisplaySize.y})
                                : Json::array()},
                {"fonts_loaded", state.fonts_loaded},
                {"cjk_loaded", state.cjk_loaded},
                {"layers", state.layers.is_array() ? state.layers.size() : 0},
                {"show_about", state.show_about},
                {"embed", state.embed},
                {"tab", tab_name(state.tab)},
                {"lang", state.lang == Language::Chinese ? "zh" : "en"},
                {"theme", state.light_theme ? "light" : "dark"},
                {"connection", connection},
                {"run", run},
                {"verdicts", verdicts},
                {"measured_layers", layers},
                {"selected_step", state.selected_step},
                {"models", state.models},
                {"toast", state.now_ms <= state.toast_until_ms ? state.toast : ""},
                {"assets", assets},
                {"widgets", widgets}};
    return out.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace wirecheck::web
