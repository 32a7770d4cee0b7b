#!/usr/bin/env bash
# trace.t - the trace length goals of issue #11 on the built variants of
# each bundled stack (make variants; $BUILD/variants/STACK/variants.list):
# instructions per round trip (bench/xkernel/callgrind.sh, deterministic)
# of PIN and ALL at most 0.88 of STD's (the paper: 0.89; GCC PGO: ~0.89),
# OUT at most STD's. Asserted only where both rows are built.
. tests/tap/tap.sh
BUILD=${BUILD:-build}
export BUILD
command -v valgrind >/dev/null || skip_all "valgrind is not installed"

# ir EXE: instructions per round trip
ir() { bench/xkernel/callgrind.sh -q -n 300 "$1" | awk '{ print $2 }'; }
# at_most A B R: A <= R * B
at_most() { awk -v a="$1" -v b="$2" -v r="$3" 'BEGIN { exit !(a <= r * b) }'; }

lists=("$BUILD"/variants/*/variants.list)
need "${lists[0]}"
for list in "${lists[@]}"; do
	stack=$(awk '$1 == "stack" { print $2 }' "$list")
	declare -A n=()
	while read -r _ v state rest; do
		[ "$state" = built ] || { diag "$stack $v: not yet available ($rest)"; continue; }
		need "$rest"
		n[$v]=$(ir "$rest")
		diag "$stack $v: ${n[$v]:-?} instructions per round trip"
		ok "$stack $v: callgrind counts its instructions" test -n "${n[$v]}"
	done < <(awk '$1 == "variant" && $2 ~ /^(STD|OUT|PIN|ALL)$/' "$list")
	for goal in "PIN 0.88" "ALL 0.88" "OUT 1.0"; do
		read -r v r <<<"$goal"
		[ -n "${n[$v]:-}" ] && [ -n "${n[STD]:-}" ] || continue
		ok "$stack: $v runs at most $r of STD's instructions per round trip (${n[$v]} vs ${n[STD]})" \
			at_most "${n[$v]}" "${n[STD]}" "$r"
	done
	unset n
done
echo "1..$tap_n"
done_testing
