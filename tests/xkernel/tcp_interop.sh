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

if [ ! -f "$HERE/netns.sh" ]; then
	echo "1..0 # SKIP the netns/TAP harness ($HERE/netns.sh) is not here"
	exit 0
fi
if ! command -v python3 >/dev/null; then
	echo "1..0 # SKIP python3 (Linux's side of the test) is not installed"
	exit 0
fi
# shellcheck source=/dev/null
source "$HERE/netns.sh"
xk_netns_start

TMP=$(mktemp -d /tmp/tcp_interop.XXXXXX)
echo "1..6"
echo "# seed $SEED, $SIZE bytes each way"
python3 -c "import random, sys; r = random.Random($SEED); o = sys.stdout.buffer
o.write(r.randbytes($SIZE)); open('$TMP/b', 'wb').write(r.randbytes($SIZE))" >"$TMP/a"

n=0
check() {	# check STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
same() {	# same FILE1 FILE2 NAME
	cmp -s "$1" "$2"
	check $? "$3"
}

# 1. Linux's client, our server.
xk_netns_exec "$PEER" --peer --tap "$XK_TAP" --ip "$XK_STACK_IP" --listen 5555 \
	--send "$TMP/b" --out "$TMP/srv_got" --timeout 120 >"$TMP/srv.log" 2>&1 &
ours=$!
xk_netns_exec python3 "$HERE/tcp_interop_linux.py" connect "$XK_STACK_IP" 5555 "$TMP/a" "$TMP/cli_got" 2>"$TMP/cli.log"
linux=$?
wait $ours
check $(( $? | linux )) "Linux client to our server: both ends finish cleanly"
sed 's/^/# /' "$TMP/srv.log" "$TMP/cli.log"
same "$TMP/a" "$TMP/srv_got" "Linux client to our server: 10 MiB arrive identical at our server"
same "$TMP/b" "$TMP/cli_got" "Linux client to our server: 10 MiB arrive identical at Linux's client"

# 2. Our client, Linux's server.
xk_netns_exec python3 "$HERE/tcp_interop_linux.py" listen "$XK_LINUX_IP" 5556 "$TMP/b" "$TMP/srv2_got" \
	"$TMP/ready" 2>"$TMP/srv2.log" &
linux=$!
for _ in $(seq 100); do [ -e "$TMP/ready" ] && break; sleep 0.1; done
xk_netns_exec "$PEER" --peer --tap "$XK_TAP" --ip "$XK_STACK_IP" --connect "$XK_LINUX_IP:5556" \
	--send "$TMP/a" --out "$TMP/cli2_got" --timeout 120 >"$TMP/cli2.log" 2>&1
ours=$?
wait $linux
check $(( $? | ours )) "our client to Linux's server: both ends finish cleanly"
sed 's/^/# /' "$TMP/cli2.log" "$TMP/srv2.log"
same "$TMP/a" "$TMP/srv2_got" "our client to Linux's server: 10 MiB arrive identical at Linux's server"
same "$TMP/b" "$TMP/cli2_got" "our client to Linux's server: 10 MiB arrive identical at our client"
rm -rf "$TMP"
