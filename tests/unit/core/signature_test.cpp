#include "ima/signature.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "test_util.hpp"

using namespace ima;
using test::fixture;

namespace {
PrivateKey key(const std::string& name) {
    PassphraseSource p;
    p.allow_prompt = false;
    return load_private_key(fixture("keys/" + name + ".key"), p);
}
const Bytes hello{'h', 'e', 'l', 'l', 'o', '\n'};
}  // namespace

// `evmctl ima_sign -a sha256 --key tests/fixtures/keys/rsa.key` of a file holding "hello\n".
TEST(Signature, RsaValueIsByteIdenticalToEvmctl) {
    PrivateKey k = key("rsa");
    Signer s(k, keyid_of_public_key(k.pkey.get()));
    Bytes value = s.sign_xattr(HashAlgo::sha256, digest_bytes(HashAlgo::sha256, hello));
    EXPECT_EQ(
        to_hex(value),
        "03020479d765db010074062720067a1a8d12f94e1cf9bd524491fb8f94a950771775d4cdf982499e33b04e2d211a7702ce4499ae"
        "a98b9385f0a4f76e3d9848e163034c143a263511363c26a4c445dbedf0d89c6174860a779cf32a40ca14d463aff0c2a874c55d0c"
        "c49fcb3399a35c8d0790dd440ff8e32e1a21d28c20f34722efd6f9cb003c5f7e3f46d37b1c6f7512c176faa9b3c48def68e388a5"
        "f948f5487ed2b95dad5dfd616cbaae038b0c27e69e794ce31df20cbd1e01aac090b1de716e95115b25d6879de86d4335244220b9"
        "3fc1f211b947e52b66356e8ff474fa5b7dfc2fc2ad65b4c21d4c9c3f4efa3ed118060a28bde3c0f8b34aec8e007ae106dbf38f37f"
        "651f78c2b");
}

TEST(Signature, EveryAlgorithmAndKeyTypeVerifies) {
    for (const char* n : {"rsa", "ec256", "ec384"}) {
        PrivateKey k = key(n);
        Certificate c = load_certificate(fixture(std::string("keys/") + n + ".pem"));
        Signer s(k, keyid_of_certificate(c));
        for (auto a : {HashAlgo::sha1, HashAlgo::sha224, HashAlgo::sha256, HashAlgo::sha384, HashAlgo::sha512}) {
            SCOPED_TRACE(std::string(n) + " " + hash_algo_info(a).name);
            Bytes d = digest_bytes(a, hello);
            Bytes sig = s.sign_digest(a, d);
            EXPECT_TRUE(verify_digest(c.public_key(), a, d, sig));
            Bytes other = d;
            other[0] ^= 1;
            EXPECT_FALSE(verify_digest(c.public_key(), a, other, sig));
            Bytes bad = sig;
            bad[bad.size() / 2] ^= 0x40;
            EXPECT_FALSE(verify_digest(c.public_key(), a, d, bad));
        }
    }
}

TEST(Signature, WrongKeyDoesNotVerify) {
    PrivateKey k = key("rsa");
    Signer s(k, {});
    Bytes d = digest_bytes(HashAlgo::sha256, hello);
    Certificate other = load_certificate(fixture("keys/other.pem"));
    EXPECT_FALSE(verify_digest(other.public_key(), HashAlgo::sha256, d, s.sign_digest(HashAlgo::sha256, d)));
}

TEST(Signature, GarbageSignatureIsAMismatchNotACrash) {
    Certificate c = load_certificate(fixture("keys/ec256.pem"));
    Bytes d = digest_bytes(HashAlgo::sha256, hello);
    EXPECT_FALSE(verify_digest(c.public_key(), HashAlgo::sha256, d, Bytes{0x30, 0x00}));
    EXPECT_FALSE(verify_digest(c.public_key(), HashAlgo::sha256, d, Bytes(1, 0)));
}

TEST(Signature, SignersOnManyThreadsShareOneKey) {
    PrivateKey k = key("rsa");
    Certificate c = load_certificate(fixture("keys/rsa.pem"));
    Bytes d = digest_bytes(HashAlgo::sha256, hello);
    Bytes want = Signer(k, {}).sign_digest(HashAlgo::sha256, d);
    std::vector<std::thread> ts;
    std::atomic<int> good{0};
    for (int t = 0; t < 4; ++t)
        ts.emplace_back([&] {
            Signer s(k, {});
            for (int i = 0; i < 20; ++i)
                if (s.sign_digest(HashAlgo::sha256, d) == want) ++good;
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(good.load(), 80);
}

TEST(Signature, VerifyKeysComeFromCertificatesOrPublicKeys) {
    test::TempDir d;
    auto keys = load_verify_keys({fixture("keys/rsa.der"), fixture("keys/ec256.pem")});
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_NE(find_verify_key(keys, keys[1].keyid), nullptr);
    EXPECT_EQ(find_verify_key(keys, KeyId{0, 0, 0, 0}), nullptr);
    // A key file the tool cannot use is the environment's fault (exit 3), as for private keys.
    try {
        load_verify_keys({d.file("junk", "junk")});
        ADD_FAILURE() << "junk loaded as a key";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::env);
    }
}
