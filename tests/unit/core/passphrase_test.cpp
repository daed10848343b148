#include "ima/passphrase.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "ima/error.hpp"
#include "ima/key.hpp"
#include "test_util.hpp"

using namespace ima;
using test::fixture;

namespace {
PassphraseSource quiet() {
    PassphraseSource p;
    p.allow_prompt = false;
    p.env_var = "IMAEVM_TEST_UNSET_PASS";
    return p;
}
}  // namespace

TEST(Passphrase, ALiteralWinsAndNeverTouchesTheEnvironment) {
    PassphraseSource p = quiet();
    p.literal = std::make_shared<const SecretString>("test-pass");
    p.pass_file = "/nonexistent/pass";  // not even opened
    auto got = obtain_passphrase(p, "k");
    ASSERT_TRUE(got);
    EXPECT_EQ(got->str(), "test-pass");
    EXPECT_EQ(getenv("IMAEVM_KEY_PASS"), nullptr);
    // It decrypts the fixture key, which is encrypted with this passphrase.
    PrivateKey k = load_private_key(fixture("keys/rsa.enc.key"), p);
    EXPECT_EQ(k.algo(), KeyAlgo::rsa);
}

TEST(Passphrase, PassFileFirstLineOnlyAndBounded) {
    test::TempDir d;
    PassphraseSource p = quiet();
    p.pass_file = d.file("p", "secret\r\nsecond line\n");
    EXPECT_EQ(obtain_passphrase(p, "k")->str(), "secret");
    p.pass_file = d.file("long", std::string(64 * 1024 + 1, 'x'));
    EXPECT_THROW(obtain_passphrase(p, "k"), FormatError);
    p.pass_file = d.path() + "/missing";
    EXPECT_THROW(obtain_passphrase(p, "k"), IoError);
}

TEST(Passphrase, NoSourceGivesNothing) {
    EXPECT_FALSE(obtain_passphrase(quiet(), "k"));
}

TEST(SecretString, WipesOnMoveAndDestruction) {
    SecretString a("abc");
    SecretString b(std::move(a));
    EXPECT_EQ(a.str(), "");
    EXPECT_EQ(b.str(), "abc");
    b.wipe();
    EXPECT_EQ(b.str(), "");
}
