#include "ima/work_pool.hpp"

namespace ima {

unsigned default_jobs() {
    unsigned n = std::thread::hardware_concurrency();
    return n ? n : 1;
}

WorkPool::WorkPool(unsigned jobs, size_t capacity) : capacity_(capacity ? capacity : 1) {
    unsigned n = jobs ? jobs : default_jobs();
    threads_.reserve(n);
    for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
}

WorkPool::~WorkPool() {
    {
        std::unique_lock lk(m_);
        idle_.wait(lk, [&] { return queue_.empty() && running_ == 0; });
        closing_ = true;
    }
    not_empty_.notify_all();
    for (auto& t : threads_) t.join();
}

void WorkPool::submit(std::function<void()> task) {
    std::unique_lock lk(m_);
    not_full_.wait(lk, [&] { return queue_.size() < capacity_; });
    queue_.push_back(std::move(task));
    not_empty_.notify_one();
}

void WorkPool::wait() {
    std::unique_lock lk(m_);
    idle_.wait(lk, [&] { return queue_.empty() && running_ == 0; });
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

void WorkPool::work() {
    for (;;) {
        std::function<void()> task;
        {
            std::unique_lock lk(m_);
            not_empty_.wait(lk, [&] { return closing_ || !queue_.empty(); });
            if (queue_.empty()) return;
            task = std::move(queue_.front());
            queue_.pop_front();
            ++running_;
            not_full_.notify_one();
        }
        std::exception_ptr failed;
        try {
            task();
        } catch (...) {
            failed = std::current_exception();
        }
        task = nullptr;  // what it holds (a folder's descriptor, a buffer) goes now
        std::lock_guard lk(m_);
        if (failed && !failure_) failure_ = failed;
        --running_;
        if (queue_.empty() && running_ == 0) idle_.notify_all();
    }
}

}  // namespace ima
