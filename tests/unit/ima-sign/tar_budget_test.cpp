// ima-sign tar holds at most its budgets of file data at once, in memory and
// in temporary files, however many entries wait for the signers; one entry
// larger than a budget still passes, alone.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "ima/fd.hpp"
#include "ima/key.hpp"
#include "ima/sign/tar_sign.hpp"
#include "test_util.hpp"

using namespace ima;
using namespace ima::sign;

namespace {

// A ustar archive of regular files of the given sizes, written to `path`.
void write_tar(const std::string& path, const std::vector<size_t>& sizes) {
    archive* a = archive_write_new();
    ASSERT_EQ(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
    ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
    for (size_t i = 0; i < sizes.size(); ++i) {
        std::string name = "f";
        name += std::to_string(i);
        std::string data(sizes[i], static_cast<char>('a' + i % 26));
        archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, name.c_str());
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, static_cast<la_int64_t>(data.size()));
        ASSERT_EQ(archive_write_header(a, e), ARCHIVE_OK);
        ASSERT_EQ(archive_write_data(a, data.data(), data.size()), static_cast<la_ssize_t>(data.size()));
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
}

TarSummary sign_file(const std::string& in, const std::string& out, const TarRequest& req) {
    PrivateKey key = load_private_key(test::fixture("keys/rsa.key"), PassphraseSource{});
    Fd i(open(in.c_str(), O_RDONLY | O_CLOEXEC));
    Fd o(open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    return sign_tar(i.get(), in, o.get(), out, key, KeyId{}, req, {});
}

}  // namespace

TEST(TarBudget, FileDataWaitingForTheSignersStaysWithinTheBudgets) {
    test::TempDir d;
    TarRequest req;
    req.jobs = 2;
    req.memory_budget = 64 << 10;
    req.spool_threshold = 16 << 10;
    req.spool_budget = 96 << 10;
    req.spool_dir = d.path();
    // Forty entries in memory (10 KiB) and forty spooled (40 KiB): more than
    // both budgets many times over.
    std::vector<size_t> sizes;
    for (int i = 0; i < 80; ++i) sizes.push_back(i % 2 ? 40 << 10 : 10 << 10);
    write_tar(d.path() + "/in.tar", sizes);
    TarSummary s = sign_file(d.path() + "/in.tar", d.path() + "/out.tar", req);
    EXPECT_EQ(s.entries, 80u);
    EXPECT_EQ(s.signed_files, 80u);
    EXPECT_GT(s.peak_held, 0u);
    EXPECT_LE(s.peak_held, req.memory_budget);
    EXPECT_GT(s.peak_spooled, 0u);
    EXPECT_LE(s.peak_spooled, req.spool_budget);
}

TEST(TarBudget, OneEntryLargerThanTheSpoolBudgetPassesAlone) {
    test::TempDir d;
    TarRequest req;
    req.jobs = 2;
    req.spool_threshold = 16 << 10;
    req.spool_budget = 64 << 10;
    req.spool_dir = d.path();
    write_tar(d.path() + "/in.tar", {200 << 10, 30 << 10, 200 << 10});
    TarSummary s = sign_file(d.path() + "/in.tar", d.path() + "/out.tar", req);
    EXPECT_EQ(s.signed_files, 3u);
    EXPECT_EQ(s.peak_spooled, 200u << 10);  // never two at once, never more than the one
}
