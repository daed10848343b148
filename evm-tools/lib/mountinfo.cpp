#include "ima/evm/mountinfo.hpp"

#include <charconv>
#include <vector>

#include "ima/error.hpp"
#include "ima/file_io.hpp"

namespace ima::evm {

namespace {

std::vector<std::string_view> fields_of(std::string_view line) {
    std::vector<std::string_view> f;
    size_t pos = 0;
    while (pos < line.size()) {
        size_t sp = line.find(' ', pos);
        if (sp == std::string_view::npos) sp = line.size();
        if (sp > pos) f.push_back(line.substr(pos, sp - pos));
        pos = sp + 1;
    }
    return f;
}

bool parse_device(std::string_view dev, unsigned& major, unsigned& minor) {
    size_t colon = dev.find(':');
    if (colon == std::string_view::npos) return false;
    auto r1 = std::from_chars(dev.data(), dev.data() + colon, major);
    auto r2 = std::from_chars(dev.data() + colon + 1, dev.data() + dev.size(), minor);
    return r1.ec == std::errc() && r1.ptr == dev.data() + colon && r2.ec == std::errc() &&
           r2.ptr == dev.data() + dev.size();
}

// The kernel writes space, tab, newline and backslash as \ooo.
std::string unescape(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
            s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
            out.push_back(static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
            i += 3;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

}  // namespace

std::optional<Mount> find_mount(std::string_view table, unsigned major, unsigned minor, MountNeeds needs) {
    while (!table.empty()) {
        size_t eol = table.find('\n');
        std::string_view line = table.substr(0, eol);
        table = eol == std::string_view::npos ? std::string_view{} : table.substr(eol + 1);
        // ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER-OPTIONS
        auto f = fields_of(line);
        Mount m;
        if (f.size() < 3 || !parse_device(f[2], m.major, m.minor) || m.major != major || m.minor != minor) continue;
        size_t sep = 6;
        while (sep < f.size() && f[sep] != "-") ++sep;
        if (sep + 1 >= f.size() || (needs == MountNeeds::source && sep + 2 >= f.size())) continue;
        m.fstype = std::string(f[sep + 1]);
        if (sep + 2 < f.size()) m.source = unescape(f[sep + 2]);
        return m;
    }
    return std::nullopt;
}

std::string read_mountinfo() {
    try {
        Bytes b = read_bounded("/proc/self/mountinfo", ReadOptions{.max_bytes = 64u << 20, .nul = Nul::refuse});
        return std::string(b.begin(), b.end());
    } catch (const Error&) {
        return {};  // no /proc: the callers fall back on what else they know
    }
}

}  // namespace ima::evm
