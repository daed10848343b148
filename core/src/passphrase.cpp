#include "ima/passphrase.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "ima/error.hpp"
#include "ima/fd.hpp"
#include "ima/file_io.hpp"

namespace ima {

SecretString::SecretString(SecretString&& o) noexcept : s_(std::move(o.s_)) {
    o.wipe();
}
SecretString& SecretString::operator=(SecretString&& o) noexcept {
    wipe();
    s_ = std::move(o.s_);
    o.wipe();
    return *this;
}
SecretString::~SecretString() {
    wipe();
}
void SecretString::wipe() {
    if (!s_.empty()) OPENSSL_cleanse(s_.data(), s_.size());
    s_.clear();
}

static std::string first_line(std::string s) {
    auto nl = s.find('\n');
    if (nl != std::string::npos) {
        OPENSSL_cleanse(s.data() + nl, s.size() - nl);
        s.resize(nl);
    }
    if (!s.empty() && s.back() == '\r') s.pop_back();
    return s;
}

// A pass file of at most this much: the buffer is reserved whole up front, so
// it never grows and leaves no copy behind in freed memory.
constexpr size_t max_pass_file = 64 * 1024;

namespace {
// Wipes a buffer on every way out of a scope.
struct WipeOnExit {
    std::string& s;
    ~WipeOnExit() { OPENSSL_cleanse(s.data(), s.size()); }
};
}  // namespace

static SecretString read_pass_file(const std::string& path) {
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (!fd) throw IoError("pass file " + path, errno);
    std::string buf(max_pass_file + 1, '\0');
    WipeOnExit wipe{buf};
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd.get(), buf.data() + len, buf.size() - len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {  // a FIFO whose writer has not written yet
            make_blocking(fd.get(), "pass file " + path);
            continue;
        }
        if (n < 0) throw IoError("pass file " + path, errno);
        if (n == 0) break;
        len += static_cast<size_t>(n);
        if (len > max_pass_file) throw FormatError("pass file " + path + ": longer than 64 KiB");
    }
    buf.resize(len);  // shrinking keeps the buffer: nothing is copied
    return SecretString(first_line(std::move(buf)));
}

static std::optional<SecretString> prompt_tty(const std::string& key_path) {
    Fd tty(open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY));
    if (!tty || !isatty(tty.get())) return std::nullopt;
    std::string prompt = "Passphrase for " + key_path + ": ";
    if (write(tty.get(), prompt.data(), prompt.size()) < 0) return std::nullopt;
    struct termios old {};
    bool restore = tcgetattr(tty.get(), &old) == 0;
    if (restore) {
        struct termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(tty.get(), TCSAFLUSH, &quiet);
    }
    // Reserved whole: a growing string would leave copies of what was typed.
    constexpr size_t max_typed = 4096;
    std::string data;
    data.reserve(max_typed);
    char c;
    while (read(tty.get(), &c, 1) == 1 && c != '\n')
        if (data.size() < max_typed) data.push_back(c);
    c = 0;
    if (restore) tcsetattr(tty.get(), TCSAFLUSH, &old);
    if (write(tty.get(), "\n", 1) < 0) { /* the prompt's newline is cosmetic */
    }
    return SecretString(first_line(std::move(data)));
}

std::optional<SecretString> obtain_passphrase(const PassphraseSource& src, const std::string& key_path) {
    if (src.literal) return SecretString(src.literal->str());
    if (src.pass_file) return read_pass_file(*src.pass_file);
    if (src.env_var) {
        if (const char* v = std::getenv(src.env_var)) return SecretString(v);
    }
    if (src.allow_prompt) return prompt_tty(key_path);
    return std::nullopt;
}

}  // namespace ima
