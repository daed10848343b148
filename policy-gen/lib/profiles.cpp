// The profiles. measure-tcb, appraise-tcb and secure-boot reproduce the
// kernel's built-in rule tables (dont_measure_rules, default_measurement_rules,
// default_appraise_rules, secure_boot_rules in ima_policy.c), printed the way
// the kernel prints a rule (func first, fsmagic as 0x%lx). appraise-exec asks
// for signatures on everything that runs code.
#include "ima/policy/profiles.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "ima/error.hpp"
#include "ima/policy/grammar.hpp"
#include "ima/policy/lint.hpp"
#include "lint_internal.hpp"

namespace ima::policy {

namespace {

std::string hex(uint64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

struct Builder {
    const ProfileOptions& o;
    std::string body, notes;

    bool has(KernelVersion v) const { return !o.kernel || !(*o.kernel < v); }
    void line(const std::string& s) { body += s + "\n"; }
    void blank() { body += "\n"; }
    void note(const std::string& n) {
        std::string l = "# note: " + n + "\n";
        if (notes.find(l) == std::string::npos) notes += l;
    }
    std::string where() const { return o.fsuuid ? " fsuuid=" + *o.fsuuid : ""; }

    std::string template_opt() {
        std::string name = o.template_name.value_or("");
        if (name.empty() && o.sigv3 && has({5, 19})) name = "ima-sigv2";  // the list should say "verity digest"
        if (name.empty()) return "";
        const TemplateInfo* t = find_template(name);
        if (!t) throw UsageError("--template " + name + ": the kernel defines no such template (ima-ng, ima-sig, ...)");
        if (!has({5, 3})) {
            note("template= needs kernel 5.3: left out, the kernel's default template applies");
            return "";
        }
        if (!has(t->since)) {
            const char* older = std::string_view(t->fmt).find("sig") != std::string_view::npos ? "ima-sig" : "ima-ng";
            note(std::string("template ") + t->name + " needs kernel " + t->since.text() + ": replaced by " + older);
            return std::string(" template=") + older;
        }
        return " template=" + name;
    }

    std::string signature() {
        if (!o.sigv3) return " appraise_type=imasig";
        if (!has({5, 19})) {
            note("fs-verity signatures (sigv3) need kernel 5.19: replaced by appraise_type=imasig");
            return " appraise_type=imasig";
        }
        return " digest_type=verity appraise_type=sigv3";
    }

    void dont_measure() {
        line("# Filesystems the kernel's tcb policy does not measure");
        for (const auto& fs : skipped_filesystems()) {
            if (!fs.dont_measure) continue;
            line(std::string("# ") + fs.macro);
            if (fs.magic == 0x01021994 && has(since::tmpfs_measure_file_check))
                line("dont_measure func=FILE_CHECK fsmagic=" + hex(fs.magic));
            else
                line("dont_measure fsmagic=" + hex(fs.magic));
        }
    }

    void dont_appraise() {
        line("# Filesystems the kernel's appraise_tcb policy does not appraise");
        for (const auto& fs : skipped_filesystems_appraise_order()) {
            line(std::string("# ") + fs.macro);
            line("dont_appraise fsmagic=" + hex(fs.magic));
        }
    }

    void measure_tcb_rules() {
        const std::string t = template_opt(), w = where();
        line("# default_measurement_rules: code run, files read by root, what the kernel reads");
        line("measure func=MMAP_CHECK mask=MAY_EXEC" + w + t);
        line("measure func=BPRM_CHECK mask=MAY_EXEC" + w + t);
        line("measure func=FILE_CHECK mask=^MAY_READ euid=0" + w + t);
        line("measure func=FILE_CHECK mask=^MAY_READ uid=0" + w + t);
        line("measure func=MODULE_CHECK" + t);
        line("measure func=FIRMWARE_CHECK" + t);
        line("measure func=POLICY_CHECK" + t);
    }

    void kernel_read_rules(const char* action, const std::string& opts) {
        for (const char* f : {"MODULE_CHECK", "FIRMWARE_CHECK", "KEXEC_KERNEL_CHECK", "POLICY_CHECK"})
            line(std::string(action) + " func=" + f + opts);
    }
};

void measure_tcb(Builder& b) {
    b.dont_measure();
    b.blank();
    b.measure_tcb_rules();
}

void appraise_tcb(Builder& b) {
    if (b.o.measure) {
        measure_tcb(b);
        b.blank();
    }
    b.line("# A policy loaded later must be signed. The kernel lists this rule after the");
    b.line("# dont_appraise rules; here it comes first so that it holds on every filesystem.");
    b.line("appraise func=POLICY_CHECK appraise_type=imasig");
    b.blank();
    b.dont_appraise();
    b.blank();
    b.line("# Files owned by root need a valid hash or signature in security.ima");
    b.line("appraise fowner=0" + b.where());
}

void secure_boot(Builder& b) {
    b.line("# What the kernel reads itself needs a signature on every filesystem, so no");
    b.line("# dont_appraise or dont_measure rule comes before these rules.");
    if (b.o.measure) {
        b.kernel_read_rules("measure", b.template_opt());
        b.blank();
    }
    b.kernel_read_rules("appraise", " appraise_type=imasig");
}

void appraise_exec(Builder& b) {
    const std::string w = b.where();
    if (b.o.measure) {
        b.dont_measure();
        b.blank();
        const std::string t = b.template_opt();
        b.line("# Measure what is appraised");
        b.line("measure func=BPRM_CHECK mask=MAY_EXEC" + w + t);
        b.line("measure func=MMAP_CHECK mask=MAY_EXEC" + w + t);
        b.kernel_read_rules("measure", t);
        b.blank();
    }
    b.line("# What the kernel reads itself: signatures on every filesystem, before any");
    b.line("# dont_appraise rule (modules, firmware, kexec kernels, the policy)");
    b.kernel_read_rules("appraise", " appraise_type=imasig");
    b.blank();
    b.dont_appraise();
    b.blank();
    b.line("# Programs and code mapped executable");
    const std::string s = b.signature();
    b.line("appraise func=BPRM_CHECK mask=MAY_EXEC" + w + s);
    b.line("appraise func=MMAP_CHECK mask=MAY_EXEC" + w + s);
    b.line("# Scripts run as 'sh script' are read, not executed, and are not appraised here:");
    b.line("# ima-policy: ignore=script-interpreters");
}

}  // namespace

const std::vector<ProfileInfo>& profiles() {
    static const std::vector<ProfileInfo> list = {
        {"appraise-exec",
         "signatures required for programs, code mapped executable, kernel modules, firmware, kexec kernels and "
         "the policy"},
        {"appraise-tcb",
         "the kernel's built-in appraise_tcb policy: files owned by root need a valid hash or signature"},
        {"measure-tcb",
         "the kernel's built-in tcb policy: measure programs, code mapped executable, files root reads, modules, "
         "firmware and the policy"},
        {"secure-boot",
         "the kernel's built-in secure_boot policy: signed kernel modules, firmware, kexec kernels and policy"},
    };
    return list;
}

std::string generate_profile(const std::string& name, const ProfileOptions& in) {
    const ProfileInfo* info = nullptr;
    for (const auto& p : profiles())
        if (name == p.name) info = &p;
    if (!info) throw UsageError("unknown profile '" + name + "' (ima-policy profiles lists them)");
    ProfileOptions o = in;
    if (o.fsuuid) {
        if (!detail::is_uuid_text(*o.fsuuid))
            throw UsageError("--fsuuid " + *o.fsuuid +
                             ": expected a UUID such as 8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6");
        std::transform(o.fsuuid->begin(), o.fsuuid->end(), o.fsuuid->begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (name == "secure-boot")
            throw UsageError("--fsuuid: secure-boot has no rules on programs or files to restrict");
    }
    if (o.sigv3 && name != "appraise-exec")
        throw UsageError("--sigv3 applies to appraise-exec (signatures of programs); " + name + " has none");
    if (o.template_name && !o.measure && name != "measure-tcb")
        throw UsageError("--template applies to measure rules: add --measure");

    Builder b{o, "", ""};
    if (name == "measure-tcb")
        measure_tcb(b);
    else if (name == "appraise-tcb")
        appraise_tcb(b);
    else if (name == "secure-boot")
        secure_boot(b);
    else
        appraise_exec(b);

    std::string head = "# IMA policy: profile " + name + " (ima-policy generate)\n# " + info->summary + "\n";
    head += o.kernel ? "# target kernel: " + o.kernel->text() + "\n" : "# target kernel: any (newest rules)\n";
    std::string text = head + b.notes + "\n" + b.body;

    // A generated policy that the target would refuse is a bug here, not the user's.
    auto ds = lint_policy(parse_policy(text), LintOptions{o.kernel});
    if (!ds.empty())
        throw Error(ErrorKind::bad, "generated policy " + name + " does not lint clean (line " +
                                        std::to_string(ds[0].line) + ": " + ds[0].message + ")");
    return text;
}

}  // namespace ima::policy
