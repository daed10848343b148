// evm-tool show: decode security.ima and security.evm, every type, for
// people (sorted by path) or as one JSON document.
#include <algorithm>
#include <iostream>

#include "command.hpp"
#include "ima/evm/describe.hpp"
#include "ima/printable.hpp"

namespace ima::evmtool::cli {
namespace {

using nlohmann::json;

json value_json(const std::optional<Bytes>& v, Attr attr) {
    if (!v) return nullptr;
    try {
        return facts_json(describe_value(*v, attr), *v);
    } catch (const FormatError& e) {
        return {{"error", e.what()}, {"value", to_hex(*v)}};
    }
}

std::string value_text(const std::optional<Bytes>& v, Attr attr, bool verbose) {
    if (!v) return "none";
    std::string out;
    try {
        out = facts_text(describe_value(*v, attr));
    } catch (const FormatError& e) {
        out = std::string("malformed (") + e.what() + ")";
    }
    if (verbose) out += "\n    0x" + to_hex(*v);
    return out;
}

class ShowCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        a_.base = &common;
        auto* sub = app.add_subcommand("show", "Decode security.ima and security.evm (every type)");
        a_.add_to(sub);
        sub->callback([this] { selected = true; });
    }

    int run() override {
        std::vector<ShowRecord> records;
        FailureLog fails{tool, a_.json};
        WalkSummary s = read_values(
            a_.paths, a_.ns(), a_.walk(nullptr), [&](const ShowRecord& r) { records.push_back(r); }, fails.fn());
        std::sort(records.begin(), records.end(), [](const auto& x, const auto& y) { return x.path < y.path; });
        const std::string ima = xattr_name(a_.ns(), "ima"), evm = xattr_name(a_.ns(), "evm");
        if (a_.json) {
            json files = json::array();
            for (const auto& r : records)
                files.push_back({{"path", r.path},
                                 {ima, value_json(r.ima, Attr::ima)},
                                 {evm, value_json(r.evm, Attr::evm)},
                                 {"protected_xattrs", r.protected_present}});
            json doc = {{"command", "show"},
                        {"files", files},
                        {"shown", records.size()},
                        {"failed", s.failures.size()},
                        {"failures", fails.items}};
            print_json(doc);
            return s.exit_status();
        }
        for (const auto& r : records) {
            std::cout << printable(r.path) << '\n';
            std::cout << "  " << ima << ": " << value_text(r.ima, Attr::ima, a_.verbose()) << '\n';
            std::cout << "  " << evm << ": " << value_text(r.evm, Attr::evm, a_.verbose()) << '\n';
            if (a_.verbose()) {
                std::cout << "  protected:";
                for (const auto& p : r.protected_present) std::cout << ' ' << p;
                std::cout << '\n';
            }
        }
        return s.exit_status();
    }

private:
    WalkArgs a_;
};

}  // namespace

std::unique_ptr<Command> make_show() {
    return std::make_unique<ShowCmd>();
}

}  // namespace ima::evmtool::cli
