// Keys on a PKCS#11 token (SoftHSM), loaded through the OpenSSL pkcs11 engine.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ima/key.hpp"
#include "ima/signature.hpp"
#include "test_util.hpp"

using namespace ima;

namespace {

constexpr const char* kModule = "/usr/lib/softhsm/libsofthsm2.so";

// A token holding the RSA fixture key twice, under two labels; one for the
// whole suite, as a process has one token configuration (SoftHSM reads
// SOFTHSM2_CONF once, when the module is first loaded).
class Token : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir;
        ASSERT_TRUE(std::filesystem::exists(kModule)) << "SoftHSM is missing: run scripts/install-deps";
        ASSERT_EQ(std::system("command -v softhsm2-util >/dev/null"), 0) << "softhsm2-util is missing";
        std::filesystem::create_directory(dir_->path() + "/tokens");
        std::ofstream(dir_->path() + "/softhsm2.conf")
            << "directories.tokendir = " << dir_->path() << "/tokens\nobjectstore.backend = file\n";
        setenv("SOFTHSM2_CONF", (dir_->path() + "/softhsm2.conf").c_str(), 1);
        setenv("IMAEVM_PKCS11_MODULE", kModule, 1);
        const std::string key = test::fixture("keys/rsa.key");
        const std::string p8 = dir_->path() + "/rsa.p8";
        ASSERT_EQ(std::system(("softhsm2-util --init-token --free --label unit --pin 1234 --so-pin 5678 >/dev/null"
                               " && openssl pkcs8 -topk8 -nocrypt -in " +
                               key + " -out " + p8 + " && softhsm2-util --import " + p8 +
                               " --token unit --label a --id 01 --pin 1234"
                               " >/dev/null && softhsm2-util --import " +
                               p8 + " --token unit --label b --id 02 --pin 1234 >/dev/null")
                                  .c_str()),
                  0);
        pin_ = dir_->file("pin", "1234\n");
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static PassphraseSource pass() {
        PassphraseSource p;
        p.allow_prompt = false;
        p.pass_file = pin_;
        return p;
    }
    static inline test::TempDir* dir_ = nullptr;
    static inline std::string pin_;
};

}  // namespace

TEST_F(Token, TwoKeysShareOneEngineAndOneSigningLock) {
    PrivateKey a = load_private_key("pkcs11:token=unit;object=a;type=private", pass());
    PrivateKey b = load_private_key("pkcs11:token=unit;object=b;type=private", pass());
    ASSERT_TRUE(a.sign_lock && b.sign_lock);
    EXPECT_EQ(a.sign_lock, b.sign_lock) << "two keys on one token must not sign at once";
    EXPECT_EQ(a.token, b.token);
}

TEST_F(Token, TheEngineOutlivesEveryKeyItBacks) {
    Bytes digest(32, 7);
    Bytes sig_b;
    {
        PrivateKey a = load_private_key("pkcs11:token=unit;object=a;type=private", pass());
        PrivateKey b = load_private_key("pkcs11:token=unit;object=b;type=private", pass());
        { PrivateKey gone = std::move(a); }  // one key freed while the other still signs
        sig_b = Signer(b, KeyId{}).sign_digest(HashAlgo::sha256, digest);
    }  // the last key freed: its engine goes after it, not before (ASan would see it)
    PrivateKey again = load_private_key("pkcs11:token=unit;object=a;type=private", pass());
    EXPECT_EQ(Signer(again, KeyId{}).sign_digest(HashAlgo::sha256, digest), sig_b);  // RSA PKCS#1 v1.5: same bytes
}
