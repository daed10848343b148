// ima-sign's check of one security.ima value against a file.
#include <fcntl.h>
#include <gtest/gtest.h>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/fd.hpp"
#include "ima/sign/sign_files.hpp"
#include "test_util.hpp"

using namespace ima;
using namespace ima::sign;

TEST(VerifyValue, ADigestOfAnAlgorithmOpenSslLacksIsAVerifyFailureNotAUsageError) {
    // md4 (hash_algo 0) and rmd128 (8) are in the kernel's table but not in
    // OpenSSL 3's default provider: the file's value decides, not the user.
    test::TempDir d;
    d.file("f", "contents");
    Fd fd(open((d.path() + "/f").c_str(), O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(fd);
    for (uint8_t algo : {uint8_t{0}, uint8_t{8}}) {
        Bytes value{0x04, algo};
        value.resize(2 + 16, 0xab);
        try {
            (void)verify_value(value, fd.get(), "f", {});
            ADD_FAILURE() << "algo " << int(algo) << " verified";
        } catch (const VerifyError& e) {
            // "cannot be computed here", or a digest mismatch where OpenSSL
            // has the algorithm (a legacy provider configured): the file's
            // failure either way.
            SUCCEED() << e.what();
        } catch (const Error& e) {
            ADD_FAILURE() << "algo " << int(algo) << ": " << e.what();
        }
    }
    // A sha256 digest value still verifies against the file.
    Bytes good{0x04, 0x04};
    append(good, digest_bytes(HashAlgo::sha256, view("contents")));
    EXPECT_EQ(verify_value(good, fd.get(), "f", {}).kind, "digest");
}
