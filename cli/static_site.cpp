// Static file serving for `wirecheck serve`.
#include "static_site.hpp"

#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace wirecheck::cli {
namespace fs = std::filesystem;

std::string mime_type_for(const std::string& path) {
    static const std::map<std::string, std::string> types = {
        // The charset parameter also keeps httplib from recompressing these on every request
        // (it only compresses exact "application/javascript"/"application/json"): we gzip once.
        {".html", "text/html; charset=utf-8"}, {".js", "application/javascript; charset=utf-8"},
        {".wasm", "application/wasm"},         {".json", "application/json; charset=utf-8"},
        {".css", "text/css"},                  {".png", "image/png"},
        {".svg", "image/svg+xml"},             {".ttf", "font/ttf"},
        {".otf", "font/otf"},                  {".txt", "text/plain; charset=utf-8"},
        {".ico", "image/x-icon"},
    };
    auto it = types.find(fs::path(path).extension().string());
    return it == types.end() ? "application/octet-stream" : it->second;
}

std::string gzip_compress(const std::string& data) {
    z_stream zs{};
    // windowBits 15 + 16: write a gzip header and trailer rather than a zlib one.
    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
    std::string out(deflateBound(&zs, data.size()), '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    zs.avail_in = static_cast<uInt>(data.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&zs, Z_FINISH);
    out.resize(zs.total_out);
    deflateEnd(&zs);
    return rc == Z_STREAM_END ? out : std::string();
}

std::optional<StaticFile> StaticSite::get(const std::string& url_path, bool accepts_gzip) {
    std::string rel = url_path.empty() || url_path == "/" ? "index.html" : url_path.substr(1);
    fs::path p = fs::path(rel).lexically_normal();
    if (p.empty() || p.is_absolute() || *p.begin() == "..") return std::nullopt;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = cache_.find(p.string());
    if (it == cache_.end()) {
        std::ifstream in(fs::path(root_) / p, std::ios::binary);
        if (!in || fs::is_directory(fs::path(root_) / p)) return std::nullopt;
        std::ostringstream body;
        body << in.rdbuf();
        it = cache_.emplace(p.string(), StaticFile{mime_type_for(p.string()), body.str(), {}}).first;
    }
    StaticFile& file = it->second;
    if (accepts_gzip && file.gzip_body.empty()) file.gzip_body = gzip_compress(file.body);
    return file;
}

std::string default_web_root(const char* argv0) {
    if (const char* env = std::getenv("WIRECHECK_WEB_ROOT"); env && *env) return env;
    std::error_code ec;
    fs::path exe = fs::canonical("/proc/self/exe", ec);
    if (ec) exe = fs::absolute(argv0);
    return (exe.parent_path().parent_path().parent_path() / "wasm" / "web" / "site").lexically_normal().string();
}

}  // namespace wirecheck::cli
