#!/usr/bin/env bash
# cold.t - issue #11's rule on every bundled stack (make variants): a block
# that ran in training is never cold. The plugin's builds (OUT, PIN, ALL/in:
# ALL is ALL/in laid out, the same instructions) run the training workload,
# the measured loop of `-w inproc -n 1000 -s 1` as profiles/*.sh train on it
# (bench/xkernel/callgrind.sh), and no instruction of it may run inside a
# .cold part of the executable (the stack's own code: libc is a shared
# object). Counted by address: callgrind files a .cold part's instructions
# under its parent function's name, so its per-function counts cannot see
# them; each .cold symbol's range (nm) is summed over the per-instruction
# counts (--dump-instr). Setup before the loop is not training: it may
# enter .cold parts.
. tests/tap/tap.sh
BUILD=${BUILD:-build}
export BUILD
need_tool valgrind
need "$BUILD/bin/olayout"
WORK=$(mktemp -d /tmp/coldt.XXXXXXXX)
trap 'rm -rf "$WORK"' EXIT

# loop EXE: a new folder (printed) with callgrind's outputs of EXE's
# training loop, per-instruction counts.
loop() {
	local d
	d=$(mktemp -d "$WORK/cg.XXXX") && bench/xkernel/callgrind.sh -q -k "$d" -n 1000 "$1" >/dev/null &&
		echo "$d"
}
# ran EXE DIR REGEX: "SYMBOL INSTRUCTIONS" of each symbol of EXE whose name
# matches REGEX that ran in DIR's loop (every one: no threshold).
ran() {
	nm -S --defined-only "$1" | re=$3 awk '$4 ~ ENVIRON["re"] { print "sym", $1, $2, $4 }' |
		cat - "$2"/*.1000.out | awk -f tests/variants/cold_ran.awk -v exe="$(basename "$1")"
}

. tests/variants/lists.sh
variant_lists
for list in "${LISTS[@]}"; do
	read -r _ stack _ profile < <(awk '$1 == "stack"' "$list")
	all=$(awk '$1 == "variant" && $2 == "ALL" && $3 == "built" { print $4 }' "$list")
	# the paths' roots (a static one may be FN.lto_priv.N), as the profile's
	# parser reads them
	roots=$("$BUILD"/bin/olayout paths --profile "$profile" | awk '$1 == "root" { printf "%s%s", sep, $2; sep = "|" }')
	while read -r v exe; do
		need "$exe"
		d=$(loop "$exe") || { ok "$stack $v: callgrind.sh runs its training loop" false; continue; }
		is "$(ran "$exe" "$d" '\.cold(\.[0-9]+)?$' | sort)" "" "$stack $v: no instruction of the training loop runs in a .cold part"
		# the control: counted the same way, by nm's addresses, the roots run
		# (a count that matched no address would find no .cold part run)
		is "$(ran "$exe" "$d" "^($roots)(\\.lto_priv\\.[0-9]+)?\$" | wc -l)" "$(tr '|' '\n' <<<"$roots" | wc -l)" \
			"$stack $v: the same count by address sees each path root ($roots) run"
	done < <(awk '$1 == "variant" && $2 ~ /^(OUT|PIN)$/ && $3 == "built" { print $2, $4 }' "$list"
		 [ -z "$all" ] || echo "ALL/in $(dirname "$all")/in/$(basename "$all")")
done
echo "1..$tap_n"
done_testing
