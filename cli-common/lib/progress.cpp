#include "ima/progress.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace ima {

Progress::Progress(std::string verb, bool enabled) : verb_(std::move(verb)) {
    if (!enabled || !isatty(STDERR_FILENO)) return;
    thread_ = std::thread([this] {
        size_t shown = 0;
        while (!stop_.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            size_t n = count_.load();
            if (n != shown) {
                std::fprintf(stderr, "\r%s: %zu files", verb_.c_str(), n);
                std::fflush(stderr);
                shown = n;
            }
        }
        if (shown) std::fprintf(stderr, "\r\033[K");
    });
}

Progress::~Progress() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

}  // namespace ima
