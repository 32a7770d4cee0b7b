#!/usr/bin/env bash
# confirm_seed.t - a cold-line seed the branch entries confirm
# (progs/confirm_seed.c): the -O1 build's line table counts the loop's
# line under a test that never took the way in, so by lines alone the
# seed above the loop is dropped (it dominates a block that ran) and
# opts keeps everything in line. With the test's `branch` entry the seed
# is confirmed, the loop's count is overruled, and both go to opts.cold.
. tests/plugin/lib.sh
need_tool valgrind

SRC=$PROGS/confirm_seed.c
OLAYOUT=$BUILD/bin/olayout
need "$OLAYOUT"
TEST=$(marked_line "$SRC" "/* TEST */")
HEAD=$(marked_line "$SRC" "/* HEAD */")
LOOP=$(marked_line "$SRC" "/* LOOP */")

plan 9

o1_profile "$SRC"
ok "the profile says line $LOOP ran" grep -qE "^line [^ ]*confirm_seed.c:$LOOP [1-9]" "$WORK/b.prof"
ok "... and line $HEAD never did" grep -qE "^cold-line [^ ]*confirm_seed.c:$HEAD$" "$WORK/b.prof"
grep -v '^branch ' "$WORK/b.prof" | sed 's/^olayout-profile 5$/olayout-profile 4/' >"$WORK/l.prof"

plugin_build "$SRC" b outline-only
plugin_build "$SRC" l outline-only
ok "with branch entries: verbose says the seed is confirmed" \
	grep -qE "^olayout: opts: block [0-9]+ \\(a cold seed: [^ ]*confirm_seed.c:$HEAD never ran \\(cold-line\\)\\) is confirmed: training never took the way into it from block [0-9]+ \\(branch counts at [^ ]*confirm_seed.c:$TEST\\); [1-9][0-9]* blocks it dominates never ran either" \
	"$WORK/verbose.b"
is "$(cold_parts "$WORK/b")" "opts" "with branch entries: the loop is outlined (opts.cold)"
is "$(cold_parts "$WORK/l")" "" "with line counts alone: it stays in line (no .cold part)"
is "$("$WORK/b" 2>/dev/null)" "$("$WORK/train" 2>/dev/null)" "same output"

done_testing
