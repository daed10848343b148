// A Keylime runtime policy (format version 1, as keylime-policy writes it and
// the Keylime verifier validates it): the reference digests of a signed image,
// keyed by absolute path in the target image.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "ima/sign/write_values.hpp"

namespace ima::sign {

// `records` are the files of one signing run; their `rel` paths become "/rel".
// Several digests may share a path only across runs, so each list holds one.
nlohmann::json keylime_policy_json(const std::vector<FileRecord>& records, HashAlgo algo);

}  // namespace ima::sign
