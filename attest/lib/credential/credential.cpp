#include "ima/credential/credential.hpp"

#include <openssl/core_names.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <tss2/tss2_tpm2_types.h>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/hash_algo.hpp"

namespace ima::credential {

namespace {

constexpr uint32_t kFileMagic = 0xBADCC0DE;
constexpr uint32_t kFileVersion = 1;

HashAlgo hash_of(uint16_t tpm_alg, const std::string& what) {
    auto h = hash_algo_from_tpm_alg(tpm_alg);
    if (!h) throw FormatError(what + " uses an unknown hash algorithm");
    return *h;
}

Bytes label_bytes(const std::string& label) {
    Bytes out(label.begin(), label.end());
    out.push_back(0);  // the label's terminating zero is part of it
    return out;
}

Bytes hmac(HashAlgo h, ByteView key, ByteView data) {
    MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    MacCtxPtr ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
    std::string md = EVP_MD_get0_name(evp_md(h));
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, md.data(), 0),
                           OSSL_PARAM_construct_end()};
    Bytes out(EVP_MAX_MD_SIZE);
    size_t n = 0;
    if (!ctx || !EVP_MAC_init(ctx.get(), key.data(), key.size(), params) ||
        !EVP_MAC_update(ctx.get(), data.data(), data.size()) || !EVP_MAC_final(ctx.get(), out.data(), &n, out.size()))
        throw CryptoError("the credential", "HMAC");
    out.resize(n);
    return out;
}

// KDFe (Part 1, 11.4.10.3): the hash in counter mode over Z, the label and
// both parties' x coordinates.
Bytes kdfe(HashAlgo h, ByteView z, const std::string& label, ByteView party_u, ByteView party_v, size_t bytes) {
    Bytes out;
    const Bytes use = label_bytes(label);
    for (uint32_t counter = 1; out.size() < bytes; ++counter) {
        Bytes block;
        put_u32_be(block, counter);
        append(block, z);
        append(block, use);
        append(block, party_u);
        append(block, party_v);
        append(out, digest_bytes(h, block));
    }
    out.resize(bytes);
    return out;
}

Bytes padded(const BIGNUM* bn, size_t size) {
    Bytes out(size);
    if (BN_bn2binpad(bn, out.data(), static_cast<int>(size)) < 0) throw CryptoError("the credential", "BN_bn2binpad");
    return out;
}

void put_tpm2b(Bytes& out, ByteView b) {
    put_u16_be(out, static_cast<uint16_t>(b.size()));
    append(out, b);
}

// The seed and what carries it to the EK.
struct Seed {
    Bytes seed, encrypted;
};

Seed rsa_seed(EVP_PKEY* ek, HashAlgo h) {
    const size_t size = hash_algo_info(h).digest_size;
    Seed s{Bytes(size), {}};
    if (RAND_bytes(s.seed.data(), static_cast<int>(size)) != 1) throw CryptoError("the credential", "RAND_bytes");
    PKeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, ek, nullptr));
    const Bytes label = label_bytes("IDENTITY");
    unsigned char* owned = static_cast<unsigned char*>(OPENSSL_memdup(label.data(), label.size()));
    if (!ctx || !owned || EVP_PKEY_encrypt_init(ctx.get()) <= 0 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), evp_md(h)) <= 0 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), evp_md(h)) <= 0 ||
        EVP_PKEY_CTX_set0_rsa_oaep_label(ctx.get(), owned, static_cast<int>(label.size())) <= 0) {
        OPENSSL_free(owned);
        throw CryptoError("the credential", "RSA-OAEP set-up");
    }
    size_t n = 0;
    if (EVP_PKEY_encrypt(ctx.get(), nullptr, &n, s.seed.data(), s.seed.size()) <= 0)
        throw CryptoError("the credential", "RSA-OAEP");
    s.encrypted.resize(n);
    if (EVP_PKEY_encrypt(ctx.get(), s.encrypted.data(), &n, s.seed.data(), s.seed.size()) <= 0)
        throw CryptoError("the credential", "RSA-OAEP");
    s.encrypted.resize(n);
    return s;
}

Seed ecc_seed(EVP_PKEY* ek, const tpm::PublicArea& pub, HashAlgo h) {
    using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
    char group[64] = {};
    size_t glen = 0;
    if (!EVP_PKEY_get_utf8_string_param(ek, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &glen))
        throw CryptoError("the credential", "EC group");
    PKeyPtr eph(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", group));
    PKeyCtxPtr ctx(eph ? EVP_PKEY_CTX_new_from_pkey(nullptr, eph.get(), nullptr) : nullptr);
    size_t zlen = 0;
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) <= 0 || EVP_PKEY_derive_set_peer(ctx.get(), ek) <= 0 ||
        EVP_PKEY_derive(ctx.get(), nullptr, &zlen) <= 0)
        throw CryptoError("the credential", "ECDH");
    Bytes z(zlen);
    if (EVP_PKEY_derive(ctx.get(), z.data(), &zlen) <= 0) throw CryptoError("the credential", "ECDH");
    z.resize(zlen);
    BIGNUM* x = nullptr;
    BIGNUM* y = nullptr;
    EVP_PKEY_get_bn_param(eph.get(), OSSL_PKEY_PARAM_EC_PUB_X, &x);
    EVP_PKEY_get_bn_param(eph.get(), OSSL_PKEY_PARAM_EC_PUB_Y, &y);
    BnPtr bx(x), by(y);
    if (!bx || !by) throw CryptoError("the credential", "EC point");
    const size_t coord = pub.ecc_x.size();
    const Bytes ex = padded(bx.get(), coord), ey = padded(by.get(), coord);
    Seed s;
    s.seed = kdfe(h, z, "IDENTITY", ex, pub.ecc_x, hash_algo_info(h).digest_size);
    OPENSSL_cleanse(z.data(), z.size());
    put_tpm2b(s.encrypted, ex);  // a TPMS_ECC_POINT
    put_tpm2b(s.encrypted, ey);
    return s;
}

Bytes aes_cfb(ByteView key, ByteView plain) {
    using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    const unsigned char iv[16] = {};
    Bytes out(plain.size() + 16);
    int n = 0, m = 0;
    if (!ctx || key.size() != 16 || !EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_cfb128(), nullptr, key.data(), iv) ||
        !EVP_EncryptUpdate(ctx.get(), out.data(), &n, plain.data(), static_cast<int>(plain.size())) ||
        !EVP_EncryptFinal_ex(ctx.get(), out.data() + n, &m))
        throw CryptoError("the credential", "AES-128-CFB");
    out.resize(static_cast<size_t>(n + m));
    return out;
}

}  // namespace

Bytes kdfa(uint16_t name_alg, ByteView key, const std::string& label, ByteView context_u, ByteView context_v,
           uint32_t bits) {
    const HashAlgo h = hash_of(name_alg, "KDFa");
    if (bits == 0 || bits % 8 != 0) throw UsageError("KDFa of " + std::to_string(bits) + " bits");
    const size_t bytes = bits / 8;
    Bytes out;
    for (uint32_t counter = 1; out.size() < bytes; ++counter) {
        Bytes block;
        put_u32_be(block, counter);
        append(block, label_bytes(label));
        append(block, context_u);
        append(block, context_v);
        put_u32_be(block, bits);
        append(out, hmac(h, key, block));
    }
    out.resize(bytes);
    return out;
}

Credential make_credential(const tpm::PublicArea& ek, ByteView ak_name, ByteView secret) {
    if (auto p = tpm::ek_problems(ek); !p.empty()) throw FormatError("the EK is not an endorsement key: " + p.front());
    const HashAlgo h = hash_of(ek.name_alg, "the EK");
    const size_t dsize = hash_algo_info(h).digest_size;
    if (secret.empty() || secret.size() > dsize)
        throw UsageError("a credential's secret is 1 to " + std::to_string(dsize) + " bytes, not " +
                         std::to_string(secret.size()));
    if (ak_name.size() < 2) throw FormatError("an AK name of " + std::to_string(ak_name.size()) + " bytes");
    const uint16_t ak_name_alg = static_cast<uint16_t>((ak_name[0] << 8) | ak_name[1]);
    auto akh = hash_algo_from_tpm_alg(ak_name_alg);
    if (!akh || ak_name.size() != 2 + hash_algo_info(*akh).digest_size)
        throw FormatError("an AK name that is not a name algorithm and its digest");
    PKeyPtr key = tpm::public_key(ek);
    Seed s = ek.type == TPM2_ALG_RSA ? rsa_seed(key.get(), h) : ecc_seed(key.get(), ek, h);
    Bytes sym = kdfa(ek.name_alg, s.seed, "STORAGE", ak_name, {}, ek.symmetric_bits);
    Bytes plain;
    put_tpm2b(plain, secret);
    Bytes enc = aes_cfb(sym, plain);
    Bytes hkey = kdfa(ek.name_alg, s.seed, "INTEGRITY", {}, {}, static_cast<uint32_t>(dsize * 8));
    Bytes mac_in = enc;
    append(mac_in, ak_name);
    Bytes outer = hmac(h, hkey, mac_in);
    OPENSSL_cleanse(s.seed.data(), s.seed.size());
    OPENSSL_cleanse(sym.data(), sym.size());
    OPENSSL_cleanse(hkey.data(), hkey.size());
    OPENSSL_cleanse(plain.data(), plain.size());
    Credential c;
    put_tpm2b(c.id_object, outer);
    append(c.id_object, enc);
    c.encrypted_secret = std::move(s.encrypted);
    return c;
}

Bytes credential_file(const Credential& c) {
    Bytes out;
    put_u32_be(out, kFileMagic);
    put_u32_be(out, kFileVersion);
    put_tpm2b(out, c.id_object);
    put_tpm2b(out, c.encrypted_secret);
    return out;
}

Credential parse_credential_file(ByteView file) {
    Reader r(file, "credential");
    if (r.remaining() < 8) throw FormatError("a credential file of " + std::to_string(file.size()) + " bytes");
    const uint32_t magic = r.u32_be();
    if (magic != kFileMagic) throw FormatError("not a credential file (no 0xBADCC0DE magic)");
    const uint32_t version = r.u32_be();
    if (version != kFileVersion) throw FormatError("a credential file of version " + std::to_string(version));
    Credential c;
    try {
        uint16_t n = r.u16_be();
        if (n > sizeof(TPM2B_ID_OBJECT::credential))
            throw FormatError("a credential blob of " + std::to_string(n) + " bytes");
        ByteView id = r.bytes(n);
        c.id_object.assign(id.begin(), id.end());
        n = r.u16_be();
        if (n > sizeof(TPM2B_ENCRYPTED_SECRET::secret))
            throw FormatError("an encrypted seed of " + std::to_string(n) + " bytes");
        ByteView sec = r.bytes(n);
        c.encrypted_secret.assign(sec.begin(), sec.end());
    } catch (const TruncatedError&) {
        throw FormatError("a credential file cut short at byte " + std::to_string(file.size()));
    }
    if (!r.empty())
        throw FormatError("a credential file with " + std::to_string(r.remaining()) + " bytes after its end");
    if (c.id_object.empty() || c.encrypted_secret.empty()) throw FormatError("a credential file with an empty part");
    return c;
}

}  // namespace ima::credential
