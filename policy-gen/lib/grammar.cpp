// The kernel's tables: hook names (ima.h __ima_hooks), template names
// (ima_template.c builtin_templates), the built-in policies' skipped
// filesystems (ima_policy.c), and the release each keyword arrived in, from
// the history of ima_policy.c and Documentation/ABI/testing/ima_policy.
#include "ima/policy/grammar.hpp"

#include "ima/hash_algo.hpp"

namespace ima::policy {

namespace {

struct FuncName {
    Func func;
    const char* name;
};
constexpr FuncName func_names[] = {
    {Func::file_check, "FILE_CHECK"},
    {Func::mmap_check, "MMAP_CHECK"},
    {Func::mmap_check_reqprot, "MMAP_CHECK_REQPROT"},
    {Func::bprm_check, "BPRM_CHECK"},
    {Func::creds_check, "CREDS_CHECK"},
    {Func::module_check, "MODULE_CHECK"},
    {Func::firmware_check, "FIRMWARE_CHECK"},
    {Func::kexec_kernel_check, "KEXEC_KERNEL_CHECK"},
    {Func::kexec_initramfs_check, "KEXEC_INITRAMFS_CHECK"},
    {Func::policy_check, "POLICY_CHECK"},
    {Func::kexec_cmdline, "KEXEC_CMDLINE"},
    {Func::key_check, "KEY_CHECK"},
    {Func::critical_data, "CRITICAL_DATA"},
    {Func::setxattr_check, "SETXATTR_CHECK"},
};

}  // namespace

const char* func_name(Func f) {
    for (const auto& n : func_names)
        if (n.func == f) return n.name;
    return "";
}

std::optional<Func> parse_func(std::string_view name) {
    if (name == "FILE_MMAP") return Func::mmap_check;  // the name before 3.9
    if (name == "PATH_CHECK") return Func::file_check;
    for (const auto& n : func_names)
        if (name == n.name) return n.func;
    return std::nullopt;
}

bool is_kernel_read(Func f) {
    return f == Func::module_check || f == Func::firmware_check || f == Func::kexec_kernel_check ||
           f == Func::kexec_initramfs_check || f == Func::policy_check;
}

bool is_buffer_hook(Func f) {
    return f == Func::kexec_cmdline || f == Func::key_check || f == Func::critical_data;
}

unsigned mask_bit(std::string_view word) {
    if (word == "MAY_EXEC") return 1;
    if (word == "MAY_WRITE") return 2;
    if (word == "MAY_READ") return 4;
    if (word == "MAY_APPEND") return 8;
    return 0;
}

const char* mask_word(unsigned bit) {
    switch (bit) {
        case 1: return "MAY_EXEC";
        case 2: return "MAY_WRITE";
        case 4: return "MAY_READ";
        case 8: return "MAY_APPEND";
        default: return "";
    }
}

const std::vector<KeywordArrival>& keyword_history() {
    static const std::vector<KeywordArrival> table = {
        // actions
        {"measure", {2, 6, 30}},
        {"dont_measure", {2, 6, 30}},
        {"appraise", {3, 7}},
        {"dont_appraise", {3, 7}},
        {"audit", {3, 10}},
        {"hash", {4, 13}},
        {"dont_hash", {4, 13}},
        // conditions
        {"func", {2, 6, 30}},
        {"mask", {2, 6, 30}},
        {"fsmagic", {2, 6, 30}},
        {"uid", {2, 6, 30}},
        {"subj_user", {2, 6, 30}},
        {"subj_role", {2, 6, 30}},
        {"subj_type", {2, 6, 30}},
        {"obj_user", {2, 6, 30}},
        {"obj_role", {2, 6, 30}},
        {"obj_type", {2, 6, 30}},
        {"fowner", {3, 7}},
        {"fsuuid", {3, 9}},
        {"euid", {4, 7}},
        {"mask=^", {4, 13}},
        {"uid<", {4, 13}},
        {"uid>", {4, 13}},
        {"euid<", {4, 13}},
        {"euid>", {4, 13}},
        {"fowner<", {4, 13}},
        {"fowner>", {4, 13}},
        {"fsname", {5, 0}},
        {"keyrings", {5, 6}},
        {"label", {5, 12}},
        {"gid", {5, 16}},
        {"egid", {5, 16}},
        {"fgroup", {5, 16}},
        {"gid<", {5, 16}},
        {"gid>", {5, 16}},
        {"egid<", {5, 16}},
        {"egid>", {5, 16}},
        {"fgroup<", {5, 16}},
        {"fgroup>", {5, 16}},
        // options
        {"appraise_type", {3, 9}},
        {"appraise_type=imasig", {3, 9}},
        {"permit_directio", {3, 17}},
        {"pcr", {4, 8}},
        {"template", {5, 3}},
        {"appraise_type=imasig|modsig", {5, 4}},
        {"appraise_flag", {5, 5}},
        {"appraise_algos", {5, 15}},
        {"digest_type", {5, 19}},
        {"appraise_type=sigv3", {5, 19}},
        // func values
        {"func=BPRM_CHECK", {2, 6, 30}},
        {"func=FILE_MMAP", {2, 6, 30}},
        {"func=PATH_CHECK", {2, 6, 30}},
        {"func=MODULE_CHECK", {3, 7}},
        {"func=FILE_CHECK", {3, 9}},
        {"func=MMAP_CHECK", {3, 9}},
        {"func=FIRMWARE_CHECK", {3, 17}},
        {"func=POLICY_CHECK", {4, 6}},
        {"func=KEXEC_KERNEL_CHECK", {4, 6}},
        {"func=KEXEC_INITRAMFS_CHECK", {4, 6}},
        {"func=CREDS_CHECK", {4, 17}},
        {"func=KEXEC_CMDLINE", {5, 3}},
        {"func=KEY_CHECK", {5, 6}},
        {"func=CRITICAL_DATA", {5, 12}},
        {"func=SETXATTR_CHECK", {5, 15}},
        {"func=MMAP_CHECK_REQPROT", {6, 4}},
        // behaviours
        {"# after a rule", since::trailing_comment},
        {"appraise_type=sigv3 without digest_type", since::sigv3_regular_files},
    };
    return table;
}

std::optional<KernelVersion> keyword_since(std::string_view keyword) {
    for (const auto& k : keyword_history())
        if (keyword == k.keyword) return k.since;
    return std::nullopt;
}

const std::vector<TemplateInfo>& templates() {
    static const std::vector<TemplateInfo> table = {
        {"ima", "d|n", {3, 13}},
        {"ima-ng", "d-ng|n-ng", {3, 13}},
        {"ima-sig", "d-ng|n-ng|sig", {3, 13}},
        {"ima-buf", "d-ng|n-ng|buf", {5, 3}},
        {"ima-modsig", "d-ng|n-ng|sig|d-modsig|modsig", {5, 4}},
        {"evm-sig", "d-ng|n-ng|evmsig|xattrnames|xattrlengths|xattrvalues|iuid|igid|imode", {5, 13}},
        {"ima-ngv2", "d-ngv2|n-ng", {5, 19}},
        {"ima-sigv2", "d-ngv2|n-ng|sig", {5, 19}},
    };
    return table;
}

const TemplateInfo* find_template(std::string_view name_or_fmt) {
    // lookup_template_desc() matches a template's name or its format.
    for (const auto& t : templates())
        if (name_or_fmt == t.name || name_or_fmt == t.fmt) return &t;
    return nullptr;
}

const std::vector<SkippedFs>& skipped_filesystems() {
    static const std::vector<SkippedFs> table = {
        {"proc", "PROC_SUPER_MAGIC", 0x9fa0, true, true},
        {"sysfs", "SYSFS_MAGIC", 0x62656572, true, true},
        {"debugfs", "DEBUGFS_MAGIC", 0x64626720, true, true},
        {"tmpfs", "TMPFS_MAGIC", 0x01021994, true, true},
        {"ramfs", "RAMFS_MAGIC", 0x858458f6, false, true},
        {"devpts", "DEVPTS_SUPER_MAGIC", 0x1cd1, true, true},
        {"binfmt_misc", "BINFMTFS_MAGIC", 0x42494e4d, true, true},
        {"securityfs", "SECURITYFS_MAGIC", 0x73636673, true, true},
        {"selinuxfs", "SELINUX_MAGIC", 0xf97cff8c, true, true},
        {"smackfs", "SMACK_MAGIC", 0x43415d53, true, true},
        {"cgroup", "CGROUP_SUPER_MAGIC", 0x27e0eb, true, true},
        {"cgroup2", "CGROUP2_SUPER_MAGIC", 0x63677270, true, true},
        {"nsfs", "NSFS_MAGIC", 0x6e736673, true, true},
        {"efivarfs", "EFIVARFS_MAGIC", 0xde5e81e4, true, true},
    };
    return table;
}

const std::vector<SkippedFs>& skipped_filesystems_appraise_order() {
    // default_appraise_rules lists nsfs and efivarfs before the cgroups.
    static const std::vector<SkippedFs> table = [] {
        std::vector<SkippedFs> out;
        for (const char* n : {"proc", "sysfs", "debugfs", "tmpfs", "ramfs", "devpts", "binfmt_misc", "securityfs",
                              "selinuxfs", "smackfs", "nsfs", "efivarfs", "cgroup", "cgroup2"})
            for (const auto& fs : skipped_filesystems())
                if (std::string_view(fs.name) == n) out.push_back(fs);
        return out;
    }();
    return table;
}

const SkippedFs* find_filesystem(uint64_t magic) {
    for (const auto& fs : skipped_filesystems())
        if (fs.magic == magic) return &fs;
    return nullptr;
}

bool is_kernel_hash_name(std::string_view name) {
    for (const auto& a : hash_algos())
        if (name == a.name) return true;
    return false;
}

}  // namespace ima::policy
