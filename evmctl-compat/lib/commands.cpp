#include "commands.hpp"

#include <strings.h>

#include "boot_aggregate.hpp"
#include "evm_commands.hpp"
#include "ima_commands.hpp"
#include "import_key.hpp"
#include "measurement.hpp"
#include "sign_hash.hpp"
#include "status.hpp"
#include "usage.hpp"

namespace ima::evmctl {

namespace {

int cmd_help(const Options& opts, Console& con) {
    if (opts.args.size() < 2) {
        con.print(usage_line("help"));
        return status_ok;
    }
    const std::string& name = opts.args[1];
    if (!command_help(name)) {
        con.print("invalid command: " + name + "\n");
        return status_error;
    }
    con.print(full_usage(name));
    return status_ok;
}

int not_supported(const std::string& command, const std::string& why, Console& con) {
    con.error(command + ": " + why);
    return status_error;
}

bool signs(const std::string& c) {
    return c == "ima_sign" || c == "sign" || c == "sign_hash" || c == "hmac";
}

}  // namespace

int run_command(const Options& opts, Console& con, std::istream& in) {
    if (opts.args.empty()) {
        con.print(usage_text(con.tool()));
        return status_ok;
    }
    for (const auto& w : opts.warnings) con.warning(w);
    std::string cmd = opts.args[0];
    for (auto& ch : cmd) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!command_help(cmd) || cmd == "--version") {
        con.print("Invalid command: " + opts.args[0] + "\n");
        return status_error;
    }
    // pkcs11: URIs load through the core without an engine; no other engine is supported.
    if (opts.engine && *opts.engine != "pkcs11")
        return not_supported(cmd, "--engine " + *opts.engine + ": OpenSSL engines are not supported", con);
    if (opts.rsa_v1 && signs(cmd))
        return not_supported(cmd, "--rsa: signature format v1 is not supported (use version 2, the default)", con);

    Options o = opts;
    o.args[0] = cmd;
    if (cmd == "help") return cmd_help(o, con);
    if (cmd == "ima_sign") return cmd_ima_sign(o, con);
    if (cmd == "ima_hash") return cmd_ima_hash(o, con);
    if (cmd == "ima_verify") return cmd_ima_verify(o, con);
    if (cmd == "ima_setxattr") return cmd_ima_setxattr(o, con);
    if (cmd == "ima_clear") return cmd_ima_clear(o, con);
    if (cmd == "ima_fix") return cmd_ima_fix(o, con);
    if (cmd == "sign_hash") return cmd_sign_hash(o, con, in);
    if (cmd == "sign") return cmd_sign(o, con);
    if (cmd == "verify") return cmd_verify(o, con);
    if (cmd == "hmac") return cmd_hmac(o, con, o.hmackey.value_or(hmac_key_path));
    if (cmd == "ima_measurement") return cmd_ima_measurement(o, con);
    if (cmd == "ima_boot_aggregate") return cmd_ima_boot_aggregate(o, con);
    if (cmd == "import") return cmd_import(o, con);
    if (cmd == "convert") return not_supported(cmd, "keys for signature format v1 are not supported", con);
    return not_supported(cmd, "not available in this build yet", con);
}

}  // namespace ima::evmctl
