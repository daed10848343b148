#include "usage.hpp"

#include <iterator>

namespace ima::evmctl {

namespace {

// The commands in evmctl 1.4's order, with its usage lines: scripts and
// people compare these, so they are kept word for word.
const CommandHelp commands[] = {
    {"--version", "", ""},
    {"help", "<command>", ""},
    {"import", "[--rsa] pubkey keyring", "Import public key into the keyring.\n"},
    {"convert", "key", "convert public key into the keyring.\n"},
    {"sign", "[-r] [--imahash | --imasig ] [--key key] [--pass [password] file", "Sign file metadata.\n"},
    {"verify", "file", "Verify EVM signature (for debugging).\n"},
    {"ima_sign", "[--sigfile] [--key key] [--pass [password] file", "Make file content signature.\n"},
    {"ima_verify", "file", "Verify IMA signature (for debugging).\n"},
    {"ima_setxattr", "[--sigfile file]", "Set IMA signature from sigfile\n"},
    {"ima_hash", "file", "Make file content hash.\n"},
    {"ima_measurement",
     "[--ignore-violations] [--verify-sig [--key key1, key2, ...]] [--pcrs [hash-algorithm,]file [--pcrs "
     "hash-algorithm,file] ...] [--verify-bank hash-algorithm] file",
     "Verify measurement list (experimental).\n"},
    {"ima_boot_aggregate", "[--pcrs hash-algorithm,file] [TPM 1.2 BIOS event log]",
     "Calculate per TPM bank boot_aggregate digests\n"},
    {"ima_fix", "[-t fdsxm] path", "Recursively fix IMA/EVM xattrs in fix mode.\n"},
    {"ima_clear", "[-t fdsxm] path", "Recursively remove IMA/EVM xattrs.\n"},
    {"sign_hash", "[--key key] [--pass [password]", "Sign hashes from shaXsum output.\n"},
    {"hmac", "[--imahash | --imasig ] file",
     "Sign file metadata with HMAC using symmetric key (for testing purpose).\n"},
};

const char options_text[] =
    "\n"
    "  -a, --hashalgo     sha1, sha224, sha256, sha384, sha512, streebog256, streebog512 (default: sha256)\n"
    "  -s, --imasig       make IMA signature\n"
    "  -d, --imahash      make IMA hash\n"
    "  -f, --sigfile      store IMA signature in .sig file instead of xattr\n"
    "      --xattr-user   store xattrs in user namespace (for testing purposes)\n"
    "      --rsa          use RSA key type and signing scheme v1\n"
    "  -k, --key          path to signing key (default: /etc/keys/{privkey,pubkey}_evm.pem)\n"
    "                     or a pkcs11 URI\n"
    "      --keyid n      overwrite signature keyid with a 32-bit value in hex (for signing)\n"
    "      --keyid-from-cert file\n"
    "                     read keyid value from SKID of a x509 cert file\n"
    "  -o, --portable     generate portable EVM signatures\n"
    "  -p, --pass         password for encrypted signing key\n"
    "  -r, --recursive    recurse into directories (sign)\n"
    "  -t, --type         file types to fix 'fxm' (f: file)\n"
    "                     x - skip fixing if both ima and evm xattrs exist (use with caution)\n"
    "                     m - stay on the same filesystem (like 'find -xdev')\n"
    "  -n                 print result to stdout instead of setting xattr\n"
    "  -u, --uuid         use custom FS UUID for EVM (unspecified: from FS, empty: do not use)\n"
    "      --smack        use extra SMACK xattrs for EVM\n"
    "      --m32          force EVM hmac/signature for 32 bit target system\n"
    "      --m64          force EVM hmac/signature for 64 bit target system\n"
    "      --ino          use custom inode for EVM\n"
    "      --uid          use custom UID for EVM\n"
    "      --gid          use custom GID for EVM\n"
    "      --mode         use custom Mode for EVM\n"
    "      --generation   use custom Generation for EVM(unspecified: from FS, empty: use 0)\n"
    "      --ima          use custom IMA signature for EVM\n"
    "      --selinux      use custom Selinux label for EVM\n"
    "      --caps         use custom Capabilities for EVM(unspecified: from FS, empty: do not use)\n"
    "      --verify-sig   verify measurement list signatures\n"
    "      --engine e     preload OpenSSL engine e (such as: gost)\n"
    "      --ignore-violations ignore ToMToU measurement violations\n"
    "  -v                 increase verbosity level\n"
    "  -h, --help         display this help and exit\n"
    "\n"
    "Environment variables:\n"
    "\n"
    "EVMCTL_KEY_PASSWORD  : Private key password to use; do not use --pass option\n"
    "\n";

}  // namespace

const CommandHelp* command_help(const std::string& name) {
    for (const auto& c : commands)
        if (name == c.name) return &c;
    return nullptr;
}

std::string usage_text(const std::string& tool) {
    std::string s = "Usage: " + tool + " [-v] <command> [OPTIONS]\ncommands:\n";
    for (const auto& c : commands) s += std::string(" ") + c.name + " " + c.args + "\n";
    return s + options_text;
}

std::string usage_line(const std::string& command) {
    const CommandHelp* c = command_help(command);
    return "usage: " + command + " " + (c ? c->args : "") + "\n";
}

std::string full_usage(const std::string& command) {
    const CommandHelp* c = command_help(command);
    if (!c) return "";
    return usage_line(command) + c->what;
}

std::string version_text(const std::string& tool) {
    return tool + " 1.4 (imaevm-tools " IMAEVM_VERSION ")\n";
}

}  // namespace ima::evmctl
