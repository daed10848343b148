#include "algo.hpp"

#include <gtest/gtest.h>

#include "ima_ops.hpp"

using namespace ima;
using namespace ima::evmctl;

TEST(Algo, EvmctlNamesMapToKernelNumbers) {
    EXPECT_EQ(algo_from_name("sha256"), HashAlgo::sha256);
    EXPECT_EQ(algo_from_name("rmd160"), HashAlgo::ripemd160);
    EXPECT_EQ(algo_from_name("ripemd160"), HashAlgo::ripemd160);
    EXPECT_EQ(algo_from_name("sm3"), HashAlgo::sm3_256);
    EXPECT_EQ(algo_from_name("streebog512"), HashAlgo::streebog512);
    // names evmctl 1.4 does not know
    EXPECT_FALSE(algo_from_name("SHA256"));
    EXPECT_FALSE(algo_from_name("sha3-256"));
    EXPECT_FALSE(algo_from_name("rmd128"));
    EXPECT_FALSE(algo_from_name(""));
}

TEST(Algo, OpenSslAvailabilityIsByTheGivenName) {
    EXPECT_TRUE(openssl_has_digest("sha256"));
    EXPECT_TRUE(openssl_has_digest("sha3-256"));  // OpenSSL knows it; evmctl's table does not
    EXPECT_FALSE(openssl_has_digest("wp256"));
    EXPECT_FALSE(openssl_has_digest("streebog256"));
}

TEST(Algo, DigestValueTypeFollowsEvmctl) {
    Bytes d(16, 0xab);
    EXPECT_EQ(ima_digest_value(HashAlgo::md5, d)[0], 0x01);  // below sha1's number: the old type
    Bytes s1(20, 1);
    Bytes v1 = ima_digest_value(HashAlgo::sha1, s1);
    ASSERT_EQ(v1.size(), 21u);
    EXPECT_EQ(v1[0], 0x01);
    EXPECT_EQ(Bytes(v1.begin() + 1, v1.end()), s1);
    Bytes s256(32, 2);
    Bytes v = ima_digest_value(HashAlgo::sha256, s256);
    ASSERT_EQ(v.size(), 34u);
    EXPECT_EQ(v[0], 0x04);
    EXPECT_EQ(v[1], 0x04);
}
