# Shared helpers for the shell-level tests (cli/, interop/, kernel/).
# Source it: . "$TESTS_DIR/lib/assert.sh"
set -euo pipefail

: "${IMAEVM_BIN:?IMAEVM_BIN must point at the built bin/ folder}"
: "${TESTS_DIR:?TESTS_DIR must point at tests/}"
export PATH="$IMAEVM_BIN:$PATH"

TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "/tmp/imaevm-test.$TEST_NAME.XXXXXX")
_checks=0
_cleanup_fns=()
_cleanup() {
    local f
    for f in "${_cleanup_fns[@]}"; do "$f" || true; done
    rm -rf "$WORK"
}
trap _cleanup EXIT
on_exit() { _cleanup_fns+=("$1"); }

fail() {
    echo "FAIL [$TEST_NAME]: $*" >&2
    exit 1
}
pass() { _checks=$((_checks + 1)); }
done_testing() {
    [ "$_checks" -gt 0 ] || fail "no checks ran"
    echo "ok [$TEST_NAME]: $_checks checks"
}

# need CMD...: the test cannot run without these commands: fail loudly.
need() {
    local c
    for c in "$@"; do command -v "$c" >/dev/null || fail "required command '$c' is missing (run scripts/install-deps)"; done
}

# expect_status N CMD...: runs CMD, checks its exit status; output in $OUT and $ERR.
expect_status() {
    local want=$1
    shift
    local rc=0
    "$@" >"$WORK/.out" 2>"$WORK/.err" || rc=$?
    OUT=$(cat "$WORK/.out")
    ERR=$(cat "$WORK/.err")
    if [ "$rc" != "$want" ]; then
        echo "--- stdout"; echo "$OUT" | head -40; echo "--- stderr"; echo "$ERR" | head -40
        fail "expected exit $want, got $rc: $*"
    fi
    pass
}
expect_ok() { expect_status 0 "$@"; }

expect_eq() {  # expect_eq WANT GOT [what]
    [ "$1" == "$2" ] || fail "${3:-value} differs: expected '$1', got '$2'"
    pass
}
expect_contains() {  # expect_contains HAYSTACK NEEDLE
    case "$1" in *"$2"*) pass ;; *) fail "expected to find '$2' in: $1" ;; esac
}
expect_not_contains() {
    case "$1" in *"$2"*) fail "did not expect '$2' in: $1" ;; *) pass ;; esac
}
# expect_one_line TEXT: an error report is exactly one line.
expect_one_line() {
    [ "$(printf '%s\n' "$1" | grep -c .)" -eq 1 ] || fail "expected exactly one line, got: $1"
    pass
}

# xattr_hex FILE NAME: the value of an xattr as lower-case hex ("" when absent).
xattr_hex() {
    getfattr --absolute-names -n "$2" -e hex "$1" 2>/dev/null | sed -n "s/^$2=0x//p" | tr -d '\n' || true
}
has_xattr() { getfattr --absolute-names -n "$2" "$1" >/dev/null 2>&1; }

# make_keys DIR: RSA-2048 and ECDSA P-256/P-384 keys with self-signed certificates,
# as DIR/{rsa,ec256,ec384}.{key,pem,der}.
make_keys() {
    local d=$1 n
    mkdir -p "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/rsa.key" -out "$d/rsa.pem" -days 30 \
        -subj "/CN=imaevm test rsa" -addext keyUsage=digitalSignature \
        -addext subjectKeyIdentifier=hash -addext extendedKeyUsage=codeSigning 2>/dev/null
    for n in 256 384; do
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-$n -nodes -keyout "$d/ec$n.key" \
            -out "$d/ec$n.pem" -days 30 -subj "/CN=imaevm test ec$n" -addext keyUsage=digitalSignature \
            -addext subjectKeyIdentifier=hash -addext extendedKeyUsage=codeSigning 2>/dev/null
    done
    for n in rsa ec256 ec384; do openssl x509 -in "$d/$n.pem" -outform DER -out "$d/$n.der"; done
}

# cert_keyid CERT: the IMA key id as openssl sees it (last 4 bytes of the SKID).
cert_keyid() {
    openssl x509 -in "$1" -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' :\n' | tail -c 8 | tr 'A-F' 'a-f'
}
