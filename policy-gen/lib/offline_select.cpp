#include "ima/policy/offline_select.hpp"

#include <sys/stat.h>

#include <string_view>

namespace ima::policy {

namespace {

bool starts_with(std::string_view s, std::string_view p) {
    return s.substr(0, p.size()) == p;
}
bool ends_with(std::string_view s, std::string_view x) {
    return s.size() >= x.size() && s.substr(s.size() - x.size()) == x;
}
bool is_elf(ByteView h) {
    return h.size() >= 4 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F';
}
std::string_view base_name(std::string_view p) {
    size_t slash = p.rfind('/');
    return slash == std::string_view::npos ? p : p.substr(slash + 1);
}
bool under(std::string_view rel, std::string_view dir) {
    return starts_with(rel, dir) || starts_with(rel, "usr/" + std::string(dir));
}

}  // namespace

std::vector<Hook> offline_hooks(const OfflineFile& f) {
    std::vector<Hook> hooks;
    if (!S_ISREG(f.mode)) return hooks;
    std::string_view rel = f.rel;
    while (starts_with(rel, "./")) rel.remove_prefix(2);
    while (starts_with(rel, "/")) rel.remove_prefix(1);
    bool exec_bit = (f.mode & 0111) != 0;
    if (exec_bit) {
        hooks.push_back({Func::bprm_check, 1});
        hooks.push_back({Func::creds_check, 1});
    }
    if (exec_bit || is_elf(f.head)) {
        hooks.push_back({Func::mmap_check, 1});
        hooks.push_back({Func::mmap_check_reqprot, 1});
    }
    if (under(rel, "lib/modules/") &&
        (ends_with(rel, ".ko") || ends_with(rel, ".ko.xz") || ends_with(rel, ".ko.zst") || ends_with(rel, ".ko.gz")))
        hooks.push_back({Func::module_check, 4});
    if (under(rel, "lib/firmware/")) hooks.push_back({Func::firmware_check, 4});
    if (starts_with(rel, "boot/")) {
        std::string_view name = base_name(rel);
        if (starts_with(name, "vmlinuz") || starts_with(name, "vmlinux") || starts_with(name, "bzImage"))
            hooks.push_back({Func::kexec_kernel_check, 4});
        if (starts_with(name, "initrd") || starts_with(name, "initramfs"))
            hooks.push_back({Func::kexec_initramfs_check, 4});
    }
    if (starts_with(rel, "etc/ima/")) hooks.push_back({Func::policy_check, 4});
    hooks.push_back({Func::file_check, 4});
    return hooks;
}

OfflineDecision decide_offline(const Policy& p, const OfflineFile& f) {
    OfflineDecision out;
    for (const auto& h : offline_hooks(f)) {
        Event e;
        e.func = h.func;
        e.mask = h.mask;
        e.fsmagic = f.fsmagic;
        e.fsuuid = f.fsuuid;
        e.fowner = f.uid;
        e.fgroup = f.gid;
        // The process (uid, euid, gid, egid) is unknown: any user may run or read the file.
        Decision d = evaluate(p, e, Unknowns::conservative);
        if (d.appraised()) {
            out.appraise = true;
            out.hook = h.func;
            out.rule = d.appraise;
            return out;
        }
    }
    return out;
}

bool would_appraise(const Policy& p, const OfflineFile& f) {
    return decide_offline(p, f).appraise;
}

}  // namespace ima::policy
