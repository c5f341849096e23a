// Helpers for the plain HTTP values of http.hpp: case-insensitive header lookup and the names of
// the ways a request can fail without an HTTP response.
#include "wirecheck/http.hpp"

namespace wirecheck {
namespace {

char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Header names are ASCII and case-insensitive (RFC 9110 §5.1).
bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

}  // namespace

std::string_view header_value(const HttpHeaders& headers, std::string_view name) {
    for (const auto& [key, value] : headers) {
        if (equals_ignoring_case(key, name)) return value;
    }
    return {};
}

std::string_view failure_kind_name(FailureKind k) {
    switch (k) {
        case FailureKind::Network:
            return "network";
        case FailureKind::Cors:
            return "cors";
        case FailureKind::Timeout:
            return "timeout";
        case FailureKind::Aborted:
            return "aborted";
    }
    return "?";
}

}  // namespace wirecheck
