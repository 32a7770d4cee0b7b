#!/usr/bin/env bash
# tcp_zerowin_tap.t - zero windows against Linux over TAP in a namespace
# (issue 17 items 1-2; tcp_zerowin_test is the same on the seeded wire).
# Linux's end reads nothing for 2 s with a 32 KiB receive buffer, so its
# window closes while we send 1 MiB, and it sends 200 kB to us meanwhile;
# then it reads. Once with our server, once with our client. Checked: both
# ends finish with every byte; the only segments of ours Linux counted beyond
# its window (TcpExtBeyondWindow) are our 1-byte persist probes (RFC 9293
# 3.8.6.1; Linux 6.x counts a probe into a zero window there too): our ACKs
# stay inside its window; and our TCP never timed out (the window update
# restarts our sending at once, not the retransmission timer).
set -u
. tests/tap/tap.sh
. tests/xkernel/netns.sh
BUILD=${BUILD:-build}
PEER=$BUILD/tests/xkernel/tcp_interop_test
LINUX=tests/xkernel/tcp_interop_linux.py
PAUSE=${TCP_ZEROWIN_PAUSE:-2}
need "$PEER"
need_tool python3
xk_netns_start

TMP=$(mktemp -d /tmp/tcp_zerowin_tap.XXXXXX)
trap 'rm -rf "$TMP"; xk_netns_cleanup' EXIT
python3 -c "import random, sys; r = random.Random(1717)
open('$TMP/ours', 'wb').write(r.randbytes(1 << 20)); open('$TMP/linux', 'wb').write(r.randbytes(200000))" ||
	bail_out "cannot write the test data in $TMP"
plan 8

beyond_window() {	# Linux's TcpExtBeyondWindow in the namespace
	xk_netns_exec awk '/^TcpExt:/ { if (!n) { for (i = 1; i <= NF; i++) k[i] = $i; n = 1 }
		else for (i = 1; i <= NF; i++) if (k[i] == "BeyondWindow") print $i }' /proc/net/netstat
}

stat() {	# stat NAME LOG: our TCP's counter NAME from the peer's "tcp:" line
	sed -n "s/^tcp: .*\b$1 \([0-9]*\).*/\1/p" "$2"
}

check() {	# check WHO OUR_RC LINUX_RC OUR_LOG LINUX_LOG BEYOND_BEFORE
	local who=$1 ours=$2 linux=$3 beyond probes
	beyond=$(($(beyond_window) - $6))
	probes=$(stat persist_probes "$4")
	diag "$(cat "$4" "$5")"
	diag "Linux's TcpExtBeyondWindow rose by $beyond"
	is "$ours $linux" "0 0" "$who: both ends finish cleanly (our status, Linux's)"
	ok "$who: 1 MiB and 200 kB arrive identical" eval \
		'cmp -s "$TMP/ours" "$TMP/linux_got" && cmp -s "$TMP/linux" "$TMP/ours_got"'
	ok "$who: beyond Linux's window went only our persist probes ($beyond <= ${probes:-?})" \
		eval '[ -n "$probes" ] && [ $beyond -le $probes ]'
	is "$(stat rexmit_timeouts "$4")" 0 "$who: our TCP never timed out (the window update restarted sending)"
	rm -f "$TMP"/*_got
}

# 1. Our server, Linux's client pauses.
before=$(beyond_window)
xk_netns_exec "$PEER" --peer --tap "$XK_TAP" --ip "$XK_STACK_IP" --listen 5557 \
	--send "$TMP/ours" --out "$TMP/ours_got" --timeout 60 >"$TMP/our.log" 2>&1 &
ours=$!
sleep 1.5	# our server waits longer than its first RTO (1 s): timers must start at the SYN
xk_netns_exec python3 "$LINUX" --pause "$PAUSE" --rcvbuf 32768 connect "$XK_STACK_IP" 5557 \
	"$TMP/linux" "$TMP/linux_got" >"$TMP/linux.log" 2>&1
linux=$?
wait $ours
check "our server" $? $linux "$TMP/our.log" "$TMP/linux.log" $before

# 2. Our client, Linux's server pauses.
before=$(beyond_window)
xk_netns_exec python3 "$LINUX" --pause "$PAUSE" --rcvbuf 32768 listen "$XK_LINUX_IP" 5558 \
	"$TMP/linux" "$TMP/linux_got" "$TMP/ready" >"$TMP/linux.log" 2>&1 &
linux=$!
xk_netns_wait_file "$TMP/ready"
xk_netns_exec "$PEER" --peer --tap "$XK_TAP" --ip "$XK_STACK_IP" --connect "$XK_LINUX_IP:5558" \
	--send "$TMP/ours" --out "$TMP/ours_got" --timeout 60 >"$TMP/our.log" 2>&1
ours=$?
wait $linux
check "our client" $ours $? "$TMP/our.log" "$TMP/linux.log" $before
done_testing
