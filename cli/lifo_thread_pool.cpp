#include "lifo_thread_pool.hpp"

#include <utility>

namespace wirecheck::cli {

LifoThreadPool::LifoThreadPool(std::size_t threads) {
    workers_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) {
        workers_.push_back(std::make_unique<Worker>());
        Worker& worker = *workers_.back();
        worker.thread = std::thread([this, &worker] { run(worker); });
    }
}

LifoThreadPool::~LifoThreadPool() { shutdown(); }

void LifoThreadPool::enqueue(std::function<void()> job) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (idle_.empty()) {
        backlog_.push_back(std::move(job));
        return;
    }
    Worker* worker = idle_.back();
    idle_.pop_back();
    worker->job = std::move(job);
    lock.unlock();
    worker->wake.notify_one();
}

void LifoThreadPool::shutdown() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    for (auto& worker : workers_) worker->wake.notify_one();
    for (auto& worker : workers_) worker->thread.join();
}

std::size_t LifoThreadPool::idle_workers() {
    std::lock_guard<std::mutex> lock(mutex_);
    return idle_.size();
}

void LifoThreadPool::run(Worker& self) {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        std::function<void()> job;
        if (!backlog_.empty()) {
            job = std::move(backlog_.front());
            backlog_.pop_front();
        } else if (stopping_) {
            return;
        } else {
            idle_.push_back(&self);
            self.wake.wait(lock, [&] { return self.job || stopping_; });
            if (!self.job) return;  // stopping, and enqueue never picked this worker
            job = std::move(self.job);
            self.job = nullptr;
        }
        lock.unlock();
        job();
        lock.lock();
    }
}

}  // namespace wirecheck::cli
