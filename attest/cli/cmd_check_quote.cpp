// ima-attest check-quote: judge the -m/-s/-o files of tpm2_quote with the
// AK's public key and the nonce, as tpm2_checkquote does, each check named.
// Only a trusted quote's PCR values are printed (as --pcrs files hold them):
// a value outside a verified quote proves nothing.
#include <iostream>

#include "command.hpp"
#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/key.hpp"
#include "ima/measurement/pcr_values.hpp"
#include "ima/quote/quote.hpp"

namespace ima::attest::cli {
namespace {

using nlohmann::json;
using namespace ima::quote;

// The quote files are a few hundred bytes; a larger file is not one.
constexpr size_t kMaxQuoteFile = 64 * 1024;

Bytes read_quote_file(const std::string& path) {
    return read_bounded(path, ReadOptions{kMaxQuoteFile});
}

// `parse` over the bytes of `path`, its errors named by the file.
template <class Parse>
auto parse_bytes(const std::string& path, ByteView data, Parse parse) {
    try {
        return parse(data);
    } catch (const FormatError& e) {
        throw FormatError(path + ": " + e.what());
    }
}

class CheckQuoteCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        common_ = &common;
        auto* sub = app.add_subcommand("check-quote",
                                       "Check tpm2_quote's message, signature and PCR files with the AK and the nonce");
        sub->add_option("--message,-m", message_, "The quote message (TPMS_ATTEST, tpm2_quote -m)")->required();
        sub->add_option("--signature,-s", signature_, "The signature (TPMT_SIGNATURE, tpm2_quote -s)")->required();
        sub->add_option("--pcr-values,-f", pcrs_, "The PCR values (tpm2_quote -o, serialized)")->required();
        sub->add_option("--ak,-u", ak_, "The AK's public key (PEM or DER), or a certificate")->required();
        sub->add_option("--nonce,-q", nonce_, "The nonce (hex) the quote must hold")->required();
        sub->add_flag("--json", json_, "One JSON document on stdout");
        sub->callback([this] { selected = true; });
    }

    int run() override {
        const Bytes nonce = parse_nonce(nonce_);
        PKeyPtr ak = load_public_key(ak_);
        // The message is kept: the signature is checked over its bytes.
        const Bytes message = read_quote_file(message_);
        const Attest attest = parse_bytes(message_, message, parse_attest);
        const QuoteSignature sig = parse_bytes(signature_, read_quote_file(signature_), parse_quote_signature);
        const QuotedPcrs pcrs = parse_bytes(pcrs_, read_quote_file(pcrs_), parse_tpm2_pcrs);
        std::vector<QuoteCheck> checks = check_quote(message, attest, sig, pcrs, ak.get(), nonce);
        size_t failed = 0;
        for (const auto& c : checks) failed += !c.ok;
        const bool trusted = failed == 0;
        if (json_) {
            json doc = {{"command", "check-quote"}, {"trusted", trusted}, {"checks", json::array()}};
            for (const auto& c : checks)
                doc["checks"].push_back({{"check", c.name}, {"ok", c.ok}, {"detail", c.detail}});
            if (trusted) doc["pcrs"] = pcr_json(pcrs);
            print_json(doc);
        } else {
            std::string out;
            for (const auto& c : checks)
                if (!c.ok || common_->verbose)
                    out += "quote: " + c.name + (c.ok ? ": ok: " : ": failed: ") + c.detail + "\n";
            if (trusted) out += pcr_text(pcrs);
            print_raw(out);
        }
        if (!common_->quiet) {
            if (trusted)
                std::cerr << tool << ": check-quote: trusted: " << selection_text(pcrs.selection) << " quoted by the AK"
                          << '\n';
            else
                std::cerr << tool << ": check-quote: not trusted: " << failed << " of " << checks.size()
                          << " checks failed" << '\n';
        }
        return trusted ? 0 : 1;
    }

private:
    // Only banks this tool knows are printed: the others were checked
    // through the digest but have no --pcrs name.
    template <class Fn>
    static void each_value(const QuotedPcrs& pcrs, Fn fn) {
        size_t i = 0;
        for (const auto& b : pcrs.selection)
            for (unsigned pcr : b.pcrs) {
                if (auto h = hash_algo_from_tpm_alg(b.tpm_alg)) fn(*h, pcr, pcrs.values[i]);
                ++i;
            }
    }

    static json pcr_json(const QuotedPcrs& pcrs) {
        json banks = json::object();
        each_value(pcrs, [&](HashAlgo h, unsigned pcr, const Bytes& v) {
            banks[hash_algo_info(h).name][std::to_string(pcr)] = to_hex(v);
        });
        return banks;
    }

    static std::string pcr_text(const QuotedPcrs& pcrs) {
        std::map<HashAlgo, measurement::PcrMap> banks;
        each_value(pcrs, [&](HashAlgo h, unsigned pcr, const Bytes& v) { banks[h][pcr] = v; });
        std::string out;
        for (const auto& [h, map] : banks)
            out += "# " + std::string(hash_algo_info(h).name) + "\n" + measurement::format_pcr_lines(map);
        return out;
    }

    const CommonOptions* common_ = nullptr;
    std::string message_, signature_, pcrs_, ak_, nonce_;
    bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_check_quote() {
    return std::make_unique<CheckQuoteCmd>();
}

}  // namespace ima::attest::cli
