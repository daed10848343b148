#include "sign_hash.hpp"

#include "algo.hpp"
#include "ima/bytes.hpp"
#include "ima/error.hpp"
#include "ima/file_id.hpp"
#include "ima/hash_algo.hpp"
#include "ima/sign/sign_hash.hpp"
#include "keys.hpp"
#include "run.hpp"
#include "status.hpp"

namespace ima::evmctl {

Bytes sign_hash_digest(const std::string& line) {
    size_t end = line.find_first_of(", \t");
    if (end == std::string::npos) end = line.size();
    Bytes digest;
    for (size_t i = 0; i + 1 < end; i += 2) {
        int hi = hex_digit_value(line[i]), lo = hex_digit_value(line[i + 1]);
        if (hi < 0 || lo < 0) throw error("not a hex digest: '" + line.substr(0, end) + "'");
        digest.push_back(static_cast<uint8_t>(hi << 4 | lo));
    }
    return digest;
}

Bytes sign_verity_line(const std::string& line, SigningKey& key) {
    sign::SignHashLine parsed = sign::parse_sign_hash_line(line, HashAlgo::sha256);
    if (!parsed.verity_format) throw FormatError("not an fsverity digest line (\"sha256:<hex> <path>\")");
    return key.sign(parsed.algo, sigv3_signed_digest(XattrType::verity_digsig, parsed.algo, parsed.digest),
                    XattrType::verity_digsig, 3);
}

int cmd_sign_hash(const Options& opts, Console& con, std::istream& in) {
    std::optional<SigningKey> key;
    auto algo = algo_from_name(opts.hash_algo);
    std::string line;
    size_t last_len = 0;
    size_t lineno = 0;
    for (;;) {
        try {
            if (!sign::read_sign_hash_line(in, line, lineno + 1)) break;
        } catch (const Error& e) {  // a line longer than any digest and path
            con.error(e.what());
            return evmctl_status(e);
        }
        ++lineno;
        try {
            if (opts.veritysig) {
                if (!key) key.emplace(opts, con);
                Bytes value = sign_verity_line(line, *key);
                last_len = value.size();
                con.print(line + " " + to_hex(value) + "\n");
                continue;
            }
            Bytes digest = sign_hash_digest(line);
            last_len = digest.size();
            if (!algo) throw error("unknown hash algorithm '" + opts.hash_algo + "'");
            if (digest.size() != hash_algo_info(*algo).digest_size)
                throw error(std::to_string(digest.size()) + "-byte digest, but " + opts.hash_algo + " digests have " +
                            std::to_string(hash_algo_info(*algo).digest_size) + " bytes");
            if (!key) key.emplace(opts, con);
            Bytes value = key->sign(*algo, digest);
            con.print(line + " " + to_hex(value) + "\n");
        } catch (const Error& e) {
            con.error("stdin line " + std::to_string(lineno) + ": " + e.what());
            return evmctl_status(e);
        }
    }
    if (last_len == 0) return missing_operand(opts.args[0], con);
    return status_ok;
}

}  // namespace ima::evmctl
