#include "ima/quote/quote.hpp"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <tss2/tss2_mu.h>

#include <algorithm>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/measurement/pcr_values.hpp"
#include "ima/ossl.hpp"
#include "ima/signature.hpp"
#include "ima/tpm/public_area.hpp"

namespace ima::quote {

using tpm::tpm_alg_name;

namespace {

// tpm2-tools writes its -o file with fwrite of these structures: the layout
// the parser below reads is theirs, as the tss2 headers lay them out here.
constexpr size_t kSelectionEntry = 8;                                        // TPMS_PCR_SELECTION: u16, u8, u8[4], pad
constexpr size_t kSelectionList = 4 + TPM2_NUM_PCR_BANKS * kSelectionEntry;  // TPML_PCR_SELECTION
constexpr size_t kDigestEntry = 2 + sizeof(TPMU_HA);                         // TPM2B_DIGEST
constexpr size_t kDigestList = 4 + 8 * kDigestEntry;                         // TPML_DIGEST
static_assert(sizeof(TPML_PCR_SELECTION) == kSelectionList);
static_assert(sizeof(TPML_DIGEST) == kDigestList);
static_assert(sizeof(TPMS_PCR_SELECTION) == kSelectionEntry);

constexpr size_t kMaxDigestLists = 64;  // 16 banks of 24 PCRs fit in 48

std::vector<PcrBankSelection> selection_of(const TPML_PCR_SELECTION& list, const std::string& where) {
    if (list.count > TPM2_NUM_PCR_BANKS)
        throw FormatError(where + ": " + std::to_string(list.count) + " banks, at most " +
                          std::to_string(TPM2_NUM_PCR_BANKS));
    std::vector<PcrBankSelection> out;
    for (uint32_t i = 0; i < list.count; ++i) {
        const TPMS_PCR_SELECTION& s = list.pcrSelections[i];
        if (s.sizeofSelect > sizeof(s.pcrSelect))
            throw FormatError(where + ": bank " + std::to_string(i) + " selects " + std::to_string(s.sizeofSelect) +
                              " bytes of PCRs, at most " + std::to_string(sizeof(s.pcrSelect)));
        PcrBankSelection b;
        b.tpm_alg = s.hash;
        for (unsigned pcr = 0; pcr < s.sizeofSelect * 8u; ++pcr)
            if (s.pcrSelect[pcr / 8] & (1u << (pcr % 8))) b.pcrs.push_back(pcr);
        out.push_back(std::move(b));
    }
    return out;
}

// The hash a quote's signature and PCR digest may use.
std::optional<HashAlgo> allowed_hash(uint16_t tpm_alg) {
    auto h = hash_algo_from_tpm_alg(tpm_alg);
    if (h && (*h == HashAlgo::sha256 || *h == HashAlgo::sha384 || *h == HashAlgo::sha512)) return h;
    return std::nullopt;
}

Bytes ecdsa_der(const TPMS_SIGNATURE_ECDSA& e) {
    std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>> sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(e.signatureR.buffer, e.signatureR.size, nullptr);
    BIGNUM* s = BN_bin2bn(e.signatureS.buffer, e.signatureS.size, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        throw CryptoError("quote signature", "ECDSA_SIG_set0");
    }
    unsigned char* der = nullptr;
    int len = i2d_ECDSA_SIG(sig.get(), &der);
    if (len <= 0) throw CryptoError("quote signature", "i2d_ECDSA_SIG");
    OpenSslBytes owned(der);
    return Bytes(der, der + len);
}

std::string hex_short(ByteView b) {
    return b.empty() ? "(empty)" : to_hex(b);
}

}  // namespace

Attest parse_attest(ByteView message) {
    TPMS_ATTEST a{};
    size_t offset = 0;
    TSS2_RC rc = Tss2_MU_TPMS_ATTEST_Unmarshal(message.data(), message.size(), &offset, &a);
    if (rc != TSS2_RC_SUCCESS) throw FormatError("not a TPMS_ATTEST (tss2-mu cannot read it)");
    if (offset != message.size())
        throw FormatError(std::to_string(message.size() - offset) + " bytes after the TPMS_ATTEST");
    Attest out;
    out.magic = a.magic;
    out.type = a.type;
    out.qualified_signer.assign(a.qualifiedSigner.name, a.qualifiedSigner.name + a.qualifiedSigner.size);
    out.extra_data.assign(a.extraData.buffer, a.extraData.buffer + a.extraData.size);
    out.clock = a.clockInfo.clock;
    out.reset_count = a.clockInfo.resetCount;
    out.restart_count = a.clockInfo.restartCount;
    out.safe = a.clockInfo.safe == 1;
    out.firmware_version = a.firmwareVersion;
    if (a.type == TPM2_ST_ATTEST_QUOTE) {
        out.selection = selection_of(a.attested.quote.pcrSelect, "quoted selection");
        const TPM2B_DIGEST& d = a.attested.quote.pcrDigest;
        out.pcr_digest.assign(d.buffer, d.buffer + d.size);
    }
    return out;
}

QuoteSignature parse_quote_signature(ByteView signature) {
    TPMT_SIGNATURE s{};
    size_t offset = 0;
    TSS2_RC rc = Tss2_MU_TPMT_SIGNATURE_Unmarshal(signature.data(), signature.size(), &offset, &s);
    if (rc != TSS2_RC_SUCCESS) throw FormatError("not a TPMT_SIGNATURE (tss2-mu cannot read it)");
    if (offset != signature.size())
        throw FormatError(std::to_string(signature.size() - offset) + " bytes after the TPMT_SIGNATURE");
    QuoteSignature out;
    out.sig_alg = s.sigAlg;
    switch (s.sigAlg) {
        case TPM2_ALG_RSASSA:
        case TPM2_ALG_RSAPSS:
            out.hash_alg = s.signature.rsassa.hash;
            out.sig.assign(s.signature.rsassa.sig.buffer, s.signature.rsassa.sig.buffer + s.signature.rsassa.sig.size);
            break;
        case TPM2_ALG_ECDSA:
            out.hash_alg = s.signature.ecdsa.hash;
            out.sig = ecdsa_der(s.signature.ecdsa);
            break;
        default: break;  // judged by check_quote: a scheme outside the allow-list
    }
    return out;
}

QuotedPcrs parse_tpm2_pcrs(ByteView file) {
    if (file.size() < kSelectionList + 4)
        throw FormatError(std::to_string(file.size()) + " bytes, too short for tpm2_quote's PCR file (" +
                          std::to_string(kSelectionList + 4) + " at least)");
    Reader r(file, "PCR file");
    TPML_PCR_SELECTION list{};
    list.count = r.u32_le();
    if (list.count > TPM2_NUM_PCR_BANKS)
        throw FormatError("selection: " + std::to_string(list.count) + " banks, at most " +
                          std::to_string(TPM2_NUM_PCR_BANKS));
    for (auto& entry : list.pcrSelections) {
        entry.hash = r.u16_le();
        entry.sizeofSelect = r.u8();
        ByteView select = r.bytes(sizeof(entry.pcrSelect));
        std::copy(select.begin(), select.end(), entry.pcrSelect);
        r.skip(kSelectionEntry - 3 - sizeof(entry.pcrSelect));  // the structure's padding
    }
    QuotedPcrs out;
    out.selection = selection_of(list, "selection");
    const uint32_t lists = r.u32_le();
    if (lists > kMaxDigestLists)
        throw FormatError(std::to_string(lists) + " digest lists, at most " + std::to_string(kMaxDigestLists));
    const size_t want = kSelectionList + 4 + lists * kDigestList;
    if (file.size() != want)
        throw FormatError(std::to_string(file.size()) + " bytes, but " + std::to_string(lists) + " digest lists make " +
                          std::to_string(want));
    for (uint32_t l = 0; l < lists; ++l) {
        Reader digests(r.bytes(kDigestList), "digest list");
        const uint32_t n = digests.u32_le();
        if (n > 8)
            throw FormatError("digest list " + std::to_string(l) + ": " + std::to_string(n) + " digests, at most 8");
        for (uint32_t k = 0; k < n; ++k) {
            const uint16_t size = digests.u16_le();
            if (size > sizeof(TPMU_HA))
                throw FormatError("digest list " + std::to_string(l) + ": a digest of " + std::to_string(size) +
                                  " bytes");
            ByteView value = digests.bytes(sizeof(TPMU_HA)).first(size);
            out.values.emplace_back(value.begin(), value.end());
        }
    }
    size_t selected = 0;
    for (const auto& b : out.selection) selected += b.pcrs.size();
    if (out.values.size() != selected)
        throw FormatError(std::to_string(out.values.size()) + " PCR values for " + std::to_string(selected) +
                          " selected PCRs");
    size_t i = 0;
    for (const auto& b : out.selection) {
        auto h = hash_algo_from_tpm_alg(b.tpm_alg);
        for (unsigned pcr : b.pcrs) {
            if (h && out.values[i].size() != hash_algo_info(*h).digest_size)
                throw FormatError(std::string(hash_algo_info(*h).name) + " PCR " + std::to_string(pcr) + ": " +
                                  std::to_string(out.values[i].size()) + " bytes, " + hash_algo_info(*h).name +
                                  " needs " + std::to_string(hash_algo_info(*h).digest_size));
            ++i;
        }
    }
    return out;
}

std::string selection_text(const std::vector<PcrBankSelection>& selection) {
    std::string out;
    for (const auto& b : selection) {
        if (!out.empty()) out += '+';
        out += tpm_alg_name(b.tpm_alg);
        out += ':';
        for (size_t i = 0; i < b.pcrs.size(); ++i) {
            if (i) out += ',';
            out += std::to_string(b.pcrs[i]);
        }
    }
    return out.empty() ? "(nothing)" : out;
}

std::vector<QuoteCheck> check_quote(ByteView message, const Attest& attest, const QuoteSignature& sig,
                                    const QuotedPcrs& pcrs, EVP_PKEY* ak, ByteView nonce) {
    std::vector<QuoteCheck> out;
    auto check = [&out](const char* name, bool ok, std::string detail) {
        out.push_back({name, ok, std::move(detail)});
    };
    // The signature: a scheme on the allow-list, made by this AK, over these bytes.
    const auto hash = allowed_hash(sig.hash_alg);
    const bool rsa_key = EVP_PKEY_is_a(ak, "RSA"), ec_key = EVP_PKEY_is_a(ak, "EC");
    if (sig.sig_alg != TPM2_ALG_RSASSA && sig.sig_alg != TPM2_ALG_ECDSA)
        check("signature", false, "scheme " + tpm_alg_name(sig.sig_alg) + " is not RSASSA or ECDSA");
    else if (!hash)
        check("signature", false, "hash " + tpm_alg_name(sig.hash_alg) + " is not sha256, sha384 or sha512");
    else if ((sig.sig_alg == TPM2_ALG_RSASSA && !rsa_key) || (sig.sig_alg == TPM2_ALG_ECDSA && !ec_key))
        check("signature", false,
              std::string(sig.sig_alg == TPM2_ALG_RSASSA ? "an RSASSA" : "an ECDSA") + " signature, but the AK is " +
                  (rsa_key  ? "an RSA key"
                   : ec_key ? "an EC key"
                            : "neither RSA nor EC"));
    else if (!verify_digest(ak, *hash, digest_bytes(*hash, message), sig.sig))
        check("signature", false, "does not verify with the AK over the quote message");
    else
        check("signature", true,
              std::string(sig.sig_alg == TPM2_ALG_RSASSA ? "RSASSA-" : "ECDSA-") + hash_algo_info(*hash).name +
                  " by the AK");
    char magic[16];
    snprintf(magic, sizeof magic, "0x%08x", attest.magic);
    check("magic", attest.magic == kTpmGeneratedValue,
          attest.magic == kTpmGeneratedValue
              ? "TPM_GENERATED_VALUE"
              : std::string(magic) + ", not TPM_GENERATED_VALUE: the TPM did not make it");
    char type[16];
    snprintf(type, sizeof type, "0x%04x", attest.type);
    check("type", attest.type == kTpmStAttestQuote,
          attest.type == kTpmStAttestQuote ? "TPM_ST_ATTEST_QUOTE"
                                           : std::string(type) + ", not TPM_ST_ATTEST_QUOTE: not a quote");
    const bool nonce_ok =
        attest.extra_data.size() == nonce.size() && std::equal(nonce.begin(), nonce.end(), attest.extra_data.begin());
    check("nonce", nonce_ok,
          nonce_ok ? to_hex(nonce) : "the quote holds " + hex_short(attest.extra_data) + ", not " + hex_short(nonce));
    const bool same_selection = attest.selection == pcrs.selection;
    check("pcr selection", same_selection,
          same_selection ? selection_text(pcrs.selection)
                         : "the quote covers " + selection_text(attest.selection) + ", the PCR values " +
                               selection_text(pcrs.selection));
    // The values carried must be the ones the TPM hashed into pcrDigest.
    if (!hash) {
        check("pcr digest", false, "no allowed hash to compute it with");
    } else {
        Bytes all;
        for (const auto& v : pcrs.values) all.insert(all.end(), v.begin(), v.end());
        Bytes d = digest_bytes(*hash, all);
        check("pcr digest", same_selection && d == attest.pcr_digest,
              d == attest.pcr_digest
                  ? to_hex(d)
                  : "the PCR values hash to " + to_hex(d) + ", the quote holds " + hex_short(attest.pcr_digest));
    }
    check("clock", attest.safe,
          attest.safe ? "safe, reset count " + std::to_string(attest.reset_count) + ", restart count " +
                            std::to_string(attest.restart_count)
                      : "not safe: the TPM's clock may have gone back since it was last saved");
    return out;
}

std::vector<PcrBankSelection> parse_selection(const std::string& text) {
    std::vector<PcrBankSelection> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t plus = text.find('+', start);
        const std::string bank = text.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
        const size_t colon = bank.find(':');
        if (colon == std::string::npos)
            throw UsageError("PCR selection '" + text + "': '" + bank + "' is not ALGO:PCRS");
        HashAlgo h;
        try {
            h = parse_hash_algo(bank.substr(0, colon));
        } catch (const Error&) {
            throw UsageError("PCR selection '" + text + "': unknown bank '" + bank.substr(0, colon) + "'");
        }
        auto alg = tpm_alg_from_hash_algo(h);
        if (!alg) throw UsageError("PCR selection '" + text + "': " + hash_algo_info(h).name + " is not a PCR bank");
        PcrBankSelection b{*alg, {}};
        for (const auto& s : out)
            if (s.tpm_alg == *alg)
                throw UsageError("PCR selection '" + text + "': bank " + hash_algo_info(h).name + " twice");
        const std::string list = bank.substr(colon + 1);
        if (list == "all") {
            for (unsigned p = 0; p < 24; ++p) b.pcrs.push_back(p);
        } else {
            size_t at = 0;
            while (at <= list.size()) {
                size_t comma = list.find(',', at);
                const std::string n = list.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
                const auto number = measurement::parse_pcr_number(n);
                if (!number) throw UsageError("PCR selection '" + text + "': '" + n + "' is not a PCR number (0-23)");
                const unsigned p = *number;
                if (std::find(b.pcrs.begin(), b.pcrs.end(), p) != b.pcrs.end())
                    throw UsageError("PCR selection '" + text + "': PCR " + n + " twice");
                b.pcrs.push_back(p);
                if (comma == std::string::npos) break;
                at = comma + 1;
            }
            std::sort(b.pcrs.begin(), b.pcrs.end());
        }
        out.push_back(std::move(b));
        if (plus == std::string::npos) break;
        start = plus + 1;
    }
    return out;
}

Bytes tpm2_pcrs_file(const QuotedPcrs& pcrs) {
    if (pcrs.selection.size() > TPM2_NUM_PCR_BANKS) throw UsageError("more PCR banks than a selection holds");
    Bytes out;
    auto put_u16_le = [&](uint16_t v) {
        out.push_back(static_cast<uint8_t>(v));
        out.push_back(static_cast<uint8_t>(v >> 8));
    };
    auto put_u32_le = [&](uint32_t v) {
        for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
    };
    put_u32_le(static_cast<uint32_t>(pcrs.selection.size()));
    for (size_t i = 0; i < TPM2_NUM_PCR_BANKS; ++i) {
        uint8_t select[4] = {};
        uint16_t hash = 0;
        uint8_t size = 0;
        if (i < pcrs.selection.size()) {
            hash = pcrs.selection[i].tpm_alg;
            size = 3;
            for (unsigned p : pcrs.selection[i].pcrs) select[p / 8] |= static_cast<uint8_t>(1u << (p % 8));
        }
        put_u16_le(hash);
        out.push_back(size);
        out.insert(out.end(), select, select + 4);
        out.push_back(0);  // padding
    }
    const size_t lists = (pcrs.values.size() + 7) / 8;
    put_u32_le(static_cast<uint32_t>(lists));
    for (size_t l = 0; l < lists; ++l) {
        const size_t first = l * 8, n = std::min<size_t>(8, pcrs.values.size() - first);
        put_u32_le(static_cast<uint32_t>(n));
        for (size_t k = 0; k < 8; ++k) {
            Bytes value(sizeof(TPMU_HA));
            uint16_t size = 0;
            if (k < n) {
                const Bytes& v = pcrs.values[first + k];
                if (v.size() > sizeof(TPMU_HA)) throw UsageError("a PCR value larger than a digest");
                std::copy(v.begin(), v.end(), value.begin());
                size = static_cast<uint16_t>(v.size());
            }
            put_u16_le(size);
            append(out, value);
        }
    }
    return out;
}

}  // namespace ima::quote
