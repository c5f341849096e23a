// What a load or fault test reports about this process: open file descriptors (a leak shows as
// a count that does not return after the servers are gone) and peak resident memory.
#pragma once

#include <dirent.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "upstream.hpp"

namespace wirecheck::cli::test {

inline int open_fd_count() {
    int count = 0;
    if (DIR* dir = ::opendir("/proc/self/fd")) {
        while (dirent* entry = ::readdir(dir)) {
            if (entry->d_name[0] != '.') ++count;
        }
        ::closedir(dir);
        --count;  // the directory stream itself
    }
    return count;
}

// VmHWM: the process's peak resident set, in kB (0 when /proc is not there).
inline long peak_rss_kb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    }
    return 0;
}

// Open descriptors before a test's servers exist, after a first round of work (servers stopped),
// and after a second identical round. Pools (the adapter keeps idle libcurl handles and their
// cached connections) fill in the first round and are reused in the second; a leak grows in both,
// so `after_second` must not exceed `after_first`.
struct FdCounts {
    int before = 0;
    int after_first = 0;
    int after_second = 0;
};

template <class Round>
FdCounts fds_over_two_rounds(Round&& round) {
    FdCounts counts;
    counts.before = open_fd_count();
    round();
    // The idle pool keeps one cached connection per handle, and how many handles a round leaves
    // idle depends on its peak concurrency (seen in CI: 8 after round 1, 9 after round 2). Counted
    // with the pool emptied, only descriptors nobody can reuse remain.
    close_idle_upstream_connections();
    counts.after_first = open_fd_count();
    round();
    close_idle_upstream_connections();
    // Server threads may still be closing their last sockets: give teardown up to 5 s. A leaked
    // descriptor never closes, so a leak still fails.
    counts.after_second = open_fd_count();
    for (int i = 0; i < 100 && counts.after_second > counts.after_first; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        counts.after_second = open_fd_count();
    }
    return counts;
}

// One line of figures in the test output (never asserted: timings and memory vary by machine).
inline void print_load_figures(const std::string& what, int clients, long events, int errors,
                               const FdCounts& fds) {
    std::printf("[load figures] %s: %d clients, %ld events, %d errors, peak RSS %ld kB, "
                "open fds %d before / %d after round 1 / %d after round 2\n",
                what.c_str(), clients, events, errors, peak_rss_kb(), fds.before, fds.after_first,
                fds.after_second);
    std::fflush(stdout);
}

}  // namespace wirecheck::cli::test
