// The keys of an evmctl run: the signing key (-k, default
// /etc/keys/privkey_evm.pem; passphrase from -pPASS or EVMCTL_KEY_PASSWORD,
// else a prompt on the terminal) and the verification keys (-k "a.der,b.der",
// default /etc/keys/x509_evm.der).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "console.hpp"
#include "ima/signature.hpp"
#include "ima/signer_pool.hpp"
#include "options.hpp"

namespace ima::evmctl {

inline constexpr const char* default_signing_key = "/etc/keys/privkey_evm.pem";
inline constexpr const char* default_verify_key = "/etc/keys/x509_evm.der";

// Loaded once, before any worker thread starts; a key that fails to load is
// remembered, and each file that needs it fails with that message (exit
// status 125), as each evmctl call would.
class SigningKey {
public:
    // A pkcs11: URI needs --keyid (as evmctl requires); a pin-value in it is
    // taken out of the URI and used as the PIN, with a warning on `con`.
    SigningKey(const Options& opts, Console& con);
    SigningKey(const SigningKey&) = delete;
    SigningKey& operator=(const SigningKey&) = delete;

    // A signature_v2_hdr value over `digest`: type, version, algo, key id,
    // size, signature. Thread-safe. Throws Error (status 125).
    Bytes sign(HashAlgo algo, ByteView digest, XattrType type = XattrType::digsig, uint8_t version = 2);

    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::optional<PrivateKey> key_;
    std::optional<SignerPool> pool_;  // after key_: its signers use the key
    std::string failure_;
};

// The certificates `ima_verify` and `verify` check against, each announced
// on stderr as evmctl does ("key 1: 79d765db /etc/keys/x509_evm.der").
class VerifyKeys {
public:
    VerifyKeys(const Options& opts, Console& con);
    // The key with that id, or nullptr after printing "key N: <id> (unknown keyid)".
    const VerifyKey* find(const KeyId& id, Console& con);

private:
    std::vector<VerifyKey> keys_;
    std::vector<KeyId> unknown_;
    std::mutex m_;
};

// A pkcs11: URI without its pin-value attribute, and that PIN (if any).
std::pair<std::string, std::optional<std::string>> split_pin_value(const std::string& uri);

// -k split as evmctl splits it: at commas, spaces and tabs.
std::vector<std::string> split_key_list(const std::string& list);

}  // namespace ima::evmctl
