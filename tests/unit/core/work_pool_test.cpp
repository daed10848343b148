// The one worker pool: every task runs once, the queue is bounded, and an
// exception a task lets escape comes back from wait() without stopping the rest.
#include "ima/work_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

using namespace ima;

TEST(WorkPool, RunsEveryTaskOnceOnItsThreads) {
    std::mutex m;
    std::set<int> done;
    std::set<std::thread::id> threads;
    {
        WorkPool pool(3, 8);
        EXPECT_EQ(pool.jobs(), 3u);
        for (int i = 0; i < 1000; ++i)
            pool.submit([&, i] {
                std::lock_guard lk(m);
                EXPECT_TRUE(done.insert(i).second);
                threads.insert(std::this_thread::get_id());
            });
        pool.wait();
        EXPECT_EQ(done.size(), 1000u);
    }
    EXPECT_LE(threads.size(), 3u);
    EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);  // never on the submitter's thread
}

TEST(WorkPool, SubmitWaitsWhileTheQueueIsFull) {
    WorkPool pool(1, 2);
    std::atomic<bool> release{false};
    std::atomic<int> started{0};
    auto blocker = [&] {
        ++started;
        while (!release) std::this_thread::yield();
    };
    pool.submit(blocker);  // runs, and holds the one worker
    while (started == 0) std::this_thread::yield();
    pool.submit([] {});
    pool.submit([] {});  // the queue holds two: full
    std::atomic<bool> third_queued{false};
    std::thread producer([&] {
        pool.submit([] {});
        third_queued = true;
    });
    // The producer cannot get in until the worker takes a task off the queue.
    for (int i = 0; i < 100 && !third_queued; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_FALSE(third_queued);
    release = true;
    producer.join();
    EXPECT_TRUE(third_queued);
    pool.wait();
}

TEST(WorkPool, AnEscapedExceptionComesBackFromWaitOnceAndTheOthersStillRun) {
    WorkPool pool(2, 16);
    std::atomic<int> ran{0};
    for (int i = 0; i < 20; ++i)
        pool.submit([&, i] {
            ++ran;
            if (i == 5) throw std::runtime_error("task 5 failed");
        });
    EXPECT_THROW(pool.wait(), std::runtime_error);
    EXPECT_EQ(ran.load(), 20);
    EXPECT_NO_THROW(pool.wait());  // reported once
}

TEST(WorkPool, TheDestructorWaitsForQueuedTasks) {
    std::atomic<int> ran{0};
    {
        WorkPool pool(1, 100);
        for (int i = 0; i < 50; ++i) pool.submit([&] { ++ran; });
    }
    EXPECT_EQ(ran.load(), 50);
}
