// The EVM part of the core library (namespace ima::evm), in one include:
//   inputs.hpp  EvmInputs, evm_message/evm_digest/evm_hmac: the bytes the kernel hashes
//   value.hpp   the security.evm wire format
//   gather.hpp  EvmInputs from an open file, with --ino/--uid/... overrides
//   fs_uuid.hpp the filesystem UUID without libblkid
//   verify.hpp  checking a value; the raw HMAC key
#pragma once

#include "ima/evm/fs_uuid.hpp"
#include "ima/evm/gather.hpp"
#include "ima/evm/inputs.hpp"
#include "ima/evm/value.hpp"
#include "ima/evm/verify.hpp"
