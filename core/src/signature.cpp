#include "ima/signature.hpp"

#include <openssl/rsa.h>

#include "ima/error.hpp"

namespace ima {

static void set_sign_params(EVP_PKEY_CTX* ctx, EVP_PKEY* pkey, HashAlgo algo, const std::string& who) {
    if (EVP_PKEY_is_a(pkey, "RSA") && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0)
        throw CryptoError(who, "EVP_PKEY_CTX_set_rsa_padding");
    if (EVP_PKEY_CTX_set_signature_md(ctx, evp_md(algo)) <= 0)
        throw CryptoError(who, std::string("EVP_PKEY_CTX_set_signature_md(") + hash_algo_info(algo).name + ")");
}

Signer::Signer(const PrivateKey& key, KeyId keyid)
    : key_(key), keyid_(keyid), ctx_(EVP_PKEY_CTX_new_from_pkey(nullptr, key.pkey.get(), nullptr)) {
    if (!ctx_) throw CryptoError("key " + key.source, "EVP_PKEY_CTX_new_from_pkey");
}

Bytes Signer::sign_digest(HashAlgo algo, ByteView digest) {
    const std::string who = "key " + key_.source;
    if (EVP_PKEY_sign_init(ctx_.get()) <= 0) throw CryptoError(who, "EVP_PKEY_sign_init");
    set_sign_params(ctx_.get(), key_.pkey.get(), algo, who);
    // A token may not take two signing requests at once; keys in memory may.
    std::unique_lock<std::mutex> token_lock;
    if (key_.sign_lock) token_lock = std::unique_lock(*key_.sign_lock);
    size_t len = 0;
    if (EVP_PKEY_sign(ctx_.get(), nullptr, &len, digest.data(), digest.size()) <= 0)
        throw CryptoError(who, "EVP_PKEY_sign");
    Bytes sig(len);
    if (EVP_PKEY_sign(ctx_.get(), sig.data(), &len, digest.data(), digest.size()) <= 0)
        throw CryptoError(who, "EVP_PKEY_sign");
    sig.resize(len);
    return sig;
}

Bytes Signer::sign_xattr(HashAlgo algo, ByteView digest, XattrType type, uint8_t version) {
    SignatureValue v{type, version, algo, keyid_, sign_digest(algo, digest)};
    return encode_signature(v);
}

namespace {

// A context made ready for one key and algorithm: making one costs about as
// much as the RSA verification itself (OpenSSL 3 looks the algorithm up each
// time), and a tree is mostly checked against one key. The context holds a
// reference to the key, so the address cannot be reused while it is cached.
struct VerifyContext {
    EVP_PKEY* pub = nullptr;
    HashAlgo algo = HashAlgo::sha256;
    PKeyCtxPtr ctx;
};

EVP_PKEY_CTX* verify_context(EVP_PKEY* pub, HashAlgo algo) {
    thread_local VerifyContext cached;
    if (cached.ctx && cached.pub == pub && cached.algo == algo) return cached.ctx.get();
    cached.ctx.reset();
    PKeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pub, nullptr));
    if (!ctx || EVP_PKEY_verify_init(ctx.get()) <= 0) throw CryptoError("public key", "EVP_PKEY_verify_init");
    set_sign_params(ctx.get(), pub, algo, "public key");
    cached = {pub, algo, std::move(ctx)};
    return cached.ctx.get();
}

}  // namespace

bool verify_digest(EVP_PKEY* pub, HashAlgo algo, ByteView digest, ByteView sig) {
    int rc = EVP_PKEY_verify(verify_context(pub, algo), sig.data(), sig.size(), digest.data(), digest.size());
    drain_openssl_errors();  // a mismatch queues reasons that belong to no one
    return rc == 1;
}

std::vector<VerifyKey> load_verify_keys(const std::vector<std::string>& paths) {
    std::vector<VerifyKey> out;
    for (const auto& p : paths) {
        Bytes data = read_small_file(p, "certificate");
        PKeyPtr pk;
        KeyId id;
        try {
            Certificate c = parse_certificate(data, p);
            id = keyid_of_certificate(c);
            EVP_PKEY* pub = c.public_key();
            EVP_PKEY_up_ref(pub);
            pk.reset(pub);
        } catch (const FormatError&) {
            pk = load_public_key(p);  // a bare public key; Error(env) when it is neither
            id = keyid_of_public_key(pk.get());
        }
        out.push_back(VerifyKey{std::move(pk), id, p});
    }
    return out;
}

void probe_signing(const PrivateKey& key, HashAlgo algo) {
    const Bytes zeros(hash_algo_info(algo).digest_size, 0);
    try {
        Signer s(key, KeyId{});
        (void)s.sign_digest(algo, zeros);
    } catch (const CryptoError& e) {
        std::string why = e.what();
        const std::string prefix = "key " + key.source + ": ";
        if (why.rfind(prefix, 0) == 0) why.erase(0, prefix.size());
        throw UsageError("key " + key.source + " cannot sign " + hash_algo_info(algo).name + " digests: " + why);
    }
}

const VerifyKey* find_verify_key(const std::vector<VerifyKey>& keys, const KeyId& id) {
    for (const auto& k : keys)
        if (k.keyid == id) return &k;
    return nullptr;
}

}  // namespace ima
