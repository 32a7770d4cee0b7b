#!/usr/bin/env bash
# loops.t - the loops pass (plugin/loops.cc) on progs/loops.c: the path
# ping -> sum_words has a loop of 3 to 5 trips a call (4 on average) and
# one that runs about once a call. With an `olayout profile` of an -O1
# build (its branch entries) the first is unrolled 4 times, the second
# left; on the same workload the build takes at least one conditional
# branch less per call (callgrind's jcnd counts, deterministic) than the
# same build with loops=off, and runs fewer instructions.
. tests/plugin/lib.sh
need_tool valgrind

SRC=$PROGS/loops.c
TRIPS=$(marked_line "$SRC" "/* TRIPS */") FOLD=$(marked_line "$SRC" "/* FOLD */")
CALLS=3000 # ping's runs (loops.c's default)
OLAYOUT=$BUILD/bin/olayout
need "$OLAYOUT"

# counts EXE: "INSTRUCTIONS TAKEN_CONDITIONAL_BRANCHES" of a run of EXE.
counts() {
	valgrind --tool=callgrind --collect-jumps=yes --dump-instr=yes \
		--callgrind-out-file="$1.cg" "$1" >/dev/null 2>&1 || return 1
	awk '/^summary:/ { ir = $2 } /^jcnd=/ { split(substr($1, 6), c, "/"); t += c[1] }
	     END { print ir, t }' "$1.cg"
}

plan 12
$CC -O1 -g -Wl,--emit-relocs -o "$WORK/train" "$SRC" || bail_out "cannot build $SRC -O1"
ok "olayout profile of the -O1 build" \
	sh -c '"$1" profile -o "$2" -- "$3" >/dev/null 2>&1' sh "$OLAYOUT" "$WORK/on.prof" "$WORK/train"
echo "path p ping sum_words" >>"$WORK/on.prof"
cp "$WORK/on.prof" "$WORK/off.prof"

plugin_build "$SRC" on
plugin_build "$SRC" off loops=off
ok "verbose: the loop of 4 trips a call is unrolled 4 times" \
	grep -qE "loops: sum_words: loop at [^ ]*loops.c:$TRIPS, 4.00 trips per entry: unroll 4$" \
	"$WORK/verbose.on"
ok "verbose: the loop of about 1 trip is left" \
	grep -qE "loops: sum_words: loop at [^ ]*loops.c:$FOLD: fewer than 2 trips per entry$" \
	"$WORK/verbose.on"
ok "loops=off: no loops pass" sh -c '! grep -q "loops:" "$1"' sh "$WORK/verbose.off"
# 17 more entries at the loop's exit test, each with both exits outside the
# loop (they say nothing), sorted before the trained ones: every entry at
# the test is read, not the first 16 (which left "no branch entry").
loc=$(awk -v l=":$TRIPS" '$1 == "branch" && substr($2, length($2) - length(l) + 1) == l { print $2; exit }' \
	"$WORK/on.prof")
{ cat "$WORK/on.prof"; for i in $(seq 17); do echo "branch $loc a.c:$i a.c:$((i + 100)) 1 1"; done; } >"$WORK/many.prof"
plugin_build "$SRC" many
ok "verbose: with 17 more entries at its test the loop is still unrolled 4 times" \
	grep -qE "loops: sum_words: loop at [^ ]*loops.c:$TRIPS, 4.00 trips per entry: unroll 4$" \
	"$WORK/verbose.many"
read -r on_ir on_taken < <(counts "$WORK/on") || bail_out "callgrind failed on $WORK/on"
read -r off_ir off_taken < <(counts "$WORK/off") || bail_out "callgrind failed on $WORK/off"
diag "unrolled: $on_ir instructions, $on_taken taken conditional branches; loops=off: $off_ir, $off_taken"
ok "at least one taken conditional branch less per call" test "$on_taken" -le $((off_taken - CALLS))
ok "fewer instructions" test "$on_ir" -lt "$off_ir"
want=$("$WORK/train")
is "$("$WORK/on")" "$want" "unrolled: the output is the -O1 build's"
is "$("$WORK/off")" "$want" "loops=off: so is this one's"
done_testing
