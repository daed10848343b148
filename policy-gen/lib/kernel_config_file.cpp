#include "ima/policy/kernel_config_file.hpp"

#include <unistd.h>
#include <zlib.h>

#include <cerrno>

#include "ima/error.hpp"
#include "ima/file_io.hpp"

namespace ima::policy {

namespace {

// Inflates a gzip stream held in memory, refusing more than `limit` bytes out.
Bytes gunzip(ByteView in, size_t limit, const std::string& path) {
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw Error(ErrorKind::env, path + ": zlib would not start");
    struct End {
        z_stream& z;
        ~End() { inflateEnd(&z); }
    } end{z};
    z.next_in = const_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(in.size());
    Bytes out;
    uint8_t buf[65536];
    for (;;) {
        z.next_out = buf;
        z.avail_out = sizeof buf;
        int rc = inflate(&z, Z_NO_FLUSH);
        out.insert(out.end(), buf, buf + (sizeof buf - z.avail_out));
        if (out.size() > limit) throw FormatError(path + ": larger than " + std::to_string(limit) + " bytes inflated");
        if (rc == Z_STREAM_END) return out;
        if (rc != Z_OK) throw FormatError(path + ": not a gzip stream that ends (" + (z.msg ? z.msg : "zlib") + ")");
        if (z.avail_in == 0 && z.avail_out != 0) throw FormatError(path + ": the gzip stream is cut short");
    }
}

}  // namespace

KernelConfig load_kernel_config(const std::string& path) {
    Bytes data = read_bounded(path, ReadOptions{.max_bytes = kMaxKernelConfigBytes});
    if (data.size() >= 2 && data[0] == 0x1f && data[1] == 0x8b) data = gunzip(data, kMaxKernelConfigBytes, path);
    try {
        return parse_kernel_config(data, path);
    } catch (const FormatError& e) {
        throw FormatError(path + ": " + e.what());
    }
}

std::optional<KernelConfig> running_kernel_config(const std::string& release) {
    for (const std::string& p : {std::string("/proc/config.gz"), "/boot/config-" + release})
        if (access(p.c_str(), R_OK) == 0) return load_kernel_config(p);
    return std::nullopt;
}

}  // namespace ima::policy
