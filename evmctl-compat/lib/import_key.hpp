// `import [--rsa] pubkey keyring`: adds an X.509 certificate (DER, default
// /etc/keys/x509_evm.der) to a kernel keyring as an "asymmetric" key and
// prints the key's serial, as evmctl does. The keyring is a number (decimal
// or 0x hex) or @t, @p, @s, @u, @us, @g; without one, or with an @ name
// evmctl does not know, the user keyring.
#pragma once

#include "console.hpp"
#include "options.hpp"

namespace ima::evmctl {

int cmd_import(const Options& opts, Console& con);

}  // namespace ima::evmctl
