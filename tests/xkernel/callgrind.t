#!/usr/bin/env bash
# callgrind.t - the instruction count per round trip of the ping apps'
# measured loop (bench/xkernel/callgrind.sh: callgrind's client requests
# around xk_ping_round_trips, on the in-process wire's virtual clock) is
# deterministic, plausible, and orders the protocols by their work; the
# simulated I1 misses per round trip are deterministic too; in the steady
# state a round trip calls the C allocator not once (the message pools).
set -u
. tests/tap/tap.sh
BUILD=${BUILD:-build}
export BUILD
need_tool valgrind
case $BUILD in *san*) skip_all "valgrind cannot run an ASan build ($BUILD)" ;; esac
need "$BUILD"/bin/{tcpping,udpping,icmpping}

count() {	# count APP: its instructions and allocator calls per round trip
	bench/xkernel/callgrind.sh -q -m -n 500 "$1" | awk '{ print $2, $3 }'
}
here=$PWD
abs_build=$(cd "$BUILD" && pwd)
plan 7

read -r tcp1 tcp_al <<<"$(count tcpping)"
# again from elsewhere, with another environment: the count must not move
tcp2=$(cd / && env XK_PADDING=$(printf '%0777d' 0) BUILD="$abs_build" "$here/bench/xkernel/callgrind.sh" -q -n 500 tcpping |
	awk '{ print $2 }')
read -r udp udp_al <<<"$(count udpping)"
read -r icmp icmp_al <<<"$(count icmpping)"
diag "instructions per round trip: tcpping $tcp1 and $tcp2, udpping $udp, icmpping $icmp"
diag "calls to malloc/free/calloc/realloc per round trip: tcpping $tcp_al, udpping $udp_al, icmpping $icmp_al"
ok "tcpping, udpping, icmpping: no call to malloc, free, calloc or realloc per round trip in the steady state" eval \
	'[ "$tcp_al" = 0.00 ] && [ "$udp_al" = 0.00 ] && [ "$icmp_al" = 0.00 ]'
ok "tcpping: the same count twice, run from another directory with another environment" eval \
	'[ -n "$tcp1" ] && [ "$tcp1" = "$tcp2" ]'
ok "tcpping: between 1,000 and 100,000 instructions per round trip (the bracket holds the loop)" \
	awk -v c="${tcp1:-0}" 'BEGIN { exit !(c >= 1000 && c <= 100000) }'
ok "udpping: between 1,000 and 100,000 instructions per round trip" \
	awk -v c="${udp:-0}" 'BEGIN { exit !(c >= 1000 && c <= 100000) }'
ok "a UDP round trip costs fewer instructions than a TCP one (no ACK processing, no send buffer)" \
	awk -v t="${tcp1:-0}" -v u="${udp:-0}" 'BEGIN { exit !(u > 0 && u < t) }'
ok "an ICMP echo round trip costs fewer than a UDP one (the server's ICMP answers below any app)" \
	awk -v u="${udp:-0}" -v i="${icmp:-0}" 'BEGIN { exit !(i > 0 && i < u) }'

# the simulated instruction cache of docs/DESIGN.md's alpha21064 geometry: misses are deterministic too
m1=$(bench/xkernel/callgrind.sh -q -n 300 -g alpha21064 tcpping)
m2=$(bench/xkernel/callgrind.sh -q -n 300 -g alpha21064 tcpping)
diag "alpha21064 I1: tcpping instructions and misses per round trip: $m1 / $m2"
misses=$(echo "$m1" | awk '{ print $3 }')
ok "tcpping: I1 misses per round trip in an 8 KiB direct-mapped cache, the same twice, more than none" eval \
	'[ -n "$m1" ] && [ "$m1" = "$m2" ] && awk -v m="$misses" "BEGIN { exit !(m > 0) }"'
done_testing
