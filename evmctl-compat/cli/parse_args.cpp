#include "parse_args.hpp"

#include <getopt.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "keyid.hpp"
#include "usage.hpp"

namespace ima::evmctl {

namespace {

// The long options of evmctl 1.4, with its numbering for the ones without a
// short form (the values only need to be distinct here).
enum LongOnly : int {
    opt_smack = 128,
    opt_version,
    opt_inode,
    opt_uid,
    opt_gid,
    opt_mode,
    opt_generation,
    opt_ima,
    opt_selinux,
    opt_caps,
    opt_verify_sig,
    opt_engine,
    opt_xattr_user,
    opt_ignore_violations,
    opt_pcrs,
    opt_verify_bank,
    opt_keyid,
    opt_keyid_from_cert,
    opt_hmackey,
    opt_veritysig,
    opt_hwtpm,
};

const struct option long_options[] = {
    {"help", no_argument, nullptr, 'h'},
    {"imasig", no_argument, nullptr, 's'},
    {"imahash", no_argument, nullptr, 'd'},
    {"hashalgo", required_argument, nullptr, 'a'},
    {"pass", optional_argument, nullptr, 'p'},
    {"sigfile", no_argument, nullptr, 'f'},
    {"uuid", optional_argument, nullptr, 'u'},
    {"rsa", no_argument, nullptr, '1'},
    {"key", required_argument, nullptr, 'k'},
    {"type", required_argument, nullptr, 't'},
    {"recursive", no_argument, nullptr, 'r'},
    {"m32", no_argument, nullptr, '3'},
    {"m64", no_argument, nullptr, '6'},
    {"portable", no_argument, nullptr, 'o'},
    {"smack", no_argument, nullptr, opt_smack},
    {"version", no_argument, nullptr, opt_version},
    {"inode", required_argument, nullptr, opt_inode},
    {"uid", required_argument, nullptr, opt_uid},
    {"gid", required_argument, nullptr, opt_gid},
    {"mode", required_argument, nullptr, opt_mode},
    {"generation", required_argument, nullptr, opt_generation},
    {"ima", required_argument, nullptr, opt_ima},
    {"selinux", required_argument, nullptr, opt_selinux},
    {"caps", optional_argument, nullptr, opt_caps},
    {"verify-sig", no_argument, nullptr, opt_verify_sig},
    {"engine", required_argument, nullptr, opt_engine},
    {"xattr-user", no_argument, nullptr, opt_xattr_user},
    {"ignore-violations", no_argument, nullptr, opt_ignore_violations},
    {"pcrs", required_argument, nullptr, opt_pcrs},
    {"verify-bank", optional_argument, nullptr, opt_verify_bank},
    {"keyid", required_argument, nullptr, opt_keyid},
    {"keyid-from-cert", required_argument, nullptr, opt_keyid_from_cert},
    {"hmackey", required_argument, nullptr, opt_hmackey},
    {"veritysig", no_argument, nullptr, opt_veritysig},
    {"hwtpm", no_argument, nullptr, opt_hwtpm},
    {nullptr, 0, nullptr, 0},
};

// evmctl's short options: "hvnsda:op::fu::k:t:ri" (p and u take an
// optional attached argument).
constexpr const char* short_options = "hvnsda:op::fu::k:t:ri";

ParseResult finish(ParseResult r, int status, std::string out, std::string err = {}) {
    r.exit_now = status;
    r.out = std::move(out);
    r.err = std::move(err);
    return r;
}

}  // namespace

std::optional<uint32_t> parse_keyid_text(const std::string& text) {
    errno = 0;
    char* end = nullptr;
    unsigned long v = std::strtoul(text.c_str(), &end, 16);
    if (errno || end != text.c_str() + text.size() || v == ULONG_MAX || v > UINT_MAX || v == 0) return std::nullopt;
    return static_cast<uint32_t>(v);
}

ParseResult parse_args(int argc, char** argv, const std::string& tool) {
    ParseResult r;
    Options& o = r.options;
    optind = 0;  // 0 re-initialises glibc's getopt, so the parser may run more than once
    opterr = 1;  // getopt's own "unrecognized option" messages, as evmctl prints them
    for (;;) {
        int index = 0;
        int c = getopt_long(argc, argv, short_options, long_options, &index);
        if (c == -1) break;
        std::string arg = optarg ? optarg : "";
        switch (c) {
            case 'h': return finish(std::move(r), 0, usage_text(tool));
            case 'v': o.verbose++; break;
            case 'd': o.imahash = true; break;
            case 's': o.imasig = true; break;
            case 'n': o.no_xattr = true; break;
            case 'a': o.hash_algo = arg; break;
            case 'p':
                o.pass_given = true;
                if (optarg) {
                    o.pass = std::make_shared<const SecretString>(std::move(arg));  // no copy left behind
                    o.warnings.push_back(
                        "a password on the command line is visible to every user of this machine; "
                        "set EVMCTL_KEY_PASSWORD instead");
                } else {
                    o.pass.reset();
                }
                break;
            case 'f': o.sigfile = true; break;
            case 'u':
                o.uuid_given = true;
                if (optarg)
                    o.uuid = arg;
                else
                    o.uuid.reset();
                break;
            case '1': o.rsa_v1 = true; break;
            case 'k': o.key = arg; break;
            case 'i':
                if (o.portable)
                    o.warnings.push_back("portable and immutable options are exclusive, ignoring immutable option");
                else
                    o.immutable = true;
                break;
            case 'o':
                if (o.immutable)
                    o.warnings.push_back("portable and immutable options are exclusive, ignoring portable option");
                else
                    o.portable = true;
                break;
            case 't': o.type = arg; break;
            case 'r': o.recursive = true; break;
            case '3': o.msize = 32; break;
            case '6': o.msize = 64; break;
            case opt_smack: o.smack = true; break;
            case opt_version: return finish(std::move(r), 0, version_text(tool));
            case opt_inode: o.ino = arg; break;
            case opt_uid: o.uid = arg; break;
            case opt_gid: o.gid = arg; break;
            case opt_mode: o.mode = arg; break;
            case opt_generation: o.generation = arg; break;
            case opt_ima: o.ima_hex = arg; break;
            case opt_selinux: o.selinux = arg; break;
            case opt_caps:
                o.caps_given = true;
                if (optarg)
                    o.caps = arg;
                else
                    o.caps.reset();
                break;
            case opt_verify_sig: o.verify_sig = true; break;
            case opt_engine: o.engine = arg; break;
            case opt_hmackey: o.hmackey = arg; break;
            case opt_veritysig: o.veritysig = true; break;
            case opt_hwtpm: o.hwtpm = true; break;
            case opt_xattr_user: o.xattr_user = true; break;
            case opt_ignore_violations: o.ignore_violations = true; break;
            case opt_pcrs:
                if (o.pcrs.size() >= 2) return finish(std::move(r), 1, "", tool + ": error: too many --pcrs options\n");
                o.pcrs.push_back(arg);
                break;
            case opt_verify_bank:
                o.verify_bank_given = true;
                if (optarg) o.verify_bank = arg;
                break;
            case opt_keyid: {
                auto id = parse_keyid_text(arg);
                if (!id) return finish(std::move(r), 1, "", tool + ": error: invalid keyid value '" + arg + "'\n");
                o.keyid = id;
                break;
            }
            case opt_keyid_from_cert: {
                std::string why;
                auto id = keyid_from_cert_skid(arg, why);
                if (!id) return finish(std::move(r), 1, "", tool + ": error: error reading keyid: " + why + "\n");
                o.keyid = id;
                break;
            }
            default:  // '?': getopt already said what was wrong
                return finish(std::move(r), 1, "");
        }
    }
    for (int i = optind; i < argc; ++i) o.args.emplace_back(argv[i]);
    return r;
}

ParseResult parse_args(const std::vector<std::string>& args, const std::string& tool) {
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    return parse_args(static_cast<int>(copy.size()), argv.data(), tool);
}

}  // namespace ima::evmctl
