// Splitting policy text as ima_parse_add_rule and ima_parse_rule do
// (security/integrity/ima/ima_policy.c): a rule a line; blanks and tabs
// separate tokens; a line whose first token starts with '#' is a comment;
// from 6.14 a token starting with '#' ends the rule. Nothing is judged here.
#include <charconv>

#include "ima/error.hpp"
#include "ima/policy/policy.hpp"

namespace ima::policy {

namespace {

constexpr struct {
    const char* name;
    Action action;
} action_words[] = {
    {"measure", Action::measure},     {"dont_measure", Action::dont_measure},
    {"appraise", Action::appraise},   {"dont_appraise", Action::dont_appraise},
    {"audit", Action::audit},         {"hash", Action::hash},
    {"dont_hash", Action::dont_hash},
};

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}

struct Token {
    std::string_view text;
    unsigned column;
};

std::vector<Token> split_tokens(std::string_view line) {
    std::vector<Token> out;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_blank(line[i])) ++i;
        if (i >= line.size()) break;
        size_t start = i;
        while (i < line.size() && !is_blank(line[i])) ++i;
        out.push_back({line.substr(start, i - start), static_cast<unsigned>(start + 1)});
    }
    return out;
}

Term make_term(std::string_view tok, unsigned column, unsigned index) {
    Term t;
    t.column = column;
    t.index = index;
    size_t op = tok.find_first_of("=<>");
    if (op == std::string_view::npos) {
        t.key = std::string(tok);
        t.bare = true;
    } else {
        t.key = std::string(tok.substr(0, op));
        t.op = tok[op];
        t.value = std::string(tok.substr(op + 1));
    }
    return t;
}

Rule make_rule(std::string_view line, unsigned line_no, const std::vector<Token>& tokens) {
    Rule r;
    r.line = line_no;
    r.length = static_cast<unsigned>(line.size());
    for (size_t i = 0; i < tokens.size(); ++i) {
        const auto& [tok, col] = tokens[i];
        if (tok[0] == '#') {  // the rest of the line is a comment
            r.comment = std::string(line.substr(col - 1));
            r.comment_column = col;
            break;
        }
        auto action = parse_action(tok);
        if (action && !r.action) {
            r.action = action;
            r.action_column = col;
            r.action_index = static_cast<unsigned>(i);
            continue;
        }
        r.terms.push_back(make_term(tok, col, static_cast<unsigned>(i)));
    }
    return r;
}

}  // namespace

const char* action_name(Action a) {
    for (const auto& w : action_words)
        if (w.action == a) return w.name;
    return "?";
}

std::optional<Action> parse_action(std::string_view token) {
    for (const auto& w : action_words)
        if (token == w.name) return w.action;
    return std::nullopt;
}

std::string Term::text() const {
    if (bare) return key;
    return key + op + value;
}

const Term* Rule::find(std::string_view key) const {
    for (const auto& t : terms)
        if (!t.bare && t.key == key) return &t;
    for (const auto& t : terms)
        if (t.bare && t.key == key) return &t;
    return nullptr;
}

std::string Rule::text() const {
    std::string s = action ? action_name(*action) : "";
    for (const auto& t : terms) {
        if (!s.empty()) s += ' ';
        s += t.text();
    }
    if (comment) {
        if (!s.empty()) s += ' ';
        s += *comment;
    }
    return s;
}

Policy parse_policy(std::string_view text) {
    Policy p;
    std::vector<std::string> pending;  // comment and blank lines waiting for a rule
    unsigned line_no = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_no;
        auto tokens = split_tokens(line);
        if (tokens.empty() || tokens[0].text[0] == '#') {
            pending.emplace_back(line);
            continue;
        }
        Rule r = make_rule(line, line_no, tokens);
        r.leading = std::move(pending);
        pending.clear();
        p.rules.push_back(std::move(r));
    }
    p.trailing = std::move(pending);
    return p;
}

std::string print_policy(const Policy& p) {
    std::string out;
    for (const auto& r : p.rules) {
        for (const auto& l : r.leading) out += l + "\n";
        out += r.text() + "\n";
    }
    for (const auto& l : p.trailing) out += l + "\n";
    return out;
}

std::string KernelVersion::text() const {
    std::string s = std::to_string(major);
    s += '.';
    s += std::to_string(minor);
    if (patch) {
        s += '.';
        s += std::to_string(patch);
    }
    return s;
}

KernelVersion parse_kernel_version(std::string_view s) {
    KernelVersion v;
    unsigned* parts[] = {&v.major, &v.minor, &v.patch};
    size_t n = 0, pos = 0;
    while (n < 3) {
        size_t end = s.find('.', pos);
        std::string_view part = s.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), *parts[n]);
        if (part.empty() || ec != std::errc() || ptr != part.data() + part.size()) break;
        ++n;
        if (end == std::string_view::npos) {
            if (n >= 2) return v;
            break;
        }
        pos = end + 1;
    }
    throw UsageError("kernel version '" + std::string(s) + "': expected X.Y, for example 6.1");
}

}  // namespace ima::policy
