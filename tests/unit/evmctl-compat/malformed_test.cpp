// Hostile bytes into every parser of the evmctl front end: security.ima and
// security.evm values of every length and shape, sign_hash lines, UUID text,
// pkcs11 URIs. Each either works or fails with an ima::Error (and evmctl's status); none reads past
// its input (the ASan build checks that).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <random>
#include <sstream>

#include "evm_message.hpp"
#include "ima/fd.hpp"
#include "keys.hpp"
#include "sign_hash.hpp"
#include "status.hpp"
#include "verify_ima.hpp"

using namespace ima;
using namespace ima::evmctl;

namespace {

Bytes random_bytes(std::mt19937& rng, size_t max_len) {
    Bytes b(rng() % (max_len + 1));
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    return b;
}

struct TempFile {
    std::string path;
    Fd fd;
    struct stat st {};
    TempFile() {
        char tmpl[] = "/tmp/evmctl-malformed.XXXXXX";
        fd = Fd(mkstemp(tmpl));
        path = tmpl;
        EXPECT_EQ(write(fd.get(), "content\n", 8), 8);
        fstat(fd.get(), &st);
    }
    ~TempFile() { unlink(path.c_str()); }
};

}  // namespace

TEST(Malformed, ImaValuesOfEveryShapeFailCleanly) {
    std::ostringstream out, err;
    Console con(out, err, "evmctl");
    Options opts;
    opts.key = FIXTURES_DIR "/keys/rsa.der";
    VerifyKeys keys(opts, con);
    TempFile f;
    std::mt19937 rng(12345);
    for (int i = 0; i < 3000; ++i) {
        Bytes v = random_bytes(rng, 300);
        // steer half of them into the interesting prefixes: type 3, versions 1-3, known algos
        if (i % 2 && v.size() > 3) {
            v[0] = 0x03;
            v[1] = static_cast<uint8_t>(1 + i % 3);
            v[2] = static_cast<uint8_t>(i % 24);
        }
        EXPECT_THROW(verify_ima_value(opts, keys, con, f.path, v, f.fd.get(), f.st), ima::Error) << to_hex(v);
    }
    for (size_t len = 0; len < 12; ++len) {
        Bytes v(len, 0);
        if (len) v[0] = 0x03;
        if (len > 1) v[1] = 0x02;
        if (len > 2) v[2] = 0x04;
        EXPECT_THROW(verify_ima_value(opts, keys, con, f.path, v, f.fd.get(), f.st), ima::Error) << len;
        EXPECT_NO_FATAL_FAILURE({
            try {
                signature_algo(v, f.path);
            } catch (const ima::Error&) {
            }
        });
    }
}

TEST(Malformed, SignHashLinesNeverReadPastTheLine) {
    std::mt19937 rng(7);
    const std::string alphabet = "0123456789abcdefABCDEFxyz:, \t\r\x01\xff";
    for (int i = 0; i < 5000; ++i) {
        std::string line(rng() % 200, ' ');
        for (auto& c : line) c = alphabet[rng() % alphabet.size()];
        try {
            Bytes d = sign_hash_digest(line);
            EXPECT_LE(d.size() * 2, line.size());
        } catch (const ima::Error& f) {
            EXPECT_EQ(evmctl_status(f), status_error);
        }
    }
}

TEST(Malformed, UuidTextAndUrisOfAnyShape) {
    std::mt19937 rng(99);
    const std::string alphabet = "0123456789abcdef-;=?pkcs11:pin-value";
    for (int i = 0; i < 5000; ++i) {
        std::string s(rng() % 60, ' ');
        for (auto& c : s) c = alphabet[rng() % alphabet.size()];
        try {
            parse_uuid_text(s);
        } catch (const ima::Error&) {
        }
        auto [uri, pin] = split_pin_value("pkcs11:" + s);
        EXPECT_EQ(uri.find("pin-value="), std::string::npos) << s;
        EXPECT_LE(uri.size(), s.size() + 7);
    }
}
