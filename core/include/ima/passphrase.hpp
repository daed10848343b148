// Where a private key's passphrase comes from. Never from argv: a file, the
// IMAEVM_KEY_PASS environment variable, or a prompt on the controlling TTY.
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace ima {

// A string that wipes its bytes (OPENSSL_cleanse) when destroyed.
class SecretString {
public:
    SecretString() = default;
    explicit SecretString(std::string s) : s_(std::move(s)) {}
    SecretString(const SecretString&) = delete;
    SecretString& operator=(const SecretString&) = delete;
    SecretString(SecretString&& o) noexcept;
    SecretString& operator=(SecretString&& o) noexcept;
    ~SecretString();
    const std::string& str() const { return s_; }
    void wipe();

private:
    std::string s_;
};

struct PassphraseSource {
    // A passphrase the caller already holds (the evmctl drop-in's -pPASS);
    // it wins over every other source and never passes through the environment.
    std::shared_ptr<const SecretString> literal;
    std::optional<std::string> pass_file;  // --pass-file FILE: first line, newline dropped
    const char* env_var = "IMAEVM_KEY_PASS";
    bool allow_prompt = true;  // prompt on /dev/tty when it is a terminal
};

// Returns the passphrase, or nullopt when no source has one: the literal,
// else the pass file, else the variable, else a prompt. Throws IoError when
// the pass file cannot be read, FormatError when it is longer than 64 KiB.
// Every copy made on the way is wiped.
std::optional<SecretString> obtain_passphrase(const PassphraseSource& src, const std::string& key_path);

}  // namespace ima
