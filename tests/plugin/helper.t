#!/usr/bin/env bash
# helper.t - a path's hot helper with inline-only (progs/helper.c): the
# helper peek, which the path's layer calls on every run, is outlined as
# the path's own functions are (peek.cold: its never-run gather branch),
# and its copy into the path counts only what stays hot: GCC's estimate
# less gather, which GCC inlined where it never runs (+7 instructions, not
# +40: copied under max-growth=30). The library function cksum and the
# helper's out-of-line copy, called on every run of the path, go to
# .text.hot beside the root. Same output, the gather branch run too.
# -fno-partial-inlining: GCC's function splitting would otherwise take
# gather out of peek by itself.
. tests/plugin/lib.sh

SRC=$PROGS/helper.c
line=$(grep -n 'GATHER-LINE' "$SRC" | cut -d: -f1)
{
	printf 'olayout-profile 1\npath p send_path layer_push\nlibrary cksum\n'
	printf 'edge main send_path 1000\nedge send_path layer_push 1000\nedge layer_push peek 1000\n'
	printf 'edge layer_push cksum 1000\nedge main other_user 1000\nedge other_user peek 1000\n'
	printf 'cold-line helper.c:%s\n' "$line"
} >"$WORK/p.prof"
mapfile -t pargs < <(plugin_args profile="$WORK/p.prof" inline-only max-growth=30 verbose \
	report="$WORK/report")
flags=(-O2 -fno-partial-inlining)

plan 7

$CC "${flags[@]}" -o "$WORK/base" "$SRC" || bail_out "cannot build $SRC without the plugin"
ok "builds with the plugin (inline-only)" $CC "${flags[@]}" "${pargs[@]}" -o "$WORK/plug" "$SRC" \
	2>"$WORK/verbose"
is "$("$WORK/plug" 300 gather)" "$("$WORK/base" 300 gather)" "same output (the gather branch runs once)"
ok "the hot helper's never-run branch is outlined (peek.cold)" eval \
	'nm "$WORK/plug" | grep -qE " t peek\.cold$"'
ok "report: peek copied into the path, its growth without the never-run gather" \
	grep -qE '^path p inlined layer_push peek: hot helper, \+([0-9]|[12][0-9]) instructions$' "$WORK/report"
ok "verbose: cksum is hot" grep -qF "cksum: a path's hot helper or library function: hot (.text.hot)" \
	"$WORK/verbose"
$CC "${flags[@]}" -ffunction-sections "${pargs[@]}" -c -o "$WORK/p.o" "$SRC" 2>/dev/null
ok "the library function the path calls on every run is in .text.hot.cksum" eval \
	'readelf -SW "$WORK/p.o" | grep -qF ".text.hot.cksum"'
ok "the helper's out-of-line copy is in .text.hot.peek" eval \
	'readelf -SW "$WORK/p.o" | grep -qF ".text.hot.peek"'
done_testing
