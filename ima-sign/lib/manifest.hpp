// The reference manifest of a signing run (`--manifest`): JSON
// {"version":1,"hash_algo":"sha256","files":[{"path","digest","security.ima"}]},
// paths relative to the signed root, sorted.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "write_values.hpp"

namespace ima::sign {

nlohmann::json manifest_json(std::vector<FileRecord> records, HashAlgo algo);
// Writes the JSON atomically (temporary file + rename). Throws IoError.
void write_text_file(const std::string& path, const std::string& text);

}  // namespace ima::sign
