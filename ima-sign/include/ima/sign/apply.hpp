// `ima-sign apply`: stores the security.ima values of a manifest on the files
// of a tree (signed elsewhere, say on a build host with the key), after
// checking that each file's digest is the one the manifest was signed over.
#pragma once

#include <functional>
#include <string>

#include "ima/manifest.hpp"
#include "ima/sign/write_values.hpp"
#include "ima/tree_walk.hpp"
#include "ima/xattr_io.hpp"

namespace ima::sign {

struct ApplyRequest {
    std::string root = ".";
    XattrNamespace ns = XattrNamespace::security;
    Write write = Write::yes;
    unsigned jobs = 0;
};

// Each file: opened beneath root without following links, hashed with the
// manifest's algorithm, compared with the manifest's digest, and only then
// given the value (fsetxattr on that descriptor). A file that differs, is
// missing or has no value in the manifest is a failure; the others go on.
WalkSummary apply_manifest(const Manifest& m, const ApplyRequest& req, const RecordFn& on_record,
                           const FailureFn& on_failure);

}  // namespace ima::sign
