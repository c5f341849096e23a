// serve's worker pool: every job runs, the worker that went idle last takes the next one, jobs
// that find every worker busy wait their turn, and shutdown runs what is queued before joining.
#include "lifo_thread_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace wirecheck::cli {
namespace {

using namespace std::chrono_literals;

// Runs a job on the pool and waits for it; returns the worker's thread id.
std::thread::id run_and_wait(LifoThreadPool& pool) {
    std::promise<std::thread::id> ran;
    auto done = ran.get_future();
    pool.enqueue([&] { ran.set_value(std::this_thread::get_id()); });
    return done.get();
}

TEST(LifoThreadPool, OneJobAtATimeRunsOnTheWorkerThatJustFinished) {
    LifoThreadPool pool(8);
    auto all_idle = [&] {
        while (pool.idle_workers() < 8) std::this_thread::yield();
    };
    all_idle();  // every worker started, so none can go idle after the first job's worker
    std::thread::id first = run_and_wait(pool);
    EXPECT_NE(first, std::this_thread::get_id());
    for (int i = 0; i < 20; ++i) {
        all_idle();  // the worker marks itself idle just after set_value
        EXPECT_EQ(run_and_wait(pool), first) << "job " << i;
    }
}

TEST(LifoThreadPool, ConcurrentJobsEachGetAWorkerAndExtraOnesWaitInTheBacklog) {
    constexpr int kWorkers = 4;
    constexpr int kJobs = 12;
    LifoThreadPool pool(kWorkers);
    std::mutex mutex;
    std::set<std::thread::id> threads;
    std::atomic<int> running{0}, most_at_once{0}, finished{0};
    std::promise<void> release;
    std::shared_future<void> go = release.get_future().share();
    for (int i = 0; i < kJobs; ++i) {
        pool.enqueue([&] {
            int now = ++running;
            for (int seen = most_at_once; now > seen && !most_at_once.compare_exchange_weak(seen, now);) {
            }
            {
                std::lock_guard<std::mutex> lock(mutex);
                threads.insert(std::this_thread::get_id());
            }
            go.wait();
            --running;
            ++finished;
        });
    }
    while (running < kWorkers) std::this_thread::sleep_for(1ms);
    EXPECT_EQ(finished, 0);
    release.set_value();
    while (finished < kJobs) std::this_thread::sleep_for(1ms);
    EXPECT_EQ(most_at_once, kWorkers);
    EXPECT_EQ(threads.size(), static_cast<std::size_t>(kWorkers));
}

TEST(LifoThreadPool, ShutdownRunsQueuedJobsThenJoins) {
    std::atomic<int> finished{0};
    {
        LifoThreadPool pool(2);
        for (int i = 0; i < 10; ++i) {
            pool.enqueue([&] {
                std::this_thread::sleep_for(1ms);
                ++finished;
            });
        }
        pool.shutdown();
        EXPECT_EQ(finished, 10);
        pool.shutdown();  // httplib calls it, then the destructor does again: harmless
    }
    EXPECT_EQ(finished, 10);
}

}  // namespace
}  // namespace wirecheck::cli
