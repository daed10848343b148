// ima-policy: the kernel's IMA policy language: generate, lint, explain, load.
// One block a subcommand: parse with CLI11, call the library, print.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "ima/cli.hpp"
#include "ima/error.hpp"
#include "ima/evm/fs_uuid.hpp"
#include "ima/fd.hpp"
#include "ima/policy/evaluate.hpp"
#include "ima/policy/lint.hpp"
#include "ima/policy/profiles.hpp"
#include "policy_file.hpp"

namespace {

using namespace ima;
using namespace ima::policy;
using nlohmann::json;

const std::string tool = "ima-policy";

// Prints the diagnostics as FILE:LINE:COL: severity: message; returns the error count.
size_t report(const std::string& file, const std::vector<Diagnostic>& ds, bool as_json, json& doc) {
    size_t errors = 0;
    json items = json::array();
    for (const auto& d : ds) {
        bool is_err = d.severity == Diagnostic::error;
        errors += is_err;
        if (as_json)
            items.push_back({{"line", d.line},
                             {"column", d.column},
                             {"severity", is_err ? "error" : "warning"},
                             {"message", d.message}});
        else
            std::cerr << file << ':' << d.line << ':' << d.column << ": " << (is_err ? "error" : "warning") << ": "
                      << d.message << '\n';
    }
    doc["file"] = file;
    doc["errors"] = errors;
    doc["warnings"] = ds.size() - errors;
    doc["diagnostics"] = items;
    return errors;
}

bool requires_policy_check(const Policy& p) {
    for (const auto& r : p.rules)
        if (r.action == Action::appraise)
            if (const Term* f = r.find("func"); f && f->value == "POLICY_CHECK") return true;
    return false;
}

// The filesystem facts of a real path, for explain --path.
void facts_of_path(const std::string& path, Event& e) {
    Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW));
    if (!fd) throw IoError(path, errno);
    struct statfs sfs {};
    struct stat st {};
    if (fstatfs(fd.get(), &sfs) != 0 || fstat(fd.get(), &st) != 0) throw IoError(path, errno);
    if (!e.fsmagic) e.fsmagic = static_cast<uint64_t>(sfs.f_type);
    if (!e.fowner) e.fowner = st.st_uid;
    if (!e.fgroup) e.fgroup = st.st_gid;
    if (!e.fsuuid) {
        try {
            e.fsuuid = evm::format_uuid(evm::filesystem_uuid(fd.get(), st, path));
        } catch (const Error&) {
            // no UUID for this filesystem: fsuuid= rules do not match
        }
    }
}

std::string rule_line(const Rule* r) {
    return r ? "line " + std::to_string(r->line) + ": " + r->text() : "no rule";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ima-policy: generate, lint, explain and load IMA policies", tool};
    CommonOptions common;
    add_common_options(app, common);
    app.require_subcommand(1);

    std::string profile, kernel, fsuuid, tmpl, out, file, securityfs = "/sys/kernel/security";
    bool sigv3 = false, measure = false, as_json = false;
    auto* gen = app.add_subcommand("generate", "Write a policy from a profile");
    gen->add_option("--profile", profile, "Profile (ima-policy profiles lists them)")->required();
    gen->add_option("--kernel", kernel, "Target kernel X.Y: options it lacks are left out or replaced");
    gen->add_flag("--sigv3", sigv3, "fs-verity signatures (digest_type=verity appraise_type=sigv3)");
    gen->add_option("--fsuuid", fsuuid, "Restrict file rules to the filesystem with this UUID");
    gen->add_flag("--measure", measure, "Also measure what is appraised");
    gen->add_option("--template", tmpl, "Template of the measure rules (ima-ng, ima-sig, ...)");
    gen->add_option("-o,--output", out, "Write to FILE (default: stdout)");

    auto* lint = app.add_subcommand("lint", "Check a policy as the kernel would; exit 1 on any error");
    lint->add_option("--kernel", kernel, "Also flag what kernel X.Y does not know yet");
    lint->add_flag("--json", as_json, "One JSON document on stdout");
    lint->add_option("FILE", file, "Policy file")->required();

    Event ev;
    std::string func, mask, fsmagic, path;
    std::optional<uint32_t> uid, fowner;
    auto* explain = app.add_subcommand("explain", "Which rules decide measurement and appraisal of an event");
    explain->add_option("FILE", file, "Policy file")->required();
    explain->add_option("--func", func, "Hook: BPRM_CHECK, MMAP_CHECK, FILE_CHECK, MODULE_CHECK, ...")->required();
    explain->add_option("--mask", mask, "MAY_EXEC, MAY_READ, MAY_WRITE, MAY_APPEND (| to combine)");
    explain->add_option("--fsmagic", fsmagic, "Filesystem magic (hex)");
    explain->add_option("--fsuuid", fsuuid, "Filesystem UUID");
    explain->add_option("--uid", uid, "Uid of the process");
    explain->add_option("--fowner", fowner, "Owner of the file");
    explain->add_option("--path", path, "A real file: its filesystem magic, UUID and owner are looked up");
    explain->add_flag("--json", as_json, "One JSON document on stdout");

    auto* load = app.add_subcommand("load", "Lint, then load a policy into the kernel");
    load->add_option("--securityfs", securityfs, "Where securityfs is mounted (default /sys/kernel/security)");
    load->add_option("FILE", file, "Policy file")->required();

    auto* list = app.add_subcommand("profiles", "List the profiles");
    list->add_flag("--json", as_json, "One JSON document on stdout");

    return run_cli(app, argc, argv, [&]() -> int {
        std::optional<KernelVersion> kv;
        if (!kernel.empty()) kv = parse_kernel_version(kernel);
        if (*gen) {
            ProfileOptions o;
            o.kernel = kv;
            o.sigv3 = sigv3;
            o.measure = measure;
            if (!fsuuid.empty()) o.fsuuid = fsuuid;
            if (!tmpl.empty()) o.template_name = tmpl;
            std::string text = generate_profile(profile, o);
            auto ds = lint_policy(parse_policy(text), kv);
            for (const auto& d : ds)
                if (d.severity == Diagnostic::error)
                    throw UsageError("the generated policy does not lint (" + std::to_string(d.line) + ":" +
                                     std::to_string(d.column) + ": " + d.message + "): check --fsuuid and --template");
            if (out.empty()) {
                std::cout << text;
            } else {
                std::ofstream f(out, std::ios::trunc);
                f << text;
                if (!f.flush()) throw IoError(out, errno);
            }
            return 0;
        }
        if (*lint) {
            Policy p = parse_policy(read_policy_file(file));
            json doc;
            size_t errors = report(file, lint_policy(p, kv), as_json, doc);
            if (kv) doc["kernel"] = kv->text();
            if (as_json) std::cout << doc.dump(2) << '\n';
            return errors ? 1 : 0;
        }
        if (*explain) {
            Policy p = parse_policy(read_policy_file(file));
            ev.func = func;
            if (!canonical_func(func)) throw UsageError("--func '" + func + "' is not a func the kernel knows");
            if (!mask.empty()) ev.mask = parse_mask(mask);
            if (!fsmagic.empty()) ev.fsmagic = std::stoull(fsmagic, nullptr, 16);
            if (!fsuuid.empty()) ev.fsuuid = fsuuid;
            ev.uid = ev.euid = uid;
            ev.fowner = fowner;
            if (!path.empty()) facts_of_path(path, ev);
            Decision d = evaluate(p, ev);
            if (as_json) {
                json doc = {{"func", func},
                            {"measured", d.measured()},
                            {"appraised", d.appraised()},
                            {"measure_rule", d.measure ? json(d.measure->line) : json(nullptr)},
                            {"appraise_rule", d.appraise ? json(d.appraise->line) : json(nullptr)}};
                std::cout << doc.dump(2) << '\n';
            } else {
                std::cout << "measure:  " << (d.measured() ? "yes" : "no") << " (" << rule_line(d.measure) << ")\n"
                          << "appraise: " << (d.appraised() ? "yes" : "no") << " (" << rule_line(d.appraise) << ")\n";
            }
            return 0;
        }
        if (*load) {
            std::string text = read_policy_file(file);
            Policy p = parse_policy(text);
            json doc;
            if (report(file, lint_policy(p), false, doc) > 0)
                throw Error(ErrorKind::bad, file + ": not loaded: the policy has errors (above)");
            bool by_path = requires_policy_check(p);
            load_policy(securityfs, file, text, by_path);
            if (!common.quiet)
                std::cerr << tool << ": loaded " << p.rules.size() << " rules from " << file
                          << (by_path ? " (by path: the kernel appraises the file)" : "") << '\n';
            return 0;
        }
        if (*list) {
            json doc = json::array();
            for (const auto& pr : profiles()) {
                if (as_json)
                    doc.push_back({{"name", pr.name}, {"summary", pr.summary}});
                else
                    std::cout << pr.name << "  " << pr.summary << '\n';
            }
            if (as_json) std::cout << doc.dump(2) << '\n';
            return 0;
        }
        return 2;
    });
}
