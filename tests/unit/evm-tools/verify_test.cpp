// Checking security.evm values: good ones pass, every altered input fails,
// and the RSA values equal evmctl's byte for byte.
#include "ima/evm/verify.hpp"

#include <gtest/gtest.h>

#include "ima/error.hpp"
#include "ima/evm/fs_uuid.hpp"
#include "test_util.hpp"

using namespace ima;
using namespace ima::evm;
using test::fixture;

namespace {

PrivateKey key(const std::string& name) {
    PassphraseSource p;
    p.allow_prompt = false;
    return load_private_key(fixture("keys/" + name + ".key"), p);
}

EvmInputs inputs() {
    EvmInputs in;
    in.xattrs = {{"security.capability", from_hex("0100000200000000000000000000000000000000")},
                 {"security.ima", from_hex("0411223344")}};
    in.ino = 5;
    in.generation = 7;
    in.uid = 1;
    in.gid = 2;
    in.mode = 0100644;
    in.uuid = parse_uuid("01234567-89ab-cdef-0123-456789abcdef");
    return in;
}

Bytes sign(const std::string& keyname, EvmKind kind, const EvmInputs& in, HashAlgo algo = HashAlgo::sha256) {
    PrivateKey k = key(keyname);
    Signer s(k, keyid_of_public_key(k.pkey.get()));
    return s.sign_xattr(algo, evm_digest(algo, in, kind), static_cast<XattrType>(kind));
}

std::string failure(ByteView value, const EvmInputs& in, const std::vector<VerifyKey>& keys,
                    std::optional<ByteView> hmac = std::nullopt) {
    try {
        verify_evm_value(value, in, keys, hmac);
    } catch (const Error& e) {
        return e.what();
    }
    return "ok";
}

}  // namespace

TEST(EvmVerify, ImmutableRsaSignatureIsByteIdenticalToEvmctl) {
    // evmctl sign --key rsa.key -a sha256 --ino 5 --generation 7 --uid 1 --gid 2
    // --mode 33188 --uuid=01234567-89ab-cdef-0123-456789abcdef
    EXPECT_EQ(to_hex(sign("rsa", EvmKind::immutable, inputs())),
              "03020479d765db0100376edfe19bf02788766c3297196233164ef29cb38ab143b8b6687c0316e3a4ecfba32f3cfaac5a3fe4ab47"
              "fc3e71033e57e6440c79b1fdd1bc60d25cfa5f2ba5a6d7b32a623c9020acaf8612c0b8843abfe4d90e1e4c1ba6e330cf26e5f02d"
              "4dc8378eb4a8b2842011363021e4b31d6cd16d0ed0206420977ac5e59c0f8cad48d4331a43328ba4b7f3ec2081f2884944e87cff"
              "f3953975d9a941785928856d707346825963d27420913a510f33416f1a2aef880b5e5505bb55c66d2d7f5117d980653f314ec509"
              "8571bbe62403aa37c414c48e448fe56842240113a6bd0d80b3dd84886c4fc4bf7f4cf4fb9ef6d8836caed108c623efc85033d7ec"
              "e9002899aa");
}

TEST(EvmVerify, PortableRsaSignatureIsByteIdenticalToEvmctl) {
    // the same with --portable
    EXPECT_EQ(to_hex(sign("rsa", EvmKind::portable, inputs())),
              "05020479d765db01007502215605f8e428e9b4d40dc925ad88a684e5907c10fab665976eef44c3ff7425cc551926743dc4abbef3"
              "c2da823d3fbb9f9cc9255909e31e3e3ae94e0b331d9bcd70ea9a85261fd2487af755ee7ef6380bc190cddfc4b91616e94d694cf2"
              "0b0c5fd3ca44c366910a60a4a80b35b964e51efb605451d46cd599b092656a8e3afc01561b2bcf99a12591fd9e67c531b8431d7b"
              "ebbb650a499c96e2e899aecb79747504925d075cfbe44cfdb8007830f78d1e4f06f556dc1cb5f512c87d473c663ee1a252b6b7b3"
              "87b2a764b921d7ce1fdaf68c9fb5b32afcd2208f3a022bc119b9e9c3ce9579843daef1ce72143b5ffd16ddcf4550f39e6e31da58"
              "bb32964558");
}

TEST(EvmVerify, GoodSignaturesOfEveryKeyTypeVerify) {
    auto keys = load_verify_keys({fixture("keys/rsa.pem"), fixture("keys/ec256.pem"), fixture("keys/ec384.pem")});
    for (const char* k : {"rsa", "ec256", "ec384"})
        for (EvmKind kind : {EvmKind::immutable, EvmKind::portable})
            for (HashAlgo a : {HashAlgo::sha1, HashAlgo::sha256, HashAlgo::sha512}) {
                EvmCheck c = verify_evm_value(sign(k, kind, inputs(), a), inputs(), keys, std::nullopt);
                EXPECT_EQ(c.kind, kind);
                EXPECT_EQ(c.algo, a);
                EXPECT_EQ(c.key_source, fixture(std::string("keys/") + k + ".pem"));
            }
}

TEST(EvmVerify, EveryAlteredInputFailsAnImmutableSignature) {
    auto keys = load_verify_keys({fixture("keys/rsa.pem")});
    Bytes v = sign("rsa", EvmKind::immutable, inputs());
    const std::string bad = "bad immutable EVM signature (key 79d765db)";
    std::vector<std::function<void(EvmInputs&)>> changes = {
        [](EvmInputs& i) { i.ino++; },
        [](EvmInputs& i) { i.generation++; },
        [](EvmInputs& i) { i.uid = 0; },
        [](EvmInputs& i) { i.gid = 0; },
        [](EvmInputs& i) { i.mode = 0100755; },
        [](EvmInputs& i) { i.uuid.reset(); },
        [](EvmInputs& i) { (*i.uuid)[15] ^= 1; },
        [](EvmInputs& i) { i.xattrs[0].second.back() ^= 1; },
        [](EvmInputs& i) { i.xattrs.erase(i.xattrs.begin()); },
        [](EvmInputs& i) {
            i.xattrs.push_back({"security.selinux", {'a', 0}});
        },
    };
    EXPECT_EQ(failure(v, inputs(), keys), "ok");
    for (size_t n = 0; n < changes.size(); ++n) {
        EvmInputs in = inputs();
        changes[n](in);
        EXPECT_EQ(failure(v, in, keys), bad) << "change " << n;
    }
}

TEST(EvmVerify, PortableSignatureIgnoresInodeGenerationAndUuidOnly) {
    auto keys = load_verify_keys({fixture("keys/rsa.pem")});
    Bytes v = sign("rsa", EvmKind::portable, inputs());
    EvmInputs moved = inputs();
    moved.ino = 99;
    moved.generation = 1;
    moved.uuid.reset();
    EXPECT_EQ(failure(v, moved, keys), "ok");
    EvmInputs chmod = inputs();
    chmod.mode = 0100600;
    EXPECT_EQ(failure(v, chmod, keys), "bad portable EVM signature (key 79d765db)");
    EvmInputs no_ima = inputs();
    no_ima.xattrs.pop_back();
    EXPECT_EQ(failure(v, no_ima, keys),
              "a portable EVM signature needs security.ima (the kernel refuses one without it)");
}

TEST(EvmVerify, UnknownKeyAndMissingHmacKeyAreNamed) {
    auto keys = load_verify_keys({fixture("keys/other.pem")});
    EXPECT_EQ(failure(sign("rsa", EvmKind::portable, inputs()), inputs(), keys), "no certificate for key id 79d765db");
    Bytes hmac = encode_hmac(HmacValue{evm_hmac(from_hex("0102"), inputs())});
    EXPECT_EQ(failure(hmac, inputs(), keys), "an HMAC value (type 2) needs --hmac-key to be checked");
}

TEST(EvmVerify, HmacChecksWithTheRightKeyOnly) {
    Bytes k1 = from_hex("0102030405"), k2 = from_hex("0102030406");
    Bytes v = encode_hmac(HmacValue{evm_hmac(k1, inputs())});
    EXPECT_EQ(failure(v, inputs(), {}, ByteView(k1)), "ok");
    EXPECT_EQ(failure(v, inputs(), {}, ByteView(k2)), "HMAC mismatch (metadata, protected xattrs or key differ)");
    EvmInputs in = inputs();
    in.uid = 3;
    EXPECT_EQ(failure(v, in, {}, ByteView(k1)), "HMAC mismatch (metadata, protected xattrs or key differ)");
}

TEST(EvmVerify, MalformedValueIsAFormatError) {
    EXPECT_THROW(verify_evm_value(from_hex("0502"), inputs(), {}, std::nullopt), FormatError);
}

TEST(HmacKey, LoadsOneTo128BytesAndRefusesTheRest) {
    test::TempDir d;
    EXPECT_EQ(load_hmac_key(d.file("k", std::string(128, 'k'))).str(), std::string(128, 'k'));
    EXPECT_EQ(load_hmac_key(d.file("k1", "\x01")).str(), "\x01");
    try {
        load_hmac_key(d.file("long", std::string(129, 'k')));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::env);  // a key the tool cannot use, like a signing key
        EXPECT_EQ(std::string(e.what()), "HMAC key " + d.path() + "/long: longer than the kernel's 128 bytes");
    }
    try {
        load_hmac_key(d.file("empty", ""));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::env);
    }
    try {
        load_hmac_key(d.path() + "/missing");
        FAIL();
    } catch (const IoError& e) {
        EXPECT_EQ(e.kind(), ErrorKind::env);
    }
}
