#include "algo.hpp"

#include <openssl/evp.h>

#include "ima/error.hpp"
#include "ima/ossl.hpp"

namespace ima::evmctl {

namespace {

struct Name {
    const char* name;
    HashAlgo algo;
};

// The names ima-evm-utils 1.4 accepts, measured against it: its table holds
// the kernel's names of its day (no rmd128/256/320, no SHA-3) plus OpenSSL's
// spellings of a few.
const Name names[] = {
    {"md4", HashAlgo::md4},
    {"md5", HashAlgo::md5},
    {"sha1", HashAlgo::sha1},
    {"rmd160", HashAlgo::ripemd160},
    {"ripemd160", HashAlgo::ripemd160},
    {"sha256", HashAlgo::sha256},
    {"sha384", HashAlgo::sha384},
    {"sha512", HashAlgo::sha512},
    {"sha224", HashAlgo::sha224},
    {"wp256", HashAlgo::wp256},
    {"wp384", HashAlgo::wp384},
    {"wp512", HashAlgo::wp512},
    {"tgr128", HashAlgo::tgr128},
    {"tgr160", HashAlgo::tgr160},
    {"tgr192", HashAlgo::tgr192},
    {"sm3", HashAlgo::sm3_256},
    {"streebog256", HashAlgo::streebog256},
    {"streebog512", HashAlgo::streebog512},
    {"md_gost12_256", HashAlgo::streebog256},
    {"md_gost12_512", HashAlgo::streebog512},
};

}  // namespace

std::optional<HashAlgo> algo_from_name(const std::string& name) {
    for (const auto& n : names)
        if (name == n.name) return n.algo;
    return std::nullopt;
}

bool openssl_has_digest(const std::string& name) {
    MdPtr md(EVP_MD_fetch(nullptr, name.c_str(), nullptr));
    drain_openssl_errors();
    return md != nullptr;
}

std::string algo_display(HashAlgo algo) {
    return hash_algo_info(algo).name;
}

}  // namespace ima::evmctl
