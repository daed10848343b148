#include "sign_hash.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "ima/bytes.hpp"
#include "parse_args.hpp"
#include "status.hpp"

using namespace ima;
using namespace ima::evmctl;

TEST(SignHash, DigestEndsAtCommaSpaceOrTab) {
    EXPECT_EQ(to_hex(sign_hash_digest("0a0b  file")), "0a0b");
    EXPECT_EQ(to_hex(sign_hash_digest("0A0B,file")), "0a0b");
    EXPECT_EQ(to_hex(sign_hash_digest("0a0b\tfile")), "0a0b");
    EXPECT_EQ(to_hex(sign_hash_digest("0a0b")), "0a0b");
    EXPECT_EQ(to_hex(sign_hash_digest("0a0b0")), "0a0b");  // an odd last digit is dropped
    EXPECT_TRUE(sign_hash_digest("").empty());
    EXPECT_TRUE(sign_hash_digest(" x").empty());
}

TEST(SignHash, NonHexIsRefused) {
    EXPECT_THROW(sign_hash_digest("zz00  file"), ima::Error);
    EXPECT_THROW(sign_hash_digest("sha256:00  file"), ima::Error);
}

namespace {
struct Run {
    int status;
    std::string out;
    std::string err;
};
Run run(const std::string& input, std::vector<std::string> args) {
    args.insert(args.begin(), "evmctl");
    auto parsed = parse_args(args, "evmctl");
    std::istringstream in(input);
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    int s = cmd_sign_hash(parsed.options, con, in);
    return {s, out.str(), err.str()};
}
}  // namespace

TEST(SignHash, SignsEachLineWithTheRsaKeyDeterministically) {
    const std::string sum = "e258d248fda94c63753607f7c4494ee0fcbe92f1a76bfdac795c9d84101eb317  b";
    auto r = run(sum + "\n" + sum + "\n", {"sign_hash", "-k", FIXTURES_DIR "/keys/rsa.key"});
    EXPECT_EQ(r.status, 0) << r.err;
    auto nl = r.out.find('\n');
    ASSERT_NE(nl, std::string::npos);
    std::string first = r.out.substr(0, nl);
    EXPECT_EQ(r.out, first + "\n" + first + "\n");
    EXPECT_EQ(first.rfind(sum + " 030204", 0), 0u);  // type 3, version 2, sha256
    EXPECT_EQ(first.size(), sum.size() + 1 + 2 * (9 + 256));
}

TEST(SignHash, WrongDigestLengthStopsWith125AfterEarlierLines) {
    const std::string good = "e258d248fda94c63753607f7c4494ee0fcbe92f1a76bfdac795c9d84101eb317";
    auto r = run(good + "\nabcd\n" + good + "\n", {"sign_hash", "-k", FIXTURES_DIR "/keys/rsa.key"});
    EXPECT_EQ(r.status, 125);
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);
}

TEST(SignHash, NoInputPrintsTheUsage) {
    auto r = run("", {"sign_hash", "-k", FIXTURES_DIR "/keys/rsa.key"});
    EXPECT_EQ(r.status, 125);
    EXPECT_EQ(r.out, "usage: sign_hash [--key key] [--pass [password]\n");
}

TEST(SignHash, VeritysigSignsFsverityDigestLinesAsSigv3) {
    const std::string line = "sha256:e258d248fda94c63753607f7c4494ee0fcbe92f1a76bfdac795c9d84101eb317 b";
    auto r = run(line + "\n", {"sign_hash", "--veritysig", "-k", FIXTURES_DIR "/keys/rsa.key"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out.rfind(line + " 060304", 0), 0u) << r.out;  // type 6, version 3, sha256
    EXPECT_EQ(r.out.size(), line.size() + 1 + 2 * (9 + 256) + 1);
    // the same digest without its algorithm is a sha256sum line: refused, naming the line
    auto bad = run(line.substr(7) + "\n", {"sign_hash", "--veritysig", "-k", FIXTURES_DIR "/keys/rsa.key"});
    EXPECT_EQ(bad.status, 125);
    EXPECT_TRUE(bad.out.empty());
    EXPECT_NE(bad.err.find("stdin line 1: not an fsverity digest line"), std::string::npos) << bad.err;
}

TEST(SignHash, ALineLongerThanAnyDigestAndPathIsRefusedAsItIsRead) {
    const std::string good = "e258d248fda94c63753607f7c4494ee0fcbe92f1a76bfdac795c9d84101eb317  b";
    auto r = run(good + "\n" + std::string(20000, 'a') + "\n", {"sign_hash", "-k", FIXTURES_DIR "/keys/rsa.key"});
    EXPECT_EQ(r.status, 125);
    EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);  // the line before it is signed
    EXPECT_NE(r.err.find("stdin line 2: longer than 16384 bytes"), std::string::npos) << r.err;
}
