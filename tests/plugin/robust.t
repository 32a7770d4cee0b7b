#!/usr/bin/env bash
# robust.t - code the plugin cannot transform (progs/odd.c: noinline,
# recursive and variadic layers, an indirect call with other arguments,
# setjmp, a section attribute, unknown names) builds without and with
# -flto, prints the same, is left as it was (the section's function not
# split, the noinline layer still called, the indirect call with other
# arguments not promoted), and verbose mode says why each thing was skipped.
. tests/plugin/lib.sh

SRC=$PROGS/odd.c
plan 14
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
	ok "$mode: the noinline leaf is still called, not inlined into root_noinline" eval \
		'disasm "$WORK/plug.$mode" root_noinline | grep -q "call .*<leaf>"'
	# a promoted call compares the pointer with one's address (<one>, or its GOT slot under -flto)
	ok "$mode: root_arity's indirect call is not promoted to one (other arguments): no guard" eval \
		'disasm "$WORK/plug.$mode" root_arity | grep -q "\*%" &&
		 ! disasm "$WORK/plug.$mode" root_arity | grep -qE "<one>|cmp "'
done
for why in "path p_noinline: kept root_noinline -> leaf (it is noinline or not inlinable)" \
	"path p_arity: not promoted root_arity -> one (the argument count differs)" \
	"in_section: 1 of 3 blocks cold; GCC will not split it: it has a section attribute" \
	"root no_such_root is not defined here"; do
	ok "verbose: $why" grep -qF "$why" "$WORK/verbose.nolto"
done
done_testing
