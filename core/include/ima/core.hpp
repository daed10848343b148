// The core library: everything the imaevm-tools share, in namespace ima.
#pragma once

#include "ima/bytes.hpp"
#include "ima/digest.hpp"
#include "ima/error.hpp"
#include "ima/fd.hpp"
#include "ima/hash_algo.hpp"
#include "ima/key.hpp"
#include "ima/passphrase.hpp"
#include "ima/signature.hpp"
#include "ima/tree_walk.hpp"
#include "ima/xattr_format.hpp"
#include "ima/xattr_io.hpp"
