#include "ima/open_beneath.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>

#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/manifest.hpp"

namespace ima {

Fd open_regular_beneath(int root_fd, const std::string& rel, const std::string& shown) {
    if (!is_safe_relative_path(rel)) throw FormatError(shown + ": not a relative path inside the root");
    Fd dir;
    int at = root_fd;
    size_t start = 0;
    for (;;) {
        size_t slash = rel.find('/', start);
        bool last = slash == std::string::npos;
        std::string part = rel.substr(start, last ? std::string::npos : slash - start);
        int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (last ? O_NONBLOCK : O_DIRECTORY);
        Fd next(openat(at, part.c_str(), flags | (last ? O_NOATIME : 0)));
        if (!next && last && errno == EPERM) next = Fd(openat(at, part.c_str(), flags));  // O_NOATIME needs ownership
        if (!next) {
            int err = errno;
            struct stat st {};
            // O_DIRECTORY reports a link as ENOTDIR: look at what is there.
            if (err == ELOOP ||
                (err == ENOTDIR && fstatat(at, part.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)))
                throw FormatError(shown + ": a symbolic link on the way (" + part + "), not followed");
            if (err == ENOTDIR) throw FormatError(shown + ": " + part + " is not a directory");
            errno = err;
            throw IoError(shown, errno);
        }
        if (last) {
            struct stat st {};
            if (fstat(next.get(), &st) != 0) throw IoError(shown, errno);
            if (!S_ISREG(st.st_mode)) throw FormatError(shown + ": not a regular file");
            // Back to blocking reads for a regular file (O_NONBLOCK is meaningless there, but be plain).
            make_blocking(next.get(), shown);
            return next;
        }
        dir = std::move(next);
        at = dir.get();
        start = slash + 1;
    }
}

}  // namespace ima
