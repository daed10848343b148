// When each keyword of the policy language arrived, from the kernel's history
// of Documentation/ABI/testing/ima_policy and ima_policy.c.
#include "ima/policy/lint.hpp"

namespace ima::policy {

const std::vector<KeywordInfo>& keyword_history() {
    static const std::vector<KeywordInfo> table = {
        // conditions
        {"func", {2, 6}},
        {"mask", {2, 6}},
        {"fsmagic", {2, 6}},
        {"uid", {2, 6}},
        {"subj_user", {2, 6}},
        {"subj_role", {2, 6}},
        {"subj_type", {2, 6}},
        {"obj_user", {2, 6}},
        {"obj_role", {2, 6}},
        {"obj_type", {2, 6}},
        {"fowner", {3, 7}},
        {"fsuuid", {3, 9}},
        {"euid", {4, 2}},
        {"fsname", {5, 11}},
        {"keyrings", {5, 6}},
        {"label", {5, 12}},
        {"gid", {5, 16}},
        {"egid", {5, 16}},
        {"fgroup", {5, 16}},
        {"uid<", {4, 12}},
        {"uid>", {4, 12}},
        {"euid<", {4, 12}},
        {"euid>", {4, 12}},
        {"fowner<", {4, 12}},
        {"fowner>", {4, 12}},
        // options
        {"appraise_type", {3, 9}},
        {"permit_directio", {3, 16}},
        {"pcr", {4, 8}},
        {"appraise_type=imasig|modsig", {5, 4}},
        {"appraise_flag", {5, 4}},
        {"template", {5, 9}},
        {"appraise_algos", {5, 15}},
        {"digest_type", {5, 19}},
        {"appraise_type=sigv3", {5, 19}},
        // func values
        {"BPRM_CHECK", {2, 6}},
        {"FILE_MMAP", {2, 6}},
        {"FILE_CHECK", {2, 6}},
        {"PATH_CHECK", {2, 6}},
        {"MMAP_CHECK", {3, 9}},
        {"MODULE_CHECK", {3, 7}},
        {"FIRMWARE_CHECK", {3, 17}},
        {"POLICY_CHECK", {4, 6}},
        {"KEXEC_KERNEL_CHECK", {4, 6}},
        {"KEXEC_INITRAMFS_CHECK", {4, 6}},
        {"CREDS_CHECK", {4, 20}},
        {"KEXEC_CMDLINE", {5, 3}},
        {"KEY_CHECK", {5, 6}},
        {"CRITICAL_DATA", {5, 12}},
        {"SETXATTR_CHECK", {5, 15}},
        {"MMAP_CHECK_REQPROT", {6, 4}},
    };
    return table;
}

std::optional<std::string> canonical_func(const std::string& name) {
    if (name == "FILE_MMAP") return "MMAP_CHECK";
    if (name == "PATH_CHECK") return "FILE_CHECK";
    for (const char* f : {"BPRM_CHECK", "MMAP_CHECK", "FILE_CHECK", "MODULE_CHECK", "FIRMWARE_CHECK", "POLICY_CHECK",
                          "KEXEC_KERNEL_CHECK", "KEXEC_INITRAMFS_CHECK", "CREDS_CHECK", "KEXEC_CMDLINE", "KEY_CHECK",
                          "CRITICAL_DATA", "SETXATTR_CHECK", "MMAP_CHECK_REQPROT"})
        if (name == f) return name;
    return std::nullopt;
}

}  // namespace ima::policy
