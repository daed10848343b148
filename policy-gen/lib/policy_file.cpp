#include "ima/policy/policy_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "ima/error.hpp"
#include "ima/fd.hpp"

namespace ima::policy {

namespace {
constexpr size_t max_policy = 4u << 20;  // far beyond any real policy; the kernel reads INT_MAX at most
}

std::string read_policy_file(const std::string& path) {
    Fd owned;
    int fd = STDIN_FILENO;
    if (path != "-") {
        owned = Fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
        if (!owned) throw IoError(path, errno);
        struct stat st {};
        if (fstat(owned.get(), &st) != 0) throw IoError(path, errno);
        if (!S_ISREG(st.st_mode)) throw FormatError(path + ": not a regular file");
        fd = owned.get();
    }
    std::string text;
    char buf[65536];
    while (true) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw IoError(path, errno);
        if (n == 0) break;
        text.append(buf, static_cast<size_t>(n));
        if (text.size() > max_policy) throw FormatError(path + ": larger than 4 MiB: not a policy");
    }
    if (text.find('\0') != std::string::npos) throw FormatError(path + ": holds a NUL byte: not a policy");
    return text;
}

}  // namespace ima::policy
