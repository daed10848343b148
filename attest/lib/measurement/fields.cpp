#include "ima/measurement/fields.hpp"

#include <cstring>

#include "ima/error.hpp"

namespace ima::measurement {

std::string_view field_string(ByteView data) {
    const char* p = reinterpret_cast<const char*>(data.data());
    size_t n = 0;
    while (n < data.size() && p[n] != '\0') ++n;
    return {p, n};
}

DigestField decode_digest_with_algo(ByteView data) {
    std::string_view prefix = field_string(data);
    if (prefix.size() == data.size()) throw FormatError("digest field: no NUL after the algorithm name");
    if (prefix.empty() || prefix.back() != ':')
        throw FormatError("digest field: the algorithm name does not end in ':'");
    DigestField d;
    std::string_view names = prefix.substr(0, prefix.size() - 1);
    size_t colon = names.rfind(':');
    if (colon != std::string_view::npos) {
        d.type = std::string(names.substr(0, colon));
        names = names.substr(colon + 1);
    }
    d.algo_name = std::string(names);
    d.digest = data.subspan(prefix.size() + 1);
    for (const auto& info : hash_algos()) {
        if (d.algo_name == info.name) {
            d.algo = info.id;
            break;
        }
    }
    if (d.algo && hash_algo_info(*d.algo).digest_size != d.digest.size())
        throw FormatError("digest field: " + std::to_string(d.digest.size()) + " bytes of " + d.algo_name +
                          ", expected " + std::to_string(hash_algo_info(*d.algo).digest_size));
    return d;
}

std::optional<DigestField> entry_file_digest(const Entry& e) {
    for (const char* id : {"d-ngv2", "d-ng"})
        if (const ByteView* f = e.field(id)) return decode_digest_with_algo(*f);
    if (const ByteView* f = e.field("d")) {
        DigestField d;
        d.algo_name = "sha1";
        d.algo = HashAlgo::sha1;
        d.digest = *f;
        return d;
    }
    return std::nullopt;
}

std::optional<std::string> entry_event_name(const Entry& e) {
    for (const char* id : {"n-ng", "n"})
        if (const ByteView* f = e.field(id)) return std::string(field_string(*f));
    return std::nullopt;
}

std::optional<uint64_t> decode_uint(ByteView data, ByteOrder order) {
    if (data.size() != 1 && data.size() != 2 && data.size() != 4 && data.size() != 8) return std::nullopt;
    uint64_t v = 0;
    for (size_t i = 0; i < data.size(); ++i) {
        size_t k = order == ByteOrder::little ? data.size() - 1 - i : i;
        v = (v << 8) | data[k];
    }
    return v;
}

}  // namespace ima::measurement
