// The reference manifest `ima-sign sign --manifest` writes and `ima-sign
// apply` and `ima-attest verify --manifest` read:
//   {"version":1,"hash_algo":"sha256","root":"/build/rootfs",
//    "files":[{"path":"usr/bin/ls","digest":"<hex>","security.ima":"<hex>"}]}
// Paths are relative to the signed root: never absolute, never "..". "root"
// (optional: tar manifests have none) says which folder of the signing host
// that was. It documents the run: readers open files beneath their own
// root (apply --root, the measurement list's paths), never through it.
#pragma once

#include <string>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"

namespace ima {

struct ManifestFile {
    std::string path;
    Bytes digest;     // with the manifest's hash_algo
    Bytes ima_value;  // the security.ima value (may be empty when absent)
};

struct Manifest {
    HashAlgo algo = HashAlgo::sha256;
    std::string root;  // "root": an absolute path on the signing host, or empty
    std::vector<ManifestFile> files;
};

// Parses and checks a manifest: JSON syntax, version 1, a known algorithm,
// "root" (when present: a string holding an absolute path without NUL),
// each digest's length, each security.ima value's wire format, each path
// (relative, no "..", no NUL, no repeats). Throws FormatError naming the
// field ("files[3].digest: ...").
Manifest parse_manifest(ByteView json_text);

// The largest manifest a reader takes (about four million files).
inline constexpr size_t kMaxManifestBytes = size_t{1} << 30;

// True when `rel` is a safe relative path: not empty, not absolute, no "."
// or ".." component, no empty component, no NUL.
bool is_safe_relative_path(const std::string& rel);

}  // namespace ima
