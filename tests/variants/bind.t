#!/usr/bin/env bash
# bind.t - the variants olayout cloned (CLO: OUT rewritten, ALL: the
# plugin's build ALL/in rewritten) run their paths in their clones: in the
# steady round trip (callgrind's call counts, runs of N and 2N round trips)
# the root of every path of the stack's profile runs as its clone (at least
# once per round trip) and its original not at all; every other layer of
# the path that `olayout paths` lists with a clone is entered as that clone
# by the path's code (each layer's clone, or the layer itself where it has
# none): no call from there enters the layer's original. The layout's routes
# send a clone's direct calls to the next layer's clone (a lost route:
# the clone calls the original, the same code runs, verify and the
# round trip pass); the sessions' operations are bound to the clones
# (stack/xkernel/framework/bind.c). A layer the input reaches from its path
# only through a pointer no session binds (the driver's send, xk_drv.send:
# objdump finds no direct call or jump to it from the path's functions)
# may run as its original: the test says so in its name. And the variant
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

edges() {	# edges EXE ROUND_TRIPS: "CALLER CALLEE CALLS" of the measured loop
	cp "$1" "$T/prog" &&
		(cd "$T" && env -i valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$T/cg.out" \
			./prog -w inproc -n "$2" -s 1 >/dev/null 2>&1) && awk -f tests/variants/call_edges.awk "$T/cg.out"
}
steady() {	# steady EXE: "CALLER CALLEE CALLS" the N more round trips of a 2N run made
	edges "$1" $N >"$T/c1" && edges "$1" $((2 * N)) >"$T/c2" &&
		awk 'NR == FNR { c[$1 " " $2] = $3; next } { print $1, $2, $3 - c[$1 " " $2] }' "$T/c1" "$T/c2"
}
# direct EXE: "CALLER CALLEE" for each direct call or jump of EXE's code
# to another function's entry (objdump names the target).
direct() {
	objdump -d --no-show-raw-insn "$1" | awk '/^[0-9a-f]+ <[^>]*>:$/ { f = substr($2, 2, length($2) - 3) }
		/\t(call|j[a-z]+) +[0-9a-f]+ <[^+>]*>$/ { t = substr($NF, 2, length($NF) - 2); if (t != f) print f, t }' | sort -u
}
instr() { bench/xkernel/callgrind.sh -q -n 300 "$1" | awk '{ print $2 }'; }
rt=$((N + N / 10))	# the 2N run's loop has N + N/10 more round trips

# members EXE PROFILE: "PATH KIND FN SYMBOL CLONE" per path root and layer
# (KIND root or layer; CLONE: the clone made for PATH, "-" if none; SYMBOL
# "-" if the function is missing).
members() {
	"$BUILD"/bin/olayout paths --profile "$2" "$1" 2>/dev/null | awk '
		$1 == "path" { p = $2 }
		$1 == "root" || $1 == "layer" { c = "-"
			for (i = 8; i < NF; i++) if ($i == "clone") c = $(i + 1)
			print p, $1, $2, ($3 == "missing" ? "-" : $3), c }'
}
# layer_calls PATH SYMBOL CLONE MEMBERS EDGES DIRECT: "CLONE ORIGINAL POINTER":
# the calls the code of PATH's members (each one's clone, or itself) made
# to CLONE and to SYMBOL, and "yes" when no member of PATH calls or jumps
# to SYMBOL directly in the input (DIRECT), "no" else.
layer_calls() {
	awk -v p="$1" -v s="$2" -v c="$3" '
		FILENAME == ARGV[1] { if ($1 == p && $4 != "-") { code[$5 == "-" ? $4 : $5] = 1; m[$4] = 1 }; next }
		FILENAME == ARGV[2] { if ($1 in code) { if ($2 == c) n += $3; if ($2 == s) o += $3 }; next }
		$1 in m && $2 == s { d = 1 }
		END { print n + 0, o + 0, d ? "no" : "yes" }' "$4" "$5" "$6"
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
		steady "$exe" >"$T/edges.$v"
		awk '{ n[$2] += $3 } END { for (f in n) print f, n[f] }' "$T/edges.$v" >"$T/calls.$v"
		members "$exe" "$profile" >"$T/members.$v"
		direct "$input" >"$T/direct.$v"
		awk '$2 == "root"' "$T/members.$v" >"$T/roots.$v"
		is "$(wc -l <"$T/roots.$v")" "$npaths" "$stack $v: olayout paths names a root for each of the profile's $npaths paths"
		while read -r path _ root sym clone; do
			got=$(awk -v s="$sym" -v c="$clone" '$1 == c { n = $2 } $1 == s { o = $2 }
				END { print n + 0, o + 0 }' "$T/calls.$v")
			ok "$stack $v: path $path's root $root ($sym) runs as its clone $clone, the original not (calls in $rt round trips: $got)" \
				eval "[ '$sym' != - ] && [ '$clone' != - ] && awk -v rt=$rt '{ exit !(\$1 >= rt && \$2 == 0) }' <<<'$got'"
		done <"$T/roots.$v"
		while read -r path _ layer sym clone; do
			read -r n o pointer < <(layer_calls "$path" "$sym" "$clone" "$T/members.$v" "$T/edges.$v" "$T/direct.$v")
			ok "$stack $v: path $path's layer $layer ($sym) is entered by the path as its clone $clone (calls from the path's code in $rt round trips: clone $n, original $o; reached only through a pointer: $pointer)" \
				test "$o" = 0 -o "$pointer" = yes
		done < <(awk '$2 == "layer" && $5 != "-"' "$T/members.$v")
		a=$(instr "$exe") b=$(instr "$input")
		ok "$stack $v: as many instructions per round trip as its input ($a, input $b)" \
			awk -v a="$a" -v b="$b" 'BEGIN { exit !(a != "" && a <= b * 1.001) }'
	done < <(awk '$1 == "variant" && $2 ~ /^(CLO|ALL)$/' "$list")
done
echo "1..$tap_n"
done_testing
