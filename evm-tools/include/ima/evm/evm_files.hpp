// evm-tool's operations on files and trees: make security.evm (signature or
// HMAC), check it, and read both IMA/EVM values, in parallel through the
// core walker. Each file is read and written through the one descriptor the
// walker opened.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ima/evm/evm.hpp"
#include "ima/key.hpp"
#include "ima/tree_walk.hpp"
#include "ima/xattr_io.hpp"

namespace ima::evmtool {

enum class Write { yes, print_only };

struct MakeRequest {
    evm::EvmKind kind = evm::EvmKind::immutable;
    HashAlgo algo = HashAlgo::sha256;  // signatures; an HMAC is always HMAC-SHA1
    evm::EvmOverrides overrides;
    XattrNamespace ns = XattrNamespace::security;
    Write write = Write::yes;
    WalkOptions walk;
};

struct ValueRecord {
    std::string path;
    Bytes value;  // the security.evm value written (or that would be, with print_only)
};
// Called once per file done, one call at a time.
using ValueFn = std::function<void(const ValueRecord&)>;

// security.evm = a type 3 (immutable) or 5 (portable) signature of each file.
WalkSummary sign_files(const std::vector<std::string>& paths, const PrivateKey& key, KeyId keyid,
                       const MakeRequest& req, const ValueFn& on_value, const FailureFn& on_failure);

// security.evm = the type 2 HMAC of each file with the raw EVM key.
WalkSummary hmac_files(const std::vector<std::string>& paths, ByteView hmac_key, const MakeRequest& req,
                       const ValueFn& on_value, const FailureFn& on_failure);

struct CheckRequest {
    std::vector<VerifyKey> keys;
    std::optional<ByteView> hmac_key;
    evm::EvmOverrides overrides;
    XattrNamespace ns = XattrNamespace::security;
    WalkOptions walk;
};
struct CheckRecord {
    std::string path;
    evm::EvmCheck check;
};
using CheckFn = std::function<void(const CheckRecord&)>;

// Checks each file's security.evm against its xattrs and metadata. A file
// that fails goes to on_failure: "no security.evm", "malformed security.evm:
// <field>: ...", "bad portable EVM signature ...", "HMAC mismatch ...".
WalkSummary verify_files(const std::vector<std::string>& paths, const CheckRequest& req, const CheckFn& on_ok,
                         const FailureFn& on_failure);

struct ShowRecord {
    std::string path;
    std::optional<Bytes> ima;  // security.ima (or user.ima), if present
    std::optional<Bytes> evm;
    std::vector<std::string> protected_present;  // the protected xattrs the file has, kernel order
};
using ShowFn = std::function<void(const ShowRecord&)>;

// Reads security.ima and security.evm of each file. on_record is called for
// every file, then a malformed value is also reported as a failure.
WalkSummary read_values(const std::vector<std::string>& paths, XattrNamespace ns, const WalkOptions& walk,
                        const ShowFn& on_record, const FailureFn& on_failure);

}  // namespace ima::evmtool
