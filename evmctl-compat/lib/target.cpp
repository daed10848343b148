#include "target.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ima/file_io.hpp"
#include "status.hpp"

namespace ima::evmctl {

namespace {

std::string sys_error(const std::string& what, int err) {
    return what + ": " + std::strerror(err);
}

// O_NOATIME is refused (EPERM) on files the caller does not own: retry without.
int open_nofollow(const std::string& path, int extra) {
    int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | extra;
    int fd = open(path.c_str(), flags | O_NOATIME);
    if (fd < 0 && errno == EPERM) fd = open(path.c_str(), flags);
    return fd;
}

Fd open_checked(const std::string& path, const struct stat& st, int extra) {
    Fd fd(open_nofollow(path, extra));
    if (!fd) throw error(sys_error(path, errno));
    struct stat now {};
    if (fstat(fd.get(), &now) != 0) throw error(sys_error(path, errno));
    if (now.st_dev != st.st_dev || now.st_ino != st.st_ino || (now.st_mode & S_IFMT) != (st.st_mode & S_IFMT))
        throw error(path + ": file replaced while it was opened");
    return fd;
}

}  // namespace

struct stat lstat_path(const std::string& path) {
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) throw error(sys_error(path, errno));
    return st;
}

std::string file_type_name(mode_t mode) {
    switch (mode & S_IFMT) {
        case S_IFREG: return "regular file";
        case S_IFDIR: return "directory";
        case S_IFLNK: return "symbolic link";
        case S_IFCHR: return "character device";
        case S_IFBLK: return "block device";
        case S_IFIFO: return "FIFO";
        case S_IFSOCK: return "socket";
        default: return "unknown type";
    }
}

Fd open_regular(const std::string& path, const struct stat& st) {
    if (!S_ISREG(st.st_mode)) throw error(path + ": unsupported file type (" + file_type_name(st.st_mode) + ")");
    return open_checked(path, st, 0);
}

Fd open_for_evm(const std::string& path, const struct stat& st) {
    if (S_ISREG(st.st_mode)) return open_checked(path, st, 0);
    if (S_ISDIR(st.st_mode)) return open_checked(path, st, O_DIRECTORY);
    throw error(path + ": unsupported file type (" + file_type_name(st.st_mode) + ")");
}

void write_sigfile(const std::string& path, ByteView value) {
    // Atomic, nothing left behind by a killed run, and the 0666 & ~umask mode
    // evmctl's file gets (the kernel applies the umask: no umask() call, which
    // would race with the other signing threads).
    try {
        write_atomic(path, value, 0666);
    } catch (const IoError& e) {
        throw error(sys_error(path, e.err));
    }
}

Bytes read_sigfile(const std::string& path) {
    return read_bounded(path, ReadOptions{.max_bytes = 65536});
}

}  // namespace ima::evmctl
