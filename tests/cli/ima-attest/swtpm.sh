# A fresh software TPM for a test: start_swtpm starts swtpm on a free
# loopback port pair (a new one each call) and sets TCTI; it is stopped when
# the test ends or start_swtpm is called again.
SWTPM_PID=
stop_swtpm() {
    if [ -n "$SWTPM_PID" ]; then
        kill "$SWTPM_PID" 2>/dev/null || true
        wait "$SWTPM_PID" 2>/dev/null || true
        SWTPM_PID=
    fi
}
on_exit stop_swtpm

# start_swtpm: a fresh TPM on a free port pair; sets TCTI.
start_swtpm() {
    stop_swtpm
    local port state=$WORK/state.$RANDOM
    port=$(python3 -c '
import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", p + 1)); print(p); break
    except OSError: pass
    finally: s.close(); t.close()')
    mkdir -p "$state"
    swtpm socket --server "type=tcp,port=$port,bindaddr=127.0.0.1" --ctrl "type=tcp,port=$((port + 1)),bindaddr=127.0.0.1" \
        --tpmstate "dir=$state" --tpm2 --flags not-need-init,startup-clear >"$WORK/swtpm.log" 2>&1 &
    SWTPM_PID=$!
    TCTI="swtpm:host=127.0.0.1,port=$port"
    local i
    for i in $(seq 1 100); do
        if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    cat "$WORK/swtpm.log" >&2
    fail "swtpm did not start"
}


# provision_ek_certificate: in the current folder, a CA (ca.key, ca.pem), the
# TPM's RSA EK (ek.ctx, ek.pub, ek.pem) and its certificate (ekcert.der)
# written to the TCG's NV index 0x01c00002, as a TPM maker provisions it.
provision_ek_certificate() {
    local t=${TPM2TOOLS_TCTI:?provision_ek_certificate needs TPM2TOOLS_TCTI}
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -subj /CN=test-ek-ca -days 30 2>/dev/null ||
        fail "cannot make the EK CA"
    tpm2_createek -T "$t" -c ek.ctx -G rsa -u ek.pub >/dev/null || fail "tpm2_createek"
    tpm2_readpublic -T "$t" -c ek.ctx -f pem -o ek.pem >/dev/null || fail "tpm2_readpublic"
    openssl req -new -key ca.key -subj /CN=ek -out ek.csr 2>/dev/null
    openssl x509 -req -in ek.csr -force_pubkey ek.pem -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
        -outform der -out ekcert.der 2>/dev/null || fail "cannot make the EK certificate"
    tpm2_nvdefine -T "$t" 0x01c00002 -C o -s "$(stat -c %s ekcert.der)" -a "ownerread|ownerwrite|authread|authwrite" \
        >/dev/null || fail "tpm2_nvdefine"
    tpm2_nvwrite -T "$t" 0x01c00002 -C o -i ekcert.der >/dev/null || fail "tpm2_nvwrite"
    tpm2_flushcontext -T "$t" -t >/dev/null
}
