// A fuzz target that crashes on one input only, for testing scripts/fuzz
// itself (scripts/test): given that input in its working corpus, a campaign
// must turn it into the next numbered fixture and fail; without it, nothing
// is found (the input is recognised by a 64-bit hash, which no mutation finds
// by chance or by comparison tracing). Not a gate target, no corpus in the tree.
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    uint64_t h = 14695981039346656037ull;  // FNV-1a
    for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 1099511628211ull;
    // FNV-1a of "imaevm-tools fuzz self-test: crash here"
    if (h == 0xa61275d4b9735c2full) __builtin_trap();
    return 0;
}
