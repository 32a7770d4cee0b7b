#!/usr/bin/env bash
# usage: zerowin.sh [-s BYTES] [PAUSE_SECONDS...]
# Time to drain after a zero window, our stack against Linux's over TAP in a
# network namespace (issue 17 item 2): a Linux client with a 32 KiB receive
# buffer reads nothing for PAUSE seconds (default 2 5 10 20) while the server
# sends BYTES (default 1 MiB) and the client sends 200 kB through the pause;
# "drain" is the time from the client's first read to the server's FIN. Each
# pause runs twice: our server (tests/xkernel/tcp_interop_test --peer), then
# a Linux server (tests/xkernel/tcp_interop_linux.py), both on the same
# client. Also prints Linux's TcpExtBeyondWindow rise and our counters.
# Needs root, /dev/net/tun, python3 and a build (BUILD, default build).
#   -h, --help   this text
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
SIZE=$((1 << 20))
usage() { sed -n '2,13s/^# \{0,1\}//p' "$0"; }
pauses=()
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	-s) [[ ${2:-} =~ ^[1-9][0-9]{0,8}$ ]] ||
		{ echo "zerowin.sh: -s '${2:-}': want a byte count from 1 to 999999999" >&2; exit 2; }
	    SIZE=$2; shift 2 ;;
	-*) echo "zerowin.sh: unknown option '$1' (zerowin.sh --help)" >&2; exit 2 ;;
	*)
		[[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "zerowin.sh: pause '$1': want seconds" >&2; exit 2; }
		pauses+=("$1")
		shift ;;
	esac
done
[ ${#pauses[@]} -gt 0 ] || pauses=(2 5 10 20)
. bench/xkernel/netns_bench.sh
xk_bench_netns zerowin.sh python3 nstat
LINUX=tests/xkernel/tcp_interop_linux.py
head -c "$SIZE" /dev/urandom >"$TMP/server"
head -c 200000 /dev/urandom >"$TMP/client"
beyond() { xk_netns_exec nstat -az TcpExtBeyondWindow | awk '$1 == "TcpExtBeyondWindow" { print $2 }'; }

# client PAUSE HOST PORT: the slow Linux client; prints its drain time
client() {
	xk_netns_exec python3 "$LINUX" --pause "$1" --rcvbuf 32768 connect "$2" "$3" \
		"$TMP/client" "$TMP/got" | sed -n 's/^drain //p'
	cmp -s "$TMP/server" "$TMP/got" || echo "(bytes differ)"
}

printf '%-6s %-12s %-12s %s\n' pause "ours: drain" "Linux: drain" "Linux TcpExtBeyondWindow rise, our counters"
for p in "${pauses[@]}"; do
	b0=$(beyond)
	ip netns exec "$XK_NETNS" "$PEER" --peer --tap "$XK_TAP" --ip "$XK_STACK_IP" --listen 5560 \
		--send "$TMP/server" --out "$TMP/ours_got" --timeout 300 >"$TMP/peer.log" 2>&1 &
	ours=$(client "$p" "$XK_STACK_IP" 5560)
	wait $!
	b1=$(beyond)
	xk_netns_exec python3 "$LINUX" listen "$XK_LINUX_IP" 5561 "$TMP/server" "$TMP/linux_got" "$TMP/ready" &
	xk_netns_wait_file "$TMP/ready"
	linux=$(client "$p" "$XK_LINUX_IP" 5561)
	wait $!
	rm -f "$TMP/ready"
	printf '%-6s %-12s %-12s %s; %s\n' "${p}s" "${ours:-failed}s" "${linux:-failed}s" "$((b1 - b0))" \
		"$(sed -n 's/^tcp: //p' "$TMP/peer.log")"
done
