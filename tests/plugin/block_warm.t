#!/usr/bin/env bash
# block_warm.t - block-order=exttsp-warm on progs/opcodes.c, built as
# olayout-cc builds (fdo=late, switch-counts=on; cold-runs=4096 as
# bench/external does): op 2 ran 4000 times (RARE, below the rare count)
# but calls mix, a hot function, so the outline pass keeps it in line; it
# falls through into op 3's code, and ext-TSP (block-order=exttsp) lays it
# out there, among the hot cases. exttsp-warm moves it (and the other
# blocks that ran fewer than 4096 times) behind all the hot ones; the
# output stays the same.
. tests/plugin/lib.sh

SRC=$PROGS/opcodes.c
opcodes_profile 10 20000 4500 4000 >"$WORK/w.prof"

# rare_among_hot EXE: yes when an instruction from a RARE line lies between
# run's first and last instruction from a HOT line, else no.
rare_among_hot() { among_hot "$1" run "$SRC" 'HOT \*/' 'RARE \*/'; }

plan 8
$CC -O2 -o "$WORK/plain" "$SRC" || bail_out "cannot build $SRC"
for order in exttsp exttsp-warm; do
	cp "$WORK/w.prof" "$WORK/$order.prof"
	CC="$CC -g" plugin_build "$SRC" $order fdo=late switch-counts=on cold-runs=4096 block-order=$order
done
ok "verbose: the rare op stays in line (it calls mix, which ran often)" \
	grep -qE '^olayout: run: block [0-9]+ ran 4000 times in 1 training runs, but calls mix, which ran 51000 instructions' \
	"$WORK/verbose.exttsp"
is "$(rare_among_hot "$WORK/exttsp")" yes "ext-TSP lays the rare op out among the hot cases"
is "$(rare_among_hot "$WORK/exttsp-warm")" no "exttsp-warm lays it out after them"
ok "verbose: run's warm or never-run blocks after the hot ones" \
	grep -qE '^olayout: block-order: run: [1-9][0-9]* warm or never-run blocks \([0-9]+ of [0-9]+ bytes\) after the hot ones$' \
	"$WORK/verbose.exttsp-warm"
ok "verbose: plain exttsp moves none" bash -c '! grep -q "warm or never-run" "$1"' sh "$WORK/verbose.exttsp"
is "$("$WORK/exttsp-warm" 50)" "$("$WORK/plain" 50)" "same output"
done_testing
