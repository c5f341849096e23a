// The native build's BrowserServices (browser_headless.hpp).
#include "platform/browser_headless.hpp"

namespace wirecheck::web {

std::unique_ptr<BrowserServices> make_browser_services() {
    return std::make_unique<HeadlessBrowserServices>();
}

}  // namespace wirecheck::web
