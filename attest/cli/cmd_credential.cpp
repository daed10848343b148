// ima-attest credential make|activate: the verifier makes a credential for
// the AK named in AK.json, encrypted to the EK (its certificate's key with
// --ek), in tpm2_makecredential's file format; the attested machine
// recovers the secret with TPM2_ActivateCredential, which only the TPM
// holding both keys can do. The secret is 32 random bytes, written and
// printed as hex.
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <iostream>

#include "command.hpp"
#include "ima/credential/credential.hpp"
#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/key.hpp"
#include "ima/tpm/keys.hpp"

namespace ima::attest::cli {
namespace {

constexpr size_t kMaxCredentialFile = 4096;
constexpr size_t kSecretSize = 32;

// The EK as the certificate's key says: its public key must be the AK
// file's EK, or the credential would go to a key nobody vouched for.
void check_ek_certificate(const std::string& path, const tpm::PublicArea& ek) {
    if (!tpm::certificate_holds(load_certificate(path), ek))
        throw VerifyError(path + ": the certificate's key is not the AK file's endorsement key");
}

class CredentialCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        common_ = &common;
        auto* sub = app.add_subcommand("credential", "Prove an AK lives in the EK's TPM: credential make|activate");
        sub->require_subcommand(1);
        make_ = sub->add_subcommand("make", "Make a credential for the AK, encrypted to the EK (no TPM)");
        make_->add_option("--ak", ak_, "AK.json of the attested machine")->required();
        make_->add_option("--ek", ek_cert_, "The EK certificate (PEM or DER): its key must be the AK file's EK");
        make_->add_option("-o,--output", out_, "The credential to send (tpm2_makecredential's format)")->required();
        make_->add_option("--secret-out", secret_out_, "Where the secret is kept (hex), to compare with the answer")
            ->required();
        make_->callback([this] { selected = true; });
        activate_ = sub->add_subcommand("activate", "Recover the secret of a credential with the TPM (prints it)");
        activate_->add_option("challenge", challenge_, "The credential (from credential make or tpm2_makecredential)")
            ->required();
        activate_->add_option("--ak", ak_, "AK.json made by ak create on this machine")->required();
        activate_->add_option("--tcti", tcti_,
                              "TCTI of the TPM (default: $IMAEVM_TCTI, $TPM2TOOLS_TCTI, "
                              "device:/dev/tpmrm0)");
        activate_->callback([this] { selected = true; });
    }

    int run() override { return make_->parsed() ? run_make() : run_activate(); }

private:
    int run_make() {
        tpm::AkFile ak = read_ak_file(ak_);
        const tpm::PublicArea ek = tpm::parse_public(ak.ek_public);
        if (!ek_cert_.empty()) check_ek_certificate(ek_cert_, ek);
        Bytes secret(kSecretSize);
        if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1)
            throw CryptoError("the secret", "RAND_bytes");
        const Bytes name = tpm::name_of(tpm::parse_public(ak.ak_public));
        credential::Credential c = credential::make_credential(ek, name, secret);
        std::string hex = to_hex(secret) + "\n";
        OPENSSL_cleanse(secret.data(), secret.size());
        write_atomic(secret_out_, hex, 0600);
        OPENSSL_cleanse(hex.data(), hex.size());
        write_atomic(out_, credential::credential_file(c), 0644);
        if (!common_->quiet)
            std::cerr << tool << ": credential make: for AK " << to_hex(name) << " under EK "
                      << to_hex(tpm::name_of(ek)) << ": " << out_ << '\n';
        return 0;
    }

    int run_activate() {
        tpm::AkFile ak = read_ak_file(ak_);
        Bytes file = read_bounded(challenge_, ReadOptions{kMaxCredentialFile});
        credential::Credential c;
        try {
            c = credential::parse_credential_file(file);
        } catch (const FormatError& e) {
            throw FormatError(challenge_ + ": " + e.what());
        }
        tpm::Tpm t(tcti_.empty() ? tpm::default_tcti() : tcti_);
        Bytes secret;
        try {
            secret = tpm::activate_credential(t, ak, c);
        } catch (const VerifyError& e) {
            throw VerifyError(challenge_ + ": " + e.what());
        }
        std::string hex = to_hex(secret) + "\n";
        OPENSSL_cleanse(secret.data(), secret.size());
        print_raw(hex);
        OPENSSL_cleanse(hex.data(), hex.size());
        return 0;
    }

    const CommonOptions* common_ = nullptr;
    CLI::App* make_ = nullptr;
    CLI::App* activate_ = nullptr;
    std::string ak_, ek_cert_, out_, secret_out_, challenge_, tcti_;
};

}  // namespace

std::unique_ptr<Command> make_credential() {
    return std::make_unique<CredentialCmd>();
}

}  // namespace ima::attest::cli
