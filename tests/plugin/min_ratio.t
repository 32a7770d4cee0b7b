#!/usr/bin/env bash
# min_ratio.t - min-ratio=R (issue #11's frequency-aware inlining): on the
# layered stack of progs/layers, whose path root app_send ran 200 times in
# training and called tcp_push 100 times (0.5 per run of the root), the
# crossing app_send -> tcp_push is inlined with min-ratio below 0.5 and
# kept, with the reason in verbose and in the report, above it. The output
# is the same either way.
. tests/plugin/lib.sh
L=$PROGS/layers

{
	grep -v '^edge ' "$L/layers.prof"
	printf 'edge main app_send 200\nedge app_send tcp_push 100\nedge tcp_push ip_push 100\n'
	printf 'edge ip_push eth_push 110\nedge eth_push drv_send 210\n'
} >"$WORK/low.prof"
cp "$WORK/low.prof" "$WORK/high.prof"

plan 7
$CC -O2 -o "$WORK/plain" "$L/onefile.c" || bail_out "cannot build layers"
want=$("$WORK/plain" 100)

plugin_build "$L/onefile.c" low min-ratio=0.4 report="$WORK/low.report"
ok "min-ratio=0.4: app_send -> tcp_push (0.5 a run of the root) is inlined" \
	grep -q "^path tcp_send inlined app_send tcp_push: indirect call, guarded$" "$WORK/low.report"
plugin_build "$L/onefile.c" high min-ratio=0.6 report="$WORK/high.report"
why="it ran 100 times per 200 runs of the root in training (min-ratio 0.6)"
ok "min-ratio=0.6: it is kept, the report says why" \
	grep -qF "path tcp_send not promoted app_send tcp_push: $why" "$WORK/high.report"
ok "min-ratio=0.6: verbose says why" grep -qF "app_send -> tcp_push not promoted: $why" "$WORK/verbose.high"
is "$("$WORK/low" 100)" "$want" "min-ratio=0.4: the output is the plain build's"
is "$("$WORK/high" 100)" "$want" "min-ratio=0.6: so is this one's"
done_testing
