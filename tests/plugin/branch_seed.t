#!/usr/bin/env bash
# branch_seed.t - the outline pass's branch seeds (profile version 5) on
# progs/branch_seed.c: scale's report of a negative value shares its line
# with the test, which ran, so by line counts the report ran too and stays
# in line. olayout profile of an -O1 build gives the test's `branch`
# entry, whose taken side (the report) never ran: with it the report is a
# cold seed and goes to scale.cold; with the same profile less its branch
# entries it does not.
. tests/plugin/lib.sh
need_tool valgrind

SRC=$PROGS/branch_seed.c
OLAYOUT=$BUILD/bin/olayout
need "$OLAYOUT"
BRANCH=$(grep -n BRANCH "$SRC" | cut -d: -f1)

plan 8

o1_profile "$SRC"
ok "the profile says line $BRANCH ran" grep -qE "^line [^ ]*branch_seed.c:$BRANCH [1-9]" "$WORK/b.prof"
grep -v '^branch ' "$WORK/b.prof" | sed 's/^olayout-profile 5$/olayout-profile 4/' >"$WORK/l.prof"

plugin_build "$SRC" b outline-only
plugin_build "$SRC" l outline-only
ok "with branch entries: verbose names the branch seed" \
	grep -qE "^olayout: scale: block [0-9]+ is a cold seed: training never took the way into it from block [0-9]+ \\(branch counts at [^ ]*branch_seed.c:$BRANCH\\), although its line ran$" \
	"$WORK/verbose.b"
is "$(cold_parts "$WORK/b")" "scale" "with branch entries: the report is outlined (scale.cold)"
is "$(cold_parts "$WORK/l")" "" "with line counts alone: it stays in line (no .cold part)"
is "$("$WORK/b" 2>/dev/null)" "$("$WORK/train" 2>/dev/null)" "same output"

done_testing
