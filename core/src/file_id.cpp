#include "ima/file_id.hpp"

#include "ima/digest.hpp"

namespace ima {

Bytes ima_file_id(XattrType hash_type, HashAlgo algo, ByteView digest) {
    Bytes id{static_cast<uint8_t>(hash_type), static_cast<uint8_t>(algo)};
    append(id, digest);
    return id;
}

Bytes sigv3_signed_digest(XattrType hash_type, HashAlgo algo, ByteView digest) {
    return digest_bytes(algo, ima_file_id(hash_type, algo, digest));
}

}  // namespace ima
