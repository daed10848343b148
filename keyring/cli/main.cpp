// ima-keyring: X.509 certificates into the kernel keyrings IMA and EVM use.
// One function a subcommand: parse with CLI11, call the library, print.
#include <iostream>
#include <nlohmann/json.hpp>

#include "ima/cli.hpp"
#include "ima/core.hpp"
#include "ima/keyring/keyring.hpp"
#include "ima/keyring/load_certs.hpp"
#include "ima/printable.hpp"

namespace {

using namespace ima;
using namespace ima::keyring;
using nlohmann::json;

const std::string tool = "ima-keyring";

struct Args {
    std::string keyring = "_ima";
    bool create = false;
    bool json = false;
    std::vector<std::string> files;
    std::string dir, which;
    CommonOptions* base = nullptr;
};

void add_keyring_option(CLI::App* sub, Args& a) {
    sub->add_option("--keyring", a.keyring,
                    "Keyring: _ima, _evm, .ima, .evm, .platform, @u, @s or a serial (default _ima)");
}

// Imports every certificate of `files`; one line each; failures counted.
int import_files(const std::vector<std::string>& files, const Args& a, json& out) {
    key_serial_t ring = resolve_keyring(a.keyring, a.create ? Create::yes : Create::no);
    int status = 0;
    for (const auto& f : files) {
        try {
            for (const auto& c : read_cert_file(f)) {
                key_serial_t id = import_certificate(ring, c.der, c.source);
                if (a.json)
                    out.push_back(
                        {{"file", c.source}, {"serial", id}, {"keyid", keyid_hex(c.keyid)}, {"keyring", a.keyring}});
                else if (!a.base->quiet)
                    std::cout << printable(c.source) << ": key " << keyid_hex(c.keyid) << " added to " << a.keyring
                              << " as " << id << '\n';
            }
        } catch (const Error& e) {
            print_error(tool, e.what());
            if (a.json) out.push_back({{"file", f}, {"error", e.what()}});
            status = std::max(status, e.exit_status());
        }
    }
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ima-keyring: load X.509 certificates into the kernel keyrings IMA and EVM use", tool};
    CommonOptions common;
    add_common_options(app, common);
    app.require_subcommand(1);
    Args a;
    a.base = &common;

    auto* imp = app.add_subcommand("import", "Add certificates (DER or PEM, bundles too) to a keyring");
    imp->add_option("CERT", a.files, "Certificate files")->required();
    add_keyring_option(imp, a);
    imp->add_flag("--create", a.create, "Create a missing named keyring under the user keyring");
    imp->add_flag("--json", a.json, "One JSON document on stdout");

    auto* dir = app.add_subcommand("load-dir", "Add every .der, .pem, .crt and .cer certificate of a folder");
    dir->add_option("DIR", a.dir, "Folder")->required();
    add_keyring_option(dir, a);
    dir->add_flag("--create", a.create, "Create a missing named keyring under the user keyring");
    dir->add_flag("--json", a.json, "One JSON document on stdout");

    auto* list = app.add_subcommand("list", "Show the keys of a keyring");
    add_keyring_option(list, a);
    list->add_flag("--json", a.json, "One JSON document on stdout");

    auto* rm = app.add_subcommand("remove", "Remove a key by IMA key id or serial");
    rm->add_option("KEYID|SERIAL", a.which,
                   "8 hex digits or a serial number (keyid:HEX or serial:N when a word reads both ways)")
        ->required();
    add_keyring_option(rm, a);

    auto* kid = app.add_subcommand("keyid", "Print the IMA key id of certificates");
    kid->add_option("CERT", a.files, "Certificate files")->required();
    kid->add_flag("--json", a.json, "One JSON document on stdout");

    return run_cli(app, argc, argv, [&]() -> int {
        json out = json::array();
        int status = 0;
        if (*imp || *dir) {
            std::vector<std::string> files = *dir ? cert_files_in(a.dir) : a.files;
            if (*dir && files.empty()) throw FormatError(a.dir + ": no certificate files (*.der, *.pem, *.crt, *.cer)");
            status = import_files(files, a, out);
        } else if (*list) {
            key_serial_t ring = resolve_keyring(a.keyring, Create::no);
            for (const auto& k : list_keys(ring)) {
                std::string id = k.ima_keyid ? keyid_hex(*k.ima_keyid) : "-";
                if (a.json)
                    out.push_back({{"serial", k.serial},
                                   {"type", k.type},
                                   {"description", k.description},
                                   {"keyid", k.ima_keyid ? json(id) : json(nullptr)}});
                else
                    std::cout << k.serial << ' ' << id << ' ' << k.type << ' ' << printable(k.description) << '\n';
            }
        } else if (*rm) {
            key_serial_t ring = resolve_keyring(a.keyring, Create::no);
            RemovedKey gone = remove_key(ring, a.which);
            if (!common.quiet)
                std::cout << "removed key " << gone.serial << " ("
                          << (gone.matched == RemovedKey::by_serial ? "serial " + std::to_string(gone.serial)
                                                                    : "key id " + keyid_hex(*gone.keyid))
                          << ") from " << a.keyring << '\n';
        } else if (*kid) {
            for (const auto& f : a.files) {
                for (const auto& c : read_cert_file(f)) {
                    if (a.json)
                        out.push_back({{"file", c.source}, {"keyid", keyid_hex(c.keyid)}});
                    else
                        std::cout << keyid_hex(c.keyid) << ' ' << printable(c.source) << '\n';
                }
            }
        }
        if (a.json) print_json(out);
        return status;
    });
}
