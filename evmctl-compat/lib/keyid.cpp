#include "keyid.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ima/error.hpp"
#include "ima/fd.hpp"
#include "ima/file_io.hpp"

namespace ima::evmctl {

namespace {

// Certificates are small; anything larger than this is not one.
constexpr size_t max_cert_file = 1 << 20;

std::optional<Bytes> read_small(const std::string& path, std::string& why) {
    try {
        return read_bounded(path, ReadOptions{.max_bytes = max_cert_file});
    } catch (const Error& e) {
        why = e.what();
        return std::nullopt;
    }
}

X509Ptr pem_certificate(ByteView data) {
    BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    if (!bio) return nullptr;
    X509Ptr x(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    drain_openssl_errors();
    return x;
}

X509Ptr der_certificate(ByteView data) {
    const unsigned char* p = data.data();
    X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(data.size())));
    drain_openssl_errors();
    return x;
}

std::optional<KeyId> skid_keyid(X509* x) {
    const ASN1_OCTET_STRING* skid = X509_get0_subject_key_id(x);
    if (!skid || ASN1_STRING_length(skid) < 4) return std::nullopt;
    const unsigned char* d = ASN1_STRING_get0_data(skid);
    int n = ASN1_STRING_length(skid);
    return KeyId{d[n - 4], d[n - 3], d[n - 2], d[n - 1]};
}

}  // namespace

KeyId keyid_from_number(uint32_t id) {
    return KeyId{static_cast<uint8_t>(id >> 24), static_cast<uint8_t>(id >> 16), static_cast<uint8_t>(id >> 8),
                 static_cast<uint8_t>(id)};
}

std::optional<uint32_t> keyid_from_cert_skid(const std::string& path, std::string& why) {
    auto data = read_small(path, why);
    if (!data) return std::nullopt;
    X509Ptr x = pem_certificate(*data);
    if (!x) x = der_certificate(*data);
    if (!x) {
        why = path + ": no X.509 certificate (PEM or DER)";
        return std::nullopt;
    }
    auto id = skid_keyid(x.get());
    if (!id) {
        why = path + ": the certificate has no subjectKeyIdentifier";
        return std::nullopt;
    }
    return (uint32_t{(*id)[0]} << 24) | (uint32_t{(*id)[1]} << 16) | (uint32_t{(*id)[2]} << 8) | (*id)[3];
}

KeyId signing_keyid(const PrivateKey& key, const std::string& key_path) {
    std::string why;
    if (key_path.rfind("pkcs11:", 0) != 0) {
        if (auto data = read_small(key_path, why)) {
            static constexpr char begin[] = "-----BEGIN CERTIFICATE-----";
            bool has_cert = std::search(data->begin(), data->end(), begin, begin + sizeof begin - 1) != data->end();
            if (has_cert) {
                X509Ptr x = pem_certificate(*data);
                if (x) {
                    if (auto id = skid_keyid(x.get())) {
                        OPENSSL_cleanse(data->data(), data->size());
                        return *id;
                    }
                }
            }
            OPENSSL_cleanse(data->data(), data->size());
        }
    }
    return keyid_of_public_key(key.pkey.get());
}

}  // namespace ima::evmctl
