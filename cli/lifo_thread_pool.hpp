// The worker pool behind `wirecheck serve`: httplib's TaskQueue, handing each connection to the
// worker that went idle last.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace wirecheck::cli {

// httplib's ThreadPool wakes its workers first in, first out: with serve's 256 workers every
// request ran on the thread that had been idle longest, its stack, malloc cache and arena long
// gone from the CPU caches. Here the most recently idle worker takes the next connection, so
// under light load a few warm threads serve everything and the rest only join when it rises.
class LifoThreadPool : public httplib::TaskQueue {
public:
    explicit LifoThreadPool(std::size_t threads);
    ~LifoThreadPool() override;
    LifoThreadPool(const LifoThreadPool&) = delete;
    LifoThreadPool& operator=(const LifoThreadPool&) = delete;

    void enqueue(std::function<void()> job) override;
    // Runs the jobs already queued, then joins every worker.
    void shutdown() override;
    std::size_t idle_workers();

private:
    struct Worker {
        std::condition_variable wake;
        std::function<void()> job;  // handed over by enqueue while the worker waits
        std::thread thread;
    };
    void run(Worker& self);

    std::mutex mutex_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::vector<Worker*> idle_;                  // a stack: back() went idle last
    std::deque<std::function<void()>> backlog_;  // jobs that found every worker busy
    bool stopping_ = false;
};

}  // namespace wirecheck::cli
