#include "command.hpp"

namespace ima::sign::cli {

void WalkArgs::add_to(CLI::App* sub, bool with_algo) {
    if (with_algo)
        sub->add_option("-a,--hash-algo", algo, "Hash algorithm (sha1, sha224, sha256, sha384, sha512, sm3)");
    TreeArgs::add_to(sub, "Use user.ima instead of security.ima");
}

}  // namespace ima::sign::cli
