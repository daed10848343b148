// Fuzzes the --pcrs file parser: any text parses into values of the right
// sizes or throws FormatError.
#include <cstdint>
#include <cstdlib>

#include "ima/error.hpp"
#include "ima/measurement/pcr_values.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ima::ByteView in(data, size);
    bool whole = false;
    try {
        auto v = ima::measurement::parse_pcr_file(in, ima::HashAlgo::sha1);
        whole = true;
        for (const auto& [algo, pcrs] : v.banks)
            for (const auto& [n, value] : pcrs)
                if (n > 23 || value.size() != ima::hash_algo_info(algo).digest_size) std::abort();
    } catch (const ima::FormatError&) {
    }
    // Line by line as the bytes arrive: the same verdict.
    ima::measurement::PcrFileParser p(ima::HashAlgo::sha1);
    bool pieces = false;
    try {
        for (size_t n = 1; n < size; n += 1 + n / 2) p.feed(in.first(n));
        (void)p.finish(in);
        pieces = true;
    } catch (const ima::FormatError&) {
    }
    if (whole != pieces) std::abort();
    return 0;
}
