#include "policy_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "ima/error.hpp"
#include "ima/fd.hpp"

namespace ima::policy {

namespace {
constexpr off_t max_policy = 4 << 20;
}

std::string read_policy_file(const std::string& path) {
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (!fd) throw IoError(path, errno);
    struct stat st {};
    if (fstat(fd.get(), &st) != 0) throw IoError(path, errno);
    if (!S_ISREG(st.st_mode)) throw FormatError(path + ": not a regular file");
    if (st.st_size > max_policy) throw FormatError(path + ": too large for an IMA policy");
    std::string text(static_cast<size_t>(st.st_size), '\0');
    size_t off = 0;
    while (off < text.size()) {
        ssize_t n = pread(fd.get(), text.data() + off, text.size() - off, static_cast<off_t>(off));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw IoError(path, errno);
        if (n == 0) break;
        off += static_cast<size_t>(n);
    }
    text.resize(off);
    if (text.find('\0') != std::string::npos) throw FormatError(path + ": holds a NUL byte: not a policy");
    return text;
}

void load_policy(const std::string& securityfs, const std::string& path, const std::string& text, bool by_path) {
    const std::string target = securityfs + "/ima/policy";
    Fd fd(open(target.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) {
        int e = errno;
        if (e == ENOENT)
            throw Error(ErrorKind::env, target +
                                            ": not there (securityfs not mounted, no IMA, or a policy was already "
                                            "loaded by a kernel without CONFIG_IMA_WRITE_POLICY)");
        throw IoError(target, e);
    }
    std::string data = text;
    if (by_path) {
        char abs[PATH_MAX];
        if (!realpath(path.c_str(), abs)) throw IoError(path, errno);
        data = std::string(abs) + "\n";
    }
    ssize_t n = write(fd.get(), data.data(), data.size());
    if (n < 0) {
        int e = errno;
        if (e == EINVAL || e == EACCES)
            throw Error(ErrorKind::bad, target + ": the kernel refused the policy (" + std::strerror(e) +
                                            "; its reason is in the kernel log: 'ima: policy update failed')");
        throw IoError(target, e);
    }
    if (static_cast<size_t>(n) != data.size())
        throw Error(ErrorKind::bad, target + ": the kernel took " + std::to_string(n) + " of " +
                                        std::to_string(data.size()) + " bytes");
}

}  // namespace ima::policy
