// `ima-attest verify`: what a verifier checks in a measurement list beyond
// the PCRs: every signature the entries carry (against certificates), every
// file digest against the reference manifest `ima-sign sign --manifest`
// wrote, and each entry's recorded template digest against its data.
//
// Paths: the list holds absolute paths as the measured machine saw them, the
// manifest paths relative to the signed root. A list path maps to a manifest
// path by removing `root` ("/" by default; "/mnt/image" when the signed tree
// was mounted there). Entries outside the root, and entries that name no file
// (boot_aggregate, ima-buf records, violations), are not compared. With root
// "auto" (the default) the root is the prefix that maps the most list paths
// onto manifest paths ("/mnt" when the image was mounted there), or "/" when
// no path maps under any prefix.
#pragma once

#include <string>
#include <vector>

#include "ima/manifest.hpp"
#include "ima/measurement/list.hpp"
#include "ima/signature.hpp"

namespace ima::attest {

enum class Finding {
    bad_signature,           // a signature that does not verify
    unknown_key,             // signed with a key none of the certificates has
    malformed_signature,     // a signature value that does not follow its format
    unsupported_signature,   // a signature that cannot be checked here
    unsigned_file,           // no signature, with --require-signatures
    digest_mismatch,         // in the manifest with another digest
    algorithm_mismatch,      // in the manifest, but the list has a digest of another kind
    unknown_file,            // not in the manifest, and not signed by a known key
    unexpected_signed_file,  // not in the manifest, though signed by a known key
    bad_template_digest,     // the recorded template digest does not match the entry's data
    malformed_entry,         // template data that does not split into the template's fields
    unknown_template,        // a template this verifier cannot interpret
    nothing_verified,        // no entry met any check asked for: a pass over nothing is no pass
};
const char* finding_name(Finding f);  // "bad signature", "digest mismatch", ...

struct FindingItem {
    size_t index = 0;  // entry, 1-based
    std::string path;  // event name
    Finding what;
    std::string detail;
};

// A check that passed, for -v and --json.
struct PassItem {
    size_t index = 0;
    std::string path;
    std::string what;  // "ima signature, key 1a2b3c4d", "digest matches the manifest"
};

struct VerifyOptions {
    const std::vector<VerifyKey>* keys = nullptr;  // nullptr: signatures are not checked
    const Manifest* manifest = nullptr;            // nullptr: digests are not compared
    std::string root = "auto";
    bool require_signatures = false;
};

struct VerifyReport {
    std::string root;  // the root used for the manifest ("/" or "/mnt")
    size_t entries = 0;
    size_t violations = 0;
    size_t signatures_good = 0;
    size_t signatures_checked = 0;  // good or not
    size_t manifest_matched = 0;
    size_t manifest_compared = 0;  // entries compared with the manifest, matching or not
    size_t outside_root = 0;
    std::vector<std::string> not_measured;  // manifest paths no entry names
    std::vector<FindingItem> findings;      // every failure, in list order
    std::vector<PassItem> passed;
    bool ok() const { return findings.empty(); }
};

// The root "auto" picks: the prefix under which the most file entries of the
// list are manifest paths ("/" when none).
std::string detect_root(const measurement::MeasurementList& list, const Manifest& manifest);

// A list in which no entry met any of the checks asked for (no signature to
// check, no file to compare: an empty list, say) gets the finding
// nothing_verified, so that it is never reported as verified.
// Throws UsageError when root is neither "auto" nor an absolute path.
VerifyReport verify_list(const measurement::MeasurementList& list, const VerifyOptions& opts);

}  // namespace ima::attest
