#include "ima/error.hpp"

#include <openssl/err.h>

#include <cstring>

namespace ima {

static ErrorKind kind_for_errno(int err) {
    // ENODATA/ENOTSUP say the file or filesystem lacks something; everything
    // else (EACCES, EPERM, EIO, ENOENT...) is the environment.
    return err == EINVAL ? ErrorKind::bad : ErrorKind::env;
}

IoError::IoError(const std::string& context, int e)
    : Error(kind_for_errno(e), context + ": " + std::strerror(e)), err(e) {}

std::string drain_openssl_errors() {
    std::string out;
    unsigned long code;
    const char* file = nullptr;
    int line = 0;
    while ((code = ERR_get_error_all(&file, &line, nullptr, nullptr, nullptr)) != 0) {
        const char* reason = ERR_reason_error_string(code);
        if (!out.empty()) out += "; ";
        out += reason ? reason : ("error " + std::to_string(ERR_GET_REASON(code)));
    }
    return out;
}

CryptoError::CryptoError(const std::string& context, const std::string& call, ErrorKind kind)
    : Error(kind, [&] {
          std::string why = drain_openssl_errors();
          return context + ": " + call + " failed" + (why.empty() ? "" : " (" + why + ")");
      }()) {}

Error with_context(const Error& e, const std::string& path) {
    return Error(e.kind(), path + ": " + e.what());
}

}  // namespace ima
