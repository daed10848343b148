#include "ima/policy/profiles.hpp"

#include "ima/error.hpp"

namespace ima::policy {

namespace {

struct Magic {
    const char* hex;
    const char* name;
};
// ima_policy.c: dont_measure_rules and default_appraise_rules.
const Magic measure_skip[] = {
    {"0x9fa0", "PROC_SUPER_MAGIC"},     {"0x62656572", "SYSFS_MAGIC"},         {"0x64626720", "DEBUGFS_MAGIC"},
    {"0x1021994", "TMPFS_MAGIC"},       {"0x1cd1", "DEVPTS_SUPER_MAGIC"},      {"0x42494e4d", "BINFMTFS_MAGIC"},
    {"0x73636673", "SECURITYFS_MAGIC"}, {"0xf97cff8c", "SELINUX_MAGIC"},       {"0x43415d53", "SMACK_MAGIC"},
    {"0x27e0eb", "CGROUP_SUPER_MAGIC"}, {"0x63677270", "CGROUP2_SUPER_MAGIC"}, {"0x6e736673", "NSFS_MAGIC"},
    {"0xde5e81e4", "EFIVARFS_MAGIC"},
};
const Magic appraise_skip[] = {
    {"0x9fa0", "PROC_SUPER_MAGIC"},     {"0x62656572", "SYSFS_MAGIC"},         {"0x64626720", "DEBUGFS_MAGIC"},
    {"0x1021994", "TMPFS_MAGIC"},       {"0x858458f6", "RAMFS_MAGIC"},         {"0x1cd1", "DEVPTS_SUPER_MAGIC"},
    {"0x42494e4d", "BINFMTFS_MAGIC"},   {"0x73636673", "SECURITYFS_MAGIC"},    {"0xf97cff8c", "SELINUX_MAGIC"},
    {"0x43415d53", "SMACK_MAGIC"},      {"0x6e736673", "NSFS_MAGIC"},          {"0xde5e81e4", "EFIVARFS_MAGIC"},
    {"0x27e0eb", "CGROUP_SUPER_MAGIC"}, {"0x63677270", "CGROUP2_SUPER_MAGIC"},
};

struct Builder {
    const ProfileOptions& o;
    std::string text, notes;
    void comment(const std::string& c) { text += "# " + c + "\n"; }
    void rule(const std::string& r) { text += r + "\n"; }
    bool kernel_has(unsigned major, unsigned minor) const {
        return !o.kernel || !(*o.kernel < KernelVersion{major, minor});
    }
    void skip(const Magic (&list)[14], const char* action) {
        for (const auto& m : list) rule(std::string(action) + " fsmagic=" + m.hex + "   # " + m.name);
    }
    void skip13(const Magic (&list)[13], const char* action) {
        for (const auto& m : list) rule(std::string(action) + " fsmagic=" + m.hex + "   # " + m.name);
    }
    std::string where() const { return o.fsuuid ? " fsuuid=" + *o.fsuuid : ""; }
    std::string measure_opts() {
        if (!o.template_name) return "";
        if (!kernel_has(5, 9)) {
            note("template= needs kernel 5.9: left out, the kernel's default template applies");
            return "";
        }
        return " template=" + *o.template_name;
    }
    std::string sig() {
        if (!o.sigv3) return " appraise_type=imasig";
        if (!kernel_has(5, 19)) {
            note("fs-verity signatures (sigv3) need kernel 5.19: replaced by appraise_type=imasig");
            return " appraise_type=imasig";
        }
        return " digest_type=verity appraise_type=sigv3";
    }
    void note(const std::string& n) {
        if (notes.find(n) == std::string::npos) notes += "# note: " + n + "\n";
    }
};

std::string strip_comments(const std::string& text) {
    // Rules keep a trailing "# NAME" comment for readers; the kernel reads
    // one rule a line and stops at the first blank-separated '#'? It does not:
    // so trailing comments go onto their own line above the rule instead.
    std::string out;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        size_t hash = line.find("   # ");
        if (hash != std::string::npos && line[0] != '#') {
            out += "# " + line.substr(hash + 5) + "\n" + line.substr(0, hash) + "\n";
        } else {
            out += line + "\n";
        }
    }
    return out;
}

}  // namespace

const std::vector<ProfileInfo>& profiles() {
    static const std::vector<ProfileInfo> list = {
        {"appraise-exec",
         "signatures required for executables, mmapped code, modules, firmware, kexec kernels and the policy"},
        {"appraise-tcb", "the kernel's built-in appraise_tcb policy: files owned by root must carry a valid value"},
        {"measure-tcb",
         "the kernel's built-in tcb policy: measure executables, code, modules, firmware and root's reads"},
        {"secure-boot", "the kernel's built-in secure_boot policy: signed modules, firmware, kexec kernels and policy"},
    };
    return list;
}

std::string generate_profile(const std::string& name, const ProfileOptions& o) {
    Builder b{o, "", ""};
    if (o.template_name && !o.measure && name != "measure-tcb")
        throw UsageError("--template applies to measure rules: add --measure");
    const std::string w = b.where();
    if (name == "measure-tcb") {
        b.skip13(measure_skip, "dont_measure");
        const std::string t = b.measure_opts();
        b.rule("measure func=MMAP_CHECK mask=MAY_EXEC" + w + t);
        b.rule("measure func=BPRM_CHECK mask=MAY_EXEC" + w + t);
        b.rule("measure func=FILE_CHECK mask=^MAY_READ euid=0" + w + t);
        b.rule("measure func=FILE_CHECK mask=^MAY_READ uid=0" + w + t);
        b.rule("measure func=MODULE_CHECK" + t);
        b.rule("measure func=FIRMWARE_CHECK" + t);
        b.rule("measure func=POLICY_CHECK" + t);
    } else if (name == "appraise-tcb") {
        if (o.measure) b.skip13(measure_skip, "dont_measure");
        b.skip(appraise_skip, "dont_appraise");
        if (o.measure) b.rule("measure fowner=0" + w + b.measure_opts());
        b.rule("appraise func=POLICY_CHECK appraise_type=imasig");
        b.rule("appraise fowner=0" + w);
    } else if (name == "secure-boot") {
        if (o.measure) {
            const std::string t = b.measure_opts();
            for (const char* f : {"MODULE_CHECK", "FIRMWARE_CHECK", "KEXEC_KERNEL_CHECK", "POLICY_CHECK"})
                b.rule(std::string("measure func=") + f + t);
        }
        for (const char* f : {"MODULE_CHECK", "FIRMWARE_CHECK", "KEXEC_KERNEL_CHECK", "POLICY_CHECK"})
            b.rule(std::string("appraise func=") + f + " appraise_type=imasig");
    } else if (name == "appraise-exec") {
        if (o.measure) b.skip13(measure_skip, "dont_measure");
        b.skip(appraise_skip, "dont_appraise");
        if (o.measure) {
            const std::string t = b.measure_opts();
            b.rule("measure func=BPRM_CHECK mask=MAY_EXEC" + w + t);
            b.rule("measure func=MMAP_CHECK mask=MAY_EXEC" + w + t);
            for (const char* f : {"MODULE_CHECK", "FIRMWARE_CHECK", "KEXEC_KERNEL_CHECK", "POLICY_CHECK"})
                b.rule(std::string("measure func=") + f + t);
        }
        const std::string s = b.sig();
        b.rule("appraise func=BPRM_CHECK mask=MAY_EXEC" + w + s);
        b.rule("appraise func=MMAP_CHECK mask=MAY_EXEC" + w + s);
        // Modules, firmware, kexec kernels and the policy are read by the
        // kernel itself: signatures in security.ima (no fs-verity there).
        for (const char* f : {"MODULE_CHECK", "FIRMWARE_CHECK", "KEXEC_KERNEL_CHECK", "POLICY_CHECK"})
            b.rule(std::string("appraise func=") + f + " appraise_type=imasig");
    } else {
        throw UsageError("unknown profile '" + name + "' (ima-policy profiles lists them)");
    }
    std::string head = "# IMA policy: profile " + name + ", made by ima-policy generate\n";
    for (const auto& p : profiles())
        if (name == p.name) head += "# " + std::string(p.summary) + "\n";
    if (o.kernel) head += "# target kernel: " + o.kernel->text() + "\n";
    return head + b.notes + strip_comments(b.text);
}

}  // namespace ima::policy
