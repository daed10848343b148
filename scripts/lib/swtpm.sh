# A software TPM on loopback for scripts/demo and scripts/bench-attest.
# Source it; swtpm_start DIR starts swtpm with its state in DIR on a free
# port pair, waits until it answers, and sets TCTI (tpm2-tss's
# "swtpm:host=127.0.0.1,port=P") and SWTPM_PID. The caller stops it.
swtpm_start() {
    local port
    port=$(python3 -c '
import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", p + 1)); print(p); break
    except OSError: pass
    finally: s.close(); t.close()')
    mkdir -p "$1"
    swtpm socket --server "type=tcp,port=$port,bindaddr=127.0.0.1" --ctrl "type=tcp,port=$((port + 1)),bindaddr=127.0.0.1" \
        --tpmstate "dir=$1" --tpm2 --flags not-need-init,startup-clear >"$1/swtpm.log" 2>&1 &
    SWTPM_PID=$!
    TCTI="swtpm:host=127.0.0.1,port=$port"
    local _
    for _ in $(seq 100); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "swtpm did not start (see $1/swtpm.log)" >&2
    return 1
}
