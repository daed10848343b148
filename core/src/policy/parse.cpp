#include <sstream>

#include "ima/error.hpp"
#include "ima/policy/policy.hpp"

namespace ima::policy {

namespace {
constexpr struct {
    const char* name;
    Action action;
} actions[] = {
    {"measure", Action::measure},     {"dont_measure", Action::dont_measure},
    {"appraise", Action::appraise},   {"dont_appraise", Action::dont_appraise},
    {"audit", Action::audit},         {"hash", Action::hash},
    {"dont_hash", Action::dont_hash},
};
}  // namespace

const char* action_name(Action a) {
    for (const auto& x : actions)
        if (x.action == a) return x.name;
    return "?";
}

std::string Term::text() const {
    if (bare) return key;
    return key + op + value;
}

const Term* Rule::find(const std::string& key) const {
    for (const auto& t : terms)
        if (t.key == key) return &t;
    return nullptr;
}

std::string Rule::text() const {
    std::string s = action_name(action);
    for (const auto& t : terms) s += " " + t.text();
    return s;
}

Policy parse_policy(std::string_view text) {
    Policy p;
    unsigned line_no = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        ++line_no;
        pos = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        // Tokens are separated by blanks (the kernel splits on " \t").
        std::vector<std::pair<std::string, unsigned>> tokens;
        size_t i = 0;
        while (i < line.size()) {
            while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
            if (i >= line.size()) break;
            size_t start = i;
            while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
            tokens.emplace_back(std::string(line.substr(start, i - start)), static_cast<unsigned>(start + 1));
        }
        if (tokens.empty() || tokens[0].first[0] == '#') {
            if (end == text.size()) break;
            continue;
        }
        Rule r;
        r.line = line_no;
        bool known = false;
        for (const auto& a : actions)
            if (tokens[0].first == a.name) {
                r.action = a.action;
                known = true;
            }
        if (!known) {
            p.parse_errors.push_back(
                {Diagnostic::error, line_no, tokens[0].second,
                 "unknown action '" + tokens[0].first +
                     "' (measure, dont_measure, appraise, dont_appraise, audit, hash, dont_hash)"});
        } else {
            for (size_t t = 1; t < tokens.size(); ++t) {
                const auto& [tok, col] = tokens[t];
                Term term;
                term.column = col;
                size_t op = tok.find_first_of("=<>");
                if (op == std::string::npos) {
                    term.key = tok;
                    term.bare = true;
                } else {
                    term.key = tok.substr(0, op);
                    term.op = tok[op];
                    term.value = tok.substr(op + 1);
                }
                r.terms.push_back(std::move(term));
            }
            p.rules.push_back(std::move(r));
        }
        if (end == text.size()) break;
    }
    return p;
}

std::string print_policy(const Policy& p) {
    std::string out;
    for (const auto& r : p.rules) out += r.text() + "\n";
    return out;
}

KernelVersion parse_kernel_version(const std::string& s) {
    KernelVersion v;
    char dot = 0;
    std::istringstream in(s);
    if (!(in >> v.major >> dot >> v.minor) || dot != '.' || !in.eof())
        throw UsageError("kernel version '" + s + "': expected X.Y, for example 6.1");
    return v;
}

}  // namespace ima::policy
