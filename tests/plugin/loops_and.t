#!/usr/bin/env bash
# loops_and.t - the loops pass (plugin/loops.cc) on a loop whose two exit
# tests share one line (progs/loops_and.c: `while (i < n && p[i] != k)`),
# with its branch entries given by hand: the test's iterations (2000) and
# exits (1000), and the test before the loop (entered 1000 times, each
# entry leaving once), which must not count as iterations. Read once: 3
# trips per entry, unroll 2. Read once per exit (the entries twice), the
# test before the loop was no longer recognised and counted: 4 trips,
# unroll 4.
. tests/plugin/lib.sh
SRC=$PROGS/loops_and.c
at() { echo "$SRC:$(marked_line "$SRC" "/* $1 */")"; }
plan 3
{
	echo "olayout-profile 5"
	echo "path p main find"
	echo "branch $(at AND) $(at BODY) $(at AFTER) 2000 1000"
	echo "branch $(at AND) $(at BODY) $(at BEFORE) 1000 0"
} >"$WORK/and.prof"
plugin_build "$SRC" and
ok "verbose: 3 trips per entry, unroll 2" \
	grep -qE "loops: find: loop at [^ ]*loops_and.c:[0-9]+, 3.00 trips per entry: unroll 2$" "$WORK/verbose.and" ||
	diag "$(grep 'loops:' "$WORK/verbose.and")"
is "$("$WORK/and")" 2 "the output is the same (7 found at 2)"
done_testing
