// ima-attest show: the list as ascii_runtime_measurements prints it.
#include <iostream>

#include "command.hpp"
#include "ima/measurement/ascii.hpp"

namespace ima::attest::cli {
namespace {

using nlohmann::json;
using namespace ima::measurement;

class ShowCmd : public Command {
public:
    void setup(CLI::App& app, const CommonOptions& common) override {
        common_ = &common;
        auto* sub = app.add_subcommand("show", "Print the list as the kernel's ascii_runtime_measurements does");
        log_.add_to(sub);
        sub->add_flag("--json", json_, "One JSON document on stdout");
        sub->callback([this] { selected = true; });
    }

    int run() override {
        auto l = log_.load();
        const MeasurementList& list = l->list;
        if (!common_->quiet) {
            for (const auto& name : list.unknown_templates)
                print_warning(tool, "template '" + name + "' is unknown: its data is shown as one hex field");
            for (const Entry& e : list.entries)
                if (!e.problem.empty())
                    print_warning(tool, "entry " + std::to_string(e.index) + ": " + e.problem + " (shown as hex)");
        }
        if (json_) {
            print_json(document(list));
            return 0;
        }
        std::string out;
        out.reserve(list.entries.size() * 160);
        for (const Entry& e : list.entries) {
            append_ascii_line(out, e, list.order);
            if (out.size() > (1u << 20)) {
                print_raw(out);
                out.clear();
            }
        }
        print_raw(out);
        return 0;
    }

private:
    json document(const MeasurementList& list) const {
        json entries = json::array();
        for (const Entry& e : list.entries) {
            json j = {{"index", e.index},
                      {"pcr", e.pcr},
                      {"template_digest", to_hex(e.template_digest)},
                      {"template", std::string(e.template_name)}};
            if (e.desc && e.problem.empty()) {
                json fields = json::object();
                for (size_t i = 0; i < e.fields.size(); ++i)
                    fields[std::string(e.desc->fields[i]->id)] = ascii_field(e, i, list.order);
                j["fields"] = fields;
            } else {
                j["data"] = to_hex(e.template_data);
                if (!e.problem.empty()) j["problem"] = e.problem;
            }
            if (e.is_violation()) j["violation"] = true;
            entries.push_back(std::move(j));
        }
        return {{"log", log_.path},
                {"byte_order", byte_order_name(list.order)},
                {"template_digest_algo", hash_algo_info(list.digest_algo).name},
                {"unknown_templates", list.unknown_templates},
                {"entries", std::move(entries)}};
    }

    const CommonOptions* common_ = nullptr;
    LogArgs log_;
    bool json_ = false;
};

}  // namespace

std::unique_ptr<Command> make_show() {
    return std::make_unique<ShowCmd>();
}

}  // namespace ima::attest::cli
