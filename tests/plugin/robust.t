#!/usr/bin/env bash
# robust.t - code the plugin cannot transform (progs/odd.c: noinline,
# recursive and variadic layers, an indirect call with other arguments,
# setjmp, a section attribute, unknown names) builds without and with
# -flto, prints the same, and verbose mode says why each thing was skipped.
. tests/plugin/lib.sh

SRC=$PROGS/odd.c
plan 10
mapfile -t pargs < <(plugin_args profile="$PROGS/odd.prof" verbose)
for mode in nolto lto; do
	flags=(-O2)
	[ $mode = lto ] && flags+=(-flto)
	$CC "${flags[@]}" -o "$WORK/base.$mode" "$SRC" || bail_out "$mode: cannot build $SRC without the plugin"
	ok "$mode: builds (no internal compiler error)" \
		$CC "${flags[@]}" "${pargs[@]}" -o "$WORK/plug.$mode" "$SRC" 2>"$WORK/verbose.$mode"
	is "$("$WORK/plug.$mode" 30)" "$("$WORK/base.$mode" 30)" "$mode: same output"
	ok "$mode: a function with a section attribute is not split" eval \
		'nm "$WORK/plug.$mode" | grep -q " in_section$" && ! nm "$WORK/plug.$mode" | grep -q "in_section\.cold"'
done
for why in "path p_noinline: kept root_noinline -> leaf (it is noinline or not inlinable)" \
	"path p_arity: not promoted root_arity -> leaf (the argument count differs)" \
	"in_section: 1 of 3 blocks cold; GCC will not split it: it has a section attribute" \
	"root no_such_root is not defined here"; do
	ok "verbose: $why" grep -qF "$why" "$WORK/verbose.nolto"
done
done_testing
