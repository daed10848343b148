// Replay against the PCR values mklog.py computed with hashlib: per-bank
// digests (kernel 5.11+), zero-padded SHA-1 (older kernels), violations,
// the recorded digest check, prefix matches and tampered lists.
#include "ima/measurement/replay.hpp"

#include <gtest/gtest.h>

#include "attest_util.hpp"
#include "ima/error.hpp"

using namespace ima::measurement;
using ima::HashAlgo;

namespace {

ReplayResult run(const MeasurementList& list, const PcrValues& pcrs, std::vector<HashAlgo> banks) {
    ReplayOptions o;
    o.banks = std::move(banks);
    o.expected = &pcrs;
    return replay(list, o);
}

}  // namespace

TEST(Replay, PerBankDigestsMatchEveryBank) {
    auto l = load_measurement_list(test::synthetic("all.log"));
    auto pcrs = test::expected_pcrs("all.log", "pcrs", {"sha1", "sha256", "sha384", "sha512"});
    auto r = run(l->list, pcrs, replay_banks());
    EXPECT_EQ(r.entries, 22u);
    EXPECT_EQ(r.pcrs, (std::vector<unsigned>{10, 11}));
    EXPECT_EQ(r.violations, (std::vector<size_t>{21, 22}));
    EXPECT_TRUE(r.bad_template_digest.empty());
    ASSERT_EQ(r.banks.size(), 4u);
    for (const auto& b : r.banks) {
        EXPECT_TRUE(b.matched) << ima::hash_algo_info(b.bank).name;
        EXPECT_EQ(b.rule, ExtendRule::per_bank);
        EXPECT_EQ(b.matched_entries, 22u);
        for (unsigned p : {10u, 11u}) EXPECT_EQ(ima::to_hex(b.replayed.at(p)), ima::to_hex(pcrs.bank(b.bank)->at(p)));
    }
}

TEST(Replay, ZeroPaddedSha1OfOlderKernels) {
    auto l = load_measurement_list(test::synthetic("all.log"));
    auto pcrs = test::expected_pcrs("all.log", "padded", {"sha1", "sha256", "sha384", "sha512"});
    auto r = run(l->list, pcrs, replay_banks());
    for (const auto& b : r.banks) {
        EXPECT_TRUE(b.matched);
        // SHA-1 is the same either way; the other banks need the padded rule.
        EXPECT_EQ(b.rule, b.bank == HashAlgo::sha1 ? ExtendRule::per_bank : ExtendRule::recorded);
    }
}

TEST(Replay, BanksWhoseHashTheKernelLackedUsePaddedSha1ButFullViolations) {
    auto l = load_measurement_list(test::synthetic("all.log"));
    auto pcrs = test::expected_pcrs("all.log", "fallback", {"sha1", "sha256", "sha384", "sha512"});
    auto r = run(l->list, pcrs, replay_banks());
    for (const auto& b : r.banks) {
        EXPECT_TRUE(b.matched);
        EXPECT_EQ(b.rule, b.bank == HashAlgo::sha1 ? ExtendRule::per_bank : ExtendRule::sha1_fallback);
    }
    // The older kernels' rule does not fit: the violations differ.
    auto padded = test::expected_pcrs("all.log", "padded", {"sha384"});
    EXPECT_NE(padded.banks[HashAlgo::sha384][10], pcrs.banks[HashAlgo::sha384][10]);
}

TEST(Replay, BigEndianListAndImaTemplate) {
    for (const char* log : {"all-be.log", "ima.log", "ng.log"}) {
        auto l = load_measurement_list(test::synthetic(log));
        auto r = run(l->list, test::expected_pcrs(log, "pcrs"), {HashAlgo::sha1, HashAlgo::sha256});
        for (const auto& b : r.banks) EXPECT_TRUE(b.matched) << log;
        EXPECT_TRUE(r.bad_template_digest.empty()) << log;
    }
    auto l = load_measurement_list(test::synthetic("ima.log"));
    EXPECT_EQ(replay(l->list, {{HashAlgo::sha1}, nullptr}).violations, std::vector<size_t>{7});
}

TEST(Replay, TamperedEntryIsNamedAndNothingMatchesItsData) {
    auto l = load_measurement_list(test::synthetic("all-tampered.log"));
    auto r = run(l->list, test::expected_pcrs("all-tampered.log", "pcrs"), {HashAlgo::sha1, HashAlgo::sha256});
    EXPECT_EQ(r.bad_template_digest, std::vector<size_t>{6});
    const auto& sha1 = r.banks[0];
    EXPECT_FALSE(sha1.matched);
    EXPECT_TRUE(sha1.recorded_matches);  // the TPM agrees with the recorded digests, not the data
    EXPECT_EQ(sha1.mismatched_pcrs, std::vector<unsigned>{10});
    EXPECT_FALSE(r.banks[1].matched);
    EXPECT_FALSE(r.banks[1].recorded_matches);
}

TEST(Replay, WrongPcrValuesDoNotMatch) {
    auto l = load_measurement_list(test::synthetic("ng.log"));
    auto pcrs = test::expected_pcrs("ng.log", "pcrs");
    pcrs.banks[HashAlgo::sha256][10][0] ^= 1;
    auto r = run(l->list, pcrs, {HashAlgo::sha1, HashAlgo::sha256});
    EXPECT_TRUE(r.banks[0].matched);
    EXPECT_FALSE(r.banks[1].matched);
    EXPECT_EQ(r.banks[1].mismatched_pcrs, std::vector<unsigned>{10});
    EXPECT_TRUE(r.bad_template_digest.empty());
}

TEST(Replay, AListLongerThanThePcrsMatchesOnItsPrefix) {
    auto l = load_measurement_list(test::synthetic("ng.log"));
    MeasurementList head = l->list;
    head.entries.resize(25);
    auto values = replay(head, {{HashAlgo::sha1, HashAlgo::sha256}, nullptr});
    PcrValues pcrs;
    pcrs.source = "prefix";
    for (const auto& b : values.banks) pcrs.banks[b.bank] = b.replayed;
    auto r = run(l->list, pcrs, {HashAlgo::sha1, HashAlgo::sha256});
    for (const auto& b : r.banks) {
        EXPECT_TRUE(b.matched);
        EXPECT_EQ(b.matched_entries, 25u);
    }
}

TEST(Replay, MissingBankOrPcrIsAnEnvironmentError) {
    auto l = load_measurement_list(test::synthetic("all.log"));
    auto pcrs = test::expected_pcrs("all.log", "pcrs", {"sha1"});
    try {
        run(l->list, pcrs, {HashAlgo::sha256});
        FAIL();
    } catch (const ima::Error& e) {
        EXPECT_EQ(e.kind(), ima::ErrorKind::env);
    }
    pcrs.banks[HashAlgo::sha1].erase(11);
    try {
        run(l->list, pcrs, {HashAlgo::sha1});
        FAIL();
    } catch (const ima::Error& e) {
        EXPECT_NE(std::string(e.what()).find("no value for sha1 PCR 11"), std::string::npos) << e.what();
    }
}

TEST(Replay, TemplateDigestOfTheImaTemplatePadsTheName) {
    auto l = load_measurement_list(test::synthetic("ima.log"));
    const Entry& e = l->list.entries[1];
    EXPECT_EQ(template_digest(e, HashAlgo::sha1), ima::Bytes(e.template_digest.begin(), e.template_digest.end()));
}

TEST(Replay, PcrsAtTheirResetValueMatchNoList) {
    // All-zero PCRs equal the state before the first entry: that is no match.
    auto l = load_measurement_list(test::synthetic("ng.log"));
    PcrValues zeros;
    zeros.source = "zeros";
    for (HashAlgo a : {HashAlgo::sha1, HashAlgo::sha256})
        for (unsigned p = 0; p < 24; ++p) zeros.banks[a][p] = ima::Bytes(ima::hash_algo_info(a).digest_size, 0);
    auto r = run(l->list, zeros, {HashAlgo::sha1, HashAlgo::sha256});
    for (const auto& b : r.banks) {
        EXPECT_FALSE(b.matched) << ima::hash_algo_info(b.bank).name;
        EXPECT_EQ(b.mismatched_pcrs, std::vector<unsigned>{10});
    }
    MeasurementList empty;
    auto e = run(empty, zeros, {HashAlgo::sha1});
    EXPECT_EQ(e.entries, 0u);
    EXPECT_FALSE(e.banks[0].matched) << "an empty list matched reset PCRs";
}

TEST(Replay, AnEntryOutsideThePcrRangeIsRefusedNotIndexed) {
    // A list put together by hand, never through the parser's range check.
    auto l = load_measurement_list(test::synthetic("ng.log"));
    MeasurementList list;
    list.entries.push_back(l->list.entries.at(1));
    list.entries[0].pcr = 30;
    ReplayOptions o;
    o.banks = {HashAlgo::sha1};
    EXPECT_THROW(replay(list, o), ima::FormatError);
}

TEST(Replay, GoesOnFromProvenValuesAfterSomeEntries) {
    auto l = load_measurement_list(test::synthetic("all.log"));
    auto pcrs = test::expected_pcrs("all.log", "pcrs", {"sha1", "sha256"});
    // The values after the first 8 entries, as a trusted check proved them.
    MeasurementList head = l->list;
    head.entries.resize(8);
    ReplayOptions h;
    h.banks = {HashAlgo::sha1, HashAlgo::sha256};
    ReplayResult hr = replay(head, h);
    PcrValues start;
    for (const auto& b : hr.banks) start.banks[b.bank] = b.replayed;
    MeasurementList tail = l->list;
    tail.entries.erase(tail.entries.begin(), tail.entries.begin() + 8);
    ReplayOptions o;
    o.banks = {HashAlgo::sha1, HashAlgo::sha256};
    o.expected = &pcrs;
    o.initial = &start;
    o.initial_entries = 8;
    ReplayResult r = replay(tail, o);
    for (const auto& b : r.banks) {
        EXPECT_TRUE(b.matched);
        EXPECT_EQ(b.matched_entries, 22u);
    }
    // Started from zero instead, the tail reproduces nothing.
    o.initial = nullptr;
    for (const auto& b : replay(tail, o).banks) EXPECT_FALSE(b.matched);
    // No new entries: the proven values match before the first one.
    PcrValues final_values;
    for (const auto& b : r.banks) final_values.banks[b.bank] = *pcrs.bank(b.bank);
    MeasurementList none = l->list;
    none.entries.clear();
    o.initial = &final_values;
    o.initial_entries = 22;
    for (const auto& b : replay(none, o).banks) {
        EXPECT_TRUE(b.matched);
        EXPECT_EQ(b.matched_entries, 22u);
    }
}
