#include "ima/sign/sign_hash.hpp"

#include "ima/error.hpp"
#include "ima/file_id.hpp"

namespace ima::sign {

SignHashLine parse_sign_hash_line(const std::string& line, HashAlgo default_algo) {
    size_t sp = line.find_first_of(" \t");
    std::string first = line.substr(0, sp);
    if (first.empty()) throw FormatError("no digest at the start of the line");
    SignHashLine out{default_algo, {}, false};
    std::string hex = first;
    if (auto colon = first.find(':'); colon != std::string::npos) {
        out.algo = parse_hash_algo(first.substr(0, colon));
        hex = first.substr(colon + 1);
        out.verity_format = true;
    }
    out.digest = from_hex(hex, "digest");
    unsigned want = hash_algo_info(out.algo).digest_size;
    if (out.digest.size() != want)
        throw FormatError("digest has " + std::to_string(out.digest.size()) + " bytes, " +
                          hash_algo_info(out.algo).name + " needs " + std::to_string(want));
    return out;
}

Bytes sign_hash_value(Signer& signer, const SignHashLine& in, SignHashMode mode) {
    switch (mode) {
        case SignHashMode::v2: return signer.sign_xattr(in.algo, in.digest);
        case SignHashMode::v3:
            return signer.sign_xattr(in.algo, sigv3_signed_digest(XattrType::digsig, in.algo, in.digest),
                                     XattrType::digsig, 3);
        case SignHashMode::verity:
            return signer.sign_xattr(in.algo, sigv3_signed_digest(XattrType::verity_digsig, in.algo, in.digest),
                                     XattrType::verity_digsig, 3);
    }
    throw UsageError("unknown sign-hash mode");
}

bool read_sign_hash_line(std::istream& in, std::string& line, size_t line_no) {
    line.clear();
    std::streambuf* sb = in.rdbuf();
    for (;;) {
        int c = sb->sbumpc();
        if (c == std::char_traits<char>::eof()) return !line.empty();
        if (c == '\n') return true;
        if (line.size() == kMaxSignHashLine)
            throw FormatError("stdin line " + std::to_string(line_no) + ": longer than " +
                              std::to_string(kMaxSignHashLine) + " bytes (a digest and a path are shorter)");
        line.push_back(static_cast<char>(c));
    }
}

size_t sign_hash_stream(std::istream& in, std::ostream& out, Signer& signer, HashAlgo default_algo, SignHashMode mode) {
    std::string line;
    size_t n = 0;
    while (read_sign_hash_line(in, line, n + 1)) {
        ++n;
        if (line.empty()) continue;
        try {
            SignHashLine parsed = parse_sign_hash_line(line, default_algo);
            if (mode == SignHashMode::verity && !parsed.verity_format)
                throw FormatError("--veritysig needs fsverity digest lines (\"sha256:<hex> <path>\")");
            out << line << ' ' << to_hex(sign_hash_value(signer, parsed, mode)) << '\n';
        } catch (const FormatError& e) {
            throw FormatError("stdin line " + std::to_string(n) + ": " + e.what());
        } catch (const UsageError& e) {
            throw UsageError("stdin line " + std::to_string(n) + ": " + e.what());
        }
    }
    out.flush();
    if (!out) throw IoError("stdout", EIO);
    return n;
}

}  // namespace ima::sign
