// Browser services besides HTTP: storage (used only for opt-in settings), the clipboard, the URL
// hash (share links, embed mode) and file downloads. One implementation per platform:
// browser_web.cpp (the real browser, via EM_JS), browser_headless.cpp (records calls for tests).
#pragma once

#include <memory>
#include <string>

namespace wirecheck::web {

class BrowserServices {
  public:
    virtual ~BrowserServices() = default;
    virtual std::string storage_get(const std::string& key) = 0;  // "" when absent
    virtual void storage_set(const std::string& key, const std::string& value) = 0;
    virtual void storage_remove(const std::string& key) = 0;
    virtual void clipboard_write(const std::string& text) = 0;
    virtual std::string location_hash() = 0;  // without the leading '#'
    virtual void set_location_hash(const std::string& hash) = 0;
    virtual std::string page_url() = 0;  // the page's URL without its hash
    virtual void download(const std::string& filename, const std::string& mime,
                          const std::string& text) = 0;
};

std::unique_ptr<BrowserServices> make_browser_services();

}  // namespace wirecheck::web
