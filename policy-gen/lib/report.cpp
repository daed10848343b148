#include "ima/policy/report.hpp"

#include <cstdio>

namespace ima::policy {

namespace {

using nlohmann::json;

std::string hex(uint64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

std::string mask_text(unsigned mask) {
    std::string s;
    for (unsigned bit = 1; bit <= 8; bit <<= 1)
        if (mask & bit) {
            if (!s.empty()) s += '|';
            s += mask_word(bit);
        }
    return s.empty() ? "0" : s;
}

std::string rule_ref(const Rule* r) {
    return r ? "line " + std::to_string(r->line) + ": " + r->text() : "no rule matches";
}

json rule_json(const Rule* r, bool decision) {
    json j = {{"decision", decision}};
    j["line"] = r ? json(r->line) : json(nullptr);
    j["rule"] = r ? json(r->text()) : json(nullptr);
    return j;
}

}  // namespace

std::string diagnostic_line(const std::string& file, const Diagnostic& d) {
    return file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
           (d.severity == Diagnostic::error ? "error" : "warning") + ": " + d.message + " [" + d.code + "]";
}

json lint_json(const std::string& file, const std::vector<Diagnostic>& ds, const std::optional<KernelVersion>& kernel) {
    json items = json::array();
    for (const auto& d : ds)
        items.push_back({{"line", d.line},
                         {"column", d.column},
                         {"severity", d.severity == Diagnostic::error ? "error" : "warning"},
                         {"code", d.code},
                         {"message", d.message}});
    size_t errors = count_errors(ds);
    return {{"file", file},
            {"kernel", kernel ? json(kernel->text()) : json(nullptr)},
            {"errors", errors},
            {"warnings", ds.size() - errors},
            {"diagnostics", items}};
}

std::string event_text(const Event& e) {
    std::string s = "func=";
    s += func_name(e.func);
    s += " mask=";
    s += mask_text(e.mask.value_or(default_mask(e.func)));
    if (e.fsmagic) {
        s += " fsmagic=" + hex(*e.fsmagic);
        if (const SkippedFs* fs = find_filesystem(*e.fsmagic))
            s += " (" + std::string(fs->name) + ")";
        else if (*e.fsmagic == ext4_magic)
            s += " (ext2/3/4)";
    }
    if (e.fsname) s += " fsname=" + *e.fsname;
    if (e.fsuuid) s += " fsuuid=" + *e.fsuuid;
    auto id = [&](const char* k, const std::optional<uint32_t>& v) {
        if (!v) return;
        s.append(" ").append(k).append("=").append(std::to_string(*v));
    };
    id("uid", e.uid);
    id("euid", e.euid);
    id("gid", e.gid);
    id("egid", e.egid);
    id("fowner", e.fowner);
    id("fgroup", e.fgroup);
    if (e.keyring) s += " keyring=" + *e.keyring;
    if (e.label) s += " label=" + *e.label;
    return s;
}

std::string explain_text(const Event& e, const Decision& d) {
    std::string s = "event:    " + event_text(e) + "\n";
    s += "measure:  " + std::string(d.measured() ? "yes" : "no") + " (" + rule_ref(d.measure) + ")";
    if (d.measured()) {
        s += ", PCR " + std::to_string(d.pcr());
        if (!d.template_name().empty()) s += ", template " + d.template_name();
    }
    s += "\nappraise: " + std::string(d.appraised() ? "yes" : "no") + " (" + rule_ref(d.appraise) + ")";
    if (d.appraised())
        s += d.appraise_type().empty() ? ", a valid hash or signature in security.ima"
                                       : ", signature required (appraise_type=" + d.appraise_type() + ")";
    s += "\n";
    if (d.audit) s += "audit:    yes (" + rule_ref(d.audit) + ")\n";
    if (d.hash)
        s +=
            "hash:     " + std::string(d.hash->action == Action::hash ? "yes" : "no") + " (" + rule_ref(d.hash) + ")\n";
    for (const auto& [r, missing] : d.undecided)
        s += "note:     line " + std::to_string(r->line) + " (" + r->text() +
             ") taken as not matching: the event has no " + missing + "\n";
    return s;
}

json explain_json(const Event& e, const Decision& d) {
    json j;
    j["event"] = event_text(e);
    j["measure"] = rule_json(d.measure, d.measured());
    if (d.measured()) {
        j["measure"]["pcr"] = d.pcr();
        j["measure"]["template"] = d.template_name().empty() ? json(nullptr) : json(d.template_name());
    }
    j["appraise"] = rule_json(d.appraise, d.appraised());
    j["appraise"]["appraise_type"] = d.appraise_type().empty() ? json(nullptr) : json(d.appraise_type());
    j["audit"] = rule_json(d.audit, d.audited());
    j["hash"] = rule_json(d.hash, d.hash && d.hash->action == Action::hash);
    json und = json::array();
    for (const auto& [r, missing] : d.undecided)
        und.push_back({{"line", r->line}, {"rule", r->text()}, {"missing", missing}});
    j["undecided"] = und;
    j["measured"] = d.measured();
    j["appraised"] = d.appraised();
    return j;
}

}  // namespace ima::policy
