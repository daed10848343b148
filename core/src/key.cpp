#include "ima/key.hpp"

#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/fd.hpp"

namespace ima {

namespace {

struct PassState {
    const PassphraseSource* src;
    const std::string* path;
    bool asked = false;
    bool missing = false;
};

int passphrase_cb(char* pass, size_t pass_size, size_t* pass_len, const OSSL_PARAM*, void* arg) {
    auto* st = static_cast<PassState*>(arg);
    st->asked = true;
    std::optional<SecretString> p;
    try {
        p = obtain_passphrase(*st->src, *st->path);
    } catch (...) {
        st->missing = true;
        return 0;
    }
    if (!p) {
        st->missing = true;
        return 0;
    }
    if (p->str().size() > pass_size) return 0;
    std::memcpy(pass, p->str().data(), p->str().size());
    *pass_len = p->str().size();
    return 1;
}

}  // namespace

// Key and certificate files are small; refuse anything that is not.
constexpr size_t max_key_file = 1 << 20;

Bytes read_small_file(const std::string& path, const char* what) {
    return read_key_file(path, what).take();
}

SecretBytes read_key_file(const std::string& path, const char* what) {
    const std::string shown = std::string(what) + " " + path;
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd) throw IoError(shown, errno);
    struct stat st {};
    if (fstat(fd.get(), &st) != 0) throw IoError(shown, errno);
    if (!S_ISREG(st.st_mode)) throw Error(ErrorKind::env, shown + ": not a regular file");
    // Read straight into a buffer reserved whole (never grown, so no copy of
    // the key is left in freed memory), wiped by SecretBytes on every path.
    SecretBytes data(max_key_file + 1);
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd.get(), data.bytes().data() + len, data.bytes().size() - len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw IoError(shown, errno);
        if (n == 0) break;
        len += static_cast<size_t>(n);
        if (len > max_key_file) throw Error(ErrorKind::env, shown + ": larger than 1 MiB");
    }
    data.shrink(len);
    return data;
}

SecretBytes::~SecretBytes() {
    OPENSSL_cleanse(b_.data(), b_.size());
}

void SecretBytes::shrink(size_t n) {
    if (n < b_.size()) OPENSSL_cleanse(b_.data() + n, b_.size() - n);
    b_.resize(n);  // shrinking keeps the buffer
}

Bytes SecretBytes::take() {
    Bytes out(b_.begin(), b_.end());  // exactly its size, not the reserved megabyte
    OPENSSL_cleanse(b_.data(), b_.size());
    b_.clear();
    return out;
}

void check_key_rules(EVP_PKEY* pkey, const std::string& source, const KeyRules& rules) {
    const std::string who = "key " + source;
    if (rules.any_rsa_or_ecdsa && (EVP_PKEY_is_a(pkey, "RSA") || EVP_PKEY_is_a(pkey, "EC"))) return;
    if (EVP_PKEY_is_a(pkey, "RSA")) {
        int bits = EVP_PKEY_get_bits(pkey);
        if (bits >= 2048) return;
        if (bits >= 1024 && rules.allow_short_rsa) return;
        throw Error(ErrorKind::env, who + ": RSA key of " + std::to_string(bits) + " bits is too short (2048 or more" +
                                        (bits >= 1024 ? "; --allow-short-rsa permits 1024 to 2047)" : ")"));
    }
    if (EVP_PKEY_is_a(pkey, "EC")) {
        char group[80] = {};
        size_t len = 0;
        if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len)) {
            drain_openssl_errors();
            throw Error(ErrorKind::env, who + ": ECDSA key on unnamed curve parameters (P-256 or P-384 only)");
        }
        const std::string g = group;
        if (g == "prime256v1" || g == "P-256" || g == "secp384r1" || g == "P-384") return;
        throw Error(ErrorKind::env, who + ": ECDSA on curve " + g +
                                        " is not one the kernel verifies IMA signatures with (P-256 or P-384)");
    }
    // OpenSSL names most key types, but may return NULL (a provider's key without a name).
    const char* type = EVP_PKEY_get0_type_name(pkey);
    throw Error(ErrorKind::env, who + ": unsupported key type " + (type ? type : "(unnamed)") + " (RSA or ECDSA only)");
}

KeyAlgo PrivateKey::algo() const {
    if (EVP_PKEY_is_a(pkey.get(), "RSA")) return KeyAlgo::rsa;
    if (EVP_PKEY_is_a(pkey.get(), "EC")) return KeyAlgo::ecdsa;
    return KeyAlgo::other;
}

EVP_PKEY* Certificate::public_key() const {
    return X509_get0_pubkey(x509.get());
}

PrivateKey parse_private_key(ByteView data, const std::string& source, const PassphraseSource& pass,
                             const KeyRules& rules) {
    // The pass-file is read before decoding so that an unreadable one is reported as such.
    if (pass.pass_file) obtain_passphrase(pass, source);
    EVP_PKEY* raw = nullptr;
    DecoderCtxPtr dctx(
        OSSL_DECODER_CTX_new_for_pkey(&raw, nullptr, nullptr, nullptr, EVP_PKEY_KEYPAIR, nullptr, nullptr));
    if (!dctx) throw CryptoError("key " + source, "OSSL_DECODER_CTX_new_for_pkey", ErrorKind::env);
    PassState st{&pass, &source};
    OSSL_DECODER_CTX_set_passphrase_cb(dctx.get(), passphrase_cb, &st);
    const unsigned char* p = data.data();
    size_t len = data.size();
    int ok = OSSL_DECODER_from_data(dctx.get(), &p, &len);
    PKeyPtr pkey(raw);
    if (!ok || !pkey) {
        drain_openssl_errors();
        if (st.missing)
            throw Error(
                ErrorKind::env,
                "key " + source + ": encrypted and no passphrase given (use --pass-file FILE or IMAEVM_KEY_PASS)");
        if (st.asked) throw Error(ErrorKind::env, "key " + source + ": wrong passphrase or corrupted encrypted key");
        throw Error(ErrorKind::env,
                    "key " + source + ": not a private key (expected PEM or DER, PKCS#8 or traditional)");
    }
    check_key_rules(pkey.get(), source, rules);
    PrivateKey key;
    key.pkey = std::move(pkey);
    key.source = source;
    return key;
}

PrivateKey load_private_key(const std::string& path, const PassphraseSource& pass, const KeyRules& rules) {
    if (path.rfind("pkcs11:", 0) == 0) return load_pkcs11_key(path, pass, rules);
    SecretBytes data = read_key_file(path, "key");
    return parse_private_key(data.bytes(), path, pass, rules);
}

std::vector<Certificate> parse_certificates(ByteView data, const std::string& source) {
    std::vector<Certificate> out;
    if (data.empty()) throw FormatError("certificate " + source + ": empty file");
    static constexpr char pem_begin[] = "-----BEGIN";
    bool is_pem = std::search(data.begin(), data.end(), pem_begin, pem_begin + sizeof pem_begin - 1) != data.end();
    if (is_pem) {
        BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
        for (;;) {
            X509* x = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
            if (!x) break;
            out.push_back(Certificate{X509Ptr(x), source});
        }
        drain_openssl_errors();  // the end of the bundle leaves "no start line" queued
    } else {
        const unsigned char* p = data.data();
        X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(data.size())));
        if (x && p != data.data() + data.size())
            throw FormatError("certificate " + source + ": trailing bytes after the DER certificate");
        if (x) out.push_back(Certificate{std::move(x), source});
        drain_openssl_errors();
    }
    if (out.empty()) throw FormatError("certificate " + source + ": not an X.509 certificate (PEM or DER)");
    for (auto& c : out)
        if (!c.public_key()) throw FormatError("certificate " + source + ": unreadable public key");
    return out;
}

Certificate parse_certificate(ByteView data, const std::string& source) {
    auto all = parse_certificates(data, source);
    return std::move(all.front());
}

Certificate load_certificate(const std::string& path) {
    Bytes data = read_small_file(path, "certificate");
    try {
        return parse_certificate(data, path);
    } catch (const FormatError& e) {
        throw Error(ErrorKind::env, e.what());  // a certificate the tool was given and cannot use
    }
}

PKeyPtr load_public_key(const std::string& path) {
    Bytes data = read_small_file(path, "certificate");
    try {
        Certificate c = parse_certificate(data, path);
        EVP_PKEY* pub = c.public_key();
        EVP_PKEY_up_ref(pub);
        return PKeyPtr(pub);
    } catch (const FormatError&) {
    }
    EVP_PKEY* raw = nullptr;
    DecoderCtxPtr dctx(OSSL_DECODER_CTX_new_for_pkey(&raw, nullptr, "SubjectPublicKeyInfo", nullptr,
                                                     EVP_PKEY_PUBLIC_KEY, nullptr, nullptr));
    const unsigned char* p = data.data();
    size_t len = data.size();
    if (!dctx || !OSSL_DECODER_from_data(dctx.get(), &p, &len) || !raw) {
        drain_openssl_errors();
        throw Error(ErrorKind::env, "certificate " + path + ": neither an X.509 certificate nor a public key");
    }
    return PKeyPtr(raw);
}

KeyId keyid_of_public_key(EVP_PKEY* pkey) {
    unsigned char* raw = nullptr;
    int len = i2d_PublicKey(pkey, &raw);
    if (len <= 0) throw CryptoError("public key", "i2d_PublicKey");
    OpenSslBytes der(raw);
    Bytes sha1 = digest_bytes(HashAlgo::sha1, ByteView(der.get(), static_cast<size_t>(len)));
    KeyId id{};
    std::copy(sha1.end() - 4, sha1.end(), id.begin());
    return id;
}

KeyId keyid_of_certificate(const Certificate& cert) {
    const ASN1_OCTET_STRING* skid = X509_get0_subject_key_id(cert.x509.get());
    if (skid && ASN1_STRING_length(skid) >= 4) {
        const unsigned char* d = ASN1_STRING_get0_data(skid);
        KeyId id;
        std::copy(d + ASN1_STRING_length(skid) - 4, d + ASN1_STRING_length(skid), id.begin());
        return id;
    }
    return keyid_of_public_key(cert.public_key());
}

KeyId parse_keyid(const std::string& hex) {
    std::string h = hex.rfind("0x", 0) == 0 ? hex.substr(2) : hex;
    if (h.size() != 8) throw UsageError("key id '" + hex + "': expected 8 hex digits");
    Bytes b;
    try {
        b = from_hex(h, "key id");
    } catch (const FormatError& e) {
        throw UsageError(e.what());
    }
    KeyId id{};
    std::copy(b.begin(), b.end(), id.begin());
    return id;
}

void check_key_matches_certificate(const PrivateKey& key, const Certificate& cert) {
    if (EVP_PKEY_eq(key.pkey.get(), cert.public_key()) != 1) {
        drain_openssl_errors();
        throw UsageError("certificate " + cert.source + " does not match the private key " + key.source);
    }
}

}  // namespace ima
