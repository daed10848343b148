#!/bin/sh
# dracut pre-pivot hook: the initramfs holds the keys and the policy.
type info >/dev/null 2>&1 || . /lib/dracut-lib.sh
if /usr/sbin/imaevm-load; then
    info "imaevm: keys, EVM and policy loaded"
else
    warn "imaevm: some keys, the EVM setting or the policy were refused (see the kernel log)"
fi
