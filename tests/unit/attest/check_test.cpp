// The evidence document and the verifier's state read strictly, and check's
// refusals that need no TPM: an AK that is not the evidence's, a message
// that is not a TPMS_ATTEST, an EK certificate of another CA or key.
#include "ima/attest/check.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "ima/error.hpp"

using namespace ima;
using namespace ima::attest;

namespace {

Bytes fixture(const std::string& name) {
    std::ifstream f(std::string(FIXTURES_DIR) + "/" + name, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(f), {});
}

std::string evidence(const std::string& extra = "") {
    return R"({"version": 1, "type": "ima-attest evidence", "nonce": "0a0b", "ak_name": "000b00",
               "selection": "sha256:10", "quote": {"message": "AAAA", "signature": "AAAA"},
               "pcrs": {"sha256": {"10": ")" +
           std::string(64, 'a') + R"("}})" + extra + "}";
}

}  // namespace

TEST(Evidence, ReadsEveryField) {
    Evidence ev =
        parse_evidence(view(evidence(R"(, "ima": {"log": "AQID", "banks": {"sha256": "BA=="}}, "eventlog": "BQY=")")));
    EXPECT_EQ(to_hex(ev.nonce), "0a0b");
    EXPECT_EQ(to_hex(ev.ak_name), "000b00");
    EXPECT_EQ(ev.message, (Bytes{0, 0, 0}));
    EXPECT_EQ(to_hex(ev.pcrs.at(HashAlgo::sha256).at(10)), std::string(64, 'a'));
    EXPECT_EQ(*ev.ima_log, (Bytes{1, 2, 3}));
    EXPECT_EQ(ev.ima_banks.at(HashAlgo::sha256), (Bytes{4}));
    EXPECT_EQ(*ev.eventlog, (Bytes{5, 6}));
}

TEST(Evidence, StagedChunksComeBeforeTheLiveList) {
    Evidence ev = parse_evidence(view(evidence(R"(, "ima": {"staged": ["CQ==", "CAc="], "log": "AQID"})")));
    EXPECT_EQ(*ev.ima_log, (Bytes{9, 8, 7, 1, 2, 3}));
    EXPECT_THROW(parse_evidence(view(evidence(R"(, "ima": {"staged": "CQ==", "log": "AQID"})"))), FormatError);
    EXPECT_THROW(parse_evidence(view(evidence(R"(, "ima": {"staged": [1], "log": "AQID"})"))), FormatError);
}

TEST(Evidence, RefusesWhatIsNotOne) {
    EXPECT_THROW(parse_evidence(view("{\"version\": 1")), FormatError);
    EXPECT_THROW(parse_evidence(view("[]")), FormatError);
    std::string e = evidence();
    for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"\"version\": 1", "\"version\": 2"},
             {"ima-attest evidence", "ima-attest ak"},
             {"\"nonce\": \"0a0b\"", "\"nonce\": \"0a0\""},
             {"\"message\": \"AAAA\"", "\"message\": \"AA\""},
             {"\"sha256\": {\"10\"", "\"md5\": {\"10\""},
             {"\"sha256\": {\"10\"", "\"sha256\": {\"24\""},
             {"\"sha256\": {\"10\"", "\"sha256\": {\"010\""},
             {"\"sha256\": {\"10\"", "\"sha1\": {\"10\""},
         }) {
        std::string bad = e;
        bad.replace(bad.find(from), from.size(), to);
        EXPECT_THROW(parse_evidence(view(bad)), FormatError) << to;
    }
}

TEST(VerifierState, RoundTripsAndRefusesMalformedFiles) {
    VerifierState s;
    s.ak_name = {0, 0x0b, 1};
    s.clock = 123456789012ull;
    s.reset_count = 3;
    s.restart_count = 1;
    s.ima_entries = 20;
    s.ima_pcrs.banks[HashAlgo::sha256][10] = Bytes(32, 7);
    const std::string text = verifier_state_json(s);
    VerifierState back = parse_verifier_state(view(text));
    EXPECT_EQ(verifier_state_json(back), text);
    EXPECT_EQ(back.clock, s.clock);
    EXPECT_EQ(back.ima_pcrs.bank(HashAlgo::sha256)->at(10), Bytes(32, 7));
    for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"\"clock\": 123456789012", "\"clock\": -1"},
             {"\"reset_count\": 3", "\"reset_count\": 4294967296"},
             {"\"sha256\"", "\"sha384\""},
             {"\"10\"", "\"30\""},
             {"ima-attest state", "ima-attest evidence"},
         }) {
        std::string bad = text;
        ASSERT_NE(bad.find(from), std::string::npos) << from;
        bad.replace(bad.find(from), from.size(), to);
        EXPECT_THROW(parse_verifier_state(view(bad)), FormatError) << to;
    }
    EXPECT_THROW(parse_verifier_state(view(text.substr(0, text.size() / 2))), FormatError);
}

TEST(Check, AnAkThatIsNotTheEvidencesStopsBeforeAnyPcrIsUsed) {
    tpm::AkFile ak;
    ak.ak_public = fixture("tpm/ak-rsa.pub");
    Evidence ev = parse_evidence(view(evidence()));
    CheckInput in;
    in.evidence = &ev;
    in.ak = &ak;
    in.nonce = {0x0a, 0x0b};
    CheckReport r = check_evidence(in);
    EXPECT_FALSE(r.trusted());
    ASSERT_GE(r.checks.size(), 3u);
    EXPECT_EQ(r.checks[0].name, "ak name");
    EXPECT_FALSE(r.checks[0].ok);
    EXPECT_EQ(r.checks[1].name, "ak attributes");
    EXPECT_TRUE(r.checks[1].ok);
    EXPECT_EQ(r.checks[2].name, "quote message");
    EXPECT_FALSE(r.checks[2].ok);
    EXPECT_EQ(r.proven_entries, 0u);
}

TEST(Check, EkCertificateOfAnotherKeyOrCaIsNamed) {
    tpm::PublicArea ek = tpm::parse_public(fixture("tpm/ek-rsa.pub"));
    // A certificate of another key, and no CA that could vouch for it.
    Bytes der = fixture("keys/rsa.der");
    std::string why = ek_certificate_problem(der, ek, {});
    EXPECT_FALSE(why.empty());
    EXPECT_NE(why.find("EK"), std::string::npos) << why;
}
