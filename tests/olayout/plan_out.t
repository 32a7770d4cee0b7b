#!/usr/bin/env bash
# plan_out.t - issue #9's goal on the build the variants measure: tcpping's
# OUT variant ($BUILD/variants/tcpip/OUT, outlined by the plugin) optimized
# for alpha21064 with the CLO variant's profile by bipartite, hfsort and
# pettis-hansen, as bench/results/olayout-plan.md records it. bipartite
# (its clones bound by the x-kernel) misses the I-cache less than both classic
# orderings: simulated I1 misses per round trip (bench/xkernel/callgrind.sh,
# deterministic). Recorded 2026-12-03 (bench/results/olayout-plan.md, 1000
# round trips): bipartite 192, pettis-hansen 294, hfsort 334; with this
# script's 300: 186, 291, 339. plan.t asserts the same on a STD build of its own.
. tests/tap/tap.sh
BUILD=${BUILD:-build}
export BUILD
OL=$BUILD/bin/olayout
V=$BUILD/variants/tcpip
need "$OL" "$V/OUT/tcpping" "$V/CLO/tcpping.prof"
need_tool valgrind
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
plan 4

STRATEGIES="bipartite hfsort pettis-hansen"
for s in $STRATEGIES; do
	# the plan's summary line to the diagnostics, not into the TAP stream
	ok "tcpping OUT, $s: optimized and verified" eval '"$OL" optimize --strategy $s \
		--profile "$V/CLO/tcpping.prof" --cache alpha21064 -o "$T/$s" "$V/OUT/tcpping" |
		sed "s/^/# /"; [ ${PIPESTATUS[0]} = 0 ]'
done
# misses EXE: alpha21064 I1 misses per round trip
misses() { bench/xkernel/callgrind.sh -q -n 300 -g alpha21064 "$1" | awk '{ print $3 }'; }
declare -A got
for s in $STRATEGIES; do
	got[$s]=$(misses "$T/$s")
done
diag "alpha21064 I1 misses per round trip: bipartite ${got[bipartite]}," \
	"hfsort ${got[hfsort]}, pettis-hansen ${got[pettis-hansen]}"
ok "tcpping OUT: bipartite misses less than hfsort and pettis-hansen" awk \
	-v b="${got[bipartite]}" -v h="${got[hfsort]}" -v p="${got[pettis-hansen]}" \
	'BEGIN { exit !(b != "" && h != "" && p != "" && b < h && b < p) }'
