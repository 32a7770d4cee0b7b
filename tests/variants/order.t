#!/usr/bin/env bash
# order.t - the orderings issue #12 names among the variants of each bundled
# stack (make variants; $BUILD/variants/STACK/variants.list says which rows
# exist), on the harness's own count: simulated alpha21064 I1 misses per
# round trip (bench/xkernel/callgrind.sh, deterministic). BAD > STD, STD >
# OUT, OUT > COL (colouring beats the linker's order) and ALL < STD, each
# asserted only where both rows are built; a row still waiting (BAD, CLO, ALL until olayout optimize exists) is named in a
# comment, never asserted.
. tests/tap/tap.sh
BUILD=${BUILD:-build}
export BUILD
command -v valgrind >/dev/null || skip_all "valgrind is not installed"

# i1 EXE: alpha21064 I1 misses per round trip
i1() { bench/xkernel/callgrind.sh -q -n 300 -g alpha21064 "$1" | awk '{ print $3 }'; }
# more A B: A > B
more() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }

lists=("$BUILD"/variants/*/variants.list)
need "${lists[0]}"
for list in "${lists[@]}"; do
	stack=$(awk '$1 == "stack" { print $2 }' "$list")
	declare -A miss=()
	while read -r _ v state rest; do
		if [ "$state" != built ]; then
			diag "$stack $v: not yet available ($rest): no ordering with it is asserted"
			continue
		fi
		need "$rest"
		miss[$v]=$(i1 "$rest")
		diag "$stack $v: ${miss[$v]:-?} I1 misses per round trip (alpha21064)"
		ok "$stack $v: callgrind counts its I1 misses" test -n "${miss[$v]}"
	done < <(awk '$1 == "variant" && $2 ~ /^(BAD|STD|OUT|COL|ALL)$/' "$list")
	for pair in "BAD STD" "STD OUT" "OUT COL" "STD ALL"; do
		read -r hi lo <<<"$pair"
		[ -n "${miss[$hi]:-}" ] && [ -n "${miss[$lo]:-}" ] || continue
		ok "$stack: $hi has more I1 misses per round trip than $lo (${miss[$hi]} > ${miss[$lo]})" \
			more "${miss[$hi]}" "${miss[$lo]}"
	done
	unset miss
done
echo "1..$tap_n"
done_testing
