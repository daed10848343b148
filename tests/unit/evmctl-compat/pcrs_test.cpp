#include "pcrs.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "boot_aggregate.hpp"
#include "ima/digest.hpp"
#include "status.hpp"

using namespace ima;
using namespace ima::evmctl;
namespace fs = std::filesystem;

TEST(Pcrs, LinesFillPcrsInOrderAndSkipTheRest) {
    Bank b(HashAlgo::sha1);
    std::string text =
        "PCR-00: 0102030405060708090a0b0c0d0e0f1011121314\n"
        "junk\n"
        "PCR-02: ff\n"  // out of order: skipped
        "PCR-01: AA BB CC\n";
    EXPECT_TRUE(parse_pcr_lines(text, b));
    EXPECT_EQ(to_hex(b.pcr[0]), "0102030405060708090a0b0c0d0e0f1011121314");
    EXPECT_EQ(to_hex(b.pcr[1]), "aabbcc" + std::string(34, '0'));  // stops at the end, rest zero
    EXPECT_EQ(to_hex(b.pcr[2]), std::string(40, '0'));
    Bank empty(HashAlgo::sha256);
    EXPECT_FALSE(parse_pcr_lines("", empty));
}

TEST(Pcrs, BootAggregateCoversPcrs0To7ForSha1And0To9Otherwise) {
    auto banks = evmctl_banks();
    for (auto& b : banks)
        for (size_t i = 0; i < num_pcrs; ++i) b.pcr[i].assign(b.digest_size(), static_cast<uint8_t>(i));
    Bytes sha1_in, sha256_in;
    for (size_t i = 0; i < 8; ++i) append(sha1_in, banks[0].pcr[i]);
    for (size_t i = 0; i < 10; ++i) append(sha256_in, banks[1].pcr[i]);
    EXPECT_EQ(boot_aggregate(banks[0]), digest_bytes(HashAlgo::sha1, sha1_in));
    EXPECT_EQ(boot_aggregate(banks[1]), digest_bytes(HashAlgo::sha256, sha256_in));
}

TEST(Pcrs, Tpm2SysfsFilesAreReadPerBank) {
    char tmpl[] = "/tmp/evmctl-sysfs.XXXXXX";
    fs::path root = mkdtemp(tmpl);
    fs::create_directories(root / "tpm/tpm0/pcr-sha256");
    for (int i = 0; i < 24; ++i)
        std::ofstream(root / "tpm/tpm0/pcr-sha256" / std::to_string(i)) << std::string(64, 'a' + (i % 6)) << "\n";
    auto banks = evmctl_banks();
    EXPECT_TRUE(read_tpm_pcrs(banks, root.string()));
    EXPECT_FALSE(banks[0].supported);  // no pcr-sha1 directory
    EXPECT_TRUE(banks[1].supported);
    EXPECT_EQ(to_hex(banks[1].pcr[1]), std::string(64, 'b'));
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    Options o;
    o.args = {"ima_boot_aggregate"};
    EXPECT_EQ(cmd_ima_boot_aggregate(o, con, root.string()), 0);
    EXPECT_EQ(out.str(), "sha256:" + to_hex(boot_aggregate(banks[1])) + "\n");
    // --hwtpm (evmctl 1.6) reads the same files first: the same banks and value
    auto hw = evmctl_banks();
    EXPECT_TRUE(read_tpm_pcrs(hw, root.string(), true));
    EXPECT_FALSE(hw[0].supported);
    EXPECT_TRUE(hw[1].supported);
    EXPECT_EQ(hw[1].pcr, banks[1].pcr);
    std::ostringstream hw_out, hw_err;
    Console hw_con(hw_out, hw_err, "evmctl");
    o.hwtpm = true;
    EXPECT_EQ(cmd_ima_boot_aggregate(o, hw_con, root.string()), 0);
    EXPECT_EQ(hw_out.str(), out.str());
    fs::remove_all(root);
    auto none = evmctl_banks();
    EXPECT_FALSE(read_tpm_pcrs(none, "/nonexistent"));
    EXPECT_FALSE(read_tpm_pcrs(none, "/nonexistent", true));
}

TEST(Pcrs, EventLogReplayStopsAtAnEmptyOrTruncatedEvent) {
    auto event = [](uint32_t pcr, uint32_t len, size_t present) {
        Bytes e;
        auto put = [&](uint32_t v) {
            for (int i = 0; i < 4; ++i) e.push_back(static_cast<uint8_t>(v >> (8 * i)));
        };
        put(pcr);
        put(13u);
        e.insert(e.end(), 20, 0x11);
        put(len);
        e.insert(e.end(), present, 0x22);
        return e;
    };
    Bytes log = event(0, 4, 4);
    append(log, event(1, 0, 0));
    append(log, event(2, 4, 4));  // never reached
    Bank b(HashAlgo::sha1);
    replay_tpm12_event_log(log, b);
    EXPECT_NE(to_hex(b.pcr[0]), std::string(40, '0'));
    EXPECT_NE(to_hex(b.pcr[1]), std::string(40, '0'));  // extended before the empty data ends it
    EXPECT_EQ(to_hex(b.pcr[2]), std::string(40, '0'));
    Bank bad(HashAlgo::sha1);
    EXPECT_THROW(replay_tpm12_event_log(event(24, 4, 4), bad), ima::Error);
    for (size_t cut = 0; cut < log.size(); ++cut) {  // every truncation is handled
        Bank t(HashAlgo::sha1);
        EXPECT_NO_THROW(replay_tpm12_event_log(ByteView(log).first(cut), t));
    }
}
