#!/usr/bin/env bash
# callgrind.t - the instruction count per round trip of the ping apps'
# measured loop (bench/xkernel/callgrind.sh: callgrind's client requests
# around xk_ping_round_trips, on the in-process wire's virtual clock) is
# deterministic, plausible, and orders the protocols by their work; the
# simulated I1 misses per round trip are deterministic too; in the steady
# state a round trip calls the C allocator not once (the message pools).
set -u
BUILD=${BUILD:-build}
export BUILD
command -v valgrind >/dev/null || { echo "1..0 # SKIP valgrind is not installed"; exit 0; }
case $BUILD in *san*) echo "1..0 # SKIP valgrind cannot run an ASan build ($BUILD)"; exit 0 ;; esac

count() {	# count APP: its instructions and allocator calls per round trip
	bench/xkernel/callgrind.sh -q -m -n 500 "$1" | awk '{ print $2, $3 }'
}
here=$PWD
abs_build=$(cd "$BUILD" && pwd)
echo "1..7"
n=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }

read -r tcp1 tcp_al <<<"$(count tcpping)"
# again from elsewhere, with another environment: the count must not move
tcp2=$(cd / && env XK_PADDING=$(printf '%0777d' 0) BUILD="$abs_build" "$here/bench/xkernel/callgrind.sh" -q -n 500 tcpping |
	awk '{ print $2 }')
read -r udp udp_al <<<"$(count udpping)"
read -r icmp icmp_al <<<"$(count icmpping)"
echo "# instructions per round trip: tcpping $tcp1 and $tcp2, udpping $udp, icmpping $icmp"
echo "# calls to malloc/free/calloc/realloc per round trip: tcpping $tcp_al, udpping $udp_al, icmpping $icmp_al"
[ "$tcp_al" = 0.00 ] && [ "$udp_al" = 0.00 ] && [ "$icmp_al" = 0.00 ]
ok $? "tcpping, udpping, icmpping: no call to malloc, free, calloc or realloc per round trip in the steady state"
[ -n "$tcp1" ] && [ "$tcp1" = "$tcp2" ]
ok $? "tcpping: the same count twice, run from another directory with another environment"
awk -v c="${tcp1:-0}" 'BEGIN { exit !(c >= 1000 && c <= 100000) }'
ok $? "tcpping: between 1,000 and 100,000 instructions per round trip (the bracket holds the loop)"
awk -v c="${udp:-0}" 'BEGIN { exit !(c >= 1000 && c <= 100000) }'
ok $? "udpping: between 1,000 and 100,000 instructions per round trip"
awk -v t="${tcp1:-0}" -v u="${udp:-0}" 'BEGIN { exit !(u > 0 && u < t) }'
ok $? "a UDP round trip costs fewer instructions than a TCP one (no ACK processing, no send buffer)"
awk -v u="${udp:-0}" -v i="${icmp:-0}" 'BEGIN { exit !(i > 0 && i < u) }'
ok $? "an ICMP echo round trip costs fewer than a UDP one (the server's ICMP answers below any app)"

# the simulated instruction cache of DESIGN.md's alpha21064 geometry: misses are deterministic too
m1=$(bench/xkernel/callgrind.sh -q -n 300 -g alpha21064 tcpping)
m2=$(bench/xkernel/callgrind.sh -q -n 300 -g alpha21064 tcpping)
echo "# alpha21064 I1: tcpping instructions and misses per round trip: $m1 / $m2"
[ -n "$m1" ] && [ "$m1" = "$m2" ] && awk -v m="$(echo "$m1" | awk '{ print $3 }')" 'BEGIN { exit !(m > 0) }'
ok $? "tcpping: I1 misses per round trip in an 8 KiB direct-mapped cache, the same twice, more than none"
