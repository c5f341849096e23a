// Names shared by every HttpClient implementation.
#include "platform/http.hpp"

namespace wirecheck::web {

std::string_view fetch_failure_name(FetchFailure f) {
    switch (f) {
        case FetchFailure::Network: return "network";
        case FetchFailure::Timeout: return "timeout";
        case FetchFailure::Aborted: return "aborted";
        case FetchFailure::Cors: return "cors";
    }
    return "?";
}

}  // namespace wirecheck::web
