#!/usr/bin/env bash
# usage: slowread.sh [-n RUNS] [-s BYTES] [-p PAUSE]
# Our stack as the client against a slow-reading Linux server over TAP in a
# network namespace (issue 17 item 1's second reproduction: 90,890 bytes,
# 7 of 15 runs failed before the zero-window fix): Linux listens with a
# 32 KiB receive buffer and reads nothing for PAUSE seconds (default 2),
# sending BYTES of its own through the pause (so our ACKs must stay in its
# window); our client (tests/xkernel/tcp_interop_test --peer --connect)
# sends BYTES (default 90890) and closes. RUNS times (default 15), each
# printing our status, whether both got every byte, our client's wall time
# (with its 0.5 s wait for the last ACKs), Linux's drain (its first read to
# EOF) and our TCP counters; then how many failed (status 1 if any).
# Needs root, /dev/net/tun, python3 and a build (BUILD, default build).
#   -h, --help   this text
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
RUNS=15 SIZE=90890 PAUSE=2
usage() { sed -n '2,14s/^# \{0,1\}//p' "$0"; }
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	# values checked before the namespace is made: a bad one would fail mid-run
	-n) [[ ${2:-} =~ ^[1-9][0-9]{0,3}$ ]] ||
		{ echo "slowread.sh: -n '${2:-}': want 1 to 9999 runs" >&2; exit 2; }
	    RUNS=$2; shift 2 ;;
	-s) [[ ${2:-} =~ ^[1-9][0-9]{0,7}$ ]] ||
		{ echo "slowread.sh: -s '${2:-}': want a byte count from 1 to 99999999" >&2; exit 2; }
	    SIZE=$2; shift 2 ;;
	-p) [[ ${2:-} =~ ^[0-9]{1,3}(\.[0-9]+)?$ ]] ||
		{ echo "slowread.sh: -p '${2:-}': want seconds, 0 to 999" >&2; exit 2; }
	    PAUSE=$2; shift 2 ;;
	*) echo "slowread.sh: unknown argument '$1' (slowread.sh --help)" >&2; exit 2 ;;
	esac
done
. bench/xkernel/netns_bench.sh
xk_bench_netns slowread.sh python3
LINUX=tests/xkernel/tcp_interop_linux.py
head -c "$SIZE" /dev/urandom >"$TMP/ours"
head -c "$SIZE" /dev/urandom >"$TMP/linux"

# run N: one connection on port 5600+N; prints its line, returns 1 if it failed
run() {
	local port=$((5600 + $1)) t0 t1 rc drain same=differ
	rm -f "$TMP/ready" "$TMP/linux_got" "$TMP/ours_got"
	xk_netns_exec python3 "$LINUX" --pause "$PAUSE" --rcvbuf 32768 listen "$XK_LINUX_IP" "$port" \
		"$TMP/linux" "$TMP/linux_got" "$TMP/ready" >"$TMP/linux.log" 2>&1 &
	xk_netns_wait_file "$TMP/ready"
	t0=$(date +%s.%N)
	xk_netns_exec "$PEER" --peer --tap "$XK_TAP" --ip "$XK_STACK_IP" --connect "$XK_LINUX_IP:$port" \
		--send "$TMP/ours" --out "$TMP/ours_got" --timeout 60 >"$TMP/our.log" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	wait $!
	cmp -s "$TMP/ours" "$TMP/linux_got" && cmp -s "$TMP/linux" "$TMP/ours_got" && same=same
	drain=$(sed -n 's/^drain //p' "$TMP/linux.log")
	printf 'run %2d: %s (our status %d, bytes %s) in %s s, Linux drain %s s; %s\n' "$1" \
		"$([[ $rc == 0 && $same == same ]] && echo ok || echo FAILED)" "$rc" "$same" \
		"$(awk "BEGIN { printf \"%.3f\", $t1 - $t0 }")" "${drain:-?}" "$(sed -n 's/^tcp: //p' "$TMP/our.log")"
	[[ $rc == 0 && $same == same ]]
}

echo "slowread.sh: our client and a Linux server that reads nothing for $PAUSE s (32 KiB buffer) send each other $SIZE bytes, $RUNS runs"
failed=0
for i in $(seq "$RUNS"); do
	run "$i" || failed=$((failed + 1))
done
echo "slowread.sh: $failed of $RUNS runs failed"
[ $failed = 0 ]
