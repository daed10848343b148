#include "ima/keyring/load_certs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "ima/error.hpp"
#include "ima/fd.hpp"
#include "ima/key.hpp"
#include "ima/ossl.hpp"

namespace ima::keyring {

std::vector<CertFile> read_cert_file(const std::string& path) {
    Bytes data = read_small_file(path, "certificate");
    std::vector<CertFile> out;
    auto certs = parse_certificates(data, path);
    for (size_t i = 0; i < certs.size(); ++i) {
        unsigned char* raw = nullptr;
        int len = i2d_X509(certs[i].x509.get(), &raw);
        OpenSslBytes der(raw);
        if (len <= 0) throw CryptoError("certificate " + path, "i2d_X509");
        Bytes b(der.get(), der.get() + len);
        out.push_back(CertFile{certs.size() > 1 ? path + "#" + std::to_string(i + 1) : path, std::move(b),
                               keyid_of_certificate(certs[i])});
    }
    return out;
}

std::vector<std::string> cert_files_in(const std::string& dir) {
    DirStream d = DirStream::open(dir.c_str());
    if (!d) throw IoError(dir, errno);
    std::vector<std::string> out;
    while (dirent* e = readdir(d.get())) {
        std::string name = e->d_name;
        auto dot = name.rfind('.');
        if (dot == std::string::npos) continue;
        std::string ext = name.substr(dot);
        if (ext != ".der" && ext != ".pem" && ext != ".crt" && ext != ".cer") continue;
        struct stat st {};
        if (fstatat(dirfd(d.get()), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
        out.push_back(dir + "/" + name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace ima::keyring
