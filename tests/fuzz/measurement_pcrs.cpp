// Fuzzes the --pcrs file parser: any text parses into values of the right
// sizes or throws FormatError.
#include <cstdint>
#include <cstdlib>

#include "ima/error.hpp"
#include "ima/measurement/pcr_values.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    try {
        auto v = ima::measurement::parse_pcr_file(ima::ByteView(data, size), ima::HashAlgo::sha1);
        for (const auto& [algo, pcrs] : v.banks)
            for (const auto& [n, value] : pcrs)
                if (n > 23 || value.size() != ima::hash_algo_info(algo).digest_size) std::abort();
    } catch (const ima::FormatError&) {
    }
    return 0;
}
