#include "ima/tpm/keys.hpp"

#include <openssl/crypto.h>
#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>

#include <algorithm>
#include <cstring>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/hash_algo.hpp"

namespace ima::tpm {

namespace {

// The EK certificate is at most MAX_NV_INDEX_SIZE; read in chunks every TPM takes.
constexpr uint16_t kNvChunk = 512;
constexpr uint16_t kMaxNvCert = 4096;

template <class T>
struct Out {
    T* p = nullptr;
    ~Out() { Esys_Free(p); }
};

// A transient object or session, flushed on every path.
struct Flushed {
    ESYS_CONTEXT* ctx;
    ESYS_TR h = ESYS_TR_NONE;
    explicit Flushed(ESYS_CONTEXT* c) : ctx(c) {}
    ~Flushed() {
        if (h != ESYS_TR_NONE) Esys_FlushContext(ctx, h);
    }
    Flushed(const Flushed&) = delete;
    Flushed& operator=(const Flushed&) = delete;
};

[[noreturn]] void fail(Tpm& tpm, const std::string& what, TSS2_RC rc) {
    throw Error(ErrorKind::env, "TPM '" + tpm.tcti() + "': " + what + ": " + tss2_error_text(rc));
}

TPM2B_PUBLIC unmarshal_public(ByteView b) {
    TPM2B_PUBLIC pub{};
    size_t off = 0;
    if (Tss2_MU_TPM2B_PUBLIC_Unmarshal(b.data(), b.size(), &off, &pub) != TSS2_RC_SUCCESS)
        throw FormatError("not a TPM2B_PUBLIC");
    return pub;
}

Bytes marshal(const TPM2B_PUBLIC& pub) {
    uint8_t buf[sizeof pub];
    size_t off = 0;
    if (Tss2_MU_TPM2B_PUBLIC_Marshal(&pub, buf, sizeof buf, &off) != TSS2_RC_SUCCESS)
        throw FormatError("a public area that cannot be marshalled");
    return Bytes(buf, buf + off);
}

// The TCG default EK, made again (same template, same key).
void create_ek(Tpm& tpm, KeyAlg alg, Flushed& ek, Bytes& ek_public) {
    TPM2B_PUBLIC in = unmarshal_public(ek_template(alg));
    TPM2B_SENSITIVE_CREATE sens{};
    TPM2B_DATA outside{};
    TPML_PCR_SELECTION pcrs{};
    Out<TPM2B_PUBLIC> pub;
    Out<TPM2B_CREATION_DATA> cd;
    Out<TPM2B_DIGEST> ch;
    Out<TPMT_TK_CREATION> ct;
    TSS2_RC rc = Esys_CreatePrimary(tpm.esys(), ESYS_TR_RH_ENDORSEMENT, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
                                    &sens, &in, &outside, &pcrs, &ek.h, &pub.p, &cd.p, &ch.p, &ct.p);
    if (rc != TSS2_RC_SUCCESS) fail(tpm, "creating the endorsement key (TPM2_CreatePrimary)", rc);
    ek_public = marshal(*pub.p);
}

// A policy session satisfying the EK's policy, PolicySecret(TPM_RH_ENDORSEMENT).
void ek_session(Tpm& tpm, Flushed& session) {
    TPMT_SYM_DEF sym{};
    sym.algorithm = TPM2_ALG_NULL;
    TSS2_RC rc = Esys_StartAuthSession(tpm.esys(), ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
                                       nullptr, TPM2_SE_POLICY, &sym, TPM2_ALG_SHA256, &session.h);
    if (rc != TSS2_RC_SUCCESS) fail(tpm, "starting a policy session (TPM2_StartAuthSession)", rc);
    rc = Esys_TRSess_SetAttributes(tpm.esys(), session.h, TPMA_SESSION_CONTINUESESSION, 0xff);
    if (rc != TSS2_RC_SUCCESS) fail(tpm, "setting the session's attributes", rc);
    TPM2B_NONCE nonce{};
    TPM2B_DIGEST cp{};
    TPM2B_NONCE ref{};
    Out<TPM2B_TIMEOUT> timeout;
    Out<TPMT_TK_AUTH> ticket;
    rc = Esys_PolicySecret(tpm.esys(), ESYS_TR_RH_ENDORSEMENT, session.h, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
                           &nonce, &cp, &ref, 0, &timeout.p, &ticket.p);
    if (rc != TSS2_RC_SUCCESS) fail(tpm, "satisfying the EK's policy (TPM2_PolicySecret)", rc);
}

// TPM response codes that mean a key or credential that is not for this TPM, or altered.
bool refused(TSS2_RC rc) {
    if ((rc & 0xFFFF0000u) != 0 || !(rc & TPM2_RC_FMT1)) return false;
    const TSS2_RC base = (rc & 0x3F) | TPM2_RC_FMT1;
    return base == TPM2_RC_INTEGRITY || base == TPM2_RC_VALUE || base == TPM2_RC_SIZE || base == TPM2_RC_ECC_POINT ||
           base == TPM2_RC_KEY || base == TPM2_RC_NO_RESULT;
}

// Loads the AK under the EK; checks the TPM names it as we do.
void load_ak(Tpm& tpm, const Flushed& ek, ByteView ak_public, ByteView ak_private, Flushed& ak) {
    TPM2B_PUBLIC pub = unmarshal_public(ak_public);
    TPM2B_PRIVATE priv{};
    size_t off = 0;
    if (Tss2_MU_TPM2B_PRIVATE_Unmarshal(ak_private.data(), ak_private.size(), &off, &priv) != TSS2_RC_SUCCESS)
        throw FormatError("not a TPM2B_PRIVATE");
    Flushed session(tpm.esys());
    ek_session(tpm, session);
    TSS2_RC rc = Esys_Load(tpm.esys(), ek.h, session.h, ESYS_TR_NONE, ESYS_TR_NONE, &priv, &pub, &ak.h);
    OPENSSL_cleanse(&priv, sizeof priv);
    if (refused(rc))
        throw VerifyError("the TPM does not load the AK under its EK (an AK of another TPM, or altered): " +
                          tss2_error_text(rc));
    if (rc != TSS2_RC_SUCCESS) fail(tpm, "loading the AK under the EK (TPM2_Load)", rc);
    Out<TPM2B_NAME> name;
    rc = Esys_TR_GetName(tpm.esys(), ak.h, &name.p);
    if (rc != TSS2_RC_SUCCESS) fail(tpm, "reading the AK's name", rc);
    Bytes ours = name_of(parse_public(ak_public));
    if (ours.size() != name.p->size || !std::equal(ours.begin(), ours.end(), name.p->name))
        throw Error(ErrorKind::env, "TPM '" + tpm.tcti() + "': the AK's name in the TPM is not its public area's");
}

// The EK made again, refused unless it is the AK file's, and the AK loaded
// under it: what activating a credential and quoting both start from.
void open_ak(Tpm& tpm, const AkFile& akf, Flushed& ek, Flushed& ak) {
    Bytes ek_public;
    create_ek(tpm, akf.alg, ek, ek_public);
    if (name_of(parse_public(ek_public)) != name_of(parse_public(akf.ek_public)))
        throw FormatError("this TPM's endorsement key is not the AK file's (another TPM?)");
    load_ak(tpm, ek, akf.ak_public, akf.ak_private, ak);
}

std::optional<Bytes> read_ek_certificate(Tpm& tpm, uint32_t index) {
    ESYS_TR nv = ESYS_TR_NONE;
    if (Esys_TR_FromTPMPublic(tpm.esys(), index, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &nv) != TSS2_RC_SUCCESS)
        return std::nullopt;  // no such index: the TPM has no EK certificate
    struct Closed {
        ESYS_CONTEXT* ctx;
        ESYS_TR* h;
        ~Closed() { Esys_TR_Close(ctx, h); }
    } closed{tpm.esys(), &nv};
    Out<TPM2B_NV_PUBLIC> pub;
    Out<TPM2B_NAME> name;
    TSS2_RC rc = Esys_NV_ReadPublic(tpm.esys(), nv, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &pub.p, &name.p);
    if (rc != TSS2_RC_SUCCESS) fail(tpm, "reading the EK certificate's NV index", rc);
    const uint16_t size = pub.p->nvPublic.dataSize;
    if (size == 0 || size > kMaxNvCert)
        throw Error(ErrorKind::env,
                    "TPM '" + tpm.tcti() + "': an EK certificate index of " + std::to_string(size) + " bytes");
    Bytes cert;
    while (cert.size() < size) {
        const uint16_t n = static_cast<uint16_t>(std::min<size_t>(kNvChunk, size - cert.size()));
        Out<TPM2B_MAX_NV_BUFFER> data;
        rc = Esys_NV_Read(tpm.esys(), nv, nv, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, n,
                          static_cast<uint16_t>(cert.size()), &data.p);
        if (rc != TSS2_RC_SUCCESS) fail(tpm, "reading the EK certificate (TPM2_NV_Read)", rc);
        if (data.p->size != n) throw Error(ErrorKind::env, "TPM '" + tpm.tcti() + "': a short EK certificate read");
        append(cert, ByteView(data.p->buffer, data.p->size));
    }
    // The index is padded to its size; the certificate is its DER SEQUENCE.
    if (cert.size() >= 4 && cert[0] == 0x30 && cert[1] == 0x82) {
        const size_t len = 4 + ((size_t{cert[2]} << 8) | cert[3]);
        if (len <= cert.size()) cert.resize(len);
    }
    return cert;
}

}  // namespace

AkFile create_ak(Tpm& tpm, KeyAlg alg) {
    AkFile out;
    out.alg = alg;
    Flushed ek(tpm.esys());
    create_ek(tpm, alg, ek, out.ek_public);
    {
        TPM2B_PUBLIC in = unmarshal_public(ak_template(alg));
        TPM2B_SENSITIVE_CREATE sens{};
        TPM2B_DATA outside{};
        TPML_PCR_SELECTION pcrs{};
        Out<TPM2B_PRIVATE> priv;
        Out<TPM2B_PUBLIC> pub;
        Out<TPM2B_CREATION_DATA> cd;
        Out<TPM2B_DIGEST> ch;
        Out<TPMT_TK_CREATION> ct;
        Flushed session(tpm.esys());
        ek_session(tpm, session);
        TSS2_RC rc = Esys_Create(tpm.esys(), ek.h, session.h, ESYS_TR_NONE, ESYS_TR_NONE, &sens, &in, &outside, &pcrs,
                                 &priv.p, &pub.p, &cd.p, &ch.p, &ct.p);
        if (rc != TSS2_RC_SUCCESS) fail(tpm, "creating the AK under the EK (TPM2_Create)", rc);
        out.ak_public = marshal(*pub.p);
        uint8_t buf[sizeof(TPM2B_PRIVATE)];
        size_t off = 0;
        if (Tss2_MU_TPM2B_PRIVATE_Marshal(priv.p, buf, sizeof buf, &off) != TSS2_RC_SUCCESS)
            throw FormatError("the AK's private blob cannot be marshalled");
        out.ak_private.assign(buf, buf + off);
    }
    Flushed ak(tpm.esys());
    load_ak(tpm, ek, out.ak_public, out.ak_private, ak);
    out.ek_certificate = read_ek_certificate(tpm, alg == KeyAlg::rsa ? kEkCertNvRsa : kEkCertNvEcc);
    return out;
}

Bytes activate_credential(Tpm& tpm, const AkFile& akf, const credential::Credential& cred) {
    if (cred.id_object.size() > sizeof(TPM2B_ID_OBJECT::credential) ||
        cred.encrypted_secret.size() > sizeof(TPM2B_ENCRYPTED_SECRET::secret))
        throw FormatError("a credential larger than a TPM takes");
    Flushed ek(tpm.esys()), ak(tpm.esys());
    open_ak(tpm, akf, ek, ak);
    TPM2B_ID_OBJECT blob{};
    blob.size = static_cast<uint16_t>(cred.id_object.size());
    std::memcpy(blob.credential, cred.id_object.data(), cred.id_object.size());
    TPM2B_ENCRYPTED_SECRET secret{};
    secret.size = static_cast<uint16_t>(cred.encrypted_secret.size());
    std::memcpy(secret.secret, cred.encrypted_secret.data(), cred.encrypted_secret.size());
    Flushed session(tpm.esys());
    ek_session(tpm, session);
    Out<TPM2B_DIGEST> info;
    TSS2_RC rc = Esys_ActivateCredential(tpm.esys(), ak.h, ek.h, ESYS_TR_PASSWORD, session.h, ESYS_TR_NONE, &blob,
                                         &secret, &info.p);
    if (refused(rc))
        throw VerifyError("the TPM refused the credential (made for another EK or AK, or altered): " +
                          tss2_error_text(rc));
    if (rc != TSS2_RC_SUCCESS) fail(tpm, "activating the credential (TPM2_ActivateCredential)", rc);
    Bytes out(info.p->buffer, info.p->buffer + info.p->size);
    OPENSSL_cleanse(info.p->buffer, info.p->size);
    return out;
}

TpmQuote make_quote(Tpm& tpm, const AkFile& akf, ByteView nonce,
                    const std::vector<quote::PcrBankSelection>& selection) {
    constexpr int kAttempts = 5;
    TPM2B_DATA qualifying{};
    if (nonce.size() > sizeof qualifying.buffer)
        throw UsageError("a nonce of " + std::to_string(nonce.size()) + " bytes (a TPM takes 64 at most)");
    qualifying.size = static_cast<uint16_t>(nonce.size());
    std::memcpy(qualifying.buffer, nonce.data(), nonce.size());
    if (selection.empty() || selection.size() > TPM2_NUM_PCR_BANKS) throw UsageError("no PCR selection to quote");
    TPML_PCR_SELECTION sel{};
    sel.count = static_cast<UINT32>(selection.size());
    for (size_t i = 0; i < selection.size(); ++i) {
        sel.pcrSelections[i].hash = selection[i].tpm_alg;
        sel.pcrSelections[i].sizeofSelect = 3;
        for (unsigned p : selection[i].pcrs)
            sel.pcrSelections[i].pcrSelect[p / 8] |= static_cast<uint8_t>(1u << (p % 8));
    }
    Flushed ek(tpm.esys()), ak(tpm.esys());
    open_ak(tpm, akf, ek, ak);
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        TPMT_SIG_SCHEME scheme{};
        scheme.scheme = TPM2_ALG_NULL;  // the AK's own
        Out<TPM2B_ATTEST> quoted;
        Out<TPMT_SIGNATURE> sig;
        TSS2_RC rc = Esys_Quote(tpm.esys(), ak.h, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &qualifying, &scheme,
                                &sel, &quoted.p, &sig.p);
        if (rc != TSS2_RC_SUCCESS) fail(tpm, "quoting (TPM2_Quote)", rc);
        TpmQuote q;
        q.message.assign(quoted.p->attestationData, quoted.p->attestationData + quoted.p->size);
        uint8_t buf[sizeof(TPMT_SIGNATURE)];
        size_t off = 0;
        if (Tss2_MU_TPMT_SIGNATURE_Marshal(sig.p, buf, sizeof buf, &off) != TSS2_RC_SUCCESS)
            throw Error(ErrorKind::env, "TPM '" + tpm.tcti() + "': a quote signature that cannot be marshalled");
        q.signature.assign(buf, buf + off);
        q.pcrs.selection = selection;
        Bytes all;
        for (const auto& b : selection) {
            auto h = hash_algo_from_tpm_alg(b.tpm_alg);
            if (!h) throw UsageError("a PCR bank this tool cannot read");
            measurement::PcrMap values = tpm.read_pcrs(*h, b.pcrs);
            for (unsigned p : b.pcrs) {
                q.pcrs.values.push_back(values.at(p));
                append(all, values.at(p));
            }
        }
        const quote::Attest attest = quote::parse_attest(q.message);
        auto sig_hash = hash_algo_from_tpm_alg(quote::parse_quote_signature(q.signature).hash_alg);
        if (sig_hash && digest_bytes(*sig_hash, all) == attest.pcr_digest) return q;
    }
    throw Error(ErrorKind::env, "TPM '" + tpm.tcti() + "': the PCRs changed between each quote and its read, " +
                                    std::to_string(kAttempts) + " times");
}

}  // namespace ima::tpm
