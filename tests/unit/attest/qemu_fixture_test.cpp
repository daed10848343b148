// The list, event log and PCRs captured from Debian's 6.1 kernel under QEMU
// with a swtpm vTPM (tests/fixtures/attest/qemu, README.md there).
#include <gtest/gtest.h>

#include "attest_util.hpp"
#include "ima/measurement/ascii.hpp"
#include "ima/measurement/boot_aggregate.hpp"
#include "ima/measurement/eventlog.hpp"
#include "ima/measurement/replay.hpp"
#include "ima/measurement/signatures.hpp"

using namespace ima::measurement;
using ima::HashAlgo;

namespace {

std::string qemu(const std::string& f) {
    return test::fixture("attest/qemu/" + f);
}

PcrValues captured_pcrs() {
    ima::Bytes text = test::read_bytes(qemu("pcrs"));
    PcrValues v = parse_pcr_file(text, HashAlgo::sha1);
    v.source = "pcrs";
    return v;
}

}  // namespace

TEST(QemuCapture, ShowIsTheKernelsAsciiList) {
    auto l = load_measurement_list(qemu("binary_runtime_measurements"));
    ASSERT_EQ(l->list.entries.size(), 7u);
    std::string text;
    for (const auto& e : l->list.entries) append_ascii_line(text, e, l->list.order);
    EXPECT_EQ(text, test::read_text(qemu("ascii_runtime_measurements")));
}

TEST(QemuCapture, EveryBankReplays) {
    auto l = load_measurement_list(qemu("binary_runtime_measurements"));
    PcrValues pcrs = captured_pcrs();
    ASSERT_EQ(pcrs.banks.size(), 4u);
    auto r = replay(l->list, {replay_banks(), &pcrs});
    EXPECT_EQ(r.violations, std::vector<size_t>{6});
    EXPECT_TRUE(r.bad_template_digest.empty());
    for (const auto& b : r.banks) {
        EXPECT_TRUE(b.matched) << ima::hash_algo_info(b.bank).name;
        EXPECT_EQ(b.matched_entries, 7u);
        bool kernel_has_hash = b.bank == HashAlgo::sha1 || b.bank == HashAlgo::sha256;
        EXPECT_EQ(b.rule, kernel_has_hash ? ExtendRule::per_bank : ExtendRule::sha1_fallback);
    }
}

TEST(QemuCapture, EventLogGivesThePcrsAndTheBootAggregate) {
    ima::Bytes bytes = test::read_bytes(qemu("binary_bios_measurements"));
    EventLog ev = parse_event_log(bytes);
    EXPECT_TRUE(ev.crypto_agile);
    EXPECT_EQ(ev.algorithms.size(), 4u);
    auto replayed = replay_event_log(ev);
    PcrValues pcrs = captured_pcrs();
    for (HashAlgo a : replay_banks())
        for (unsigned p = 0; p < 10; ++p)
            EXPECT_EQ(ima::to_hex(replayed[a][p]), ima::to_hex(pcrs.banks[a][p])) << ima::hash_algo_info(a).name << p;
    auto l = load_measurement_list(qemu("binary_runtime_measurements"));
    auto entry = find_boot_aggregate(l->list);
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->digest.algo, HashAlgo::sha256);
    EXPECT_EQ(ima::to_hex(boot_aggregate(HashAlgo::sha256, replayed[HashAlgo::sha256])),
              ima::to_hex(entry->digest.digest));
}

TEST(QemuCapture, KernelRecordedSignaturesVerify) {
    auto l = load_measurement_list(qemu("binary_runtime_measurements"));
    auto keys = ima::load_verify_keys({qemu("signer.pem")});
    size_t good = 0;
    for (const auto& e : l->list.entries)
        for (const auto& c : check_entry_signatures(e, l->list.order, keys)) {
            EXPECT_EQ(c.status, SigStatus::good) << e.index << " " << c.detail;
            good += c.status == SigStatus::good;
        }
    EXPECT_EQ(good, 2u);
}
