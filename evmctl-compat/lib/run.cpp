#include "run.hpp"

#include "ima/error.hpp"
#include "ima/xattr_io.hpp"
#include "status.hpp"
#include "usage.hpp"

namespace ima::evmctl {

int missing_operand(const std::string& command, Console& con) {
    con.error(command + ": parameters missing");
    con.print(usage_line(command));
    return status_error;
}

int run_single(const std::string& path, Console& con, const PathOp& op) {
    std::string out;
    int status = status_ok;
    std::string message;
    try {
        op(path, out);
    } catch (const Error& e) {
        status = evmctl_status(e);
        message = e.what();
    }
    if (!out.empty()) con.print(out);
    if (status != status_ok) con.error(message);
    return status;
}

int run_operand(const Options& opts, Console& con, const PathOp& path_op, const FileOp& file_op) {
    const std::string& command = opts.args.at(0);
    if (opts.args.size() < 2) return missing_operand(command, con);
    const std::string& path = opts.args[1];
    if (!opts.recursive) return run_single(path, con, path_op);
    RecurseOptions ro;
    if (opts.type) {
        ro.files = opts.type->find('f') != std::string::npos;
        ro.same_fs = opts.type->find('m') != std::string::npos;
    }
    return run_recursive(path, ro, file_op, con);
}

std::string ima_xattr(const Options& opts) {
    return xattr_name(opts.xattr_user ? XattrNamespace::user : XattrNamespace::security, "ima");
}

std::string evm_xattr(const Options& opts) {
    return xattr_name(opts.xattr_user ? XattrNamespace::user : XattrNamespace::security, "evm");
}

}  // namespace ima::evmctl
