#!/usr/bin/env bash
# block_uncounted.t - block-order=exttsp on a function where GCC leaves
# blocks of the trained partition without a count (progs/uncounted.c:
# sqlite3VdbeExec's `if (c) goto jump_to_p2;` after an inlined test with
# three returns). Such a block counts what its incoming edges bring, and
# the function is ordered by ext-TSP; it used to keep GCC's order ("a
# block has no count"), which left sqlite3's interpreter loop unordered.
. tests/plugin/lib.sh

SRC=$PROGS/uncounted.c
marked_profile "$SRC" run 1000 'ENTRY \*/=1000' 'LOOP \*/=64000' 'HOT \*/=40000' 'TAIL \*/=1000' >"$WORK/u.prof"

plan 5
$CC -O2 -o "$WORK/plain" "$SRC" || bail_out "cannot build $SRC"
plugin_build "$SRC" u block-order=exttsp fdo=late outline-only
ok "verbose: blocks of run without a count, counted from their edges" \
	grep -qE '^olayout: block-order: run: [0-9]+ blocks without a count, counted from their incoming edges$' \
	"$WORK/verbose.u"
ok "verbose: run ordered by ext-TSP" \
	grep -qE '^olayout: block-order: run: [0-9]+ blocks ordered by ext-TSP \(score [0-9]+, GCC.s [0-9]+\)$' \
	"$WORK/verbose.u"
ok "verbose: no function keeps GCC's order for a block without a count" \
	bash -c "! grep -q 'no count' '$WORK/verbose.u'"
is "$("$WORK/u" 50)" "$("$WORK/plain" 50)" "same output"
done_testing
