// The TCG event log parser and replay against mkeventlog.py's hashlib values,
// and boot_aggregate from them.
#include "ima/measurement/eventlog.hpp"

#include <gtest/gtest.h>

#include "attest_util.hpp"
#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/hash_algo.hpp"
#include "ima/measurement/boot_aggregate.hpp"

using namespace ima::measurement;
using ima::HashAlgo;

namespace {

// "<bank>:<hex>" lines of LOG.aggregate.
std::map<std::string, std::string> aggregates(const std::string& log) {
    std::map<std::string, std::string> out;
    std::string text = test::read_text(test::synthetic(log + ".aggregate"));
    size_t start = 0;
    while (start < text.size()) {
        size_t nl = text.find('\n', start);
        std::string line = text.substr(start, nl - start);
        out[line.substr(0, line.find(':'))] = line.substr(line.find(':') + 1);
        start = nl + 1;
    }
    return out;
}

void expect_replay(const std::string& log, std::initializer_list<const char*> banks) {
    ima::Bytes bytes = test::read_bytes(test::synthetic(log));
    EventLog ev = parse_event_log(bytes);
    auto pcrs = replay_event_log(ev);
    auto want = test::expected_pcrs(log, "pcrs", banks);
    ASSERT_EQ(pcrs.size(), want.banks.size()) << log;
    auto agg = aggregates(log);
    for (auto& [algo, values] : want.banks) {
        EXPECT_EQ(pcrs[algo], values) << log << " " << ima::hash_algo_info(algo).name;
        EXPECT_EQ(ima::to_hex(boot_aggregate(algo, pcrs[algo])), agg[ima::hash_algo_info(algo).name]) << log;
    }
}

}  // namespace

TEST(EventLog, CryptoAgileWithStartupLocality) {
    expect_replay("bios-agile.log", {"sha1", "sha256"});
    ima::Bytes bytes = test::read_bytes(test::synthetic("bios-agile.log"));
    EventLog ev = parse_event_log(bytes);
    EXPECT_TRUE(ev.crypto_agile);
    EXPECT_EQ(ev.startup_locality, 3);
    ASSERT_EQ(ev.algorithms.size(), 2u);
    EXPECT_EQ(ev.algorithms[1].first, ima::tpm_alg_sha256);
    EXPECT_EQ(ev.events.back().type, ev_no_action);
}

TEST(EventLog, ThreeBanks) {
    expect_replay("bios-agile3.log", {"sha1", "sha256", "sha384"});
}

TEST(EventLog, Tpm12Sha1Format) {
    expect_replay("bios-sha1.log", {"sha1"});
    ima::Bytes bytes = test::read_bytes(test::synthetic("bios-sha1.log"));
    EXPECT_FALSE(parse_event_log(bytes).crypto_agile);
}

TEST(EventLog, TrailingZerosEndTheLog) {
    ima::Bytes bytes = test::read_bytes(test::synthetic("bios-agile.log"));
    size_t n = parse_event_log(bytes).events.size();
    bytes.resize(bytes.size() + 4096, 0);
    EXPECT_EQ(parse_event_log(bytes).events.size(), n);
}

TEST(EventLog, EveryTruncationFailsNamingAnEvent) {
    ima::Bytes bytes = test::read_bytes(test::synthetic("bios-agile.log"));
    for (size_t cut = 1; cut < bytes.size(); ++cut) {
        ima::ByteView part(bytes.data(), cut);
        // A cut that leaves only zero bytes behind it is a shorter valid log.
        try {
            parse_event_log(part);
        } catch (const ima::FormatError& e) {
            EXPECT_EQ(std::string(e.what()).rfind("event ", 0), 0u) << e.what();
        }
    }
}

TEST(EventLog, RejectsUnlistedAlgorithmsAndBadPcrs) {
    ima::Bytes bytes = test::read_bytes(test::synthetic("bios-agile.log"));
    EventLog ev = parse_event_log(bytes);
    // The second event with a digest: change its first algorithm id to SHA-512.
    size_t at = ev.events[2].offset + 12;
    ima::Bytes bad = bytes;
    bad[at] = 0x0D;
    EXPECT_THROW(parse_event_log(bad), ima::FormatError);
    bad = bytes;
    bad[ev.events[2].offset] = 24;
    try {
        parse_event_log(bad);
        FAIL();
    } catch (const ima::FormatError& e) {
        EXPECT_NE(std::string(e.what()).find("event 3 at byte"), std::string::npos) << e.what();
    }
}

TEST(EventLog, EvmctlDialectReadsAsEvmctlDoes) {
    // A SHA-1 format log as the kernel keeps it: the TCG and evmctl readings
    // agree on every PCR but 0, where evmctl also extends the trailing zeros
    // once (an all-zero event with no data, which ends its read).
    ima::Bytes bytes = test::read_bytes(test::synthetic("bios-sha1.log"));
    auto tcg = replay_event_log(parse_event_log(bytes)).at(HashAlgo::sha1);
    EXPECT_EQ(replay_event_log(parse_event_log(bytes, EventLogDialect::evmctl)).at(HashAlgo::sha1), tcg);
    ima::Bytes padded = bytes;
    padded.resize(padded.size() + 64, 0);
    EventLog ev = parse_event_log(padded, EventLogDialect::evmctl);
    ASSERT_EQ(ev.events.size(), parse_event_log(bytes).events.size() + 1);
    auto evm = replay_event_log(ev).at(HashAlgo::sha1);
    for (unsigned p = 1; p < 24; ++p) EXPECT_EQ(evm.at(p), tcg.at(p)) << p;
    ima::Bytes extended = tcg.at(0);
    extended.resize(40, 0);
    EXPECT_EQ(evm.at(0), ima::digest_bytes(HashAlgo::sha1, extended));
    // A crypto-agile log is not recognised: its Spec ID event (EV_NO_ACTION,
    // in the SHA-1 format) is extended into PCR 0 like any other, and the
    // events after it, read as SHA-1 events, soon claim too much data.
    ima::Bytes agile = test::read_bytes(test::synthetic("bios-agile.log"));
    EXPECT_THROW(parse_event_log(agile, EventLogDialect::evmctl), ima::FormatError);
    ima::ByteView spec_id(agile.data(), parse_event_log(agile).events[1].offset);
    EventLog a = parse_event_log(spec_id, EventLogDialect::evmctl);
    EXPECT_FALSE(a.crypto_agile);
    EXPECT_TRUE(a.extend_no_action);
    EXPECT_EQ(a.startup_locality, 0);
    ASSERT_EQ(a.events.size(), 1u);
    EXPECT_EQ(a.events.front().type, ev_no_action);
    EXPECT_EQ(replay_event_log(a).at(HashAlgo::sha1).at(0), ima::digest_bytes(HashAlgo::sha1, ima::Bytes(40, 0)));
    // Fewer than 32 bytes end it quietly; data over 200,000 bytes does not.
    for (size_t cut = 0; cut < bytes.size(); ++cut)
        EXPECT_NO_THROW(parse_event_log(ima::ByteView(bytes.data(), cut), EventLogDialect::evmctl)) << cut;
    ima::Bytes big(32, 0);
    big[28] = 0x41;  // 200,001 bytes of data, host order
    big[29] = 0x0d;
    big[30] = 0x03;
    EXPECT_THROW(parse_event_log(big, EventLogDialect::evmctl), ima::FormatError);
    big[28] = 0x40;  // 200,000: allowed, and truncated here: a quiet end
    EXPECT_EQ(parse_event_log(big, EventLogDialect::evmctl).events.size(), 1u);
}

TEST(BootAggregate, NeedsPcrsZeroToSevenOrNine) {
    PcrMap pcrs;
    for (unsigned p = 0; p < 8; ++p) pcrs[p] = ima::Bytes(32, static_cast<uint8_t>(p));
    EXPECT_THROW(boot_aggregate(HashAlgo::sha256, pcrs), ima::FormatError);
    pcrs[8] = ima::Bytes(32, 8);
    pcrs[9] = ima::Bytes(32, 9);
    ima::Bytes concat;
    for (unsigned p = 0; p < 10; ++p) concat.insert(concat.end(), pcrs[p].begin(), pcrs[p].end());
    EXPECT_EQ(boot_aggregate(HashAlgo::sha256, pcrs), ima::digest_bytes(HashAlgo::sha256, concat));
}

TEST(BootAggregate, FindsTheListEntry) {
    auto l = load_measurement_list(test::synthetic("all.log"));
    auto b = find_boot_aggregate(l->list);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->entry->index, 1u);
    EXPECT_EQ(b->digest.algo_name, "sha256");
    EXPECT_EQ(ima::to_hex(b->digest.digest), ima::to_hex(ima::digest_bytes(HashAlgo::sha256, ima::view("pcrs 0-9"))));
}
