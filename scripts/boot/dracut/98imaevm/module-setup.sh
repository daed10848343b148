#!/bin/bash
# dracut module: loads IMA/EVM keys, enables EVM and loads the IMA policy in
# the initramfs, with imaevm-tools (scripts/boot/initramfs/imaevm-load).
# `cmake --install` (and the .deb) put it in /usr/lib/dracut/modules.d/98imaevm
# with imaevm-load beside module-setup.sh; then `dracut --add imaevm`.

check() {
    require_binaries ima-keyring ima-policy || return 1
    return 255  # only when asked for
}

depends() {
    return 0
}

install() {
    inst_multiple ima-keyring ima-policy
    inst_simple "$moddir/imaevm-load" /usr/sbin/imaevm-load
    inst_hook pre-pivot 61 "$moddir/imaevm-hook.sh"
    # The keys, the EVM setting and the policy travel in the initramfs, so
    # that they are in place before the real root's first program runs.
    local f
    for f in /etc/keys/ima/* /etc/keys/evm/* /etc/ima/ima-policy /etc/sysconfig/evm /etc/default/evm; do
        [ -f "$f" ] && inst_simple "$f"
    done
}
