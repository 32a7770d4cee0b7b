#!/usr/bin/env bash
# block_flow.t - block-profile=FILE on progs/arms.c: a block none of whose
# instructions has a location of its own (the `ret` after work's loop) has
# no block entry. Flow conservation counts it: its one predecessor, the
# loop's exit test, leaves the loop once per call of work (the block's
# count less the back edge's, which the loop head's entry gives), so the
# `ret` ran once. GCC's count, scaled to the entries, says 0 (the fallback,
# which verbose names per block where flow cannot decide).
. tests/plugin/lib.sh
need_tool valgrind

OLAYOUT=$BUILD/bin/olayout
need "$OLAYOUT"
SRC=$PROGS/arms.c
N=100000
marked_profile "$SRC" work 1 'ENTRY \*/=1' 'HOT \*/=100000' 'MACRO \*/=100000' >"$WORK/lines.prof"
mapfile -t order < <(plugin_args profile="$WORK/lines.prof" block-order=exttsp verbose)

# build NAME [OPTION...]: SRC -O2 -g with the line profile, ext-TSP and
# OPTIONs into WORK/NAME (verbose in WORK/verbose.NAME); one test.
build() {
	local name=$1 opt
	shift
	mapfile -t opt < <(for o in "$@"; do printf '%s\n' "-fplugin-arg-olayout-$o"; done)
	ok "$name: builds" sh -c '"$@" 2>"$0"' "$WORK/verbose.$name" \
		$CC -O2 -g -Wl,--emit-relocs "${order[@]}" "${opt[@]}" -o "$WORK/$name" "$SRC"
}

plan 7
build lines block-ids
ok "olayout profile --blocks of its run" \
	sh -c '"$1" profile --blocks -o "$2" -- "$3" "$4" >/dev/null 2>&1' sh "$OLAYOUT" "$WORK/b.prof" "$WORK/lines" $N
build blocks block-profile="$WORK/b.prof"
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
