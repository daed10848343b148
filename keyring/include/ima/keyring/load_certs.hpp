// Certificates from files and folders, ready for a kernel keyring: each PEM
// bundle or DER file becomes one or more DER certificates, in file order.
#pragma once

#include <string>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/xattr_format.hpp"

namespace ima::keyring {

struct CertFile {
    std::string source;  // "file" or "file#2" for the second certificate of a bundle
    Bytes der;
    KeyId keyid;
};

// Every certificate of one file (PEM, possibly several, or DER). Throws
// IoError, Error(env) (not a regular file, over 1 MiB) or FormatError naming
// the file, CryptoError when a certificate cannot be re-encoded or a key id
// must be computed and cannot be.
std::vector<CertFile> read_cert_file(const std::string& path);

// The files of DIR that hold certificates (*.der, *.pem, *.crt, *.cer),
// sorted by name; regular files only, links not followed.
std::vector<std::string> cert_files_in(const std::string& dir);

}  // namespace ima::keyring
