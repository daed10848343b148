// Fuzzes what a verifier reads from a node: any bytes are an evidence
// document or a FormatError, and one that parses is judged by check against
// a fixed AK (tests/fixtures/tpm/ak-rsa.pub) without a crash, every problem
// a failed check; any bytes are a verifier state or a FormatError, and one
// that parses is written back and reads the same.
#include <cstdint>
#include <cstdlib>

#include "ima/attest/check.hpp"
#include "ima/error.hpp"

// tpm2-tss's own log would print a line per refused input.
static const int quiet_tss = setenv("TSS2_LOG", "all+NONE", 1);

static const ima::Bytes& ak_public() {
    static const ima::Bytes b = ima::from_hex(
        "01180001000b00050072000000100014000b08000000000001009b741dd242900275ce68a8df0f4f41dc75199eadff5e9eb4e94a0b155d"
        "6baf2ab448c0cd0034a12482332744cb77376b0ac7296494955b0cbb9473b5677c9d06155c9bf5968a2442d8d7c1578e20254cfc3b7fc0"
        "b85171bb788ce9ea07158f0b62fe2ec4fe657553f94a1579146921e2e398563e7707d3c729f0a30245d1537d3a4e7f699f3c4476c95e71"
        "c5e4e306ab2156fad4a778e65ba9be8494c669216c33bf4019e71a548e0d7e2752b98885cccb11cbfa506dff22d4bea58a231899ceb828"
        "ae59f0305ff451c06e43c7babbf952feba730e876d9f183967b669db48a7164f77ec869d26dac4f1fa4b7c2ae6f2ef1fbfe4c58581a36a"
        "50a692cbab224f");
    return b;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    (void)quiet_tss;
    ima::ByteView in(data, size);
    try {
        ima::attest::Evidence ev = ima::attest::parse_evidence(in);
        ima::tpm::AkFile ak;
        ak.ak_public = ak_public();
        ima::attest::CheckInput ci;
        ci.evidence = &ev;
        ci.ak = &ak;
        ci.nonce = ev.nonce.empty() ? ima::Bytes{1} : ev.nonce;
        ima::attest::CheckReport rep = ima::attest::check_evidence(ci);
        if (rep.checks.empty()) std::abort();
        for (const auto& c : rep.checks)
            if (c.name.empty()) std::abort();
    } catch (const ima::FormatError&) {
    }
    try {
        ima::attest::VerifierState s = ima::attest::parse_verifier_state(in);
        std::string text = ima::attest::verifier_state_json(s);
        ima::attest::VerifierState again = ima::attest::parse_verifier_state(ima::view(text));
        if (ima::attest::verifier_state_json(again) != text) std::abort();
    } catch (const ima::FormatError&) {
    }
    return 0;
}
