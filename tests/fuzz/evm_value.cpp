// Fuzzes the security.evm decoder and what `evm-tool show` makes of any
// value: every input either decodes into a value that re-encodes to the same
// bytes, or throws FormatError; nothing else escapes. The rest of the input
// also goes through evm_message as protected xattr values.
#include <cstdint>
#include <cstdlib>

#include "ima/error.hpp"
#include "ima/evm/describe.hpp"
#include "ima/evm/inputs.hpp"
#include "ima/evm/value.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    ima::ByteView in(data, size);
    try {
        ima::evm::EvmValue v = ima::evm::decode_evm_value(in);
        if (ima::evm::encode_evm_value(v) != ima::Bytes(data, data + size)) std::abort();
    } catch (const ima::FormatError&) {
    }
    for (auto attr : {ima::evmtool::Attr::ima, ima::evmtool::Attr::evm}) {
        try {
            auto facts = ima::evmtool::describe_value(in, attr);
            (void)ima::evmtool::facts_text(facts);
            (void)ima::evmtool::facts_json(facts, in).dump();
        } catch (const ima::FormatError&) {
        }
    }
    // The same bytes as xattr values: split at the first byte's position.
    ima::evm::EvmInputs inputs;
    size_t cut = size ? data[0] % (size + 1) : 0;
    inputs.xattrs = {{"security.ima", ima::Bytes(data, data + cut)},
                     {"security.capability", ima::Bytes(data + cut, data + size)}};
    inputs.mode = static_cast<uint16_t>(size);
    for (auto kind : {ima::evm::EvmKind::hmac, ima::evm::EvmKind::immutable, ima::evm::EvmKind::portable}) {
        ima::Bytes m = ima::evm::evm_message(inputs, kind);
        if (m.size() != size + 24) std::abort();  // no UUID given: values then h_misc
    }
    return 0;
}
