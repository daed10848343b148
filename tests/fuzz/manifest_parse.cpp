// Fuzzes the reference manifest parser (ima-sign apply, ima-attest verify
// --manifest): any input either parses into files whose paths are safe and
// whose digests have the algorithm's length, or throws FormatError.
#include <cstdint>
#include <cstdlib>
#include <set>

#include "ima/error.hpp"
#include "ima/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        ima::Manifest m = ima::parse_manifest(ima::ByteView(data, size));
        std::set<std::string> seen;
        for (const auto& f : m.files) {
            if (!ima::is_safe_relative_path(f.path)) std::abort();
            if (!seen.insert(f.path).second) std::abort();
            if (f.digest.size() != ima::hash_algo_info(m.algo).digest_size) std::abort();
        }
    } catch (const ima::FormatError&) {
    }
    return 0;
}
