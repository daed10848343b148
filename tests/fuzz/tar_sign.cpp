// Fuzzes `ima-sign tar` on hostile streams: any input is either signed
// through to a tar stream or refused with an ima::Error; never a crash, a
// hang or unbounded memory. The input comes from a memfd, as from a pipe or
// file; the output goes to /dev/null. Small memory and spool limits make
// short inputs reach the temporary-file path too.
#include "ima/sign/tar_sign.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#include "ima/error.hpp"
#include "ima/fd.hpp"

namespace {

const ima::PrivateKey& fuzz_key() {
    static ima::PrivateKey key = [] {
        ima::PrivateKey k;
        k.pkey.reset(EVP_EC_gen("P-256"));
        if (!k.pkey) std::abort();
        k.source = "fuzz key";
        return k;
    }();
    return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ima::Fd in(memfd_create("tar-in", MFD_CLOEXEC));
    ima::Fd out(open("/dev/null", O_WRONLY | O_CLOEXEC));
    if (!in || !out) std::abort();
    for (size_t off = 0; off < size;) {
        ssize_t n = write(in.get(), data + off, size - off);
        if (n <= 0) std::abort();
        off += static_cast<size_t>(n);
    }
    if (lseek(in.get(), 0, SEEK_SET) != 0) std::abort();
    ima::sign::TarRequest req;
    req.jobs = 1;
    req.memory_budget = 64 << 10;
    req.spool_threshold = 4 << 10;
    ima::KeyId id{0x12, 0x34, 0x56, 0x78};
    try {
        (void)ima::sign::sign_tar(in.get(), "fuzz input", out.get(), "/dev/null", fuzz_key(), id, req,
                                  [](const ima::sign::FileRecord&) {});
    } catch (const ima::Error&) {
    }
    return 0;
}
