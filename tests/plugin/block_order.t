#!/usr/bin/env bash
# block_order.t - block-order=exttsp on progs/dispatch.c: run's loop
# dispatches through a jump table to cases that ran often (HOT, WARM) or
# rarely (RARE); its tail (TAIL) runs once per call. GCC's bbro lays the
# tail out among the hot cases; the pass (ext-TSP on the trained counts)
# keeps the hot cases together and the tail out of them. The default
# (block-order=gcc) changes nothing; the output stays the same.
. tests/plugin/lib.sh

SRC=$PROGS/dispatch.c
marked_profile "$SRC" run 1000 'ENTRY \*/=1000' 'LOOP \*/=1000000' 'HOT \*/=250000' 'WARM \*/=125000' \
	'RARE \*/=1000' 'TAIL \*/=1000' >"$WORK/d.prof"

# tail_among_hot EXE: yes when an instruction from a TAIL line lies between
# run's first and last instruction from a HOT or WARM line, else no.
tail_among_hot() { among_hot "$1" run "$SRC" 'HOT \*/\|WARM \*/' 'TAIL \*/'; }

plan 9
$CC -O2 -o "$WORK/plain" "$SRC" || bail_out "cannot build $SRC"
# d.none, d.gcc, d.exttsp: built with -g (the lines of each instruction)
for order in none gcc exttsp; do
	opt=()
	[ $order = none ] || opt=(block-order=$order)
	cp "$WORK/d.prof" "$WORK/d.$order.prof"
	CC="$CC -g" plugin_build "$SRC" d.$order "${opt[@]}"
done
is "$(tail_among_hot "$WORK/d.gcc")" yes "GCC's order lays run's tail out among its hot cases"
is "$(tail_among_hot "$WORK/d.exttsp")" no "ext-TSP keeps run's hot cases together, the tail out of them"
ok "verbose: run ordered by ext-TSP, scoring more than GCC's order" \
	grep -qE '^olayout: block-order: run: [0-9]+ blocks ordered by ext-TSP \(score [0-9]+, GCC.s [0-9]+\)$' \
	"$WORK/verbose.d.exttsp"
ok "verbose: main, which did not run in training, keeps GCC's order" \
	grep -qF "olayout: block-order: main: kept GCC's order: it did not run in training" "$WORK/verbose.d.exttsp"
is "$(objdump -d "$WORK/d.gcc" | tail -n +3 | md5sum)" "$(objdump -d "$WORK/d.none" | tail -n +3 | md5sum)" \
	"block-order=gcc (the default) changes no code"
is "$("$WORK/d.exttsp" 50)" "$("$WORK/plain" 50)" "same output"
done_testing
