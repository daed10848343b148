#include "command.hpp"

#include <charconv>
#include <cstdint>

namespace ima::evmtool::cli {

void InputArgs::add_to(CLI::App* sub) {
    auto* u = sub->add_option("--uuid", uuid, "Filesystem UUID to hash (default: the file's filesystem)");
    sub->add_flag("--no-uuid", no_uuid, "Leave the filesystem UUID out (kernels without EVM_ATTR_FSUUID)")->excludes(u);
    sub->add_option("--ino", ino, "Inode number to hash instead of the file's");
    sub->add_option("--generation", generation, "Inode generation to hash instead of FS_IOC_GETVERSION's");
    sub->add_option("--uid", uid, "Owner uid to hash instead of the file's");
    sub->add_option("--gid", gid, "Group gid to hash instead of the file's");
    sub->add_option("--mode", mode, "Mode to hash, octal (0755 keeps the file type; 100755 is the full i_mode)");
}

uint16_t parse_mode(const std::string& text) {
    if (text.empty() || text.size() > 7 || text.find_first_not_of("01234567") != std::string::npos)
        throw UsageError("invalid mode '" + text + "' (octal, for example 0755 or 100755)");
    unsigned long v = std::stoul(text, nullptr, 8);
    if (v > 0177777) throw UsageError("invalid mode '" + text + "' (more than 16 bits)");
    return static_cast<uint16_t>(v);
}

uint64_t parse_number(const std::string& option, const std::string& text, uint64_t max) {
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 10);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v > max)
        throw UsageError("invalid " + option + " '" + text + "' (a decimal number up to " + std::to_string(max) + ")");
    return v;
}

evm::EvmOverrides InputArgs::overrides() const {
    evm::EvmOverrides o;
    constexpr uint64_t u32 = 0xffffffffu;
    if (ino) o.ino = parse_number("--ino", *ino, UINT64_MAX);
    if (generation) o.generation = static_cast<uint32_t>(parse_number("--generation", *generation, u32));
    if (uid) o.uid = static_cast<uint32_t>(parse_number("--uid", *uid, u32));
    if (gid) o.gid = static_cast<uint32_t>(parse_number("--gid", *gid, u32));
    if (mode) o.mode = parse_mode(*mode);
    if (no_uuid) {
        o.uuid_source = evm::UuidSource::none;
    } else if (!uuid.empty()) {
        o.uuid_source = evm::UuidSource::given;
        o.uuid = evm::parse_uuid(uuid);
    }
    return o;
}

}  // namespace ima::evmtool::cli
