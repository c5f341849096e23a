// What the two libcurl users (curl_transport.cpp for probes, upstream.cpp for the adapters and
// the relay) share: one-time global init and reading header lines.
#pragma once

#include <string>
#include <string_view>

namespace wirecheck::cli {

// curl_global_init once per process (thread-safe; cleaned up at exit).
void ensure_curl_initialized();

// One line as CURLOPT_HEADERFUNCTION delivers it: a status line ("HTTP/1.1 200 OK") starts a
// header block (after a 1xx block a second one follows), a blank line ends it.
struct HeaderLine {
    enum Kind { Status, End, Field, Other } kind = Other;
    int status = 0;     // Status
    std::string name;   // Field
    std::string value;  // Field, trimmed
};
HeaderLine parse_header_line(std::string_view line);

}  // namespace wirecheck::cli
