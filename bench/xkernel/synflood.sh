#!/usr/bin/env bash
# usage: synflood.sh [-n SYNS] [-r SYNS_PER_SECOND]
# Our stack on a TAP device in a network namespace, listening, under a flood
# of spoofed SYNs from Linux's side (tests/xkernel/tcp_synflood.py: from
# 10.77.0.3-254, nobody answers their ARP; default 10000 at 5000 a second),
# with a legitimate Linux connection opened halfway through. Prints our
# process's resident memory before, at its peak, and after the flood, its
# TCP counters, whether the legitimate connection got through, and the ARP
# requests our stack sent meanwhile, per second (bench/xkernel/arpcount.py
# on Linux's side, from the flood's start until our process ends). Needs
# root, /dev/net/tun, python3 and a build (BUILD, default build).
#   -h, --help   this text
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
SYNS=10000
RATE=5000
usage() { sed -n '2,13s/^# \{0,1\}//p' "$0"; }
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	# values checked before the namespace is made: a bad one would fail mid-run
	-n) [[ ${2:-} =~ ^[1-9][0-9]{0,6}$ ]] ||
		{ echo "synflood.sh: -n '${2:-}': want a count of SYNs from 1 to 9999999" >&2; exit 2; }
	    SYNS=$2; shift 2 ;;
	-r) [[ ${2:-} =~ ^[0-9]{1,7}(\.[0-9]+)?$ && ! ${2:-} =~ ^[0.]*$ ]] ||
		{ echo "synflood.sh: -r '${2:-}': want SYNs per second, more than 0" >&2; exit 2; }
	    RATE=$2; shift 2 ;;
	*) echo "synflood.sh: unknown argument '$1' (synflood.sh --help)" >&2; exit 2 ;;
	esac
done
. bench/xkernel/netns_bench.sh
xk_bench_netns synflood.sh python3
head -c 1000 /dev/zero >"$TMP/reply"

ip netns exec "$XK_NETNS" "$PEER" --peer --tap "$XK_TAP" --ip "$XK_STACK_IP" --listen 5559 \
	--send "$TMP/reply" --timeout 120 >"$TMP/peer.log" 2>&1 &
peer=$!
xk_netns_wait_stack || { cat "$TMP/peer.log"; exit 1; }
kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/$peer/status; }
rss0=$(kb VmRSS)
ip netns exec "$XK_NETNS" python3 bench/xkernel/arpcount.py "$XK_TAP" "$TMP/arp.ready" >"$TMP/arp.log" 2>&1 &
arp=$!
xk_netns_wait_file "$TMP/arp.ready" || { cat "$TMP/arp.log"; exit 1; }
xk_netns_exec python3 tests/xkernel/tcp_synflood.py --syns "$SYNS" --rate "$RATE" \
	"$XK_STACK_IP" 5559 >"$TMP/flood.log" 2>&1
flood=$?
rss1=$(kb VmRSS)
peak=$(kb VmHWM)
[ $flood = 0 ] || kill $peer	# it would wait for its connection
wait $peer
kill $arp
wait $arp
cat "$TMP/flood.log" "$TMP/peer.log" "$TMP/arp.log"
echo "memory (our process, kB): VmRSS before $rss0, after the flood $rss1, peak (VmHWM) $peak"
exit $flood
