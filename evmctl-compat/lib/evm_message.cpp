#include "evm_message.hpp"

#include <cstdlib>
#include <cstring>

#include "ima/bytes.hpp"
#include "ima/error.hpp"
#include "ima/evm/fs_uuid.hpp"
#include "ima/evm/gather.hpp"
#include "ima/xattr_io.hpp"
#include "run.hpp"
#include "status.hpp"

namespace ima::evmctl {

namespace {

// evmctl converts these options with strtoul(s, NULL, 10): no check at all.
unsigned long number(const std::string& s) {
    return std::strtoul(s.c_str(), nullptr, 10);
}

}  // namespace

evm::MiscLayout misc_layout(const Options& opts) {
    if (opts.immutable) return evm::MiscLayout::no_inode;
    if (opts.msize == 32) return evm::MiscLayout::ilp32;
    return evm::MiscLayout::lp64;  // --m64 and this machine's
}

Bytes evm_misc_bytes(const EvmMeta& meta, evm::MiscLayout layout, bool portable) {
    evm::EvmInputs in;
    in.ino = meta.ino;
    in.generation = meta.generation;
    in.uid = meta.uid;
    in.gid = meta.gid;
    in.mode = static_cast<uint16_t>(meta.mode);
    return evm::evm_misc(in, portable ? evm::EvmKind::portable : evm::EvmKind::hmac, layout);
}

std::vector<std::string> evm_xattr_names(bool smack) {
    static const char* extra[] = {"security.SMACK64EXEC", "security.SMACK64TRANSMUTE", "security.SMACK64MMAP"};
    std::vector<std::string> out;
    for (const auto& n : evm::protected_xattrs()) {
        bool is_extra = false;
        for (const char* e : extra) is_extra = is_extra || n == e;
        if (!is_extra || smack) out.push_back(n);
    }
    return out;
}

Bytes evm_message_bytes(const EvmMessageInput& in) {
    Bytes msg;
    for (const auto& [name, value] : in.xattrs) append(msg, value);
    append(msg, in.misc);
    if (in.uuid) append(msg, *in.uuid);
    return msg;
}

evm::Uuid parse_uuid_text(const std::string& text) {
    try {
        return evm::parse_uuid(text, evm::UuidText::dashed_prefix);
    } catch (const Error&) {
        throw error("wrong UUID format: '" + text + "'");
    }
}

EvmMessageInput gather_evm_message(const Options& opts, int fd, const struct stat& st, const std::string& path,
                                   EvmPurpose purpose, bool portable) {
    const bool sig = purpose == EvmPurpose::signature;
    const evm::MiscLayout layout = misc_layout(opts);
    EvmMeta meta{static_cast<uint64_t>(st.st_ino), 0, st.st_uid, st.st_gid, st.st_mode};
    // evmctl's hmac command ignores the metadata overrides; sign and verify take them.
    if (sig) {
        if (opts.ino) meta.ino = number(*opts.ino);
        if (opts.uid) meta.uid = static_cast<uint32_t>(number(*opts.uid));
        if (opts.gid) meta.gid = static_cast<uint32_t>(number(*opts.gid));
        if (opts.mode) meta.mode = static_cast<uint32_t>(number(*opts.mode));
    }
    if (layout != evm::MiscLayout::no_inode) {
        if (sig && opts.generation) {
            meta.generation = static_cast<uint32_t>(number(*opts.generation));
        } else if (S_ISREG(st.st_mode)) {
            try {
                meta.generation = evm::inode_generation(fd, path);
            } catch (const Error& e) {
                throw error(std::string(e.what()) + " (give --generation)");
            }
        }
    }

    EvmMessageInput in;
    const std::string ima_name = "security.ima";
    for (const auto& name : evm_xattr_names(opts.smack)) {
        std::optional<Bytes> value;
        if (sig && name == "security.selinux" && opts.selinux) {
            value = Bytes(opts.selinux->begin(), opts.selinux->end());
            value->push_back(0);  // evmctl hashes the label with its NUL
        } else if (sig && name == ima_name && opts.ima_hex) {
            Bytes v;
            const std::string& h = *opts.ima_hex;
            for (size_t i = 0; i + 1 < h.size(); i += 2) {
                int hi = hex_digit_value(h[i]), lo = hex_digit_value(h[i + 1]);
                if (hi < 0 || lo < 0) throw error("--ima: not a hex value: '" + h + "'");
                v.push_back(static_cast<uint8_t>(hi << 4 | lo));
            }
            value = std::move(v);
        } else if (sig && name == ima_name && portable) {
            value = get_xattr(fd, ima_xattr(opts), path);
            if (!value) throw error(path + ": a portable EVM signature needs " + ima_xattr(opts));
        } else if (sig && name == "security.capability" && opts.caps_given) {
            if (!opts.caps) continue;  // --caps alone: leave it out
            value = Bytes(opts.caps->begin(), opts.caps->end());
        } else {
            value = get_xattr(fd, name, path);
        }
        if (value) in.xattrs.emplace_back(name, std::move(*value));
    }
    if (!sig) {
        // evmctl's hmac refuses a file without any extended attribute.
        if (list_xattrs(fd, path).empty()) throw error(path + ": no extended attributes at all");
    }

    in.misc = evm_misc_bytes(meta, layout, sig && portable);
    const bool wants_uuid = sig && !portable && layout != evm::MiscLayout::no_inode && !(opts.uuid_given && !opts.uuid);
    if (wants_uuid) {
        if (opts.uuid) {
            in.uuid = parse_uuid_text(*opts.uuid);
        } else {
            try {
                in.uuid = evm::filesystem_uuid(fd, st, path);
            } catch (const Error& e) {
                throw error(std::string(e.what()) + " (give --uuid)");
            }
        }
    }
    return in;
}

}  // namespace ima::evmctl
