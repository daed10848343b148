// How a command runs on its operand: one path, or (-r) every regular file
// of a tree; and how failures become evmctl's output and exit status.
#pragma once

#include <functional>
#include <string>

#include "console.hpp"
#include "options.hpp"
#include "tree.hpp"

namespace ima::evmctl {

// "usage: CMD ..." on stdout and an error on stderr, as evmctl does when the
// operand is missing. Returns 125.
int missing_operand(const std::string& command, Console& con);

// Runs `op` for the one path; prints what it appended to `out`, then the
// error if it threw. Returns 0, or the failure's status.
using PathOp = std::function<void(const std::string& path, std::string& out)>;
int run_single(const std::string& path, Console& con, const PathOp& op);

// -r: `file_op` for each regular file under the operand (-t f/m honoured);
// otherwise `path_op` for the operand itself.
int run_operand(const Options& opts, Console& con, const PathOp& path_op, const FileOp& file_op);

// The xattr names of this run: security.ima/evm, or user.* with --xattr-user.
std::string ima_xattr(const Options& opts);
std::string evm_xattr(const Options& opts);

}  // namespace ima::evmctl
