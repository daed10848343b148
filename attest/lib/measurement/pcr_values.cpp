#include "ima/measurement/pcr_values.hpp"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <cstdio>

#include "ima/error.hpp"
#include "ima/file_io.hpp"
#include "ima/measurement/list.hpp"

namespace ima::measurement {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Hex with optional spaces between bytes ("7A 3B ..." or "7a3b...").
Bytes parse_spaced_hex(std::string_view s, const std::string& what) {
    std::string compact;
    compact.reserve(s.size());
    for (char c : s)
        if (c != ' ' && c != '\t') compact += c;
    if (compact.empty()) throw FormatError(what + ": no value");
    return from_hex(compact, what);
}

}  // namespace

const std::vector<HashAlgo>& replay_banks() {
    static const std::vector<HashAlgo> b = {HashAlgo::sha1, HashAlgo::sha256, HashAlgo::sha384, HashAlgo::sha512};
    return b;
}

void PcrFileParser::line(std::string_view line) {
    ++line_no_;
    const std::string where = "line " + std::to_string(line_no_);
    if (line.size() > kMaxLine)
        throw FormatError(where + ": longer than " + std::to_string(kMaxLine) + " bytes (not a PCR file)");
    line = trim(line);
    if (line.empty()) return;
    if (line.front() == '#') {
        std::string_view name = trim(line.substr(1));
        for (HashAlgo a : replay_banks())
            if (name == hash_algo_info(a).name) bank_ = a;
        return;
    }
    if (line.size() < 7 || line.substr(0, 4) != "PCR-" || !std::isdigit(static_cast<unsigned char>(line[4])) ||
        !std::isdigit(static_cast<unsigned char>(line[5])) || line[6] != ':')
        throw FormatError(where + ": expected 'PCR-NN: <hex>'");
    unsigned pcr = static_cast<unsigned>((line[4] - '0') * 10 + (line[5] - '0'));
    if (pcr > 23) throw FormatError(where + ": PCR " + std::to_string(pcr) + " is out of range (0-23)");
    Bytes v = parse_spaced_hex(trim(line.substr(7)), where);
    size_t want = hash_algo_info(bank_).digest_size;
    if (v.size() != want)
        throw FormatError(where + ": PCR-" + std::string(line.substr(4, 2)) + " has " + std::to_string(v.size()) +
                          " bytes, a " + hash_algo_info(bank_).name + " PCR has " + std::to_string(want));
    if (!out_.banks[bank_].emplace(pcr, std::move(v)).second)
        throw FormatError(where + ": PCR-" + std::string(line.substr(4, 2)) + " appears twice");
}

void PcrFileParser::feed(ByteView so_far) {
    std::string_view all(reinterpret_cast<const char*>(so_far.data()), so_far.size());
    for (;;) {
        size_t nl = all.find('\n', done_);
        if (nl == std::string_view::npos) break;
        line(all.substr(done_, nl - done_));
        done_ = nl + 1;
    }
    if (all.size() - done_ > kMaxLine)  // the line being read is already too long: no need to wait for its end
        throw FormatError("line " + std::to_string(line_no_ + 1) + ": longer than " + std::to_string(kMaxLine) +
                          " bytes (not a PCR file)");
}

PcrValues PcrFileParser::finish(ByteView all) {
    feed(all);
    if (done_ < all.size()) {
        line(std::string_view(reinterpret_cast<const char*>(all.data()) + done_, all.size() - done_));
        done_ = all.size();
    }
    return std::move(out_);
}

PcrValues parse_pcr_file(ByteView text, HashAlgo bank) {
    return PcrFileParser(bank).finish(text);
}

void load_pcr_file_arg(const std::string& arg, PcrValues& into) {
    HashAlgo bank = HashAlgo::sha1;
    std::string path = arg;
    size_t comma = arg.find(',');
    if (comma != std::string::npos) {
        bank = parse_hash_algo(arg.substr(0, comma));
        bool ok = false;
        for (HashAlgo a : replay_banks()) ok = ok || a == bank;
        if (!ok)
            throw UsageError("--pcrs: '" + arg.substr(0, comma) + "' is not a PCR bank (sha1, sha256, sha384, sha512)");
        path = arg.substr(comma + 1);
    }
    PcrFileParser parser(bank);
    PcrValues v;
    try {
        Bytes text = read_bounded(path, ReadOptions{.max_bytes = kMaxPcrFile, .allow_stdin = true}, "",
                                  [&](ByteView so_far) { parser.feed(so_far); });
        v = parser.finish(text);
    } catch (const FormatError& e) {
        const std::string what = e.what();
        throw FormatError(what.rfind(path + ":", 0) == 0 ? what : path + ": " + what);
    }
    for (auto& [algo, pcrs] : v.banks)
        for (auto& [n, value] : pcrs) into.banks[algo][n] = std::move(value);
    into.source = into.source.empty() ? path : into.source + ", " + path;
}

PcrValues read_sysfs_pcrs(const std::string& dir) {
    PcrValues out;
    out.source = dir;
    for (HashAlgo a : replay_banks()) {
        std::string bank_dir = dir + "/pcr-" + hash_algo_info(a).name;
        struct stat st {};
        if (stat(bank_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
        for (unsigned n = 0; n < 24; ++n) {
            std::string path = bank_dir + "/" + std::to_string(n);
            Bytes raw;
            try {
                raw = read_bounded(path, ReadOptions{.max_bytes = 1024});  // one hex value and a newline
            } catch (const IoError& e) {
                if (e.err == ENOENT) continue;
                throw;
            }
            std::string_view text(reinterpret_cast<const char*>(raw.data()), raw.size());
            Bytes v = parse_spaced_hex(trim(text), path);
            if (v.size() != hash_algo_info(a).digest_size)
                throw FormatError(path + ": " + std::to_string(v.size()) + " bytes, a " + hash_algo_info(a).name +
                                  " PCR has " + std::to_string(hash_algo_info(a).digest_size));
            out.banks[a][n] = std::move(v);
        }
    }
    if (out.banks.empty())
        throw Error(ErrorKind::env, dir + ": no pcr-<algo> directories (no TPM 2.0, or a kernel older than 5.12)");
    return out;
}

void read_hex_prefix(std::string_view s, Bytes& out) {
    size_t at = 0;
    for (auto& byte : out) {
        if (at < s.size() && s[at] == ' ') ++at;
        if (at + 2 > s.size()) return;
        int hi = hex_digit_value(s[at]), lo = hex_digit_value(s[at + 1]);
        if (hi < 0 || lo < 0) return;
        byte = static_cast<uint8_t>(hi << 4 | lo);
        at += 2;
    }
}

bool read_pcr_lines_lenient(std::string_view text, std::span<Bytes> pcrs) {
    size_t n = 0, pos = 0;
    bool any = false;
    while (pos < text.size() && n < pcrs.size()) {
        size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos + 1);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        any = true;
        std::string want = "PCR-" + std::string(n < 10 ? "0" : "") + std::to_string(n);
        if (line.substr(0, 6) == want) {
            read_hex_prefix(line.substr(std::min<size_t>(7, line.size())), pcrs[n]);
            ++n;
        }
    }
    return any;
}

std::optional<unsigned> parse_pcr_number(std::string_view text) {
    if (text.empty() || text.size() > 2 || text.find_first_not_of("0123456789") != std::string_view::npos)
        return std::nullopt;
    const unsigned n =
        text.size() == 1 ? unsigned(text[0] - '0') : unsigned(text[0] - '0') * 10 + unsigned(text[1] - '0');
    if (n > 23) return std::nullopt;
    return n;
}

std::string format_pcr_lines(const PcrMap& pcrs) {
    std::string out;
    for (const auto& [n, v] : pcrs) {
        char head[16];
        std::snprintf(head, sizeof head, "PCR-%02u: ", n);
        out += head;
        out += to_hex(v);
        out += '\n';
    }
    return out;
}

}  // namespace ima::measurement
