// PCR files as evmctl's --pcrs reads them, bank headers, and sysfs-style folders.
#include "ima/measurement/pcr_values.hpp"

#include <gtest/gtest.h>

#include "attest_util.hpp"
#include "ima/error.hpp"

using namespace ima::measurement;
using ima::HashAlgo;
using ima::to_hex;

namespace {
PcrValues parse(const std::string& text, HashAlgo bank = HashAlgo::sha1) {
    return parse_pcr_file(ima::view(text), bank);
}
const std::string h20 = std::string(40, 'a');
}  // namespace

TEST(PcrFile, ReadsEvmctlLinesWithAndWithoutSpaces) {
    auto v = parse("PCR-00: " + h20 +
                   "\nPCR-10: " + std::string("AA BB CC DD EE FF 00 11 22 33 44 55 66 77 88 99 AA BB CC DD") + "\n\n");
    ASSERT_EQ(v.banks.size(), 1u);
    EXPECT_EQ(to_hex(v.banks[HashAlgo::sha1][0]), h20);
    EXPECT_EQ(to_hex(v.banks[HashAlgo::sha1][10]), "aabbccddeeff00112233445566778899aabbccdd");
}

TEST(PcrFile, BankHeadersSwitchBanks) {
    auto v = parse("# sha1\nPCR-10: " + h20 + "\n# sha256\nPCR-10: " + std::string(64, 'b') + "\n# a comment\n");
    EXPECT_EQ(v.banks[HashAlgo::sha1].size(), 1u);
    EXPECT_EQ(v.banks[HashAlgo::sha256].size(), 1u);
    EXPECT_EQ(format_pcr_lines(v.banks[HashAlgo::sha256]), "PCR-10: " + std::string(64, 'b') + "\n");
}

TEST(PcrFile, RejectsMalformedLinesNamingThem) {
    auto msg = [](const std::string& text, HashAlgo bank = HashAlgo::sha1) {
        try {
            parse(text, bank);
        } catch (const ima::FormatError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(msg("PCR-10 " + h20), "line 1: expected 'PCR-NN: <hex>'");
    EXPECT_EQ(msg("\nPCR-24: " + h20), "line 2: PCR 24 is out of range (0-23)");
    EXPECT_EQ(msg("PCR-10: " + h20, HashAlgo::sha256), "line 1: PCR-10 has 20 bytes, a sha256 PCR has 32");
    EXPECT_EQ(msg("PCR-10: " + h20 + "\nPCR-10: " + h20), "line 2: PCR-10 appears twice");
    EXPECT_EQ(msg("PCR-10: zz"), "line 1: not a hex digit at position 0");
    EXPECT_EQ(msg("PCR-10:"), "line 1: no value");
}

TEST(PcrFile, ArgumentTakesAnAlgorithmPrefix) {
    test::TempDir d;
    std::string f = d.file("p", "PCR-10: " + std::string(64, 'c') + "\n");
    PcrValues v;
    load_pcr_file_arg("sha256," + f, v);
    EXPECT_EQ(v.banks[HashAlgo::sha256].size(), 1u);
    EXPECT_THROW(load_pcr_file_arg(f, v), ima::FormatError);  // sha1 by default: wrong size
    EXPECT_THROW(load_pcr_file_arg("md5," + f, v), ima::UsageError);
    EXPECT_THROW(load_pcr_file_arg("sha256," + d.path() + "/missing", v), ima::IoError);
}

TEST(PcrFile, SysfsFolders) {
    test::TempDir d;
    d.file("pcr-sha1/10", h20 + "\n");
    d.file("pcr-sha1/0", std::string(40, '0') + "\n");
    d.file("pcr-sha256/10", std::string(64, 'F') + "\n");
    auto v = read_sysfs_pcrs(d.path());
    EXPECT_EQ(v.banks[HashAlgo::sha1].size(), 2u);
    EXPECT_EQ(to_hex(v.banks[HashAlgo::sha256][10]), std::string(64, 'f'));
    test::TempDir empty;
    try {
        read_sysfs_pcrs(empty.path());
        FAIL();
    } catch (const ima::Error& e) {
        EXPECT_EQ(e.kind(), ima::ErrorKind::env);
    }
}

TEST(PcrFile, AStreamThatIsNotOneFailsAtItsFirstLine) {
    PcrFileParser p(ima::HashAlgo::sha1);
    std::string junk(PcrFileParser::kMaxLine + 1, '\0');
    EXPECT_THROW(p.feed(ima::view(junk)), ima::FormatError);  // no newline within 4 KiB
    PcrFileParser q(ima::HashAlgo::sha1);
    EXPECT_THROW(q.feed(ima::view(std::string("garbage\nPCR-10: 00\n"))), ima::FormatError);
}

TEST(PcrLinesLenient, FillsTheNthPcrLineAndSkipsTheRestAsEvmctlDoes) {
    std::vector<ima::Bytes> pcrs(24, ima::Bytes(20, 0));
    const std::string text =
        "PCR-00: 0102030405060708090a0b0c0d0e0f1011121314\n"
        "junk\n"
        "PCR-02: ff\n"  // not the next PCR: skipped
        "PCR-01: AA BB CCzz 11\n";
    EXPECT_TRUE(read_pcr_lines_lenient(text, pcrs));
    EXPECT_EQ(to_hex(pcrs[0]), "0102030405060708090a0b0c0d0e0f1011121314");
    EXPECT_EQ(to_hex(pcrs[1]), "aabbcc" + std::string(34, '0'));  // stops at the first non-hex byte
    EXPECT_EQ(to_hex(pcrs[2]), std::string(40, '0'));
    EXPECT_FALSE(read_pcr_lines_lenient("", pcrs));
    EXPECT_TRUE(read_pcr_lines_lenient("PCR-0", pcrs));  // a line, but no value
    std::vector<ima::Bytes> none;
    EXPECT_FALSE(read_pcr_lines_lenient("PCR-00: 00\n", none));  // no room: nothing read
}

TEST(PcrLinesLenient, HexPrefixTakesOneSpaceBeforeEachByteAndKeepsTheRest) {
    ima::Bytes b(4, 0xee);
    read_hex_prefix(" 01 02  03", b);  // two spaces end it
    EXPECT_EQ(to_hex(b), "0102eeee");
    ima::Bytes c(2, 0);
    read_hex_prefix("abcdef", c);  // only as many bytes as there is room for
    EXPECT_EQ(to_hex(c), "abcd");
}
