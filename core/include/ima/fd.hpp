// Owners of a file descriptor and of a directory stream: non-copyable,
// movable, closed on every path.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace ima {

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    Fd& operator=(Fd&& o) noexcept {
        if (this != &o) {
            reset();
            fd_ = std::exchange(o.fd_, -1);
        }
        return *this;
    }
    ~Fd() { reset(); }

    int get() const { return fd_; }
    explicit operator bool() const { return fd_ >= 0; }
    int release() { return std::exchange(fd_, -1); }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

// A DIR* (readdir's stream), closed with closedir on every path.
class DirStream {
public:
    DirStream() = default;
    DirStream(const DirStream&) = delete;
    DirStream& operator=(const DirStream&) = delete;
    DirStream(DirStream&& o) noexcept : d_(std::exchange(o.d_, nullptr)) {}
    DirStream& operator=(DirStream&& o) noexcept {
        if (this != &o) {
            if (d_) ::closedir(d_);
            d_ = std::exchange(o.d_, nullptr);
        }
        return *this;
    }
    ~DirStream() {
        if (d_) ::closedir(d_);
    }
    // opendir(path); empty (errno set) when it fails.
    static DirStream open(const char* path) { return DirStream(::opendir(path)); }
    // A stream over a duplicate of `dir_fd`, which stays the caller's; empty
    // (errno set) when it fails.
    static DirStream of(int dir_fd) {
        int dup = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
        if (dup < 0) return DirStream();
        DIR* d = ::fdopendir(dup);
        if (!d) {
            int e = errno;
            ::close(dup);
            errno = e;
        }
        return DirStream(d);
    }
    DIR* get() const { return d_; }
    explicit operator bool() const { return d_ != nullptr; }

private:
    explicit DirStream(DIR* d) : d_(d) {}
    DIR* d_ = nullptr;
};

}  // namespace ima
