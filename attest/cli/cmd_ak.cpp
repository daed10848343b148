// ima-attest ak create: on the attested machine, the TCG default EK and a
// restricted signing AK under it, written to AK.json (and the AK's public
// key as PEM for tpm2_checkquote -u and check-quote --ak).
#include <openssl/pem.h>

#include <iostream>

#include "command.hpp"
#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/tpm/keys.hpp"

namespace ima::attest::cli {
namespace {

constexpr const char* kTctiHelp =
    "TCTI of the TPM: device:/dev/tpmrm0, swtpm:port=P ... (default: $IMAEVM_TCTI, $TPM2TOOLS_TCTI, "
    "device:/dev/tpmrm0)";

std::string pem_of(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) throw CryptoError("the AK", "PEM_write_bio_PUBKEY");
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
}

class AkCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        common_ = &common;
        auto* sub = app.add_subcommand("ak", "The attestation key: ak create");
        sub->require_subcommand(1);
        auto* create = sub->add_subcommand("create", "Create the TCG default EK and a restricted signing AK under it");
        create->add_option("--tcti", tcti_, kTctiHelp);
        create->add_option("--alg", alg_, "Key type of the EK and the AK")
            ->check(CLI::IsMember({"rsa", "ecc"}))
            ->capture_default_str();
        create->add_option("-o,--output", out_, "AK.json to write")->required();
        create->add_option("--pem", pem_, "Also write the AK's public key as PEM");
        create->callback([this] { selected = true; });
    }

    int run() override {
        const tpm::KeyAlg alg = alg_ == "ecc" ? tpm::KeyAlg::ecc : tpm::KeyAlg::rsa;
        tpm::Tpm t(tcti_.empty() ? tpm::default_tcti() : tcti_);
        tpm::AkFile ak = tpm::create_ak(t, alg);
        const std::string text = tpm::ak_json(ak);
        const tpm::PublicArea pub = tpm::parse_public(ak.ak_public);
        std::string pem;
        if (!pem_.empty()) pem = pem_of(tpm::public_key(pub).get());
        write_atomic(out_, text, 0644);
        if (!pem_.empty()) write_atomic(pem_, pem, 0644);
        if (!common_->quiet)
            std::cerr << tool << ": ak create: " << alg_ << " AK " << to_hex(tpm::name_of(pub)) << " under the EK, "
                      << (ak.ek_certificate ? "EK certificate read from NV" : "no EK certificate in NV") << ": " << out_
                      << '\n';
        return 0;
    }

private:
    const CommonOptions* common_ = nullptr;
    std::string tcti_, alg_ = "rsa", out_, pem_;
};

}  // namespace

std::unique_ptr<Command> make_ak() {
    return std::make_unique<AkCmd>();
}

}  // namespace ima::attest::cli
