#!/usr/bin/env bash
# cold_return.t - cold-runs=N in a decoder entered rarely (progs/resume.c,
# shaped like xz's lzma_decode: 100 calls, an inlined helper whose loop
# runs 500 times, a resume switch into a loop run 200000 times). Two rules
# keep the decoder's body counted: rare blocks are outlined only in a
# function with a block that ran N times (the helper has none: its loop
# header, a seed above its returns, made it never return, and once inlined
# GCC counted the decoder's whole body zero), and a rarely run PHI argument
# is no error return when its line ran at least half as often as the edge's
# block (the switch's case edges, whose values load on the switch's line).
# Without either, GCC took decode for never executed and put it whole in
# .text.unlikely (xz: lzma_decode compiled for size, 11.6 KB instead of 14).
. tests/plugin/lib.sh

SRC=$PROGS/resume.c
marked_profile "$SRC" decode 100 'ENTRY=100' 'INIT=500' 'LOOP=200000' 'NEVER=cold' >"$WORK/resume.prof"
loop=$(marked_lines "$SRC" 'LOOP \*/')

plan 8
$CC -O2 -o "$WORK/plain" "$SRC" || bail_out "cannot build $SRC"
CC="$CC -g" plugin_build "$SRC" resume cold-runs=4096
mapfile -t pargs < <(plugin_args profile="$WORK/resume.prof" cold-runs=4096)
ok "verbose: the helper has no block that ran 4096 times: its rare blocks stay" \
	grep -qxF 'olayout: init: no block ran 4096 times: its rare blocks stay in line' "$WORK/verbose.resume"
ok "verbose: no case edge of the switch is an error return" \
	bash -c "! grep -qE 'decode: edge [0-9]+->[0-9]+ never ran \(error return\): its line ran 100 times' '$WORK/verbose.resume'"
ok "resume.o: decode has a hot part (.text.decode), not all in .text.unlikely" \
	bash -c "$CC -O2 -g -ffunction-sections -c $(printf '%q ' "${pargs[@]}") -o '$WORK/resume.o' '$SRC' 2>/dev/null &&
		readelf -SW '$WORK/resume.o' | grep -qF ' .text.decode '"
is "$(comm -12 <(echo "$loop") <(src_lines "$WORK/resume" decode.cold "$SRC") | tr '\n' ' ')" "" \
	"none of the loop's lines is in decode.cold"
is "$(comm -12 <(echo "$loop") <(src_lines "$WORK/resume" decode "$SRC") | tr '\n' ' ')" "$(echo $loop) " \
	"the loop's lines are all in decode"
is "$(comm -12 <(marked_lines "$SRC" 'INIT \*/') <(src_lines "$WORK/resume" decode.cold "$SRC") | tr '\n' ' ')" "" \
	"the helper's loop stays in decode"
is "$("$WORK/resume" 20)" "$("$WORK/plain" 20)" "same output"
done_testing
