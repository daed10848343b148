// TPM2_Quote evidence as tpm2-tools writes it (tpm2_quote -m/-s/-o) and the
// checks a verifier makes before any PCR value in it means anything: the
// signature by the attestation key over the exact TPMS_ATTEST bytes, the
// TPM_GENERATED_VALUE magic and the quote type (a TPM2_Sign of made-up bytes
// carries neither), the nonce in extraData, and the PCR values matching the
// quoted digest. The structures are read by tss2-mu (the TPM's own
// marshalling rules), never by hand.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"

namespace ima::quote {

// One bank of a PCR selection: the TPM's algorithm id and the PCRs chosen,
// in ascending order.
struct PcrBankSelection {
    uint16_t tpm_alg = 0;
    std::vector<unsigned> pcrs;
    bool operator==(const PcrBankSelection&) const = default;
};

// The TPMS_ATTEST of a quote, the fields a verifier judges.
struct Attest {
    uint32_t magic = 0;
    uint16_t type = 0;
    Bytes qualified_signer;  // the AK's qualified name
    Bytes extra_data;        // the nonce the verifier sent
    uint64_t clock = 0;
    uint32_t reset_count = 0, restart_count = 0;
    bool safe = false;
    uint64_t firmware_version = 0;
    std::vector<PcrBankSelection> selection;  // only for a quote (type TPM_ST_ATTEST_QUOTE)
    Bytes pcr_digest;
};

inline constexpr uint32_t kTpmGeneratedValue = 0xff544347;
inline constexpr uint16_t kTpmStAttestQuote = 0x8018;

// Parses a marshalled TPMS_ATTEST (tpm2_quote -m). Throws FormatError when
// the bytes are not exactly one TPMS_ATTEST.
Attest parse_attest(ByteView message);

// A TPMT_SIGNATURE (tpm2_quote -s, its default "tss" format).
struct QuoteSignature {
    uint16_t sig_alg = 0;   // TPM2_ALG_RSASSA, TPM2_ALG_ECDSA, ...
    uint16_t hash_alg = 0;  // TPM2_ALG_SHA256, ...
    Bytes sig;              // RSA: the signature; ECDSA: DER, as OpenSSL verifies it
};

// Throws FormatError when the bytes are not exactly one TPMT_SIGNATURE.
QuoteSignature parse_quote_signature(ByteView signature);

// The PCR values of tpm2_quote -o (its default "serialized" format: a
// TPML_PCR_SELECTION, a count and that many TPML_DIGEST, each laid out as
// tpm2-tools' x86-64 structures, little-endian): the selection, and the
// values in selection order.
struct QuotedPcrs {
    std::vector<PcrBankSelection> selection;
    std::vector<Bytes> values;  // one per selected PCR, banks in selection order
};

// Throws FormatError naming what is wrong (size, a count, a digest size
// that is not its bank's).
QuotedPcrs parse_tpm2_pcrs(ByteView file);

// The outcome of one named check.
struct QuoteCheck {
    std::string name;  // "signature", "magic", "type", "nonce", "pcr selection", "pcr digest", "clock"
    bool ok = false;
    std::string detail;  // why it failed, or what it found
};

// Every check, in order; the quote is trusted only when all pass. `ak` is
// the attestation key's public key. Signature schemes allowed: RSASSA and
// ECDSA with SHA-256, SHA-384 or SHA-512.
std::vector<QuoteCheck> check_quote(ByteView message, const Attest& attest, const QuoteSignature& sig,
                                    const QuotedPcrs& pcrs, EVP_PKEY* ak, ByteView nonce);

// "sha256:0,1,10+sha1:10": tpm2-tools' selection syntax, for messages.
std::string selection_text(const std::vector<PcrBankSelection>& selection);

// Reads tpm2-tools' selection syntax: banks joined by '+', each
// ALGO:PCR,PCR... (PCRs 0-23, or "all"), the PCRs put in ascending order.
// Throws UsageError naming what is wrong (an unknown bank, a PCR out of
// range or twice, a bank twice, nothing selected).
std::vector<PcrBankSelection> parse_selection(const std::string& text);

// tpm2_quote -o's "serialized" file for `pcrs`: the selection, then the
// values eight to a TPML_DIGEST, as parse_tpm2_pcrs reads them.
Bytes tpm2_pcrs_file(const QuotedPcrs& pcrs);

}  // namespace ima::quote
