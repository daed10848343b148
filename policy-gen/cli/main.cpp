// ima-policy: the kernel's IMA policy language: generate, lint, explain,
// load, profiles. One function a subcommand: options, a call into the
// library, printing.
#include <sys/utsname.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "ima/cli.hpp"
#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/policy/evaluate.hpp"
#include "ima/policy/kernel_config_file.hpp"
#include "ima/policy/lint.hpp"
#include "ima/policy/load.hpp"
#include "ima/policy/path_facts.hpp"
#include "ima/policy/policy_file.hpp"
#include "ima/policy/profiles.hpp"
#include "ima/policy/report.hpp"

namespace {

using namespace ima;
using namespace ima::policy;
using nlohmann::json;

const std::string tool = "ima-policy";

struct Options {
    CommonOptions common;
    std::string profile, kernel, kernel_config, fsuuid, tmpl, out, file, securityfs = "/sys/kernel/security";
    bool sigv3 = false, measure = false, as_json = false, strict = false, check_only = false, by_path = false;
    std::string func, mask, fsmagic, fsname, path, keyring, label;
    std::optional<uint32_t> uid, euid, gid, egid, fowner, fgroup;
};

std::optional<KernelVersion> kernel_of(const Options& o) {
    if (o.kernel.empty()) return std::nullopt;
    return parse_kernel_version(o.kernel);
}

// FILE appears whole or not at all, and nothing else appears beside it
// (ima/file_io.hpp): no predictable temporary name a link could be planted at.
void write_output(const std::string& path, const std::string& text) {
    if (path.empty() || path == "-") {
        std::cout << text;
        return;
    }
    write_atomic(path, text);
}

int cmd_generate(const Options& o) {
    ProfileOptions p;
    p.kernel = kernel_of(o);
    p.sigv3 = o.sigv3;
    p.measure = o.measure;
    if (!o.fsuuid.empty()) p.fsuuid = o.fsuuid;
    if (!o.tmpl.empty()) p.template_name = o.tmpl;
    write_output(o.out, generate_profile(o.profile, p));
    return 0;
}

int cmd_lint(const Options& o) {
    auto kernel = kernel_of(o);
    std::optional<KernelConfig> config;
    if (!o.kernel_config.empty()) config = load_kernel_config(o.kernel_config);
    auto ds = lint_policy(parse_policy(read_policy_file(o.file)), LintOptions{kernel, config ? &*config : nullptr});
    size_t errors = count_errors(ds);
    if (o.as_json) {
        print_json(lint_json(o.file, ds, kernel));
    } else {
        for (const auto& d : ds) std::cout << diagnostic_line(o.file, d) << '\n';
        if (!o.common.quiet)
            std::cerr << tool << ": " << o.file << ": " << errors << " error(s), " << ds.size() - errors
                      << " warning(s)" << (kernel ? " for kernel " + kernel->text() : "")
                      << (config ? " built as " + config->source + " says" : "") << '\n';
    }
    return errors || (o.strict && !ds.empty()) ? 1 : 0;
}

int cmd_explain(const Options& o) {
    Policy p = parse_policy(read_policy_file(o.file));
    if (size_t n = count_errors(lint_policy(p)))
        print_warning(tool, o.file + ": " + std::to_string(n) +
                                " error(s): the kernel would refuse this policy (ima-policy lint " + o.file + ")");
    Event e;
    auto f = parse_func(o.func);
    if (!f) throw UsageError("--func " + o.func + ": not a hook the kernel knows (BPRM_CHECK, FILE_CHECK, ...)");
    e.func = *f;
    if (!o.mask.empty()) e.mask = parse_mask(o.mask);
    if (!o.fsmagic.empty()) {
        try {
            size_t used = 0;
            e.fsmagic = std::stoull(o.fsmagic, &used, 16);
            if (used != o.fsmagic.size()) throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
            throw UsageError("--fsmagic " + o.fsmagic + ": expected a hexadecimal number such as 0xef53");
        }
    }
    if (!o.fsname.empty()) e.fsname = o.fsname;
    if (!o.fsuuid.empty()) e.fsuuid = o.fsuuid;
    e.uid = o.uid;
    e.euid = o.euid;
    e.gid = o.gid;
    e.egid = o.egid;
    e.fowner = o.fowner;
    e.fgroup = o.fgroup;
    if (!o.keyring.empty()) e.keyring = o.keyring;
    if (!o.label.empty()) e.label = o.label;
    if (!o.path.empty()) {
        PathFacts pf = path_facts(o.path);
        if (!e.fsmagic) e.fsmagic = pf.fsmagic;
        if (!e.fsname) e.fsname = pf.fsname;
        if (!e.fsuuid) e.fsuuid = pf.fsuuid;
        if (!e.fowner) e.fowner = pf.uid;
        if (!e.fgroup) e.fgroup = pf.gid;
    }
    Decision d = evaluate(p, e);
    if (o.as_json)
        print_json(explain_json(e, d));
    else
        std::cout << explain_text(e, d);
    return 0;
}

// The running kernel's X.Y, to lint a policy for the kernel it goes into.
std::optional<KernelVersion> running_kernel() {
    struct utsname u {};
    if (uname(&u) != 0) return std::nullopt;
    std::string r = u.release;
    size_t end = r.find_first_not_of("0123456789.");
    try {
        return parse_kernel_version(r.substr(0, end));
    } catch (const Error&) {
        return std::nullopt;
    }
}

bool requires_signed_policy(const Policy& p) {
    for (const auto& r : p.rules)
        if (r.action == Action::appraise)
            if (const Term* f = r.find("func"); f && parse_func(f->value) == Func::policy_check) return true;
    return false;
}

int cmd_load(const Options& o) {
    std::string text = read_policy_file(o.file);
    Policy p = parse_policy(text);
    // Lint for the kernel it goes into: the running one, unless a folder stands in for securityfs.
    auto kernel = kernel_of(o);
    const bool running = o.securityfs == "/sys/kernel/security";
    if (!kernel && running) kernel = running_kernel();
    // And for how it was built: --kernel-config, else the running kernel's
    // own (/proc/config.gz, /boot/config-RELEASE) when it has one.
    std::optional<KernelConfig> config;
    if (!o.kernel_config.empty()) {
        config = load_kernel_config(o.kernel_config);
    } else if (running) {
        struct utsname u {};
        if (uname(&u) == 0) config = running_kernel_config(u.release);
    }
    auto ds = lint_policy(p, LintOptions{kernel, config ? &*config : nullptr});
    for (const auto& d : ds) std::cerr << diagnostic_line(o.file, d) << '\n';
    if (size_t n = count_errors(ds))
        throw Error(ErrorKind::bad, o.file + ": not loaded: " + std::to_string(n) + " error(s) above" +
                                        (kernel ? " for kernel " + kernel->text() : ""));
    LoadMethod method = o.by_path || requires_signed_policy(p) ? LoadMethod::path : LoadMethod::text;
    std::string target = o.securityfs + "/ima/policy";
    LoadResult r = load_policy(target, o.file, text, method, o.check_only ? LoadMode::check : LoadMode::load);
    const char* how = r.method == LoadMethod::path ? "by its path: the kernel read and appraised the file" : "as text";
    if (o.as_json) {
        print_json({{"file", o.file},
                    {"target", target},
                    {"rules", p.rules.size()},
                    {"method", r.method == LoadMethod::path ? "path" : "text"},
                    {"loaded", !o.check_only},
                    {"accepted", true}});
    } else if (!o.common.quiet) {
        if (o.check_only)
            std::cerr << tool << ": " << target << ": the kernel accepted all " << p.rules.size() << " rules of "
                      << o.file << " (" << how << "); nothing was loaded\n";
        else
            std::cerr << tool << ": loaded " << p.rules.size() << " rules from " << o.file << " into " << target << " ("
                      << how << ")\n";
    }
    return 0;
}

int cmd_profiles(const Options& o) {
    json doc = json::array();
    for (const auto& pr : profiles()) {
        if (o.as_json)
            doc.push_back({{"name", pr.name}, {"summary", pr.summary}});
        else
            std::cout << pr.name << std::string(16 - std::string(pr.name).size(), ' ') << pr.summary << '\n';
    }
    if (o.as_json) print_json(doc);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ima-policy: generate, lint, explain and load IMA policies", tool};
    Options o;
    add_common_options(app, o.common);
    app.require_subcommand(1);

    auto* gen = app.add_subcommand("generate", "Write a policy from a profile");
    gen->add_option("--profile", o.profile, "Profile (ima-policy profiles lists them)")->required();
    gen->add_option("--kernel", o.kernel, "Target kernel X.Y: what it lacks is left out or replaced, with a note");
    gen->add_flag("--sigv3", o.sigv3, "fs-verity signatures for programs (digest_type=verity appraise_type=sigv3)");
    gen->add_option("--fsuuid", o.fsuuid, "Restrict the rules on programs and files to this filesystem");
    gen->add_flag("--measure", o.measure, "Also measure what is appraised");
    gen->add_option("--template", o.tmpl, "Template of the measure rules (ima-ng, ima-sig, ima-sigv2, ...)");
    gen->add_option("-o,--output", o.out, "Write to FILE (default: standard output)");

    auto* lint = app.add_subcommand("lint", "Check a policy as the kernel would; exit 1 on any error");
    lint->add_option("--kernel", o.kernel, "Judge by kernel X.Y and flag what it does not know yet");
    lint->add_option("--kernel-config", o.kernel_config,
                     "The target's build configuration (/boot/config-*, or a config.gz): flag what it lacks");
    lint->add_flag("--json", o.as_json, "One JSON document on standard output");
    lint->add_flag("--strict", o.strict, "Exit 1 on warnings too");
    lint->add_option("FILE", o.file, "Policy file ('-': standard input)")->required();

    auto* explain = app.add_subcommand("explain", "Show the rules that decide measurement and appraisal of an event");
    explain->add_option("FILE", o.file, "Policy file")->required();
    explain->add_option("--func", o.func, "Hook: BPRM_CHECK, MMAP_CHECK, FILE_CHECK, MODULE_CHECK, ...")->required();
    explain->add_option("--mask", o.mask,
                        "MAY_EXEC, MAY_READ, MAY_WRITE, MAY_APPEND ('|' combines; default: the hook's)");
    explain->add_option("--fsmagic", o.fsmagic, "Filesystem magic (hex, 0xef53 for ext4)");
    explain->add_option("--fsname", o.fsname, "Filesystem type name (ext4, xfs, ...)");
    explain->add_option("--fsuuid", o.fsuuid, "Filesystem UUID");
    explain->add_option("--uid", o.uid, "Uid of the process");
    explain->add_option("--euid", o.euid, "Effective uid of the process (default: --uid)");
    explain->add_option("--gid", o.gid, "Gid of the process");
    explain->add_option("--egid", o.egid, "Effective gid of the process (default: --gid)");
    explain->add_option("--fowner", o.fowner, "Owner of the file");
    explain->add_option("--fgroup", o.fgroup, "Group of the file");
    explain->add_option("--keyring", o.keyring, "Keyring of a KEY_CHECK event");
    explain->add_option("--label", o.label, "Label of a CRITICAL_DATA event");
    explain->add_option("--path", o.path, "A real file: its filesystem (statfs), UUID, owner and group are looked up");
    explain->add_flag("--json", o.as_json, "One JSON document on standard output");

    auto* load = app.add_subcommand("load", "Lint, then load a policy into the kernel (refused on any error)");
    load->add_option("--securityfs", o.securityfs, "Where securityfs is mounted (default /sys/kernel/security)");
    load->add_option("--kernel", o.kernel, "Lint for kernel X.Y (default: the running kernel)");
    load->add_option("--kernel-config", o.kernel_config,
                     "Lint for this build configuration (default: /proc/config.gz or /boot/config-RELEASE)");
    load->add_flag("--check", o.check_only,
                   "Let the kernel parse every rule, then make it drop the policy: nothing changes");
    load->add_flag("--by-path", o.by_path, "Write the file's path: the kernel reads and appraises the file itself");
    load->add_flag("--json", o.as_json, "One JSON document on standard output");
    load->add_option("FILE", o.file, "Policy file")->required();

    auto* list = app.add_subcommand("profiles", "List the profiles");
    list->add_flag("--json", o.as_json, "One JSON document on standard output");

    return run_cli(app, argc, argv, [&]() -> int {
        if (*gen) return cmd_generate(o);
        if (*lint) return cmd_lint(o);
        if (*explain) return cmd_explain(o);
        if (*load) return cmd_load(o);
        if (*list) return cmd_profiles(o);
        return 2;
    });
}
