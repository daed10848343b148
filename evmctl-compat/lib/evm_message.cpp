#include "evm_message.hpp"

#include <cstdlib>
#include <cstring>

#include "ima/error.hpp"
#include "ima/evm/fs_uuid.hpp"
#include "ima/evm/gather.hpp"
#include "ima/xattr_io.hpp"
#include "run.hpp"
#include "status.hpp"

namespace ima::evmctl {

namespace {

void put_le(Bytes& out, uint64_t v, size_t n) {
    for (size_t i = 0; i < n; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// evmctl converts these options with strtoul(s, NULL, 10): no check at all.
unsigned long number(const std::string& s) {
    return std::strtoul(s.c_str(), nullptr, 10);
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<Bytes> read_xattr(int fd, const std::string& name, const std::string& path) {
    try {
        return get_xattr(fd, name, path);
    } catch (const Error& e) {
        throw error(e.what());
    }
}

}  // namespace

MiscLayout misc_layout(const Options& opts) {
    if (opts.immutable) return MiscLayout::immutable;
    if (opts.msize == 32) return MiscLayout::m32;
    if (opts.msize == 64) return MiscLayout::m64;
    return MiscLayout::native;
}

Bytes evm_misc_bytes(const EvmMeta& meta, MiscLayout layout, bool portable) {
    const uint64_t ino = portable ? 0 : meta.ino;
    const uint32_t gen = portable ? 0 : meta.generation;
    if (layout == MiscLayout::native || layout == MiscLayout::m64) {
        // The core lays out the kernel's struct h_misc of a 64-bit machine.
        evm::EvmInputs in;
        in.ino = ino;
        in.generation = gen;
        in.uid = meta.uid;
        in.gid = meta.gid;
        in.mode = static_cast<uint16_t>(meta.mode);
        return evm::evm_misc(in, evm::EvmKind::hmac);
    }
    Bytes out;
    if (layout == MiscLayout::m32) {  // { u32 ino; u32 generation; uid; gid; u16 mode; } + 2 padding
        put_le(out, static_cast<uint32_t>(ino), 4);
        put_le(out, gen, 4);
    }
    // immutable: { uid; gid; u16 mode; } + 2 padding
    put_le(out, meta.uid, 4);
    put_le(out, meta.gid, 4);
    put_le(out, static_cast<uint16_t>(meta.mode), 2);
    put_le(out, 0, 2);
    return out;
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
    evm::Uuid u{};
    size_t pos = 0;
    for (size_t i = 0; i < 16; ++i) {
        if (pos + 2 > text.size()) throw error("wrong UUID format: '" + text + "'");
        int hi = hex_digit(text[pos]), lo = hex_digit(text[pos + 1]);
        if (hi < 0 || lo < 0) throw error("wrong UUID format: '" + text + "'");
        u[i] = static_cast<uint8_t>(hi << 4 | lo);
        pos += 2;
        if (i == 3 || i == 5 || i == 7 || i == 9) {
            if (pos >= text.size() || text[pos] != '-') throw error("wrong UUID format: '" + text + "'");
            ++pos;
        }
    }
    return u;
}

EvmMessageInput gather_evm_message(const Options& opts, int fd, const struct stat& st, const std::string& path,
                                   EvmPurpose purpose, bool portable) {
    const bool sig = purpose == EvmPurpose::signature;
    const MiscLayout layout = misc_layout(opts);
    EvmMeta meta{static_cast<uint64_t>(st.st_ino), 0, st.st_uid, st.st_gid, st.st_mode};
    // evmctl's hmac command ignores the metadata overrides; sign and verify take them.
    if (sig) {
        if (opts.ino) meta.ino = number(*opts.ino);
        if (opts.uid) meta.uid = static_cast<uint32_t>(number(*opts.uid));
        if (opts.gid) meta.gid = static_cast<uint32_t>(number(*opts.gid));
        if (opts.mode) meta.mode = static_cast<uint32_t>(number(*opts.mode));
    }
    if (layout != MiscLayout::immutable) {
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
                int hi = hex_digit(h[i]), lo = hex_digit(h[i + 1]);
                if (hi < 0 || lo < 0) throw error("--ima: not a hex value: '" + h + "'");
                v.push_back(static_cast<uint8_t>(hi << 4 | lo));
            }
            value = std::move(v);
        } else if (sig && name == ima_name && portable) {
            value = read_xattr(fd, ima_xattr(opts), path);
            if (!value) throw error(path + ": a portable EVM signature needs " + ima_xattr(opts));
        } else if (sig && name == "security.capability" && opts.caps_given) {
            if (!opts.caps) continue;  // --caps alone: leave it out
            value = Bytes(opts.caps->begin(), opts.caps->end());
        } else {
            value = read_xattr(fd, name, path);
        }
        if (value) in.xattrs.emplace_back(name, std::move(*value));
    }
    if (!sig) {
        // evmctl's hmac refuses a file without any extended attribute.
        bool none = false;
        try {
            none = list_xattrs(fd, path).empty();
        } catch (const Error& e) {
            throw error(e.what());
        }
        if (none) throw error(path + ": no extended attributes at all");
    }

    in.misc = evm_misc_bytes(meta, layout, sig && portable);
    const bool wants_uuid = sig && !portable && layout != MiscLayout::immutable && !(opts.uuid_given && !opts.uuid);
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
