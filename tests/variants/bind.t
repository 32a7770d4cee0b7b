#!/usr/bin/env bash
# bind.t - the variants olayout cloned (CLO: OUT rewritten, ALL: the
# plugin's build ALL/in rewritten) enter their clones: in the steady round
# trip (callgrind's call counts, runs of N and 2N round trips) the root of
# every path of the stack's profile runs as its clone (at least once per
# round trip) and its original not at all, and the variant
# runs as many instructions per round trip as its input (the clones are the
# same code: a bound session whose clone misses one of the plugin's guards,
# which compare with the original, would leave the inlined path and run
# more). A row not built fails (lists.sh). The root's symbol and
# its clone for the path are the ones `olayout paths` names: GCC may give a
# static root a suffix (LTO's partitions make a static referenced across
# them global as FN.lto_priv.N), and the clone is then FN.lto_priv.N.clone.PATH.
. tests/tap/tap.sh
BUILD=${BUILD:-build}
export BUILD
need_tool valgrind	# the variants are never sanitized (rules.mk), so SAN=1 runs this too
N=200
T=$(mktemp -d /tmp/xkcg.XXXXXXXX)	# a fixed-length name, as callgrind.sh runs
trap 'rm -rf "$T"' EXIT

calls() {	# calls EXE ROUND_TRIPS: "FUNCTION CALLS" of the measured loop
	cp "$1" "$T/prog" &&
		(cd "$T" && env -i valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$T/cg.out" \
			./prog -w inproc -n "$2" -s 1 >/dev/null 2>&1) && awk -f bench/xkernel/calls.awk "$T/cg.out"
}
steady() {	# steady EXE: "FUNCTION CALLS" the N more round trips of a 2N run made
	calls "$1" $N >"$T/c1" && calls "$1" $((2 * N)) >"$T/c2" &&
		awk 'NR == FNR { c[$1] = $2; next } { print $1, $2 - c[$1] }' "$T/c1" "$T/c2"
}
instr() { bench/xkernel/callgrind.sh -q -n 300 "$1" | awk '{ print $2 }'; }
rt=$((N + N / 10))	# the 2N run's loop has N + N/10 more round trips

# roots EXE PROFILE: "PATH FN SYMBOL CLONE" per path root (CLONE: the clone
# made for PATH, "-" if none; SYMBOL "-" if the root is missing).
roots() {
	"$BUILD"/bin/olayout paths --profile "$2" "$1" 2>/dev/null | awk '
		$1 == "path" { p = $2 }
		$1 == "root" { c = "-"
			for (i = 8; i < NF; i++) if ($i == "clone") c = $(i + 1)
			print p, $2, ($3 == "missing" ? "-" : $3), c }'
}

need "$BUILD/bin/olayout"
. tests/variants/lists.sh
variant_lists
for list in "${LISTS[@]}"; do
	read -r _ stack _ profile < <(awk '$1 == "stack"' "$list")
	npaths=$("$BUILD"/bin/olayout paths --profile "$profile" | awk '$1 == "path"' | wc -l)
	ok "$stack: olayout paths reads the profile's paths ($npaths)" test "$npaths" -gt 0
	while read -r _ v state exe; do
		[ "$state" = built ] || continue	# variant_lists failed it
		input=$(dirname "$exe")/in/$(basename "$exe")
		[ "$v" = CLO ] && input=$(dirname "$(dirname "$exe")")/OUT/$(basename "$exe")
		need "$exe" "$input"
		steady "$exe" >"$T/calls.$v"
		roots "$exe" "$profile" >"$T/roots.$v"
		is "$(wc -l <"$T/roots.$v")" "$npaths" "$stack $v: olayout paths names a root for each of the profile's $npaths paths"
		while read -r path root sym clone; do
			got=$(awk -v s="$sym" -v c="$clone" '$1 == c { n = $2 } $1 == s { o = $2 }
				END { print n + 0, o + 0 }' "$T/calls.$v")
			ok "$stack $v: path $path's root $root ($sym) runs as its clone $clone, the original not (calls in $rt round trips: $got)" \
				eval "[ '$sym' != - ] && [ '$clone' != - ] && awk -v rt=$rt '{ exit !(\$1 >= rt && \$2 == 0) }' <<<'$got'"
		done <"$T/roots.$v"
		a=$(instr "$exe") b=$(instr "$input")
		ok "$stack $v: as many instructions per round trip as its input ($a, input $b)" \
			awk -v a="$a" -v b="$b" 'BEGIN { exit !(a != "" && a <= b * 1.001) }'
	done < <(awk '$1 == "variant" && $2 ~ /^(CLO|ALL)$/' "$list")
done
echo "1..$tap_n"
done_testing
