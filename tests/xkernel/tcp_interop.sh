#!/bin/bash
# tcp_interop.sh PEER - the x-kernel TCP against Linux's, over a TAP device in
# a network namespace (tests/xkernel/netns.sh). Run by tcp_interop_test, whose
# peer mode (PEER --peer ...) is our stack; tcp_interop_linux.py is Linux's.
# Linux's client connects to our server, then ours to Linux's server; each
# connection carries 10 MiB each way, compared byte for byte with cmp.
set -u
PEER=$1
HERE=tests/xkernel
SIZE=$((10 * 1024 * 1024))
SEED=${TCP_INTEROP_SEED:-4711}

. tests/tap/tap.sh
need_tool python3
# shellcheck source=/dev/null
source "$HERE/netns.sh"
xk_netns_start

TMP=$(mktemp -d /tmp/tcp_interop.XXXXXX)
plan 6
diag "seed $SEED, $SIZE bytes each way"
python3 -c "import random, sys; r = random.Random($SEED); o = sys.stdout.buffer
o.write(r.randbytes($SIZE)); open('$TMP/b', 'wb').write(r.randbytes($SIZE))" >"$TMP/a" ||
	bail_out "cannot write the test data in $TMP"

# 1. Linux's client, our server.
xk_netns_exec "$PEER" --peer --tap "$XK_TAP" --ip "$XK_STACK_IP" --listen 5555 \
	--send "$TMP/b" --out "$TMP/srv_got" --timeout 120 >"$TMP/srv.log" 2>&1 &
ours=$!
xk_netns_exec python3 "$HERE/tcp_interop_linux.py" connect "$XK_STACK_IP" 5555 "$TMP/a" "$TMP/cli_got" 2>"$TMP/cli.log"
linux=$?
wait $ours
is "$? $linux" "0 0" "Linux client to our server: both ends finish cleanly (our status, Linux's)"
diag "$(cat "$TMP/srv.log" "$TMP/cli.log")"
ok "Linux client to our server: 10 MiB arrive identical at our server" cmp -s "$TMP/a" "$TMP/srv_got"
ok "Linux client to our server: 10 MiB arrive identical at Linux's client" cmp -s "$TMP/b" "$TMP/cli_got"

# 2. Our client, Linux's server.
xk_netns_exec python3 "$HERE/tcp_interop_linux.py" listen "$XK_LINUX_IP" 5556 "$TMP/b" "$TMP/srv2_got" \
	"$TMP/ready" 2>"$TMP/srv2.log" &
linux=$!
xk_netns_wait_file "$TMP/ready"
xk_netns_exec "$PEER" --peer --tap "$XK_TAP" --ip "$XK_STACK_IP" --connect "$XK_LINUX_IP:5556" \
	--send "$TMP/a" --out "$TMP/cli2_got" --timeout 120 >"$TMP/cli2.log" 2>&1
ours=$?
wait $linux
is "$ours $?" "0 0" "our client to Linux's server: both ends finish cleanly (our status, Linux's)"
diag "$(cat "$TMP/cli2.log" "$TMP/srv2.log")"
ok "our client to Linux's server: 10 MiB arrive identical at Linux's server" cmp -s "$TMP/a" "$TMP/srv2_got"
ok "our client to Linux's server: 10 MiB arrive identical at our client" cmp -s "$TMP/b" "$TMP/cli2_got"
rm -rf "$TMP"
done_testing
