#include "ima/measurement/signatures.hpp"

#include <openssl/cms.h>
#include <openssl/objects.h>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/evm/inputs.hpp"
#include "ima/file_id.hpp"
#include "ima/measurement/fields.hpp"
#include "ima/xattr_format.hpp"

namespace ima::measurement {

namespace {

using CmsPtr = std::unique_ptr<CMS_ContentInfo, Deleter<CMS_ContentInfo_free>>;

SignatureCheck result(SigKind k, SigStatus s, std::string detail = "", std::optional<KeyId> id = std::nullopt) {
    return SignatureCheck{k, s, std::move(detail), id};
}

// Verifies a v2/v3 header signature over `digest` (the file digest, or the
// EVM digest) with the key its id names.
SignatureCheck verify_with_key(SigKind kind, const SignatureValue& s, ByteView signed_digest,
                               const std::vector<VerifyKey>& keys) {
    const VerifyKey* k = find_verify_key(keys, s.keyid);
    if (!k) return result(kind, SigStatus::unknown_key, "no certificate with key id " + keyid_hex(s.keyid), s.keyid);
    bool ok = false;
    try {
        ok = verify_digest(k->pkey.get(), s.algo, signed_digest, s.sig);
    } catch (const Error& e) {
        return result(kind, SigStatus::bad, e.what(), s.keyid);
    }
    if (!ok) return result(kind, SigStatus::bad, "does not verify with " + k->source, s.keyid);
    return result(kind, SigStatus::good, "", s.keyid);
}

SignatureCheck check_ima_sig(const Entry& e, ByteView value, const std::vector<VerifyKey>& keys) {
    const SigKind kind = SigKind::ima;
    if (value[0] == 0x03 && value.size() >= 2 && value[1] == 1)
        return result(kind, SigStatus::unsupported, "signature v1 (RSA, old header)");
    SignatureValue s;
    try {
        s = decode_signature(value);
    } catch (const FormatError& ex) {
        return result(kind, SigStatus::malformed, ex.what());
    }
    if (s.type == XattrType::evm_portable)
        return result(kind, SigStatus::unsupported, "a portable EVM signature: the template lacks what it covers",
                      s.keyid);
    std::optional<DigestField> d;
    try {
        d = entry_file_digest(e);
    } catch (const FormatError& ex) {
        return result(kind, SigStatus::malformed, ex.what(), s.keyid);
    }
    if (!d || !d->algo) return result(kind, SigStatus::malformed, "no file digest to check against", s.keyid);
    if (*d->algo != s.algo)
        return result(
            kind, SigStatus::bad,
            "signed with " + std::string(hash_algo_info(s.algo).name) + ", the file digest is " + d->algo_name,
            s.keyid);
    if (s.version == 2 && s.type == XattrType::digsig) return verify_with_key(kind, s, d->digest, keys);
    if (s.version == 3 && (s.type == XattrType::digsig || s.type == XattrType::verity_digsig)) {
        Bytes signed_digest;
        try {
            signed_digest = sigv3_signed_digest(s.type, s.algo, d->digest);
        } catch (const Error& ex) {  // a hash the kernel names and OpenSSL lacks
            return result(kind, SigStatus::unsupported, ex.what(), s.keyid);
        }
        return verify_with_key(kind, s, signed_digest, keys);
    }
    return result(kind, SigStatus::malformed,
                  "type 0x0" + std::to_string(static_cast<int>(s.type)) + " with version " + std::to_string(s.version),
                  s.keyid);
}

SignatureCheck check_modsig(const Entry& e, ByteView pkcs7, const std::vector<VerifyKey>& keys) {
    const SigKind kind = SigKind::modsig;
    const ByteView* dm = e.field("d-modsig");
    if (!dm || dm->empty()) return result(kind, SigStatus::malformed, "appended signature without 'd-modsig'");
    DigestField d;
    try {
        d = decode_digest_with_algo(*dm);
    } catch (const FormatError& ex) {
        return result(kind, SigStatus::malformed, ex.what());
    }
    const unsigned char* p = pkcs7.data();
    CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(pkcs7.size())));
    drain_openssl_errors();
    if (!cms || p != pkcs7.data() + pkcs7.size())
        return result(kind, SigStatus::malformed, "not a DER PKCS#7 signature");
    STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(cms.get());
    if (!signers || sk_CMS_SignerInfo_num(signers) != 1)
        return result(kind, SigStatus::malformed, "not exactly one signer");
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(signers, 0);
    if (CMS_signed_get_attr_count(si) > 0)
        return result(kind, SigStatus::unsupported, "signed attributes (module signatures have none)");
    X509_ALGOR* md = nullptr;
    CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &md, nullptr);
    const ASN1_OBJECT* obj = nullptr;
    if (md) X509_ALGOR_get0(&obj, nullptr, nullptr, md);
    const int md_nid = obj ? OBJ_obj2nid(obj) : NID_undef;
    if (md_nid == NID_undef || !d.algo) return result(kind, SigStatus::malformed, "unknown digest algorithm");
    // The kernel's table names digests OpenSSL lacks (wp256, tgr128...):
    // such an entry cannot be checked here, which is no reason to stop.
    const EVP_MD* md_of_field = nullptr;
    try {
        md_of_field = evp_md(*d.algo);
    } catch (const Error& ex) {
        return result(kind, SigStatus::unsupported, "'d-modsig' is " + d.algo_name + ": " + ex.what());
    }
    if (EVP_MD_get_type(md_of_field) != md_nid)
        return result(kind, SigStatus::bad,
                      std::string("signed with ") + OBJ_nid2sn(md_nid) + ", 'd-modsig' is " + d.algo_name);
    ASN1_OCTET_STRING* sig = CMS_SignerInfo_get0_signature(si);
    ByteView raw(ASN1_STRING_get0_data(sig), static_cast<size_t>(ASN1_STRING_length(sig)));
    for (const VerifyKey& k : keys) {
        bool ok = false;
        try {
            ok = verify_digest(k.pkey.get(), *d.algo, d.digest, raw);
        } catch (const Error&) {
            ok = false;  // a key of another type
        }
        if (ok) return result(kind, SigStatus::good, "", k.keyid);
    }
    return result(kind, SigStatus::unknown_key, "no certificate verifies it");
}

SignatureCheck check_evmsig(const Entry& e, ByteOrder order, ByteView value, const std::vector<VerifyKey>& keys) {
    const SigKind kind = SigKind::evm;
    SignatureValue s;
    try {
        s = decode_signature(value);
    } catch (const FormatError& ex) {
        return result(kind, SigStatus::malformed, ex.what());
    }
    if (s.type != XattrType::evm_portable)
        return result(kind, SigStatus::malformed, "'evmsig' holds a value of type " + std::to_string(int(s.type)),
                      s.keyid);
    const ByteView *names = e.field("xattrnames"), *lengths = e.field("xattrlengths"), *values = e.field("xattrvalues");
    const ByteView *uid = e.field("iuid"), *gid = e.field("igid"), *mode = e.field("imode");
    if (!names || !lengths || !values || !uid || !gid || !mode)
        return result(kind, SigStatus::unsupported, "the template lacks the xattrs, uid, gid or mode it covers",
                      s.keyid);
    // evm_read_protected_xattrs: names joined by '|' (NUL-terminated),
    // u32 lengths, values back to back.
    evm::EvmInputs in;
    std::string_view all = field_string(*names);
    Reader lr(*lengths, "xattrlengths");
    Reader vr(*values, "xattrvalues");
    try {
        size_t start = 0;
        while (start <= all.size() && !all.empty()) {
            size_t bar = all.find('|', start);
            std::string name(all.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
            uint32_t len = order == ByteOrder::little ? lr.u32_le() : lr.u32_be();
            ByteView v = vr.bytes(len);
            in.xattrs.emplace_back(name, Bytes(v.begin(), v.end()));
            if (bar == std::string_view::npos) break;
            start = bar + 1;
        }
        if (!lr.empty() || !vr.empty()) throw FormatError("more lengths or values than names");
    } catch (const FormatError& ex) {
        return result(kind, SigStatus::malformed, ex.what(), s.keyid);
    }
    auto u = decode_uint(*uid, order), g = decode_uint(*gid, order), m = decode_uint(*mode, order);
    if (!u || !g || !m) return result(kind, SigStatus::malformed, "uid, gid or mode of an odd size", s.keyid);
    in.uid = static_cast<uint32_t>(*u);
    in.gid = static_cast<uint32_t>(*g);
    in.mode = static_cast<uint16_t>(*m);
    Bytes digest;
    try {
        digest = evm::evm_digest(s.algo, in, evm::EvmKind::portable);
    } catch (const Error& ex) {
        return result(kind, SigStatus::malformed, ex.what(), s.keyid);
    }
    return verify_with_key(kind, s, digest, keys);
}

}  // namespace

const char* sig_kind_name(SigKind k) {
    switch (k) {
        case SigKind::ima: return "ima signature";
        case SigKind::modsig: return "appended signature";
        case SigKind::evm: return "EVM signature";
    }
    return "";
}

const char* sig_status_name(SigStatus s) {
    switch (s) {
        case SigStatus::good: return "good";
        case SigStatus::bad: return "bad";
        case SigStatus::unknown_key: return "unknown key";
        case SigStatus::malformed: return "malformed";
        case SigStatus::unsupported: return "unsupported";
    }
    return "";
}

std::vector<SignatureCheck> check_entry_signatures(const Entry& e, ByteOrder order,
                                                   const std::vector<VerifyKey>& keys) {
    std::vector<SignatureCheck> out;
    if (e.is_violation()) return out;
    if (const ByteView* s = e.field("sig"); s && !s->empty()) out.push_back(check_ima_sig(e, *s, keys));
    if (const ByteView* s = e.field("modsig"); s && !s->empty()) out.push_back(check_modsig(e, *s, keys));
    if (const ByteView* s = e.field("evmsig"); s && !s->empty()) out.push_back(check_evmsig(e, order, *s, keys));
    return out;
}

}  // namespace ima::measurement
