#include "ima/tpm/public_area.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <tss2/tss2_mu.h>

#include <cstring>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/hash_algo.hpp"

namespace ima::tpm {

namespace {

// The TCG EK Credential Profile's policy: PolicySecret(TPM_RH_ENDORSEMENT).
constexpr uint8_t kEkPolicy[32] = {0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xb3, 0xf8, 0x1a, 0x90, 0xcc,
                                   0x8d, 0x46, 0xa5, 0xd7, 0x24, 0xfd, 0x52, 0xd7, 0x6e, 0x06, 0x52,
                                   0x0b, 0x64, 0xf2, 0xa1, 0xda, 0x1b, 0x33, 0x14, 0x69, 0xaa};

constexpr uint32_t kKeyAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN;

// The cipher and scheme fields TPMS_RSA_PARMS and TPMS_ECC_PARMS share.
template <class Parms>
void read_key_parameters(const Parms& p, PublicArea& out) {
    out.symmetric = p.symmetric.algorithm;
    if (p.symmetric.algorithm == TPM2_ALG_AES) {
        out.symmetric_bits = p.symmetric.keyBits.aes;
        out.symmetric_mode = p.symmetric.mode.aes;
    }
    out.scheme = p.scheme.scheme;
    if (p.scheme.scheme != TPM2_ALG_NULL) out.scheme_hash = p.scheme.details.anySig.hashAlg;
}

bool strong_hash(uint16_t alg) {
    return alg == TPM2_ALG_SHA256 || alg == TPM2_ALG_SHA384 || alg == TPM2_ALG_SHA512;
}

const char* curve_group(uint16_t curve) {
    switch (curve) {
        case TPM2_ECC_NIST_P256: return "prime256v1";
        case TPM2_ECC_NIST_P384: return "secp384r1";
        case TPM2_ECC_NIST_P521: return "secp521r1";
        default: return nullptr;
    }
}

Bytes marshal_public(const TPM2B_PUBLIC& pub) {
    uint8_t buf[sizeof(TPM2B_PUBLIC)];
    size_t off = 0;
    if (Tss2_MU_TPM2B_PUBLIC_Marshal(&pub, buf, sizeof buf, &off) != TSS2_RC_SUCCESS)
        throw FormatError("a TPM public area that cannot be marshalled");
    return Bytes(buf, buf + off);
}

}  // namespace

std::string tpm_alg_name(uint16_t alg) {
    if (auto h = hash_algo_from_tpm_alg(alg)) return hash_algo_info(*h).name;
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%04x", alg);
    return buf;
}

PublicArea parse_public(ByteView in) {
    TPM2B_PUBLIC pub{};
    size_t off = 0;
    if (Tss2_MU_TPM2B_PUBLIC_Unmarshal(in.data(), in.size(), &off, &pub) != TSS2_RC_SUCCESS)
        throw FormatError("not a TPM2B_PUBLIC (" + std::to_string(in.size()) + " bytes)");
    if (off != in.size())
        throw FormatError("a TPM2B_PUBLIC of " + std::to_string(off) + " bytes followed by " +
                          std::to_string(in.size() - off) + " more");
    const TPMT_PUBLIC& t = pub.publicArea;
    PublicArea out;
    out.type = t.type;
    out.name_alg = t.nameAlg;
    out.attributes = t.objectAttributes;
    out.auth_policy.assign(t.authPolicy.buffer, t.authPolicy.buffer + t.authPolicy.size);
    if (t.type == TPM2_ALG_RSA) {
        const TPMS_RSA_PARMS& p = t.parameters.rsaDetail;
        read_key_parameters(p, out);
        out.rsa_bits = p.keyBits;
        out.rsa_exponent = p.exponent;
        out.rsa_modulus.assign(t.unique.rsa.buffer, t.unique.rsa.buffer + t.unique.rsa.size);
        if (out.rsa_modulus.empty() || out.rsa_modulus.size() * 8 != p.keyBits)
            throw FormatError("an RSA public area whose modulus (" + std::to_string(out.rsa_modulus.size()) +
                              " bytes) is not its " + std::to_string(p.keyBits) + " bits");
    } else if (t.type == TPM2_ALG_ECC) {
        const TPMS_ECC_PARMS& p = t.parameters.eccDetail;
        read_key_parameters(p, out);
        out.curve = p.curveID;
        out.ecc_x.assign(t.unique.ecc.x.buffer, t.unique.ecc.x.buffer + t.unique.ecc.x.size);
        out.ecc_y.assign(t.unique.ecc.y.buffer, t.unique.ecc.y.buffer + t.unique.ecc.y.size);
    } else {
        throw FormatError("a TPM public area of type " + tpm_alg_name(t.type) + ", not an RSA or ECC key");
    }
    // The name is a hash of these bytes: they must be the one marshalling.
    Bytes again = marshal_public(pub);
    if (again.size() != in.size() || !std::equal(again.begin(), again.end(), in.begin()))
        throw FormatError("a TPM2B_PUBLIC whose size field is not its content's");
    out.tpmt.assign(in.begin() + 2, in.end());
    return out;
}

Bytes tpm2b_of(const PublicArea& pub) {
    Bytes out;
    put_u16_be(out, static_cast<uint16_t>(pub.tpmt.size()));
    append(out, pub.tpmt);
    return out;
}

Bytes name_of(const PublicArea& pub) {
    auto h = hash_algo_from_tpm_alg(pub.name_alg);
    if (!h || !strong_hash(pub.name_alg))
        throw FormatError("a public area with name algorithm " + tpm_alg_name(pub.name_alg));
    Bytes out;
    put_u16_be(out, pub.name_alg);
    append(out, digest_bytes(*h, pub.tpmt));
    return out;
}

PKeyPtr public_key(const PublicArea& pub) {
    using BldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
    using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
    using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
    BldPtr bld(OSSL_PARAM_BLD_new());
    if (!bld) throw CryptoError("a TPM public key", "OSSL_PARAM_BLD_new");
    const char* type = nullptr;
    BnPtr n, e;
    Bytes point;
    if (pub.type == TPM2_ALG_RSA) {
        type = "RSA";
        n.reset(BN_bin2bn(pub.rsa_modulus.data(), static_cast<int>(pub.rsa_modulus.size()), nullptr));
        e.reset(BN_new());
        if (!n || !e || !BN_set_word(e.get(), pub.rsa_exponent ? pub.rsa_exponent : 65537) ||
            !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
            !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()))
            throw CryptoError("a TPM RSA public key", "OSSL_PARAM_BLD_push_BN");
    } else {
        type = "EC";
        const char* group = curve_group(pub.curve);
        if (!group) throw FormatError("an ECC public area on curve " + tpm_alg_name(pub.curve));
        point.push_back(0x04);
        append(point, pub.ecc_x);
        append(point, pub.ecc_y);
        if (!OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
            !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()))
            throw CryptoError("a TPM ECC public key", "OSSL_PARAM_BLD_push");
    }
    ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
    PKeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* key = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
        EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0)
        throw FormatError("a TPM public area whose key OpenSSL refuses");
    PKeyPtr out(key);
    if (pub.type == TPM2_ALG_ECC) {
        // A point off the curve is no key.
        PKeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
        if (!check || EVP_PKEY_public_check(check.get()) != 1)
            throw FormatError("an ECC public area whose point is not on its curve");
    }
    return out;
}

bool certificate_holds(const Certificate& cert, const PublicArea& pub) {
    PKeyPtr ours = public_key(pub);
    EVP_PKEY* key = cert.public_key();
    return key && EVP_PKEY_eq(key, ours.get()) == 1;
}

std::vector<std::string> ak_problems(const PublicArea& pub) {
    std::vector<std::string> out;
    const uint32_t a = pub.attributes;
    if (!(a & TPMA_OBJECT_RESTRICTED)) out.push_back("not restricted (it could sign made-up quotes)");
    if (!(a & TPMA_OBJECT_SIGN_ENCRYPT)) out.push_back("not a signing key");
    if (a & TPMA_OBJECT_DECRYPT) out.push_back("a decryption key");
    if (!(a & TPMA_OBJECT_FIXEDTPM)) out.push_back("not fixedTPM (it could leave its TPM)");
    if (!(a & TPMA_OBJECT_FIXEDPARENT)) out.push_back("not fixedParent");
    if (!(a & TPMA_OBJECT_SENSITIVEDATAORIGIN)) out.push_back("not sensitiveDataOrigin (made outside the TPM)");
    const bool scheme_ok = (pub.type == TPM2_ALG_RSA && pub.scheme == TPM2_ALG_RSASSA) ||
                           (pub.type == TPM2_ALG_ECC && pub.scheme == TPM2_ALG_ECDSA);
    if (!scheme_ok || !strong_hash(pub.scheme_hash))
        out.push_back("scheme " + tpm_alg_name(pub.scheme) + " with " + tpm_alg_name(pub.scheme_hash) +
                      " (RSASSA or ECDSA with SHA-256, SHA-384 or SHA-512 are allowed)");
    if (!strong_hash(pub.name_alg)) out.push_back("name algorithm " + tpm_alg_name(pub.name_alg));
    return out;
}

std::vector<std::string> ek_problems(const PublicArea& pub) {
    std::vector<std::string> out;
    const uint32_t a = pub.attributes;
    if (!(a & TPMA_OBJECT_RESTRICTED) || !(a & TPMA_OBJECT_DECRYPT) || (a & TPMA_OBJECT_SIGN_ENCRYPT))
        out.push_back("not a restricted decryption key");
    if (pub.symmetric != TPM2_ALG_AES || pub.symmetric_bits != 128 || pub.symmetric_mode != TPM2_ALG_CFB)
        out.push_back("its cipher is not AES-128-CFB");
    if (!strong_hash(pub.name_alg)) out.push_back("name algorithm " + tpm_alg_name(pub.name_alg));
    if (pub.type == TPM2_ALG_ECC && !curve_group(pub.curve)) out.push_back("curve " + tpm_alg_name(pub.curve));
    return out;
}

std::string key_alg_name(KeyAlg alg) {
    return alg == KeyAlg::rsa ? "rsa" : "ecc";
}

Bytes ek_template(KeyAlg alg) {
    TPM2B_PUBLIC pub{};
    TPMT_PUBLIC& t = pub.publicArea;
    t.nameAlg = TPM2_ALG_SHA256;
    t.objectAttributes = kKeyAttributes | TPMA_OBJECT_ADMINWITHPOLICY | TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT;
    t.authPolicy.size = sizeof kEkPolicy;
    std::memcpy(t.authPolicy.buffer, kEkPolicy, sizeof kEkPolicy);
    if (alg == KeyAlg::rsa) {
        t.type = TPM2_ALG_RSA;
        TPMS_RSA_PARMS& p = t.parameters.rsaDetail;
        p.symmetric = {TPM2_ALG_AES, {128}, {TPM2_ALG_CFB}};
        p.scheme.scheme = TPM2_ALG_NULL;
        p.keyBits = 2048;
        p.exponent = 0;
        t.unique.rsa.size = 256;  // zeros, as the profile says
    } else {
        t.type = TPM2_ALG_ECC;
        TPMS_ECC_PARMS& p = t.parameters.eccDetail;
        p.symmetric = {TPM2_ALG_AES, {128}, {TPM2_ALG_CFB}};
        p.scheme.scheme = TPM2_ALG_NULL;
        p.curveID = TPM2_ECC_NIST_P256;
        p.kdf.scheme = TPM2_ALG_NULL;
        t.unique.ecc.x.size = 32;
        t.unique.ecc.y.size = 32;
    }
    return marshal_public(pub);
}

Bytes ak_template(KeyAlg alg) {
    TPM2B_PUBLIC pub{};
    TPMT_PUBLIC& t = pub.publicArea;
    t.nameAlg = TPM2_ALG_SHA256;
    t.objectAttributes = kKeyAttributes | TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN_ENCRYPT;
    if (alg == KeyAlg::rsa) {
        t.type = TPM2_ALG_RSA;
        TPMS_RSA_PARMS& p = t.parameters.rsaDetail;
        p.symmetric.algorithm = TPM2_ALG_NULL;
        p.scheme.scheme = TPM2_ALG_RSASSA;
        p.scheme.details.rsassa.hashAlg = TPM2_ALG_SHA256;
        p.keyBits = 2048;
    } else {
        t.type = TPM2_ALG_ECC;
        TPMS_ECC_PARMS& p = t.parameters.eccDetail;
        p.symmetric.algorithm = TPM2_ALG_NULL;
        p.scheme.scheme = TPM2_ALG_ECDSA;
        p.scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;
        p.curveID = TPM2_ECC_NIST_P256;
        p.kdf.scheme = TPM2_ALG_NULL;
    }
    return marshal_public(pub);
}

}  // namespace ima::tpm
