// A progress line on stderr for long runs, shown only when stderr is a terminal.
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace ima {

class Progress {
public:
    // Starts a thread that redraws "<verb>: N files" every 200 ms while stderr is a TTY
    // and `enabled` is true; otherwise does nothing.
    Progress(std::string verb, bool enabled);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    std::atomic<size_t>* counter() { return &count_; }

private:
    std::string verb_;
    std::atomic<size_t> count_{0};
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace ima
