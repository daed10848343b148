// evmctl's options as plain data: what the commands of the library run on.
// cli/parse_args.hpp fills them from argv as evmctl does.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ima/passphrase.hpp"

namespace ima::evmctl {

// Every option evmctl 1.4 accepts, as plain data. Strings keep the user's
// text: each command interprets them the way evmctl does.
struct Options {
    int verbose = 0;                           // -v, repeatable
    bool imasig = false;                       // -s/--imasig: sign/hmac also write an IMA signature
    bool imahash = false;                      // -d/--imahash: sign/hmac also write an IMA digest
    bool no_xattr = false;                     // -n: print, do not set xattrs
    std::string hash_algo = "sha256";          // -a/--hashalgo, evmctl's name for it
    bool pass_given = false;                   // -p/--pass seen
    std::shared_ptr<const SecretString> pass;  // the attached -pPASS / --pass=PASS (warned about), wiped
    bool sigfile = false;                      // -f/--sigfile
    bool uuid_given = false;                   // -u/--uuid seen
    std::optional<std::string> uuid;           // attached value; -u alone = leave the UUID out
    bool rsa_v1 = false;                       // --rsa: signature v1 (not supported)
    std::optional<std::string> key;            // -k/--key: a file, a comma list (verify), or pkcs11: URI
    std::optional<std::string> type;           // -t/--type "fxm"
    bool recursive = false;                    // -r
    int msize = 0;                             // --m32 / --m64 (0 = this machine's h_misc)
    bool portable = false;                     // -o/--portable
    bool immutable = false;                    // -i
    bool smack = false;                        // --smack
    std::optional<std::string> ino, uid, gid, mode, generation;  // --inode/--uid/--gid/--mode/--generation
    std::optional<std::string> ima_hex;                          // --ima HEX
    std::optional<std::string> selinux;                          // --selinux LABEL
    bool caps_given = false;                                     // --caps seen
    std::optional<std::string> caps;     // --caps=VALUE; --caps alone leaves security.capability out
    bool verify_sig = false;             // --verify-sig
    std::optional<std::string> engine;   // --engine (not supported)
    std::optional<std::string> hmackey;  // --hmackey FILE (evmctl 1.6): hmac's key instead of /etc/keys/evm-key-plain
    bool veritysig = false;          // --veritysig (evmctl 1.5): sign_hash signs fsverity digest lines (sigv3, 0x06)
    bool hwtpm = false;              // --hwtpm (evmctl 1.6): TPM 2.0 PCRs from sysfs before the TPM
    bool xattr_user = false;         // --xattr-user
    bool ignore_violations = false;  // --ignore-violations
    std::vector<std::string> pcrs;   // --pcrs [algo,]file (at most 2)
    bool verify_bank_given = false;  // --verify-bank
    std::optional<std::string> verify_bank;
    std::optional<uint32_t> keyid;      // --keyid HEX or --keyid-from-cert FILE, resolved
    std::vector<std::string> warnings;  // to print before running (password on the command line, ...)

    std::vector<std::string> args;  // the command (first) and its operands, in order
};

}  // namespace ima::evmctl
