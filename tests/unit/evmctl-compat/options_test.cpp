#include <gtest/gtest.h>

#include "parse_args.hpp"

using ima::evmctl::parse_args;
using ima::evmctl::parse_keyid_text;

namespace {
ima::evmctl::Options parse(std::vector<std::string> args) {
    args.insert(args.begin(), "evmctl");
    auto r = parse_args(args, "evmctl");
    EXPECT_FALSE(r.exit_now) << r.err;
    return r.options;
}
}  // namespace

TEST(Options, OptionsBeforeAndAfterTheCommandAreTheSame) {
    auto a = parse({"-a", "sha1", "--key", "k.pem", "ima_sign", "file"});
    auto b = parse({"ima_sign", "file", "-a", "sha1", "-k", "k.pem"});
    EXPECT_EQ(a.hash_algo, "sha1");
    EXPECT_EQ(b.hash_algo, "sha1");
    EXPECT_EQ(a.key, b.key);
    EXPECT_EQ(a.args, (std::vector<std::string>{"ima_sign", "file"}));
    EXPECT_EQ(b.args, (std::vector<std::string>{"ima_sign", "file"}));
}

TEST(Options, UniqueLongPrefixesWork) {
    auto o = parse({"--hash=sha512", "--ino", "7", "--xattr", "ima_hash", "f"});
    EXPECT_EQ(o.hash_algo, "sha512");
    EXPECT_EQ(o.ino, "7");
    EXPECT_TRUE(o.xattr_user);
}

TEST(Options, PassTakesOnlyAnAttachedArgument) {
    auto attached = parse({"-psecret", "ima_sign", "f"});
    EXPECT_TRUE(attached.pass_given);
    ASSERT_TRUE(attached.pass);
    EXPECT_EQ(attached.pass->str(), "secret");
    EXPECT_EQ(attached.warnings.size(), 1u);  // a password on the command line is warned about

    auto separate = parse({"-p", "secret", "ima_sign", "f"});
    EXPECT_TRUE(separate.pass_given);
    EXPECT_FALSE(separate.pass);  // -p alone: prompt; "secret" is an operand
    EXPECT_EQ(separate.args, (std::vector<std::string>{"secret", "ima_sign", "f"}));

    auto long_form = parse({"--pass=x", "ima_sign", "f"});
    ASSERT_TRUE(long_form.pass);
    EXPECT_EQ(long_form.pass->str(), "x");
}

TEST(Options, UuidAloneMeansNoUuid) {
    auto none = parse({"-u", "sign", "f"});
    EXPECT_TRUE(none.uuid_given);
    EXPECT_FALSE(none.uuid);
    auto given = parse({"--uuid=01234567-89ab-cdef-0123-456789abcdef", "sign", "f"});
    EXPECT_EQ(given.uuid, "01234567-89ab-cdef-0123-456789abcdef");
    auto caps = parse({"--caps", "sign", "f"});
    EXPECT_TRUE(caps.caps_given);
    EXPECT_FALSE(caps.caps);
}

TEST(Options, PortableAndImmutableExcludeEachOther) {
    auto o = parse({"-o", "-i", "sign", "f"});
    EXPECT_TRUE(o.portable);
    EXPECT_FALSE(o.immutable);
    EXPECT_EQ(o.warnings.size(), 1u);
}

TEST(Options, DoubleDashEndsOptions) {
    auto o = parse({"ima_hash", "-n", "--", "-b"});
    EXPECT_TRUE(o.no_xattr);
    EXPECT_EQ(o.args, (std::vector<std::string>{"ima_hash", "-b"}));
}

TEST(Options, HelpAndVersionExitZeroWithTextOnStdout) {
    auto h = parse_args(std::vector<std::string>{"evmctl", "ima_sign", "-h"}, "evmctl");
    ASSERT_TRUE(h.exit_now);
    EXPECT_EQ(*h.exit_now, 0);
    EXPECT_EQ(h.out.rfind("Usage: evmctl [-v] <command> [OPTIONS]\ncommands:\n", 0), 0u);
    auto v = parse_args(std::vector<std::string>{"evmctl", "--version"}, "evmctl");
    ASSERT_TRUE(v.exit_now);
    EXPECT_EQ(v.out.rfind("evmctl 1.4 ", 0), 0u);
}

TEST(Options, BadOptionExitsOne) {
    auto r = parse_args(std::vector<std::string>{"evmctl", "--no-such-option", "ima_sign"}, "evmctl");
    ASSERT_TRUE(r.exit_now);
    EXPECT_EQ(*r.exit_now, 1);
    auto missing = parse_args(std::vector<std::string>{"evmctl", "ima_sign", "-k"}, "evmctl");
    ASSERT_TRUE(missing.exit_now);
    EXPECT_EQ(*missing.exit_now, 1);
}

TEST(Options, AtMostTwoPcrsFiles) {
    auto two = parse({"--pcrs", "a", "--pcrs", "sha256,b", "ima_measurement", "log"});
    EXPECT_EQ(two.pcrs, (std::vector<std::string>{"a", "sha256,b"}));
    auto three = parse_args(
        std::vector<std::string>{"evmctl", "--pcrs", "a", "--pcrs", "b", "--pcrs", "c", "ima_measurement"}, "evmctl");
    ASSERT_TRUE(three.exit_now);
    EXPECT_EQ(*three.exit_now, 1);
}

TEST(Options, KeyidIsHexLikeStrtoul) {
    EXPECT_EQ(parse_keyid_text("12345678"), 0x12345678u);
    EXPECT_EQ(parse_keyid_text("0xABCDEF01"), 0xabcdef01u);
    EXPECT_EQ(parse_keyid_text("ffffffff"), 0xffffffffu);
    EXPECT_FALSE(parse_keyid_text("0"));          // 0 means "unset" to evmctl
    EXPECT_FALSE(parse_keyid_text("100000000"));  // more than 32 bits
    EXPECT_FALSE(parse_keyid_text("12zz"));       // trailing junk
    EXPECT_FALSE(parse_keyid_text(""));
    EXPECT_FALSE(parse_keyid_text("-1"));
    auto r = parse_args(std::vector<std::string>{"evmctl", "--keyid", "zz", "ima_sign", "f"}, "evmctl");
    ASSERT_TRUE(r.exit_now);
    EXPECT_EQ(*r.exit_now, 1);
}

TEST(Options, KeyidFromCertReadsTheSubjectKeyIdentifier) {
    auto pem = parse({"--keyid-from-cert", FIXTURES_DIR "/keys/rsa.pem", "ima_sign", "f"});
    auto der = parse({"--keyid-from-cert", FIXTURES_DIR "/keys/rsa.der", "ima_sign", "f"});
    ASSERT_TRUE(pem.keyid);
    EXPECT_EQ(pem.keyid, der.keyid);
    auto missing =
        parse_args(std::vector<std::string>{"evmctl", "--keyid-from-cert", "/nonexistent", "ima_sign"}, "evmctl");
    ASSERT_TRUE(missing.exit_now);
    EXPECT_EQ(*missing.exit_now, 1);
}

TEST(Options, HmackeyNamesHmacsKeyFileAsInEvmctl16) {
    auto o = parse({"hmac", "--hmackey", "/tmp/k", "f"});
    EXPECT_EQ(o.hmackey, "/tmp/k");
    EXPECT_EQ(o.args, (std::vector<std::string>{"hmac", "f"}));
    EXPECT_FALSE(parse({"hmac", "f"}).hmackey);
    EXPECT_EQ(parse({"--hmackey=/k2", "hmac", "f"}).hmackey, "/k2");
}

TEST(Options, VeritysigAndHwtpmAsInEvmctl16) {
    auto o = parse({"sign_hash", "--veritysig", "-k", "k"});
    EXPECT_TRUE(o.veritysig);
    EXPECT_FALSE(o.hwtpm);
    auto b = parse({"ima_boot_aggregate", "--hwtpm"});
    EXPECT_TRUE(b.hwtpm);
    EXPECT_EQ(b.args, (std::vector<std::string>{"ima_boot_aggregate"}));
    EXPECT_FALSE(parse({"sign_hash"}).veritysig);
}
