#!/usr/bin/env bash
# block_flow.t - block-profile=FILE on progs/arms.c: a block none of whose
# instructions has a location of its own (the `ret` after work's loop) has
# no block entry. Flow conservation counts it from its neighbours' entries
# (the loop's exit test runs once per trip, its way back into the loop
# once per trip but the last): once, as work ran. GCC's count, scaled to
# the entries, says 0 (the fallback where flow cannot decide).
. tests/plugin/lib.sh
need_tool valgrind

arms_setup

plan 7
arms_build lines block-ids
arms_blocks "$WORK/b.prof" "$WORK/lines"
arms_build blocks block-profile="$WORK/b.prof"
ok "verbose: work's one block without an entry counted by flow" grep -qE \
	"^olayout: block-order: work: counts from [0-9]+ block entries \(1 blocks without one: 1 by flow, 0 GCC's, scaled\)$" \
	"$WORK/verbose.blocks"
note=$(grep -E "^olayout: block-order: work: block [0-9]+ \(no entry\): " "$WORK/verbose.blocks")
is "$(sed -E 's/.*: block [0-9]+ \(no entry\): //' <<<"$note")" "1, by flow" \
	"the ret after the loop ran once, as work did (GCC's count, scaled: 0)"
id=$(sed -E 's/.*: block ([0-9]+) .*/\1/' <<<"$note")
ok "block $id has no row in the line table: no entry for it" \
	eval '[ -n "$id" ] && ! grep -qE "^block work $id " "$WORK/b.prof"'
is "$("$WORK/blocks" 5000)" "$("$WORK/lines" 5000)" "same output"
done_testing
