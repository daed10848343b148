// LD_PRELOAD shim for the shell tests: kills the process with SIGKILL at the
// call named by IMAEVM_KILL_AT (linkat or renameat), so that a test can stop a
// writer exactly between writing its file and naming it; IMAEVM_NO_TMPFILE
// makes openat refuse O_TMPFILE as a filesystem without it does.
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <cstring>

namespace {

void maybe_die(const char* call) {
    const char* at = std::getenv("IMAEVM_KILL_AT");
    if (at && std::strcmp(at, call) == 0) kill(getpid(), SIGKILL);
}

template <typename F>
F next(const char* name) {
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

int open_at(const char* name, int dfd, const char* path, int flags, mode_t mode) {
    if ((flags & O_TMPFILE) == O_TMPFILE && std::getenv("IMAEVM_NO_TMPFILE")) {
        errno = EOPNOTSUPP;
        return -1;
    }
    static auto real = next<int (*)(int, const char*, int, ...)>(name);
    return real(dfd, path, flags, mode);
}

}  // namespace

extern "C" {

int linkat(int olddfd, const char* oldpath, int newdfd, const char* newpath, int flags) {
    maybe_die("linkat");
    static auto real = next<int (*)(int, const char*, int, const char*, int)>("linkat");
    return real(olddfd, oldpath, newdfd, newpath, flags);
}

int renameat(int olddfd, const char* oldpath, int newdfd, const char* newpath) {
    maybe_die("renameat");
    static auto real = next<int (*)(int, const char*, int, const char*)>("renameat");
    return real(olddfd, oldpath, newdfd, newpath);
}

int openat(int dfd, const char* path, int flags, ...) {
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = static_cast<mode_t>(va_arg(ap, int));
        va_end(ap);
    }
    return open_at("openat", dfd, path, flags, mode);
}

int openat64(int dfd, const char* path, int flags, ...) {
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = static_cast<mode_t>(va_arg(ap, int));
        va_end(ap);
    }
    return open_at("openat64", dfd, path, flags, mode);
}
}
