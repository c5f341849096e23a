// curl_util.hpp.
#include "curl_util.hpp"

#include <curl/curl.h>

#include <cstdlib>

namespace wirecheck::cli {
namespace {

std::string trim(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n'))
        --e;
    return std::string(s.substr(b, e - b));
}

struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
    ~CurlGlobal() { curl_global_cleanup(); }
};

}  // namespace

void ensure_curl_initialized() { static CurlGlobal global; }

HeaderLine parse_header_line(std::string_view line) {
    HeaderLine out;
    if (line.rfind("HTTP/", 0) == 0) {
        out.kind = HeaderLine::Status;
        std::size_t space = line.find(' ');
        if (space != std::string_view::npos)
            out.status = std::atoi(std::string(line.substr(space + 1, 3)).c_str());
    } else if (line == "\r\n" || line == "\n") {
        out.kind = HeaderLine::End;
    } else if (std::size_t colon = line.find(':'); colon != std::string_view::npos) {
        out.kind = HeaderLine::Field;
        out.name = trim(line.substr(0, colon));
        out.value = trim(line.substr(colon + 1));
    }
    return out;
}

}  // namespace wirecheck::cli
