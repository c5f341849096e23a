// BrowserServices in the browser: localStorage, the clipboard (shell/clipboard_bridge.js, shared
// with ImGui's own copy), location.hash and a Blob download.
#include <emscripten/emscripten.h>

#include <cstdlib>

#include "platform/browser.hpp"

extern "C" void wc_clipboard_write_text(const char* text);  // shell/clipboard_bridge.js

// Strings returned from JS are malloc'ed UTF-8, freed by the caller.
EM_JS(char*, wc_storage_get, (const char* key), {
    var v = null;
    try { v = window.localStorage.getItem(UTF8ToString(key)); } catch (e) {}
    return allocateUTF8(v === null ? "" : v);
});
EM_JS(void, wc_storage_set, (const char* key, const char* value), {
    try { window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
});
EM_JS(void, wc_storage_remove, (const char* key), {
    try { window.localStorage.removeItem(UTF8ToString(key)); } catch (e) {}
});
EM_JS(char*, wc_location_hash, (), {
    return allocateUTF8(location.hash.substring(1));  // still URL-encoded: share_link decodes
});
EM_JS(void, wc_set_location_hash, (const char* hash), {
    history.replaceState(null, "", "#" + UTF8ToString(hash));
});
EM_JS(char*, wc_page_url, (), {
    return allocateUTF8(location.href.split("#")[0]);
});
EM_JS(void, wc_download, (const char* name, const char* mime, const char* text), {
    var blob = new Blob([UTF8ToString(text)], { type: UTF8ToString(mime) });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = UTF8ToString(name);
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
});

namespace wirecheck::web {
namespace {

std::string take(char* s) {
    std::string out = s ? s : "";
    std::free(s);
    return out;
}

class WebBrowserServices : public BrowserServices {
  public:
    std::string storage_get(const std::string& key) override {
        return take(wc_storage_get(key.c_str()));
    }
    void storage_set(const std::string& key, const std::string& value) override {
        wc_storage_set(key.c_str(), value.c_str());
    }
    void storage_remove(const std::string& key) override { wc_storage_remove(key.c_str()); }
    void clipboard_write(const std::string& text) override { wc_clipboard_write_text(text.c_str()); }
    std::string location_hash() override { return take(wc_location_hash()); }
    void set_location_hash(const std::string& hash) override {
        wc_set_location_hash(hash.c_str());
    }
    std::string page_url() override { return take(wc_page_url()); }
    void download(const std::string& filename, const std::string& mime,
                  const std::string& text) override {
        wc_download(filename.c_str(), mime.c_str(), text.c_str());
    }
};

}  // namespace

std::unique_ptr<BrowserServices> make_browser_services() {
    return std::make_unique<WebBrowserServices>();
}

}  // namespace wirecheck::web
