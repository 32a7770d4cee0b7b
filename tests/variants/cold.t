#!/usr/bin/env bash
# cold.t - issue #11's rule on every bundled stack (make variants): a block
# that ran in training is never cold. The plugin's builds (OUT, PIN, ALL/in:
# ALL is ALL/in laid out, the same instructions) run the training workload,
# the measured loop of `-w inproc -n 1000 -s 1` as profiles/*.sh train on it
# (bench/xkernel/callgrind.sh), and callgrind's per-function counts must
# show no instruction in a .cold part of the stack's own functions. Setup
# before the loop is not training: it may enter .cold parts.
. tests/tap/tap.sh
BUILD=${BUILD:-build}
export BUILD
need_tool valgrind
WORK=$(mktemp -d /tmp/coldt.XXXXXXXX)
trap 'rm -rf "$WORK"' EXIT

# cold_ran EXE: "FUNCTION INSTRUCTIONS" of each .cold part of the stack's
# code that ran in the training loop (every function: no threshold).
cold_ran() {
	local d
	d=$(mktemp -d "$WORK/cg.XXXX")
	bench/xkernel/callgrind.sh -q -k "$d" -n 1000 "$1" >/dev/null || { echo "callgrind failed"; return; }
	callgrind_annotate --threshold=100 --auto=no --inclusive=no "$d"/*.1000.out |
		awk '$NF ~ /\]$/ { NF-- } $NF ~ /(^|\/)stack\/.*\.cold/ { print $NF, $1 }'
}

lists=("$BUILD"/variants/*/variants.list)
need "${lists[0]}"
for list in "${lists[@]}"; do
	stack=$(awk '$1 == "stack" { print $2 }' "$list")
	all=$(awk '$1 == "variant" && $2 == "ALL" && $3 == "built" { print $4 }' "$list")
	while read -r v exe; do
		need "$exe"
		is "$(cold_ran "$exe")" "" "$stack $v: no instruction of the training loop runs in a .cold part"
	done < <(awk '$1 == "variant" && $2 ~ /^(OUT|PIN)$/ && $3 == "built" { print $2, $4 }' "$list"
		 [ -z "$all" ] || echo "ALL/in $(dirname "$all")/in/$(basename "$all")")
done
echo "1..$tap_n"
done_testing
