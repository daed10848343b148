// IMA template descriptors (security/integrity/ima/ima_template.c): the
// built-in templates by name, custom formats ("d-ng|n-ng|sig") as the kernel
// names them when booted with ima_template_fmt=, and for every field id the
// way the kernel prints it in ascii_runtime_measurements
// (ima_template_lib.c: DATA_FMT_*).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ima::measurement {

// How a field's data is printed by ascii_runtime_measurements.
enum class FieldFormat {
    digest,            // 'd': plain hex
    digest_with_algo,  // 'd-ng', 'd-ngv2', 'd-modsig': "<algo>:" NUL digest -> "<algo>:<hex>"
    string,            // 'n', 'n-ng', 'xattrnames': printed up to the first NUL
    hex,               // 'sig', 'buf', 'modsig', 'evmsig', 'xattrlengths', 'xattrvalues'
    uint,              // 'iuid', 'igid', 'imode': 1, 2, 4 or 8 bytes in the list's byte order
};

struct FieldDesc {
    std::string_view id;
    FieldFormat format;
};

// The field ids the kernel knows; nullptr for an unknown id.
const FieldDesc* find_field(std::string_view id);

struct TemplateDesc {
    std::string name;                              // "ima-sig", or the format itself for a custom one
    std::vector<const FieldDesc*> fields;          // in order
    bool is_ima() const { return name == "ima"; }  // the original template: no data length, 'n' padded in its hash
    // Index of a field id in this template, or -1.
    int index_of(std::string_view id) const;
};

// A built-in template by name (ima, ima-ng, ima-sig, ima-ngv2, ima-sigv2,
// ima-buf, ima-modsig, evm-sig); nullptr for any other name. The result
// lives as long as the program.
const TemplateDesc* builtin_template(std::string_view name);

// The templates one measurement list names: the built-in ones, and each
// custom format ('|'-separated field ids, as a kernel booted with
// ima_template_fmt= names its template) met in that list, owned here so that
// hostile input grows nothing that outlives the list. Not thread-safe.
class TemplateSet {
public:
    // The template for a name as it appears in a list, or nullptr when it is
    // neither built in nor a valid format. Pointers stay valid as long as the set.
    const TemplateDesc* find(std::string_view name);

private:
    std::map<std::string, std::unique_ptr<TemplateDesc>, std::less<>> custom_;
};

}  // namespace ima::measurement
