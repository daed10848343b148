// ima-sign sign-hash: digests on stdin, "line value" on stdout (as evmctl sign_hash).
#include <iostream>

#include "command.hpp"
#include "ima/sign/sign_hash.hpp"

namespace ima::sign::cli {
namespace {

class SignHashCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions&) override {
        auto* sub = app.add_subcommand("sign-hash", "Sign digests read from stdin (as evmctl sign_hash)");
        k_.add_to(sub, false);
        sub->add_option("-a,--hash-algo", algo_, "Hash algorithm of sha256sum-style lines");
        auto* v3 = sub->add_flag("--sigv3", sigv3_, "Signature v3 over the ima_file_id of a regular file");
        sub->add_flag("--veritysig", verity_, "Signature v3 over the fs-verity file id (fsverity digest lines)")
            ->excludes(v3);
        sub->callback([this] { selected = true; });
    }
    int run() override {
        HashAlgo a = parse_hash_algo(algo_);
        auto [key, keyid] = k_.load();
        Signer signer(key, keyid);
        SignHashMode mode = verity_ ? SignHashMode::verity : sigv3_ ? SignHashMode::v3 : SignHashMode::v2;
        sign_hash_stream(std::cin, std::cout, signer, a, mode);
        return 0;
    }

private:
    KeyArgs k_;
    std::string algo_ = "sha256";
    bool sigv3_ = false, verity_ = false;
};

}  // namespace

std::unique_ptr<Command> make_sign_hash() {
    return std::make_unique<SignHashCmd>();
}

}  // namespace ima::sign::cli
