// An ImGui context without a renderer for the panel tests: display size, frame time, a built font
// atlas. Owns its context (tests may hold two) and makes it current when constructed.
#pragma once

#include <imgui.h>

namespace wirecheck::web::test {

class HeadlessImGui {
  public:
    explicit HeadlessImGui(float width = 1280, float height = 800) : context_(ImGui::CreateContext()) {
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(width, height);
        io.DeltaTime = 1.0f / 60.0f;
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    }
    ~HeadlessImGui() { ImGui::DestroyContext(context_); }
    HeadlessImGui(const HeadlessImGui&) = delete;
    HeadlessImGui& operator=(const HeadlessImGui&) = delete;

    void make_current() const { ImGui::SetCurrentContext(context_); }

  private:
    ImGuiContext* context_;
};

}  // namespace wirecheck::web::test
