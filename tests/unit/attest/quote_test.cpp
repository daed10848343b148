// TPM quotes: the -m/-s/-o files a real TPM (swtpm, through tpm2_quote) made,
// read by tss2-mu and judged check by check; every field an attacker could
// change, changed, fails the check that guards it.
#include "ima/quote/quote.hpp"

#include <gtest/gtest.h>

#include "attest_util.hpp"
#include "ima/error.hpp"
#include "ima/key.hpp"

namespace {

using namespace ima::quote;

struct Evidence {
    ima::Bytes message, signature, pcr_file;
    ima::PKeyPtr ak;
    ima::Bytes nonce;
};

// rsa: sha256:0,1,10+sha1:10, nonce 0a0b0c0d; ecc: sha256:0,10, nonce 01020304.
Evidence load(const std::string& kind) {
    const std::string dir = test::fixture("quote/");
    Evidence e;
    e.message = test::read_bytes(dir + kind + ".msg");
    e.signature = test::read_bytes(dir + kind + ".sig");
    e.pcr_file = test::read_bytes(dir + kind + ".pcrs");
    e.ak = ima::load_public_key(dir + "ak-" + kind + ".pem");
    e.nonce = kind == "rsa" ? ima::Bytes{0x0a, 0x0b, 0x0c, 0x0d} : ima::Bytes{0x01, 0x02, 0x03, 0x04};
    return e;
}

std::vector<QuoteCheck> run(const Evidence& e) {
    return check_quote(e.message, parse_attest(e.message), parse_quote_signature(e.signature),
                       parse_tpm2_pcrs(e.pcr_file), e.ak.get(), e.nonce);
}

// The names of the checks that failed, in order.
std::string failed(const std::vector<QuoteCheck>& checks) {
    std::string out;
    for (const auto& c : checks)
        if (!c.ok) out += (out.empty() ? "" : ", ") + c.name;
    return out.empty() ? "none" : out;
}

TEST(Quote, RealQuotesOfBothKindsPassEveryCheck) {
    for (const char* kind : {"rsa", "ecc"}) {
        auto checks = run(load(kind));
        EXPECT_EQ(failed(checks), "none") << kind;
        EXPECT_EQ(checks.size(), 7u);
    }
    Attest a = parse_attest(load("rsa").message);
    EXPECT_EQ(a.magic, kTpmGeneratedValue);
    EXPECT_EQ(a.type, kTpmStAttestQuote);
    EXPECT_EQ(selection_text(a.selection), "sha256:0,1,10+sha1:10");
    EXPECT_EQ(a.pcr_digest.size(), 32u);
    QuotedPcrs p = parse_tpm2_pcrs(load("rsa").pcr_file);
    ASSERT_EQ(p.values.size(), 4u);
    EXPECT_EQ(p.values[3].size(), 20u);  // sha1 PCR 10
    EXPECT_EQ(ima::to_hex(p.values[2]), "c6481e22c5ff4164af680b8cfaa5e8ed3120eeff89c4f307c4a6faaae059ce10");
}

TEST(Quote, EachForgedPartFailsItsCheck) {
    Evidence e = load("rsa");
    e.nonce.back() ^= 1;
    EXPECT_EQ(failed(run(e)), "nonce");

    e = load("rsa");
    e.pcr_file[136 + 4 + 2 * 66 + 2] ^= 1;  // a byte of the third value, sha256 PCR 10
    EXPECT_EQ(failed(run(e)), "pcr digest");

    e = load("rsa");
    e.message[50] ^= 1;  // inside the clock: the bytes the AK signed
    EXPECT_EQ(failed(run(e)).substr(0, 9), "signature");

    e = load("rsa");
    e.ak = ima::load_public_key(test::fixture("quote/ak-ecc.pem"));
    EXPECT_EQ(failed(run(e)), "signature");

    // The PCR values of another quote: another selection.
    e = load("rsa");
    e.pcr_file = load("ecc").pcr_file;
    EXPECT_EQ(failed(run(e)), "pcr selection, pcr digest");
}

TEST(Quote, MadeUpBytesFailMagicTypeAndClockEvenWhenTheSignatureVerifies) {
    Evidence e = load("rsa");
    Attest a = parse_attest(e.message);
    QuoteSignature s = parse_quote_signature(e.signature);
    QuotedPcrs p = parse_tpm2_pcrs(e.pcr_file);
    a.magic = 0;
    a.type = 0x8017;  // TPM_ST_ATTEST_CERTIFY
    a.safe = false;
    // check_quote verifies the signature over the bytes given, which are the
    // real ones: only the fields judged differ.
    auto checks = check_quote(e.message, a, s, p, e.ak.get(), e.nonce);
    EXPECT_EQ(failed(checks), "magic, type, clock");
    EXPECT_EQ(checks[1].detail, "0x00000000, not TPM_GENERATED_VALUE: the TPM did not make it");
}

TEST(Quote, SchemesOutsideTheAllowListAreRefused) {
    Evidence e = load("rsa");
    Attest a = parse_attest(e.message);
    QuoteSignature s = parse_quote_signature(e.signature);
    QuotedPcrs p = parse_tpm2_pcrs(e.pcr_file);
    QuoteSignature sha1 = s;
    sha1.hash_alg = ima::tpm_alg_sha1;
    auto checks = check_quote(e.message, a, sha1, p, e.ak.get(), e.nonce);
    EXPECT_EQ(checks[0].detail, "hash sha1 is not sha256, sha384 or sha512");
    QuoteSignature hmac = s;
    hmac.sig_alg = 0x0005;  // TPM2_ALG_HMAC
    checks = check_quote(e.message, a, hmac, p, e.ak.get(), e.nonce);
    EXPECT_EQ(checks[0].detail, "scheme 0x0005 is not RSASSA or ECDSA");
}

TEST(Quote, ParsersRefuseWhatIsNotTheirStructure) {
    Evidence e = load("rsa");
    ima::Bytes cut(e.message.begin(), e.message.end() - 1);
    EXPECT_THROW(parse_attest(cut), ima::FormatError);
    ima::Bytes longer = e.message;
    longer.push_back(0);
    EXPECT_THROW(parse_attest(longer), ima::FormatError);
    EXPECT_THROW(parse_attest({}), ima::FormatError);
    ima::Bytes sig_cut(e.signature.begin(), e.signature.end() - 1);
    EXPECT_THROW(parse_quote_signature(sig_cut), ima::FormatError);
    ima::Bytes pcr_cut(e.pcr_file.begin(), e.pcr_file.end() - 1);
    EXPECT_THROW(parse_tpm2_pcrs(pcr_cut), ima::FormatError);
    ima::Bytes many_banks = e.pcr_file;
    many_banks[0] = 17;
    EXPECT_THROW(parse_tpm2_pcrs(many_banks), ima::FormatError);
    ima::Bytes big_digest = e.pcr_file;
    big_digest[136 + 4] = 65;  // the first digest's size
    EXPECT_THROW(parse_tpm2_pcrs(big_digest), ima::FormatError);
    ima::Bytes wrong_size = e.pcr_file;
    wrong_size[136 + 4] = 20;  // a sha256 value of 20 bytes
    try {
        parse_tpm2_pcrs(wrong_size);
        ADD_FAILURE() << "a sha256 value of 20 bytes was taken";
    } catch (const ima::FormatError& err) {
        EXPECT_STREQ(err.what(), "sha256 PCR 0: 20 bytes, sha256 needs 32");
    }
}

}  // namespace

namespace {

TEST(QuoteFiles, ThePcrFileIsWrittenAsTpm2QuoteWritesIt) {
    for (std::string kind : {"rsa", "ecc"}) {
        const ima::Bytes file = test::read_bytes(test::fixture("quote/" + kind + ".pcrs"));
        EXPECT_EQ(tpm2_pcrs_file(parse_tpm2_pcrs(file)), file) << kind;
    }
    QuotedPcrs many;  // more than eight values: two digest lists
    many.selection = parse_selection("sha256:all");
    for (unsigned p = 0; p < 24; ++p) many.values.push_back(ima::Bytes(32, static_cast<uint8_t>(p)));
    QuotedPcrs back = parse_tpm2_pcrs(tpm2_pcrs_file(many));
    EXPECT_EQ(back.selection, many.selection);
    EXPECT_EQ(back.values, many.values);
}

TEST(QuoteFiles, SelectionsInTpm2ToolsSyntax) {
    auto sel = parse_selection("sha256:10,0,1+sha1:10");
    ASSERT_EQ(sel.size(), 2u);
    EXPECT_EQ(sel[0], (PcrBankSelection{0x000b, {0, 1, 10}}));
    EXPECT_EQ(sel[1], (PcrBankSelection{0x0004, {10}}));
    EXPECT_EQ(selection_text(sel), "sha256:0,1,10+sha1:10");
    EXPECT_EQ(parse_selection("sha384:all")[0].pcrs.size(), 24u);
    for (std::string bad : {"", "sha256", "sha256:", "sha256:24", "sha256:1,,2", "sha256:1,1", "sha256:1+sha256:2",
                            "foo:1", "md5:1", "sha256:-1", "sha256:001", "sha256:1+", "+sha256:1"})
        EXPECT_THROW(parse_selection(bad), ima::UsageError) << bad;
}

}  // namespace
