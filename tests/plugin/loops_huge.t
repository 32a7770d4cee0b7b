#!/usr/bin/env bash
# loops_huge.t - the loops pass (plugin/loops.cc) on a profile whose branch
# counts are huge: each count is below 2^64 (profiles/README.md), but the
# sums the pass takes of them (a loop's iterations, its exits, the two
# together) are not, and must never wrap. progs/loops.c's loop at TRIPS
# has one exit test; its branch entries, written by hand, give it
#   - one way with 2^64-1 iterations and 2^62 exits: 5 trips per entry
#     (iterations + exits is past 2^64), unrolled 4 times;
#   - two ways, each 2^63 iterations and 2^62 exits: 3 trips per entry
#     (the iterations add up to 2^64), unrolled 2 times.
# Wrapped, either would read as about 1 trip per entry and stay rolled.
. tests/plugin/lib.sh

SRC=$PROGS/loops.c
TRIPS=$(marked_line "$SRC" "/* TRIPS */")
# the loop's exit test, its way into the loop (line 17: `s += w`) and out of
# it (the FOLD loop after it, line 19; and 20, its body)
at=$SRC:$TRIPS in=$SRC:$((TRIPS + 2)) out=$SRC:$((TRIPS + 4)) out2=$SRC:$((TRIPS + 5))

plan 4
printf 'olayout-profile 5\npath p ping sum_words\nbranch %s %s %s %s %s\n' \
	"$at" "$in" "$out" 18446744073709551615 4611686018427387904 >"$WORK/one.prof"
plugin_build "$SRC" one
ok "one way, 2^64-1 iterations and 2^62 exits: 5 trips per entry, unrolled 4 times" \
	grep -qE "loops: sum_words: loop at [^ ]*loops.c:$TRIPS, 5.00 trips per entry: unroll 4$" \
	"$WORK/verbose.one" || diag "$(grep loops: "$WORK/verbose.one")"
printf 'olayout-profile 5\npath p ping sum_words\nbranch %s %s %s %s %s\nbranch %s %s %s %s %s\n' \
	"$at" "$in" "$out" 9223372036854775808 4611686018427387904 \
	"$at" "$in" "$out2" 9223372036854775808 4611686018427387904 >"$WORK/two.prof"
plugin_build "$SRC" two
ok "two ways, 2^63 iterations and 2^62 exits each: 3 trips per entry, unrolled 2 times" \
	grep -qE "loops: sum_words: loop at [^ ]*loops.c:$TRIPS, 3.00 trips per entry: unroll 2$" \
	"$WORK/verbose.two" || diag "$(grep loops: "$WORK/verbose.two")"
done_testing
