// Serves the built playground (index.html, .js, .wasm, assets/) from a folder: safe path
// resolution, MIME types (application/wasm included), gzip when the client accepts it.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace wirecheck::cli {

struct StaticFile {
    std::string content_type;
    std::string body;           // as stored on disk
    std::string gzip_body;      // gzip of body, made on first request that accepts gzip
};

class StaticSite {
public:
    explicit StaticSite(std::string root) : root_(std::move(root)) {}

    // The file for a URL path ("/" -> index.html), or nullopt when absent or outside the root.
    std::optional<StaticFile> get(const std::string& url_path, bool accepts_gzip);
    const std::string& root() const { return root_; }

private:
    std::string root_;
    std::mutex mutex_;
    std::map<std::string, StaticFile> cache_;
};

std::string mime_type_for(const std::string& path);
std::string gzip_compress(const std::string& data);

// Where the wasm build's site is, relative to this executable (build/<preset>/cli/wirecheck ->
// build/wasm/web/site); WIRECHECK_WEB_ROOT overrides.
std::string default_web_root(const char* argv0);

}  // namespace wirecheck::cli
