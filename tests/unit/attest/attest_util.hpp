// Helpers for the attest unit tests: the synthetic lists of
// tests/fixtures/attest/synthetic (written by mklog.py) and small edits of them.
#pragma once

#include <string>

#include "ima/file_io.hpp"
#include "ima/measurement/list.hpp"
#include "ima/measurement/pcr_values.hpp"
#include "test_util.hpp"

namespace test {

inline std::string synthetic(const std::string& name) {
    return fixture("attest/synthetic/" + name);
}

inline ima::Bytes read_bytes(const std::string& path) {
    return ima::read_bounded(path, ima::ReadOptions{.max_bytes = size_t{1} << 30});
}

inline std::string read_text(const std::string& path) {
    ima::Bytes b = read_bytes(path);
    return std::string(b.begin(), b.end());
}

// The PCR values mklog.py worked out for `log` ("pcrs" or "padded"), for the given banks.
inline ima::measurement::PcrValues expected_pcrs(const std::string& log, const std::string& kind,
                                                 std::initializer_list<const char*> banks = {"sha1", "sha256"}) {
    ima::measurement::PcrValues v;
    for (const char* b : banks)
        ima::measurement::load_pcr_file_arg(std::string(b) + "," + synthetic(log + "." + kind + "." + b), v);
    return v;
}

}  // namespace test
