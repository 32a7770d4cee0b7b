#!/usr/bin/env bash
# cold_loop.t - cold-runs=N around a hot loop in a function entered
# rarely (progs/braid.c, shaped like zlib's crc32_z: 100 calls, a loop
# run 204000 times): the rare code before and after the loop is outlined,
# the loop stays in the hot body. Seeded blocks after the loop got count
# zero, GCC's passes carried the zero into the loop, and bbpart sent the
# whole running body to sum.cold (zlib: all of crc32_z's 6.9 M
# instructions ran in crc32_z.cold); the revive pass (the last GIMPLE
# pass: a block entered from blocks that run gets their count) keeps it.
# The tail after the loop runs on every call (the way on), but leads to no
# hot code: it is outlined all the same.
. tests/plugin/lib.sh

SRC=$PROGS/braid.c
marked_profile "$SRC" sum 100 'ENTRY=100' 'ALIGN\|TAIL=300' 'COMBINE=3200' 'LOOP=204000' 'NEVER=cold' >"$WORK/braid.prof"
body=$(marked_lines "$SRC" 'LOOP \*/')

plan 7
$CC -O2 -o "$WORK/plain" "$SRC" || bail_out "cannot build $SRC"
mapfile -t pargs < <(plugin_args profile="$WORK/braid.prof" verbose cold-runs=4096)
ok "braid: builds with cold-runs=4096" $CC -O2 -g "${pargs[@]}" -o "$WORK/braid" "$SRC" 2>"$WORK/verbose.braid"
ok "verbose: the blocks after the loop are seeds" \
	grep -qE '^olayout: sum: block [0-9]+ is a cold seed: it ran (100|300|3200) times in 1 training runs \(cold-runs 4096\)$' "$WORK/verbose.braid"
is "$(cold_parts "$WORK/braid")" "sum" "the rare code is outlined (sum.cold)"
is "$(comm -12 <(echo "$body") <(src_lines "$WORK/braid" sum.cold "$SRC") | tr '\n' ' ')" "" \
	"none of the loop body's lines is in sum.cold"
is "$(comm -12 <(echo "$body") <(src_lines "$WORK/braid" sum "$SRC") | tr '\n' ' ')" "$(echo $body) " \
	"the loop body's lines are all in sum"
ok "the byte tail after the loop (on the way on, but to no hot code) is in sum.cold" \
	test -n "$(comm -12 <(marked_lines "$SRC" 'TAIL') <(src_lines "$WORK/braid" sum.cold "$SRC"))"
is "$("$WORK/braid" 20)" "$("$WORK/plain" 20)" "same output"
done_testing
