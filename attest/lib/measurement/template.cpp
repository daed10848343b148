#include "ima/measurement/template.hpp"

#include <array>
#include <map>
#include <memory>

namespace ima::measurement {

namespace {

// supported_fields[] of ima_template.c, with the show function each uses.
constexpr std::array<FieldDesc, 16> kFields = {{
    {"d", FieldFormat::digest},
    {"n", FieldFormat::string},
    {"d-ng", FieldFormat::digest_with_algo},
    {"d-ngv2", FieldFormat::digest_with_algo},
    {"n-ng", FieldFormat::string},
    {"sig", FieldFormat::hex},
    {"buf", FieldFormat::hex},
    {"d-modsig", FieldFormat::digest_with_algo},
    {"modsig", FieldFormat::hex},
    {"evmsig", FieldFormat::hex},
    {"iuid", FieldFormat::uint},
    {"igid", FieldFormat::uint},
    {"imode", FieldFormat::uint},
    {"xattrnames", FieldFormat::string},
    {"xattrlengths", FieldFormat::hex},
    {"xattrvalues", FieldFormat::hex},
}};

// builtin_templates[] of ima_template.c.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kBuiltin = {{
    {"ima", "d|n"},
    {"ima-ng", "d-ng|n-ng"},
    {"ima-sig", "d-ng|n-ng|sig"},
    {"ima-ngv2", "d-ngv2|n-ng"},
    {"ima-sigv2", "d-ngv2|n-ng|sig"},
    {"ima-buf", "d-ng|n-ng|buf"},
    {"ima-modsig", "d-ng|n-ng|sig|d-modsig|modsig"},
    {"evm-sig", "d-ng|n-ng|evmsig|xattrnames|xattrlengths|xattrvalues|iuid|igid|imode"},
}};

// The kernel allows at most IMA_TEMPLATE_NUM_FIELDS_MAX fields.
constexpr size_t kMaxFields = 15;

bool parse_format(std::string_view fmt, std::vector<const FieldDesc*>& out) {
    out.clear();
    size_t start = 0;
    while (true) {
        size_t bar = fmt.find('|', start);
        std::string_view id = fmt.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
        const FieldDesc* f = find_field(id);
        if (!f || out.size() == kMaxFields) return false;
        out.push_back(f);
        if (bar == std::string_view::npos) return true;
        start = bar + 1;
    }
}

// The built-in descriptors, made once (a function-local static: thread-safe).
const std::map<std::string, TemplateDesc, std::less<>>& builtins() {
    static const auto* table = [] {
        auto* t = new std::map<std::string, TemplateDesc, std::less<>>;
        for (auto [name, fmt] : kBuiltin) {
            TemplateDesc d;
            d.name = std::string(name);
            parse_format(fmt, d.fields);
            t->emplace(d.name, std::move(d));
        }
        return t;
    }();
    return *table;
}

}  // namespace

const FieldDesc* find_field(std::string_view id) {
    for (const auto& f : kFields)
        if (f.id == id) return &f;
    return nullptr;
}

int TemplateDesc::index_of(std::string_view id) const {
    for (size_t i = 0; i < fields.size(); ++i)
        if (fields[i]->id == id) return static_cast<int>(i);
    return -1;
}

const TemplateDesc* builtin_template(std::string_view name) {
    auto it = builtins().find(name);
    return it == builtins().end() ? nullptr : &it->second;
}

const TemplateDesc* TemplateSet::find(std::string_view name) {
    if (const TemplateDesc* b = builtin_template(name)) return b;
    if (auto it = custom_.find(name); it != custom_.end()) return it->second.get();
    // A custom format is named by the format string itself (ima_fs.c prints
    // template_desc->fmt when the descriptor has no name).
    std::vector<const FieldDesc*> fields;
    if (name.empty() || !parse_format(name, fields)) return nullptr;
    auto d = std::make_unique<TemplateDesc>();
    d->name = std::string(name);
    d->fields = std::move(fields);
    const TemplateDesc* p = d.get();
    custom_.emplace(d->name, std::move(d));
    return p;
}

}  // namespace ima::measurement
