// Performs a ProbeRun's requests with libcurl: several transfers at once on one curl multi
// handle, response headers and body chunks fed to the core as they arrive (streams are decoded
// live), TLS verification on, the proxy environment (http_proxy, https_proxy, no_proxy) honoured.
// Timeouts are the core's (ProbeRun::on_tick); libcurl only gets a generous safety net.
#pragma once

#include <atomic>
#include <functional>

#include "wirecheck/probe.hpp"

namespace wirecheck::cli {

// Runs `run` to the end. `on_progress` is called after every network wake-up (at least every
// 100 ms) so the caller can print finished steps. When `interrupt` becomes true the run is
// cancelled and transfers in flight are aborted; the run still finishes with its evidence.
void run_with_curl(ProbeRun& run, const std::function<void()>& on_progress,
                   const std::atomic<bool>* interrupt = nullptr);

}  // namespace wirecheck::cli
