// BrowserServices for native tests: storage in a map, and every clipboard write, hash change and
// download recorded, so tests can check what would have left the page (never the key).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "platform/browser.hpp"

namespace wirecheck::web {

class HeadlessBrowserServices : public BrowserServices {
  public:
    struct Download {
        std::string filename, mime, text;
    };
    std::map<std::string, std::string> storage;
    std::vector<std::string> clipboard;
    std::string hash;
    std::vector<Download> downloads;

    std::string storage_get(const std::string& key) override {
        auto it = storage.find(key);
        return it == storage.end() ? "" : it->second;
    }
    void storage_set(const std::string& key, const std::string& value) override {
        storage[key] = value;
    }
    void storage_remove(const std::string& key) override { storage.erase(key); }
    void clipboard_write(const std::string& text) override { clipboard.push_back(text); }
    std::string location_hash() override { return hash; }
    void set_location_hash(const std::string& h) override { hash = h; }
    std::string page_url() override { return "http://127.0.0.1:8080/"; }
    void download(const std::string& filename, const std::string& mime,
                  const std::string& text) override {
        downloads.push_back({filename, mime, text});
    }
};

}  // namespace wirecheck::web
