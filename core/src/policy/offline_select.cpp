#include "ima/policy/offline_select.hpp"

#include <vector>

#include "ima/policy/evaluate.hpp"

namespace ima::policy {

namespace {
bool starts_with(const std::string& s, const std::string& p) {
    return s.rfind(p, 0) == 0;
}
bool ends_with(const std::string& s, const std::string& x) {
    return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}
bool is_elf(ByteView h) {
    return h.size() >= 4 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F';
}
}  // namespace

bool would_appraise(const Policy& p, const OfflineFile& f) {
    std::string rel = f.rel;
    while (starts_with(rel, "./")) rel.erase(0, 2);
    std::vector<std::pair<std::string, unsigned>> hooks;  // func, mask
    if ((f.mode & 0111) || is_elf(f.head)) {
        hooks.push_back({"BPRM_CHECK", 1});
        hooks.push_back({"MMAP_CHECK", 1});
    }
    bool module =
        (starts_with(rel, "lib/modules/") || starts_with(rel, "usr/lib/modules/")) &&
        (ends_with(rel, ".ko") || ends_with(rel, ".ko.xz") || ends_with(rel, ".ko.zst") || ends_with(rel, ".ko.gz"));
    if (module) hooks.push_back({"MODULE_CHECK", 0});
    if (starts_with(rel, "lib/firmware/") || starts_with(rel, "usr/lib/firmware/"))
        hooks.push_back({"FIRMWARE_CHECK", 0});
    if (starts_with(rel, "boot/vmlinuz")) hooks.push_back({"KEXEC_KERNEL_CHECK", 0});
    if (starts_with(rel, "boot/initrd")) hooks.push_back({"KEXEC_INITRAMFS_CHECK", 0});
    if (starts_with(rel, "etc/ima/")) hooks.push_back({"POLICY_CHECK", 0});
    hooks.push_back({"FILE_CHECK", 4});
    // Unknown target filesystem: taken as ext4, and as the filesystem the
    // policy's fsuuid= rules name (the image being built is that filesystem).
    std::optional<std::string> fsuuid = f.fsuuid;
    if (!fsuuid)
        for (const auto& r : p.rules)
            if (const Term* t = r.find("fsuuid")) {
                fsuuid = t->value;
                break;
            }
    for (const auto& [func, mask] : hooks) {
        Event e;
        e.func = func;
        e.mask = mask;
        e.fsmagic = f.fsmagic.value_or(0xef53);  // EXT4_SUPER_MAGIC
        e.fsuuid = fsuuid;
        e.uid = e.euid = 0;  // what the target runs as root
        e.gid = e.egid = 0;
        e.fowner = f.uid;
        e.fgroup = f.gid;
        if (evaluate(p, e).appraised()) return true;
    }
    return false;
}

}  // namespace ima::policy
