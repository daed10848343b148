// The bytes EVM hashes, checked against evmctl 1.4 (its -vvv dump of
// hmac_misc, its hash and its HMAC) and against the kernel's layout rules.
#include "ima/evm/inputs.hpp"

#include <gtest/gtest.h>

#include "ima/digest.hpp"
#include "ima/error.hpp"

using namespace ima;
using namespace ima::evm;

namespace {

// The file of the evmctl vectors: security.ima = 04 11223344, security.capability
// = a 20-byte v2 capability, hashed with --ino 5 --generation 7 --uid 1 --gid 2
// --mode 33188 (0100644) --uuid=01234567-89ab-cdef-0123-456789abcdef.
EvmInputs vector_inputs() {
    EvmInputs in;
    in.xattrs = {{"security.capability", from_hex("0100000200000000000000000000000000000000")},
                 {"security.ima", from_hex("0411223344")}};
    in.ino = 5;
    in.generation = 7;
    in.uid = 1;
    in.gid = 2;
    in.mode = 0100644;
    in.uuid = Uuid{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
    return in;
}

}  // namespace

TEST(EvmInputs, MiscIsTheKernels24ByteLp64StructWithPadding) {
    // evmctl -vvv: "hmac_misc (24): 0500000000000000070000000100000002000000a4810000"
    EXPECT_EQ(to_hex(evm_misc(vector_inputs(), EvmKind::immutable)),
              "0500000000000000070000000100000002000000a4810000");
    EXPECT_EQ(to_hex(evm_misc(vector_inputs(), EvmKind::hmac)), "0500000000000000070000000100000002000000a4810000");
}

TEST(EvmInputs, Ilp32AndNoInodeLayoutsAreEvmctlsM32AndImmutable) {
    // evmctl --m32: a 32-bit machine's h_misc (u32 ino): 20 bytes
    EXPECT_EQ(to_hex(evm_misc(vector_inputs(), EvmKind::hmac, MiscLayout::ilp32)),
              "05000000070000000100000002000000a4810000");
    // evmctl -i: uid, gid, mode: 12 bytes
    EXPECT_EQ(to_hex(evm_misc(vector_inputs(), EvmKind::hmac, MiscLayout::no_inode)), "0100000002000000a4810000");
    EXPECT_EQ(to_hex(evm_misc(vector_inputs(), EvmKind::portable, MiscLayout::ilp32)),
              "00000000000000000100000002000000a4810000");
}

TEST(EvmInputs, PortableMiscZeroesInodeAndGeneration) {
    EXPECT_EQ(to_hex(evm_misc(vector_inputs(), EvmKind::portable)), "0000000000000000000000000100000002000000a4810000");
}

TEST(EvmInputs, ImmutableDigestEqualsEvmctl) {
    // evmctl sign -a sha256 ... --uuid=...: "hash(sha256): e25eca89..."
    EXPECT_EQ(to_hex(evm_digest(HashAlgo::sha256, vector_inputs(), EvmKind::immutable)),
              "e25eca892d6f902a8b5eeb6c8da9b79d0bbc1885f181ef18026e0efbb1b2416b");
}

TEST(EvmInputs, PortableDigestEqualsEvmctl) {
    // evmctl sign --portable -a sha256 ...: "hash(sha256): a5151e77..."
    EXPECT_EQ(to_hex(evm_digest(HashAlgo::sha256, vector_inputs(), EvmKind::portable)),
              "a5151e77fda109846bfcb21f18fd5a67e400ddc5c868eeb197c45960eea049cc");
}

TEST(EvmInputs, MessageFollowsKernelOrderNotInputOrder) {
    EvmInputs in;
    in.xattrs = {{"security.capability", {0xcc}},
                 {"security.ima", {0x11}},
                 {"security.apparmor", {0xaa}},
                 {"security.SMACK64MMAP", {0x05}},
                 {"security.SMACK64TRANSMUTE", {0x04}},
                 {"security.SMACK64EXEC", {0x03}},
                 {"security.SMACK64", {0x02}},
                 {"security.selinux", {0x01}},
                 {"user.other", {0xee}},
                 {"security.evm", {0xef}}};
    Bytes m = evm_message(in, EvmKind::portable);
    ASSERT_EQ(m.size(), 8u + 24u);
    EXPECT_EQ(to_hex(ByteView(m).first(8)), "0102030405aa11cc");
}

TEST(EvmInputs, UuidFollowsMiscExceptForPortable) {
    EvmInputs in = vector_inputs();
    Bytes imm = evm_message(in, EvmKind::immutable);
    Bytes port = evm_message(in, EvmKind::portable);
    EXPECT_EQ(imm.size(), 5u + 20u + 24u + 16u);
    EXPECT_EQ(to_hex(ByteView(imm).last(16)), "0123456789abcdef0123456789abcdef");
    EXPECT_EQ(port.size(), 5u + 20u + 24u);
    in.uuid.reset();
    EXPECT_EQ(evm_message(in, EvmKind::immutable).size(), 5u + 20u + 24u);
}

TEST(EvmInputs, FirstOfDuplicateNamesCounts) {
    EvmInputs in;
    in.xattrs = {{"security.ima", {0x01}}, {"security.ima", {0x02}}};
    EXPECT_EQ(evm_message(in, EvmKind::portable)[0], 0x01);
}

TEST(EvmInputs, NoProtectedXattrIsRefused) {
    EvmInputs in;
    in.xattrs = {{"user.ima", {0x01}}};
    EXPECT_THROW(evm_message(in, EvmKind::immutable), FormatError);
}

TEST(EvmInputs, PortableWithoutImaIsRefusedAsTheKernelDoes) {
    EvmInputs in;
    in.xattrs = {{"security.selinux", {'x', 0}}};
    EXPECT_NO_THROW(evm_message(in, EvmKind::immutable));
    try {
        evm_message(in, EvmKind::portable);
        FAIL();
    } catch (const FormatError& e) {
        EXPECT_NE(std::string(e.what()).find("needs security.ima"), std::string::npos);
    }
}

TEST(EvmInputs, HmacEqualsEvmctl) {
    // evmctl hmac -a sha1 with /etc/keys/evm-key-plain = these 32 bytes, of a
    // file with security.ima = 0411223344, ino 10977655, generation
    // 2417313970, uid 0, gid 0, mode 0100644 (evmctl 1.4 hashes no UUID).
    Bytes key = from_hex("a9c6c15112d4f017494c6b03a95bbc428a061e50460bd9712b5cbd2547ffc4c3");
    EvmInputs in;
    in.xattrs = {{"security.ima", from_hex("0411223344")}};
    in.ino = 10977655;
    in.generation = 2417313970u;
    in.mode = 0100644;
    EXPECT_EQ(to_hex(evm_hmac(key, in)), "eccbd4e538989bbc084932877d7449b0fabe19c6");
}

TEST(EvmInputs, PaddedKeyHmacIsTheOneHmacWithAnyDigest) {
    EvmInputs in = vector_inputs();
    Bytes key = from_hex("a9c6c15112d4f017494c6b03a95bbc428a061e50460bd9712b5cbd2547ffc4c3");
    Bytes msg = evm_message(in, EvmKind::hmac);
    EXPECT_EQ(padded_key_hmac(key, msg, "SHA1"), evm_hmac(key, in));
    // evmctl hmac -a sha256 keys it the same way: the digest changes, the keying does not
    Bytes padded = key;
    padded.resize(max_hmac_key_size, 0);
    EXPECT_EQ(padded_key_hmac(key, msg, "SHA256"), padded_key_hmac(padded, msg, "SHA256"));
    EXPECT_EQ(padded_key_hmac(key, msg, "SHA256").size(), 32u);
    EXPECT_THROW(padded_key_hmac(Bytes(max_hmac_key_size + 1, 1), msg, "SHA1"), UsageError);
    EXPECT_THROW(padded_key_hmac(key, msg, "no-such-digest"), CryptoError);
}

TEST(EvmInputs, HmacKeyIsZeroPaddedTo128BytesLikeTheKernel) {
    // The kernel keys hmac(sha1) with all of evmkey[128]; trailing zeros in the
    // key file therefore change nothing, and 128 bytes is the limit.
    EvmInputs in = vector_inputs();
    Bytes key = from_hex("00112233");
    Bytes padded = key;
    padded.resize(128, 0);
    EXPECT_EQ(evm_hmac(key, in), evm_hmac(padded, in));
    EXPECT_EQ(evm_hmac(key, in).size(), 20u);
    padded.push_back(0);
    EXPECT_THROW(evm_hmac(padded, in), UsageError);
    EXPECT_THROW(evm_hmac(Bytes{}, in), UsageError);
}

TEST(EvmInputs, ProtectedListIsTheKernelsInOrder) {
    const auto& p = protected_xattrs();
    ASSERT_EQ(p.size(), 8u);
    EXPECT_EQ(p.front(), "security.selinux");
    EXPECT_EQ(p[5], "security.apparmor");
    EXPECT_EQ(p[6], "security.ima");
    EXPECT_EQ(p.back(), "security.capability");
    EXPECT_TRUE(is_protected_xattr("security.SMACK64EXEC"));
    EXPECT_FALSE(is_protected_xattr("security.evm"));
}
