#!/usr/bin/env bash
# What EVM protects: changing, adding or removing any protected xattr, the
# mode, the owner or the group makes verification fail for every kind;
# a copy to another inode, another generation or another filesystem UUID
# fails immutable signatures and HMACs but not portable signatures; putting
# the old value back makes it pass again.
. "$TESTS_DIR/lib/assert.sh"
need getfattr setfattr
K=$TESTS_DIR/fixtures/keys
head -c 64 /dev/urandom >"$WORK/evm-key"
f=$WORK/file
echo data >"$f"
chmod 0755 "$f"
setfattr -n security.selinux -v system_u:object_r:bin_t:s0 "$f"
setfattr -n security.SMACK64 -v _ "$f"
setfattr -n security.SMACK64EXEC -v exec "$f"
setfattr -n security.SMACK64TRANSMUTE -v TRUE "$f"
setfattr -n security.SMACK64MMAP -v mmap "$f"
setfattr -n security.apparmor -v unconfined "$f"
setfattr -n security.capability -v 0x0100000200040000000000000000000000000000 "$f"  # cap_dac_read_search
ima-sign sign -q -k "$K/rsa.key" "$f"
protected="selinux SMACK64 SMACK64EXEC SMACK64TRANSMUTE SMACK64MMAP apparmor ima capability"

check() {  # check WANT-STATUS WHAT [verify options...]
    local want=$1 what=$2
    shift 2
    expect_status "$want" evm-tool verify -c "$K/rsa.pem" --hmac-key "$WORK/evm-key" "$@" "$f"
    if [ "$want" = 1 ]; then
        case "$ERR" in
            *"$f: bad $kind EVM signature"* | *"$f: HMAC mismatch"*) pass ;;
            *) fail "$kind, $what: unexpected error: $ERR" ;;
        esac
    fi
}

for kind in portable immutable hmac; do
    case $kind in
        hmac) evm-tool hmac -q --hmac-key "$WORK/evm-key" "$f" ;;
        *) evm-tool sign -q --$kind -k "$K/rsa.key" "$f" ;;
    esac
    check 0 "as signed"

    for x in $protected; do
        old=$(xattr_hex "$f" security.$x)
        if [ $x = capability ]; then
            setfattr -n security.capability -v 0x0100000200200000000000000000000000000000 "$f"  # cap_sys_admin
        else
            setfattr -n security.$x -v "0x${old}00" "$f"
        fi
        check 1 "security.$x changed"
        setfattr -x security.$x "$f"
        [ $kind = portable ] && [ $x = ima ] || check 1 "security.$x removed"
        setfattr -n security.$x -v "0x$old" "$f"
        check 0 "security.$x restored"
    done

    chmod 0750 "$f"; check 1 "mode 0750"; chmod 0755 "$f"
    chmod u+s "$f"; check 1 "setuid bit"; chmod u-s "$f"
    # chown drops file capabilities (security_inode_killpriv): put them back
    caps=$(xattr_hex "$f" security.capability)
    chown 1 "$f"; check 1 "owner 1"; chown 0 "$f"
    chgrp 1 "$f"; check 1 "group 1"; chgrp 0 "$f"
    setfattr -n security.capability -v "0x$caps" "$f"
    check 0 "metadata restored"

    # the same metadata on another inode, generation or filesystem UUID
    if [ $kind = portable ]; then w=0; else w=1; fi
    check $w "inode number" --ino 1
    check $w "generation" --generation 12345
    check $w "filesystem UUID" --uuid 01234567-89ab-cdef-0123-456789abcdef
    check $w "no UUID" --no-uuid
    # -a alone drops security.*; libattr's /etc/xattr.conf skips security.evm
    cp -a --preserve=xattr "$f" "$WORK/copy"
    setfattr -n security.evm -v "0x$(xattr_hex "$f" security.evm)" "$WORK/copy"
    expect_eq "$(xattr_hex "$f" security.evm)" "$(xattr_hex "$WORK/copy" security.evm)" "copied value"
    expect_status $w evm-tool verify -c "$K/rsa.pem" --hmac-key "$WORK/evm-key" "$WORK/copy"
    # and the overrides build a value for that other inode: it verifies there
    ino=$(stat -c %i "$WORK/copy")
    case $kind in
        hmac) evm-tool hmac -q --hmac-key "$WORK/evm-key" --ino "$ino" "$f" ;;
        *) evm-tool sign -q --$kind -k "$K/rsa.key" --ino "$ino" "$f" ;;
    esac
    gen_f=$(lsattr -v "$f" | cut -d' ' -f1)
    gen_c=$(lsattr -v "$WORK/copy" | cut -d' ' -f1)
    setfattr -n security.evm -v "0x$(xattr_hex "$f" security.evm)" "$WORK/copy"
    if [ $kind = portable ] || [ "$gen_f" = "$gen_c" ]; then
        expect_ok evm-tool verify -c "$K/rsa.pem" --hmac-key "$WORK/evm-key" "$WORK/copy"
    else
        expect_status 1 evm-tool verify -c "$K/rsa.pem" --hmac-key "$WORK/evm-key" "$WORK/copy"
        expect_ok evm-tool verify -c "$K/rsa.pem" --hmac-key "$WORK/evm-key" --generation "$gen_f" "$WORK/copy"
    fi
    rm -f "$WORK/copy"
done
done_testing
