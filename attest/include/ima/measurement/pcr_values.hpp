// PCR values per bank, and the two text sources of them: a `--pcrs` file as
// evmctl reads it ("PCR-NN: <hex>" lines, one bank a file) and the kernel's
// sysfs files (/sys/class/tpm/tpm0/pcr-<algo>/<n>, one hex value each). The
// TPM itself is read through ima/tpm/tpm.hpp.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"

namespace ima::measurement {

using PcrMap = std::map<unsigned, Bytes>;  // PCR number -> value

struct PcrValues {
    std::map<HashAlgo, PcrMap> banks;
    std::string source;  // for messages: "pcrs.txt", "TPM swtpm:port=2321", "sysfs"
    const PcrMap* bank(HashAlgo a) const {
        auto it = banks.find(a);
        return it == banks.end() ? nullptr : &it->second;
    }
};

// The banks a verifier replays, in this order.
const std::vector<HashAlgo>& replay_banks();  // sha1, sha256, sha384, sha512

// Parses a PCR file. Lines "PCR-NN: <hex>" (NN decimal, 00-23; the hex may
// have spaces between bytes, as TPM 1.2's sysfs "pcrs" file prints them) set
// PCR NN of the current bank, which starts as `bank`; a line "# <algo>"
// switches to another bank (`ima-attest pcrs` writes one per bank); blank
// lines and other '#' lines are skipped. Throws FormatError("line N: ...") for
// anything else, a value of the wrong size, or a PCR given twice.
PcrValues parse_pcr_file(ByteView text, HashAlgo bank);

// The same, line by line as the bytes arrive (feed() takes every byte read
// so far), so that a stream that is not a PCR file fails at its first line.
// A line longer than kMaxLine is refused.
class PcrFileParser {
public:
    static constexpr size_t kMaxLine = 4096;
    explicit PcrFileParser(HashAlgo bank) : bank_(bank) {}
    void feed(ByteView so_far);
    PcrValues finish(ByteView all);

private:
    void line(std::string_view line);
    HashAlgo bank_;
    PcrValues out_;
    size_t done_ = 0, line_no_ = 0;
};

// The largest PCR file load_pcr_file_arg reads (24 PCRs of 4 banks need 12 KiB).
inline constexpr size_t kMaxPcrFile = 1 << 20;

// "ALGO,FILE" or "FILE" (bank sha1), as evmctl's --pcrs takes it ("-" is
// stdin). Reads the file (to EOF, at most kMaxPcrFile, line by line) and
// merges its values into `into`. Throws UsageError for an unknown ALGO,
// IoError, Error(env) for what is not a regular file, FormatError (with the
// file name in front).
void load_pcr_file_arg(const std::string& arg, PcrValues& into);

// Reads /sys/class/tpm/tpm0/pcr-<algo>/<n> (under `dir`, default
// /sys/class/tpm/tpm0) for every bank directory present and PCRs 0-23.
// Files are read to EOF (sysfs reports size 0); a missing one is skipped.
// Throws Error(env) when no pcr-<algo> directory exists or a PCR file is not
// a regular file, IoError when one cannot be read, FormatError naming the
// file for a value that is not hex of the bank's size (or over 1 KiB).
PcrValues read_sysfs_pcrs(const std::string& dir = "/sys/class/tpm/tpm0");

// evmctl's lenient reading of the same text (its --pcrs files and TPM 1.2's
// sysfs "pcrs" file): the n-th line that starts with "PCR-<nn>" (n as two
// digits, counting only such lines) fills pcrs[n]; other lines are skipped;
// each value is read by read_hex_prefix. Reads at most pcrs.size() values.
// Returns false when the text holds no line at all. Never throws.
bool read_pcr_lines_lenient(std::string_view text, std::span<Bytes> pcrs);
// Fills `out` (its size says how many bytes) from hex text, one optional
// space before each byte, stopping at the first byte that is not hex or at
// the end; what is not reached keeps its value.
void read_hex_prefix(std::string_view text, Bytes& out);

// "PCR-NN: <hex>" lines, as parse_pcr_file reads them.
std::string format_pcr_lines(const PcrMap& pcrs);

// A PCR number written in decimal, one or two digits, 0-23; nullopt otherwise.
std::optional<unsigned> parse_pcr_number(std::string_view text);

}  // namespace ima::measurement
