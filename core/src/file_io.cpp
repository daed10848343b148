#include "ima/file_io.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ima/error.hpp"

namespace ima {

namespace {

std::string prefixed(const std::string& what, const std::string& path) {
    return what.empty() ? path : what + " " + path;
}

std::string random_suffix() {
    uint8_t b[8];
    size_t got = 0;
    while (got < sizeof b) {
        ssize_t n = getrandom(b + got, sizeof b - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw IoError("getrandom", errno);
        got += static_cast<size_t>(n);
    }
    return to_hex(ByteView(b, sizeof b));
}

}  // namespace

void write_all(int fd, ByteView data, const std::string& shown) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw IoError(shown, errno);
        if (n == 0) throw IoError(shown, EIO);
        data = data.subspan(static_cast<size_t>(n));
    }
}

void make_blocking(int fd, const std::string& shown) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) throw IoError(shown, errno);
}

Bytes read_bounded_fd(int fd, const std::string& shown, const ReadOptions& opts, const ChunkCheck& check) {
    Bytes out;
    uint8_t buf[65536];
    for (;;) {
        // Never read more than one byte past the limit: that byte is the proof.
        size_t want = std::min(sizeof buf, opts.max_bytes + 1 - out.size());
        ssize_t n = ::read(fd, buf, want);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            // A non-blocking descriptor of a pipe or terminal (stdin): wait for data.
            make_blocking(fd, shown);
            continue;
        }
        if (n < 0) throw IoError(shown, errno);
        if (n == 0) break;
        if (opts.nul == Nul::refuse && std::memchr(buf, 0, static_cast<size_t>(n)))
            throw FormatError(shown + ": holds a NUL byte (not a text file)");
        out.insert(out.end(), buf, buf + n);
        if (out.size() > opts.max_bytes)
            throw FormatError(shown + ": larger than " + std::to_string(opts.max_bytes) + " bytes");
        if (check) check(out);
    }
    return out;
}

Bytes read_bounded(const std::string& path, const ReadOptions& opts, const std::string& what, const ChunkCheck& check) {
    const std::string shown = prefixed(what, path);
    if (path == "-" && opts.allow_stdin) return read_bounded_fd(STDIN_FILENO, prefixed(what, "stdin"), opts, check);
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (opts.follow_link ? 0 : O_NOFOLLOW)));
    if (!fd) throw IoError(shown, errno);
    struct stat st {};
    if (fstat(fd.get(), &st) != 0) throw IoError(shown, errno);
    if (!S_ISREG(st.st_mode)) throw Error(ErrorKind::env, shown + ": not a regular file");
    return read_bounded_fd(fd.get(), shown, opts, check);
}

AtomicFile::AtomicFile(std::string path, mode_t mode) : path_(std::move(path)), mode_(mode) {
    if (path_.empty()) throw UsageError("empty output file name");
    size_t slash = path_.find_last_of('/');
    dir_ = slash == std::string::npos ? "." : slash == 0 ? "/" : path_.substr(0, slash);
    base_ = slash == std::string::npos ? path_ : path_.substr(slash + 1);
    if (base_.empty() || base_ == "." || base_ == "..") throw IoError(path_, EISDIR);
    dir_fd_ = Fd(open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!dir_fd_) throw IoError(path_, errno);
    fd_ = Fd(openat(dir_fd_.get(), ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, mode_));
    if (fd_) return;
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) throw IoError(path_, errno);
    // No O_TMPFILE here (some network and FUSE filesystems): a named file.
    for (int attempt = 0; attempt < 8 && !fd_; ++attempt) {
        fallback_name_ = "." + base_ + "." + random_suffix() + ".tmp";
        fd_ = Fd(
            openat(dir_fd_.get(), fallback_name_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_));
        if (!fd_ && errno != EEXIST) throw IoError(path_, errno);
    }
    if (!fd_) throw IoError(path_, EEXIST);
}

AtomicFile::~AtomicFile() {
    if (!committed_ && !fallback_name_.empty()) unlinkat(dir_fd_.get(), fallback_name_.c_str(), 0);
}

void AtomicFile::write(ByteView data) {
    write_all(fd_.get(), data, path_);
}

void AtomicFile::commit() {
    if (committed_) return;
    if (fsync(fd_.get()) != 0) throw IoError(path_, errno);
    if (!fallback_name_.empty()) {
        if (renameat(dir_fd_.get(), fallback_name_.c_str(), dir_fd_.get(), base_.c_str()) != 0)
            throw IoError(path_, errno);
    } else {
        // linkat(AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH; the /proc link does not.
        const std::string self = "/proc/self/fd/" + std::to_string(fd_.get());
        if (linkat(AT_FDCWD, self.c_str(), dir_fd_.get(), base_.c_str(), AT_SYMLINK_FOLLOW) != 0) {
            if (errno != EEXIST) throw IoError(path_, errno);
            // Replace the existing target: a random name first, then rename over it.
            std::string tmp;
            for (int attempt = 0;; ++attempt) {
                tmp = "." + base_ + "." + random_suffix() + ".tmp";
                if (linkat(AT_FDCWD, self.c_str(), dir_fd_.get(), tmp.c_str(), AT_SYMLINK_FOLLOW) == 0) break;
                if (errno != EEXIST || attempt == 7) throw IoError(path_, errno);
            }
            if (renameat(dir_fd_.get(), tmp.c_str(), dir_fd_.get(), base_.c_str()) != 0) {
                int e = errno;
                unlinkat(dir_fd_.get(), tmp.c_str(), 0);
                throw IoError(path_, e);
            }
        }
    }
    committed_ = true;
    fsync(dir_fd_.get());  // the name itself; a folder that cannot be synced changes nothing above
}

std::optional<std::string_view> atomic_temp_target(std::string_view base) {
    constexpr std::string_view suffix = ".tmp";
    constexpr size_t hex = 16, tail = 1 + hex + 4;  // "." + random_suffix() + ".tmp"
    if (base.size() < 2 + tail || base.front() != '.' || base.substr(base.size() - 4) != suffix) return std::nullopt;
    if (base[base.size() - tail] != '.') return std::nullopt;
    for (char c : base.substr(base.size() - 4 - hex, hex))
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
    return base.substr(1, base.size() - 1 - tail);
}

void write_atomic(const std::string& path, ByteView data, mode_t mode) {
    AtomicFile f(path, mode);
    f.write(data);
    f.commit();
}

}  // namespace ima
