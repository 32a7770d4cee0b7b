#!/usr/bin/env bash
# seed_ran.t - a cold seed that dominates a block that ran is no seed: the
# profile says its line never ran, but nothing after it runs without it
# (the trained build had folded its code into another line's: gawk's
# is_mpg_float test in format_tree). Taken as a seed, its region's blocks
# without lines (the digit loop's latch) got count zero between blocks
# that ran, and GCC sent the whole loop to .cold (gawk: 8 M instructions a
# run in format_tree.cold). A seed whose region never ran still outlines.
# (The same rule holds for a seed that post-dominates a block that ran:
# tests/variants/cold.t, tcp_maybe_free's closing brace.)
. tests/plugin/lib.sh

SRC=$PROGS/seedloop.c
line() { grep -n "$1" "$SRC" | cut -d: -f1; }
next() { echo $(($(line "$1") + 1)); }
head="olayout-profile 2\nfunction digits 1000 50000\n"
seed="cold-line seedloop.c:$(line SEED-LINE)\ncold-line seedloop.c:$(next SEED-LINE)\n"
loop="seedloop.c:$(line LOOP-LINE) seedloop.c:$(next LOOP-LINE) seedloop.c:$(line COND-LINE)"
# folded: the loop after the seed ran (the line before it is left out: the
# seed, on every way out of that line, would be dropped for that alone);
# cold: nothing after the entry ran
{ printf "$head$seed" && printf 'line %s 9000\n' $loop; } >"$WORK/folded.prof"
{ printf "$head" && printf "cold-line seedloop.c:$(line NEG-LINE)\n$seed" &&
  printf 'cold-line %s\n' $loop; } >"$WORK/cold.prof"

plan 6

$CC -O2 -o "$WORK/base" "$SRC" || bail_out "cannot build $SRC without the plugin"
for p in folded cold; do
	mapfile -t pargs < <(plugin_args profile="$WORK/$p.prof" verbose)
	ok "$p: builds" $CC -O2 "${pargs[@]}" -o "$WORK/$p" "$SRC" 2>"$WORK/verbose.$p"
done
ok "folded: verbose says the seed is on the way to a block that ran" \
	grep -qE '^olayout: digits: block [0-9]+ is on every way into or out of block [0-9]+, which ran: not a seed$' "$WORK/verbose.folded"
is "$(cold_parts "$WORK/folded")" "" "folded: the digit loop stays hot (no .cold part)"
is "$(cold_parts "$WORK/cold")" "digits" "cold: the seed's region never ran and is outlined (digits.cold)"
is "$("$WORK/folded")" "$("$WORK/base")" "same output"

done_testing
