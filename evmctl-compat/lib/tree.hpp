// `evmctl CMD -r DIR`: every regular file under DIR, through the core's
// parallel walker in evmctl's order (WalkOrder::directory: depth first, in
// readdir order), each file's stdout text printed in that order, so that
// scripts reading the output line by line see the same sequence. A file
// with several names is signed once and printed once per name.
#pragma once

#include <functional>
#include <string>

#include "console.hpp"
#include "ima/tree_walk.hpp"

namespace ima::evmctl {

struct RecurseOptions {
    bool files = true;     // -t without 'f' selects no file at all
    bool same_fs = false;  // -t m: stay on DIR's filesystem
    unsigned jobs = 0;     // worker threads; 0 = one per CPU
};

// Appends the text to print on stdout for one file to `out`; throws ima::Error
// for a file that fails, which is reported on stderr. What
// was appended before the throw is printed too (evmctl prints a signature
// before it tries to set the xattr).
using FileOp = std::function<void(const WalkFile&, std::string& out)>;

// Returns 125 when DIR cannot be opened as a directory and 0 otherwise: as
// with evmctl, a file that fails inside the tree is reported but does not
// change the exit status.
int run_recursive(const std::string& dir, const RecurseOptions& ro, const FileOp& op, Console& con);

}  // namespace ima::evmctl
