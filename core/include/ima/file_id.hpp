// Signature v3: the signature covers the hash of an ima_file_id
// (include/uapi/linux/ima.h / security/integrity/digsig), not the file digest
// itself: { u8 hash_type; u8 hash_algorithm; u8 hash[digest size]; }.
// hash_type is the xattr type the signature is stored as: 0x03 for a regular
// file signature (newest kernels), 0x06 (IMA_VERITY_DIGSIG) for fs-verity.
#pragma once

#include "ima/bytes.hpp"
#include "ima/hash_algo.hpp"
#include "ima/xattr_format.hpp"

namespace ima {

// The serialized ima_file_id: only as many hash bytes as the algorithm's digest.
Bytes ima_file_id(XattrType hash_type, HashAlgo algo, ByteView digest);
// What a v3 signature signs: the hash, with `algo`, of ima_file_id().
Bytes sigv3_signed_digest(XattrType hash_type, HashAlgo algo, ByteView digest);

}  // namespace ima
