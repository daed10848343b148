// The one pool of worker threads every parallel job runs on (the tree
// walker, tar signing, manifest apply): a fixed set of threads and a bounded
// queue, so that a producer with a million files waits for the workers
// instead of queueing them all. Tasks complete in any order; callers that
// print or write in order number their tasks and put the results back in
// order themselves (WalkFile::seq, tar's writer).
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace ima {

class WorkPool {
public:
    // `jobs` threads (0: one per CPU, default_jobs()); submit() blocks while
    // `capacity` tasks wait.
    explicit WorkPool(unsigned jobs = 0, size_t capacity = 4096);
    // Waits for every task submitted; an exception a task let escape is
    // dropped here (call wait() to see it).
    ~WorkPool();
    WorkPool(const WorkPool&) = delete;
    WorkPool& operator=(const WorkPool&) = delete;

    // Queues `task`, waiting while the queue is full. A task that throws does
    // not stop the others: the first exception is kept for wait(). Never
    // call submit() or wait() from a task of the same pool (it could wait
    // for itself).
    void submit(std::function<void()> task);
    // Returns when every task submitted so far has run; rethrows the first
    // exception a task let escape (once).
    void wait();

    unsigned jobs() const { return static_cast<unsigned>(threads_.size()); }

private:
    void work();

    size_t capacity_;
    std::mutex m_;
    std::condition_variable not_full_, not_empty_, idle_;
    std::deque<std::function<void()>> queue_;
    size_t running_ = 0;
    bool closing_ = false;
    std::exception_ptr failure_;
    std::vector<std::thread> threads_;
};

unsigned default_jobs();

}  // namespace ima
