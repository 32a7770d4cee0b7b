#!/usr/bin/env bash
# and_seed.t - branch seeds in an && chain on one line (progs/and_seed.c):
# the training build's one jump at the line, never falling through to the
# next test, maps exactly onto the chain's tests (its exits' locations fit
# each), so it may be any one's. Whichever it is, the deepest test's way
# on never ran: the call there goes to chain.cold, although its line ran.
# With the entry's fall-through moved to a line that starts neither exit
# (no exact mapping) it stays in line.
. tests/plugin/lib.sh
need_tool valgrind

SRC=$PROGS/and_seed.c
OLAYOUT=$BUILD/bin/olayout
need "$OLAYOUT"
CHAIN=$(marked_line "$SRC" "/* CHAIN */")
JOIN=$(marked_line "$SRC" "/* JOIN */")

plan 9

o1_profile "$SRC"
is "$(grep -cE "^branch [^ ]*and_seed.c:$CHAIN [^ ]*:$JOIN [^ ]*:$CHAIN [1-9][0-9]* 0$" "$WORK/b.prof")" 1 \
	"one jump at line $CHAIN: to the join, never on to the next test"
ok "the profile says line $CHAIN ran" grep -qE "^line [^ ]*and_seed.c:$CHAIN [1-9]" "$WORK/b.prof"
sed -E "s#^(branch [^ ]*:$CHAIN [^ ]*:$JOIN [^ ]*):$CHAIN #\\1:$((JOIN + 1)) #" "$WORK/b.prof" >"$WORK/e.prof"

plugin_build "$SRC" b outline-only
plugin_build "$SRC" e outline-only
ok "verbose names the branch seed below the chain's last test" \
	grep -qE "^olayout: chain: block [0-9]+ is a cold seed: training never took the way into it from block [0-9]+ \\(branch counts at [^ ]*and_seed.c:$CHAIN\\), although its line ran$" \
	"$WORK/verbose.b"
is "$(cold_parts "$WORK/b")" "chain" "the call is outlined (chain.cold)"
is "$(cold_parts "$WORK/e")" "" "no exact mapping: it stays in line (no .cold part)"
is "$("$WORK/b" 2>/dev/null)" "$("$WORK/train" 2>/dev/null)" "same output"

done_testing
