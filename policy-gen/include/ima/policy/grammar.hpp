// What the kernel knows of the policy language, as tables: the hooks (func=),
// when each keyword arrived, the templates, the filesystems the kernel's own
// policies leave alone. One place to change when a kernel release adds one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ima/policy/policy.hpp"

namespace ima::policy {

// enum ima_hooks (security/integrity/ima/ima.h), without the internal
// POST_SETATTR, with NONE for a rule without func=.
enum class Func {
    none,
    file_check,
    mmap_check,
    mmap_check_reqprot,
    bprm_check,
    creds_check,
    module_check,
    firmware_check,
    kexec_kernel_check,
    kexec_initramfs_check,
    policy_check,
    kexec_cmdline,
    key_check,
    critical_data,
    setxattr_check,
};
// The kernel's name ("BPRM_CHECK"); "" for Func::none.
const char* func_name(Func f);
// A func= value as the kernel reads it, with the old names FILE_MMAP
// (MMAP_CHECK) and PATH_CHECK (FILE_CHECK); nullopt when unknown.
std::optional<Func> parse_func(std::string_view name);
// The hooks that read a whole file on the kernel's behalf (kernel_read_file):
// MODULE_CHECK, FIRMWARE_CHECK, KEXEC_KERNEL_CHECK, KEXEC_INITRAMFS_CHECK, POLICY_CHECK.
bool is_kernel_read(Func f);
// The hooks that measure a buffer, not a file: KEXEC_CMDLINE, KEY_CHECK, CRITICAL_DATA.
bool is_buffer_hook(Func f);

// The mask= words, MAY_EXEC 1, MAY_WRITE 2, MAY_READ 4, MAY_APPEND 8
// (include/linux/fs.h); 0 when unknown.
unsigned mask_bit(std::string_view word);
const char* mask_word(unsigned bit);

// When a keyword arrived: the first kernel release whose ima_policy.c
// accepts it. Keys are the action and condition words ("appraise", "fowner",
// "uid<" for the comparison forms, "mask=^" for inverted masks), func values
// ("func=MMAP_CHECK_REQPROT"), option values ("appraise_type=imasig|modsig"),
// and a few behaviours ("# after a rule": a trailing comment;
// "appraise_type=sigv3 without digest_type": v3 signatures of regular files).
struct KeywordArrival {
    const char* keyword;
    KernelVersion since;
};
const std::vector<KeywordArrival>& keyword_history();
std::optional<KernelVersion> keyword_since(std::string_view keyword);

// Release milestones lint needs besides single keywords.
namespace since {
inline constexpr KernelVersion rule_validation{5, 9, 0};        // ima_validate_rule: option/func combinations refused
inline constexpr KernelVersion appraise_flag_ignored{6, 6, 0};  // check_blacklist is the default; the flag is ignored
inline constexpr KernelVersion tmpfs_measure_file_check{6, 14, 0};  // tcb: dont_measure tmpfs only for FILE_CHECK
inline constexpr KernelVersion trailing_comment{6, 14, 0};
inline constexpr KernelVersion sigv3_regular_files{7, 1, 0};
}  // namespace since

// The templates the kernel defines (builtin_templates in ima_template.c);
// template= takes a name or one of these formats.
struct TemplateInfo {
    const char* name;
    const char* fmt;
    KernelVersion since;
};
const std::vector<TemplateInfo>& templates();
const TemplateInfo* find_template(std::string_view name_or_fmt);

// Filesystems the kernel's built-in policies never measure or appraise
// (dont_measure_rules and default_appraise_rules in ima_policy.c), in the
// kernel's order, with the magic numbers of include/uapi/linux/magic.h.
struct SkippedFs {
    const char* name;   // "proc"
    const char* macro;  // "PROC_SUPER_MAGIC"
    uint64_t magic;
    bool dont_measure;   // in dont_measure_rules
    bool dont_appraise;  // in default_appraise_rules
};
const std::vector<SkippedFs>& skipped_filesystems();                 // in dont_measure_rules order
const std::vector<SkippedFs>& skipped_filesystems_appraise_order();  // in default_appraise_rules order
const SkippedFs* find_filesystem(uint64_t magic);
inline constexpr uint64_t ext4_magic = 0xef53;  // EXT4_SUPER_MAGIC (also ext2/ext3)

// The hash algorithm names appraise_algos= takes (hash_algo_name[]).
bool is_kernel_hash_name(std::string_view name);

}  // namespace ima::policy
