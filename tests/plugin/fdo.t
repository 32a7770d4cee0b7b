#!/usr/bin/env bash
# fdo.t - the fdo pass on progs/fdo.c: the side of a branch that ran most
# in training is laid out as the fall-through, where GCC's static guess
# (fdo=off) lays out the other side; the output stays the same.
. tests/plugin/lib.sh

SRC=$PROGS/fdo.c
line() { grep -n "$1" "$SRC" | cut -d: -f1; }
printf 'olayout-profile 2\nfunction classify 1010 20000\nline fdo.c:%s 1010\nline fdo.c:%s 10\nline fdo.c:%s 1000\n' \
	"$(line BRANCH)" "$(line ZERO)" "$(line OTHER)" >"$WORK/f.prof"

plan 7

$CC -O2 -o "$WORK/base" "$SRC" || bail_out "cannot build $SRC without the plugin"
is "$(first_call "$WORK/base" classify)" on_zero "without the plugin GCC guesses on_zero's side falls through"
for fdo in on off; do
	mapfile -t pargs < <(plugin_args profile="$WORK/f.prof" fdo=$fdo verbose)
	ok "fdo=$fdo: builds" $CC -O2 "${pargs[@]}" -o "$WORK/f.$fdo" "$SRC" 2>"$WORK/verbose.$fdo"
done
is "$(first_call "$WORK/f.on" classify)" on_other "fdo=on: on_other's side (ran 1000 of 1010 times) falls through"
is "$(first_call "$WORK/f.off" classify)" on_zero "fdo=off: GCC's guess stays"
ok "fdo=on: verbose says the branch took trained probabilities" \
	grep -qF 'classify: 3 of 4 blocks have training counts; 1 branches take trained probabilities' \
	"$WORK/verbose.on"
is "$("$WORK/f.on")" "$("$WORK/base")" "same output"

done_testing
