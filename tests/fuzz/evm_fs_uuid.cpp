// Fuzzes the byte parsers behind the filesystem UUID: a /proc/self/mountinfo
// table (ima/evm/mountinfo.hpp), an ext2/3/4 superblock, and UUID text. They return nullopt or throw
// UsageError (UUID text); nothing else escapes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ima/error.hpp"
#include "ima/evm/fs_uuid.hpp"
#include "ima/evm/mountinfo.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    unsigned maj = size > 0 ? data[0] : 0, min = size > 1 ? data[1] : 0;
    if (auto m = ima::evm::find_mount(text, maj, min)) {
        if (m->source.size() + m->fstype.size() > size) std::abort();  // undoing escapes only shrinks
        if (m->major != maj || m->minor != min) std::abort();
    }
    (void)ima::evm::find_mount(text, 254, 0);
    if (auto u = ima::evm::ext_superblock_uuid(ima::ByteView(data, size)))
        if (size < 0x78 || data[0x38] != 0x53 || data[0x39] != 0xef) std::abort();
    try {
        auto u = ima::evm::parse_uuid(text);
        if (ima::evm::parse_uuid(ima::evm::format_uuid(u)) != u) std::abort();
    } catch (const ima::UsageError&) {
    }
    return 0;
}
