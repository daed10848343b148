// Signatures in the synthetic list (made by openssl) checked against the
// test certificates: every outcome mklog.py recorded for each entry.
#include "ima/measurement/signatures.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "attest_util.hpp"

using namespace ima::measurement;

namespace {

std::vector<ima::VerifyKey> keys() {
    return ima::load_verify_keys({test::fixture("keys/rsa.pem"), test::fixture("keys/ec256.pem")});
}

}  // namespace

TEST(Signatures, EveryOutcomeOfTheSyntheticList) {
    auto l = load_measurement_list(test::synthetic("all.log"));
    auto info = nlohmann::json::parse(test::read_text(test::synthetic("all.log.json")));
    auto k = keys();
    size_t checked = 0;
    for (const auto& e : l->list.entries) {
        const auto& want = info[e.index - 1];
        auto checks = check_entry_signatures(e, l->list.order, k);
        std::string sig = want.value("signature", "none");
        std::string evm = want.value("evm_signature", "");
        if (!evm.empty()) {
            ASSERT_EQ(checks.size(), 1u) << e.index;
            EXPECT_EQ(checks[0].kind, SigKind::evm);
            EXPECT_EQ(checks[0].status, SigStatus::good) << checks[0].detail;
            ++checked;
            continue;
        }
        if (sig == "none") {
            EXPECT_TRUE(checks.empty()) << e.index;
            continue;
        }
        ASSERT_EQ(checks.size(), 1u) << e.index;
        ++checked;
        const auto& c = checks[0];
        if (want.value("modsig", false)) {
            EXPECT_EQ(c.kind, SigKind::modsig);
        }
        if (sig == "good") {
            EXPECT_EQ(c.status, SigStatus::good) << e.index << " " << c.detail;
        }
        if (sig == "bad") {
            EXPECT_EQ(c.status, SigStatus::bad) << e.index;
        }
        if (sig == "unknown-key") {
            EXPECT_EQ(c.status, SigStatus::unknown_key) << e.index;
            EXPECT_EQ(c.detail, "no certificate with key id c6dfaced");
        }
        if (sig == "malformed") {
            EXPECT_EQ(c.status, SigStatus::malformed) << e.index;
            EXPECT_NE(c.detail.find("sig_size"), std::string::npos) << c.detail;
        }
    }
    EXPECT_EQ(checked, 8u);
}

TEST(Signatures, WithoutKeysNothingIsGood) {
    auto l = load_measurement_list(test::synthetic("all.log"));
    for (const auto& e : l->list.entries)
        for (const auto& c : check_entry_signatures(e, l->list.order, {})) EXPECT_NE(c.status, SigStatus::good);
}

TEST(Signatures, AlteredEvmInputsFail) {
    auto l = load_measurement_list(test::synthetic("all.log"));
    const Entry* evm = nullptr;
    for (const auto& e : l->list.entries)
        if (e.template_name == "evm-sig") evm = &e;
    ASSERT_NE(evm, nullptr);
    Entry changed = *evm;
    ima::Bytes mode(changed.fields[8].begin(), changed.fields[8].end());
    mode[0] ^= 1;  // 0755 -> 0754
    changed.fields[8] = mode;
    auto c = check_entry_signatures(changed, l->list.order, keys());
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].status, SigStatus::bad);
}
