#include "keys.hpp"

#include <openssl/crypto.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "ima/bytes.hpp"
#include "ima/error.hpp"
#include "ima/key.hpp"
#include "keyid.hpp"
#include "status.hpp"

namespace ima::evmctl {

namespace {

// The core names its own ways of giving a passphrase; evmctl's are these.
std::string evmctl_wording(std::string msg) {
    static const std::pair<const char*, const char*> swaps[] = {
        {"use --pass-file FILE or IMAEVM_KEY_PASS", "set EVMCTL_KEY_PASSWORD"},
        {"use --pass-file or IMAEVM_KEY_PASS", "set EVMCTL_KEY_PASSWORD"},
        {"--pass-file FILE or IMAEVM_KEY_PASS", "EVMCTL_KEY_PASSWORD"},
    };
    for (const auto& [from, to] : swaps) {
        for (size_t at = msg.find(from); at != std::string::npos; at = msg.find(from, at))
            msg.replace(at, std::strlen(from), to);
    }
    return msg;
}

PrivateKey load_key(const std::string& path, std::shared_ptr<const SecretString> pass) {
    PassphraseSource src;
    src.allow_prompt = true;
    src.env_var = "EVMCTL_KEY_PASSWORD";
    // -pPASS: handed to the loader in memory, never through the environment.
    src.literal = std::move(pass);
    // evmctl signs with any RSA size and EC curve; the caller warns about
    // what the other tools refuse.
    return load_private_key(path, src, KeyRules{.any_rsa_or_ecdsa = true});
}

}  // namespace

namespace {

// RFC 7512 values are percent-encoded where they hold a reserved byte
// ("%26" is '&'); a '%' not followed by two hex digits stays as it is.
std::string percent_decoded(const std::string& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
        int hi = i + 2 < v.size() && v[i] == '%' ? hex_digit_value(v[i + 1]) : -1;
        int lo = hi >= 0 ? hex_digit_value(v[i + 2]) : -1;
        if (hi >= 0 && lo >= 0) {
            out.push_back(static_cast<char>(hi << 4 | lo));
            i += 2;
        } else {
            out.push_back(v[i]);
        }
    }
    return out;
}

}  // namespace

std::pair<std::string, std::optional<std::string>> split_pin_value(const std::string& uri) {
    // pkcs11:attr=v;attr=v?qattr=v&qattr=v (RFC 7512): pin-value is a query
    // attribute; evmctl (libp11) also takes it among the path attributes.
    size_t q = uri.find('?');
    std::string path = uri.substr(0, q), query = q == std::string::npos ? "" : uri.substr(q + 1);
    std::optional<std::string> pin;
    // Splits `part` at `sep`, keeps every attribute but pin-value, returns them joined.
    auto without_pin = [&](const std::string& part, char sep, bool scheme) {
        std::string kept;
        size_t start = 0;
        while (start <= part.size()) {
            size_t end = part.find(sep, start);
            if (end == std::string::npos) end = part.size();
            std::string attr = part.substr(start, end - start);
            std::string bare = scheme && start == 0 && attr.rfind("pkcs11:", 0) == 0 ? attr.substr(7) : attr;
            if (bare.rfind("pin-value=", 0) == 0) {
                pin = percent_decoded(bare.substr(10));
                if (attr.size() != bare.size()) kept += "pkcs11:";
            } else if (!attr.empty() || !scheme) {
                if (!kept.empty() && kept.back() != ':') kept += sep;
                kept += attr;
            }
            start = end + 1;
        }
        return kept;
    };
    std::string kept = without_pin(path, ';', true);
    if (q != std::string::npos) {
        std::string rest = without_pin(query, '&', false);
        if (!rest.empty()) kept += "?" + rest;
    }
    return {kept, pin};
}

SigningKey::SigningKey(const Options& opts, Console& con) : path_(opts.key.value_or(default_signing_key)) {
    try {
        std::shared_ptr<const SecretString> pass = opts.pass;
        std::string load_path = path_;
        if (path_.rfind("pkcs11:", 0) == 0) {
            if (!opts.keyid)
                throw Error(ErrorKind::env, "key " + path_ + ": a pkcs11 URI needs --keyid or --keyid-from-cert");
            auto [uri, pin] = split_pin_value(path_);
            if (pin) {
                con.warning(
                    "a PIN in the pkcs11 URI is visible to every user of this machine; set "
                    "EVMCTL_KEY_PASSWORD instead");
                pass = std::make_shared<const SecretString>(std::move(*pin));
            }
            load_path = uri;
        }
        key_.emplace(load_key(load_path, pass));
        try {
            check_key_rules(key_->pkey.get(), load_path, KeyRules{});  // the path without a PIN
        } catch (const Error& e) {
            std::string why = e.what();
            con.warning(why.substr(0, why.find(" (", load_path.size() + 4)) + "; signing with it as evmctl does");
        }
        pool_.emplace(*key_, opts.keyid ? keyid_from_number(*opts.keyid) : signing_keyid(*key_, path_));
    } catch (const Error& e) {
        pool_.reset();
        key_.reset();
        failure_ = evmctl_wording(e.what());
    }
}

Bytes SigningKey::sign(HashAlgo algo, ByteView digest, XattrType type, uint8_t version) {
    if (!pool_) throw error(failure_);
    try {
        return pool_->borrow()->sign_xattr(algo, digest, type, version);
    } catch (const Error& e) {
        throw error(std::string("signing failed: ") + e.what());
    }
}

std::vector<std::string> split_key_list(const std::string& list) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : list) {
        if (c == ',' || c == ' ' || c == '\t') {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

VerifyKeys::VerifyKeys(const Options& opts, Console& con) {
    for (const auto& path : split_key_list(opts.key.value_or(default_verify_key))) {
        try {
            auto loaded = load_verify_keys({path});
            for (auto& k : loaded) {
                con.info("key " + std::to_string(keys_.size() + 1) + ": " + keyid_hex(k.keyid) + " " + path);
                keys_.push_back(std::move(k));
            }
        } catch (const Error& e) {
            con.error(e.what());
        }
    }
}

const VerifyKey* VerifyKeys::find(const KeyId& id, Console& con) {
    if (const VerifyKey* k = find_verify_key(keys_, id)) return k;
    std::lock_guard lk(m_);
    bool known = false;
    for (const auto& u : unknown_) known = known || u == id;
    if (!known) {
        unknown_.push_back(id);
        con.info("key " + std::to_string(keys_.size() + unknown_.size()) + ": " + keyid_hex(id) + " (unknown keyid)");
    }
    return nullptr;
}

}  // namespace ima::evmctl
