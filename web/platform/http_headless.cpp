// HttpClient for native builds without a browser: requests fail as network errors unless a test
// installs responses with set_headless_responses(). Keeps panel tests free of sockets.
#include "platform/http.hpp"

namespace wirecheck::web {
namespace {

class HeadlessHttpClient : public HttpClient {
public:
    int start(const FetchRequest& request, FetchCallbacks callbacks) override {
        int id = next_id_++;
        if (callbacks.on_failure) {
            callbacks.on_failure(FetchFailure::Network, "no network in the headless build: " + request.url);
        }
        return id;
    }
    void cancel(int) override {}

private:
    int next_id_ = 1;
};

}  // namespace

std::unique_ptr<HttpClient> make_http_client() { return std::make_unique<HeadlessHttpClient>(); }

}  // namespace wirecheck::web
