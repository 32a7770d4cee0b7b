#!/usr/bin/env bash
# path_cold.t - after inlining, the body holding a path (progs/pathcold.c,
# inline-only, without and with -flto): a helper GCC's IPA inliner copied
# into the path's root brings its never-run branch (a cold-line) along,
# and that branch leaves the root's hot part (root.cold) as the root's own
# never-run blocks do; the root goes to .text.hot (the roots together, away
# from the linker's order); the program prints the same.
. tests/plugin/lib.sh

SRC=$PROGS/pathcold.c
line=$(grep -n 'COLD-LINE' "$SRC" | cut -d: -f1)
printf 'olayout-profile 1\npath p app_send low_push\ncold-line pathcold.c:%s\n' "$line" >"$WORK/p.prof"
mapfile -t pargs < <(plugin_args profile="$WORK/p.prof" inline-only verbose)

# part_calls EXE PART CALLEE: the function PART (exactly) calls CALLEE.
part_calls() {
	objdump -d --no-show-raw-insn "$1" |
		awk -v fn="<$2>:" '/^[0-9a-f]+ <.*>:$/ { on = ($2 == fn); next } on' |
		grep -qE "call +[0-9a-f]+ <$3[@>]"
}

plan 10

for mode in nolto lto; do
	flags=(-O2)
	[ $mode = lto ] && flags+=(-flto)
	base=$WORK/base.$mode plug=$WORK/plug.$mode
	$CC "${flags[@]}" -o "$base" "$SRC" || bail_out "$mode: cannot build $SRC without the plugin"
	ok "$mode: builds with the plugin (inline-only)" \
		$CC "${flags[@]}" "${pargs[@]}" -o "$plug" "$SRC" 2>"$WORK/verbose.$mode"
	is "$("$plug" 300 2>&1)" "$("$base" 300 2>&1)" "$mode: same output"
	ok "$mode: without the plugin app_send holds the helper's error branch (calls fprintf)" \
		part_calls "$base" app_send fprintf
	ok "$mode: the helper's never-run branch left the root: app_send.cold calls fprintf, app_send not" \
		eval 'part_calls "$plug" app_send.cold fprintf && ! part_calls "$plug" app_send fprintf'
done
ok "verbose says the root is hot" grep -qF "app_send: a path's root: hot (.text.hot)" "$WORK/verbose.lto"

$CC -O2 -ffunction-sections "${pargs[@]}" -c -o "$WORK/p.o" "$SRC" 2>/dev/null
ok "the root is in .text.hot.app_send" eval 'readelf -SW "$WORK/p.o" | grep -qF ".text.hot.app_send"'
done_testing
