// The security.ima commands of evmctl: ima_sign, ima_hash, ima_verify,
// ima_setxattr, ima_clear, ima_fix. Each returns evmctl's exit status for
// the same inputs; stdout carries what evmctl prints there.
#pragma once

#include "console.hpp"
#include "options.hpp"

namespace ima::evmctl {

int cmd_ima_sign(const Options& opts, Console& con);
int cmd_ima_hash(const Options& opts, Console& con);
int cmd_ima_verify(const Options& opts, Console& con);
int cmd_ima_setxattr(const Options& opts, Console& con);
int cmd_ima_clear(const Options& opts, Console& con);
int cmd_ima_fix(const Options& opts, Console& con);

}  // namespace ima::evmctl
