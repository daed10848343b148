#include "ima/hash_algo.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "ima/error.hpp"

using namespace ima;

TEST(HashAlgo, KernelNumbersMatchHashInfoH) {
    EXPECT_EQ(static_cast<int>(HashAlgo::sha1), 2);
    EXPECT_EQ(static_cast<int>(HashAlgo::sha256), 4);
    EXPECT_EQ(static_cast<int>(HashAlgo::sha384), 5);
    EXPECT_EQ(static_cast<int>(HashAlgo::sha512), 6);
    EXPECT_EQ(static_cast<int>(HashAlgo::sha224), 7);
    EXPECT_EQ(static_cast<int>(HashAlgo::sm3_256), 17);
    for (size_t i = 0; i < hash_algos().size(); ++i) EXPECT_EQ(static_cast<size_t>(hash_algos()[i].id), i);
}

TEST(HashAlgo, ParsesNamesCaseInsensitively) {
    EXPECT_EQ(parse_hash_algo("sha256"), HashAlgo::sha256);
    EXPECT_EQ(parse_hash_algo("SHA512"), HashAlgo::sha512);
    EXPECT_EQ(parse_hash_algo("sha1"), HashAlgo::sha1);
}

TEST(HashAlgo, UnknownNameIsAUsageError) {
    try {
        parse_hash_algo("sha999");
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "unknown hash algorithm 'sha999'");
        EXPECT_EQ(e.exit_status(), 2);
    }
    EXPECT_THROW(parse_hash_algo("tgr192"), UsageError);  // kernel knows it, OpenSSL does not
}

TEST(HashAlgo, NumbersBeyondTheTableAreRejected) {
    EXPECT_FALSE(hash_algo_from_number(200).has_value());
    EXPECT_TRUE(hash_algo_from_number(4).has_value());
}

TEST(HashAlgo, DigestSizesMatchOpenSSL) {
    for (auto a : {HashAlgo::sha1, HashAlgo::sha224, HashAlgo::sha256, HashAlgo::sha384, HashAlgo::sha512})
        EXPECT_EQ(static_cast<unsigned>(EVP_MD_get_size(evp_md(a))), hash_algo_info(a).digest_size);
}
