// Evaluating a policy on one event the way ima_match_policy() does: the
// rules in order, and for each kind (measure/dont_measure,
// appraise/dont_appraise, audit, hash/dont_hash) the first matching rule
// decides.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ima/policy/grammar.hpp"
#include "ima/policy/policy.hpp"

namespace ima::policy {

// What the kernel knows when it consults the policy: the hook, the access
// mask, the file's filesystem and owner, the process's credentials, and for
// KEY_CHECK and CRITICAL_DATA the keyring or label.
struct Event {
    Func func = Func::file_check;
    std::optional<unsigned> mask;  // MAY_EXEC 1 | MAY_WRITE 2 | MAY_READ 4 | MAY_APPEND 8; default: default_mask()
    std::optional<uint64_t> fsmagic;
    std::optional<std::string> fsname;  // "ext4"
    std::optional<std::string> fsuuid;  // any case
    std::optional<uint32_t> uid, euid, gid, egid, fowner, fgroup;
    std::optional<std::string> keyring;  // KEY_CHECK
    std::optional<std::string> label;    // CRITICAL_DATA
};

// The mask the kernel passes for a hook: MAY_EXEC for BPRM_CHECK, CREDS_CHECK
// and the mmap hooks, MAY_READ for FILE_CHECK of a file opened for reading and
// for the files the kernel reads itself (process_measurement callers in
// ima_main.c); 0 for the buffer hooks.
unsigned default_mask(Func f);

// Conditions an event does not give (no --fsmagic, no uid), and subj_/obj_
// labels, which only the running LSM can judge:
enum class Unknowns {
    no_match,      // such a rule is taken as not matching (explain)
    conservative,  // appraise and measure rules match, dont_ rules do not (offline signing: sign when unsure)
};

struct Decision {
    const Rule* measure = nullptr;   // the deciding measure or dont_measure rule
    const Rule* appraise = nullptr;  // the deciding appraise or dont_appraise rule
    const Rule* audit = nullptr;
    const Rule* hash = nullptr;  // the deciding hash or dont_hash rule
    // Rules whose match could not be decided from the event, with what was missing.
    std::vector<std::pair<const Rule*, std::string>> undecided;

    bool measured() const { return measure && measure->action == Action::measure; }
    bool appraised() const { return appraise && appraise->action == Action::appraise; }
    bool audited() const { return audit != nullptr; }
    // "imasig", "imasig|modsig", "sigv3" or "" (a valid hash is enough).
    std::string appraise_type() const;
    unsigned pcr() const;               // the measure rule's pcr= or 10
    std::string template_name() const;  // the measure rule's template= or ""
};

Decision evaluate(const Policy& p, const Event& e, Unknowns u = Unknowns::no_match);

// "MAY_EXEC|MAY_READ", "exec,read" or a number into mask bits. Throws UsageError.
unsigned parse_mask(const std::string& s);

}  // namespace ima::policy
