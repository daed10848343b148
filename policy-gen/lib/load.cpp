// ima_write_policy() and ima_release_policy() (security/integrity/ima/
// ima_fs.c) from the other side of the write() call.
#include "ima/policy/load.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "ima/error.hpp"
#include "ima/fd.hpp"

namespace ima::policy {

namespace {

// A line no kernel accepts as a rule: written last in check mode, it makes
// the kernel drop everything written before it when the file is closed.
constexpr const char* sentinel = "ima-policy-check-only-this-line-is-not-a-rule\n";

Fd open_target(const std::string& target) {
    Fd fd(open(target.c_str(), O_WRONLY | O_CLOEXEC));
    if (fd) return fd;
    int e = errno;
    if (e == ENOENT)
        throw Error(ErrorKind::env, target +
                                        ": not there (securityfs not mounted, a kernel without IMA, or a policy "
                                        "was already loaded by a kernel without CONFIG_IMA_WRITE_POLICY)");
    if (e == EBUSY) throw Error(ErrorKind::env, target + ": busy: another process has the policy file open");
    throw IoError(target, e);
}

unsigned line_at(const std::string& text, size_t off) {
    return static_cast<unsigned>(std::count(text.begin(), text.begin() + static_cast<long>(off), '\n')) + 1;
}

std::string line_text(const std::string& text, size_t off) {
    size_t end = text.find('\n', off);
    return text.substr(off, end == std::string::npos ? std::string::npos : end - off);
}

struct Refused {
    int err;
    size_t offset;
};

// Writes `data` until the kernel has consumed all of it (one rule per call);
// returns the refusal, if any.
std::optional<Refused> write_all(int fd, const std::string& data, LoadResult& r) {
    size_t off = 0;
    while (off < data.size()) {
        ssize_t n = write(fd, data.data() + off, data.size() - off);
        ++r.writes;
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Refused{errno, off};
        if (n == 0) return Refused{EIO, off};
        // The kernel reports a rule's length with its newline even for a last
        // line without one: never step past the end.
        off = std::min(data.size(), off + static_cast<size_t>(n));
        r.bytes = off;
    }
    return std::nullopt;
}

[[noreturn]] void refused(const std::string& target, const std::string& path, const std::string& data, Refused f,
                          LoadMethod method) {
    std::string why = std::strerror(f.err);
    if (method == LoadMethod::path) {
        if (f.err == EACCES || f.err == EPERM)
            throw Error(ErrorKind::bad, target + ": the kernel refused to read " + path + " (" + why +
                                            "): it must carry a valid signature in security.ima for the "
                                            "running policy; nothing was loaded");
        throw Error(ErrorKind::bad, target + ": the kernel refused the policy file " + path + " (" + why +
                                        "; the kernel log says which rule); nothing was loaded");
    }
    throw Error(ErrorKind::bad, target + ": the kernel refused line " + std::to_string(line_at(data, f.offset)) +
                                    " of " + path + ": '" + line_text(data, f.offset) + "' (" + why +
                                    "); nothing was loaded");
}

LoadResult attempt(const std::string& target, const std::string& path, const std::string& text, LoadMethod method,
                   LoadMode mode, bool& retry_by_path) {
    LoadResult r;
    r.method = method;
    std::string data;
    if (method == LoadMethod::path) {
        char abs[PATH_MAX];
        if (!realpath(path.c_str(), abs)) throw IoError(path, errno);
        data = abs;
    } else {
        data = text;
        if (!data.empty() && data.back() != '\n') data += '\n';
    }
    Fd fd = open_target(target);
    if (auto f = write_all(fd.get(), data, r)) {
        fd.reset();  // closing after a refusal makes the kernel drop what it took
        if (method == LoadMethod::text && (f->err == EACCES || f->err == EPERM) && f->offset == 0) {
            retry_by_path = true;
            return r;
        }
        refused(target, path, data, *f, method);
    }
    if (mode == LoadMode::check) {
        LoadResult scratch;
        auto f = write_all(fd.get(), sentinel, scratch);
        fd.reset();
        if (!f)
            throw Error(ErrorKind::env, target +
                                            ": took a line that is not a rule: not the kernel's policy file, "
                                            "nothing can be said about the policy");
        if (f->err != EINVAL) throw IoError(target, f->err);
        return r;
    }
    if (close(fd.release()) != 0) throw IoError(target, errno);
    return r;
}

}  // namespace

LoadResult load_policy(const std::string& target, const std::string& path, const std::string& text, LoadMethod method,
                       LoadMode mode) {
    if (method == LoadMethod::path && path == "-")
        throw UsageError("a policy that requires signed policies is loaded by its path: give a file, not '-'");
    bool retry = false;
    LoadResult r = attempt(target, path, text, method, mode, retry);
    if (!retry) return r;
    if (path == "-")
        throw Error(ErrorKind::bad, target +
                                        ": the running policy requires a signed policy file loaded by its path; "
                                        "give a file, not '-'");
    return attempt(target, path, text, LoadMethod::path, mode, retry);
}

}  // namespace ima::policy
