// What a load or fault test reports about this process: open file descriptors (a leak shows as
// a count that does not return after the servers are gone) and peak resident memory.
#pragma once

#include <dirent.h>

#include <cstdio>
#include <fstream>
#include <string>

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
    counts.after_first = open_fd_count();
    round();
    counts.after_second = open_fd_count();
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
