#!/usr/bin/env bash
# path_inline.t - the path-inline pass on the layered stack of progs/layers:
# one file, and several files with -flto (plugin at link time). The path's
# root calls no path function any more (its layer crossings through function
# pointers became guarded inlined copies), other callers keep the
# out-of-line functions, library functions are inlined where GCC alone
# inlines them (a library mark costs no instructions), and the program
# prints the same. Each guard is one compare of the pointer with its layer
# and a jne forward to the general call (guards.awk): the inlined copy is
# the fall-through. Several
# files without -flto: nothing can be inlined across files; same output.
. tests/plugin/lib.sh

L=$PROGS/layers
PROF=$L/layers.prof
FILES=(lib app tcp udp ip eth main)
PATH_FNS='tcp_push|ip_push|eth_push|drv_send'

# build_multi OUT FLAGS...: compiles each file, then links them.
build_multi() {
	local out=$1 f objs=(); shift
	for f in "${FILES[@]}"; do
		$CC "$@" -c -o "$out.$f.o" "$L/$f.c" || return 1
		objs+=("$out.$f.o")
	done
	$CC "$@" -o "$out" "${objs[@]}"
}

calls() { disasm "$1" "$2" | grep -E "call +[0-9a-f]+ <($3)[>.]"; }

plan 30
mapfile -t pargs < <(plugin_args profile="$PROF" verbose)

for mode in onefile lto; do
	base=$WORK/base.$mode plug=$WORK/plug.$mode
	if [ $mode = onefile ]; then
		$CC -O2 -o "$base" "$L/onefile.c" || bail_out "$mode: cannot build without the plugin"
		ok "$mode: builds with the plugin" $CC -O2 "${pargs[@]}" -o "$plug" "$L/onefile.c" 2>"$WORK/verbose.$mode"
	else
		build_multi "$base" -O2 -flto || bail_out "$mode: cannot build without the plugin"
		ok "$mode: builds with the plugin" build_multi "$plug" -O2 -flto "${pargs[@]}" 2>"$WORK/verbose.$mode"
	fi
	is "$("$plug" 100 2>&1)" "$("$base" 100 2>&1)" "$mode: same output (tcp on the path, udp and forwarding beside it)"
	ok "$mode: root app_send calls no path function" eval \
		'[ -z "$(calls "$plug" app_send "$PATH_FNS")" ] && [ -n "$(disasm "$plug" app_send)" ]'
	ok "$mode: GCC inlines the library into the path as without the plugin (app_send calls neither msg_push nor cksum)" eval \
		'[ -n "$(disasm "$plug" app_send)" ] && [ -z "$(calls "$plug" app_send "msg_push|cksum")" ]'
	ok "$mode: app_send keeps the general indirect call behind the guard" eval \
		'disasm "$plug" app_send | grep -qE "call +\*"'
	ok "$mode: without the plugin app_send only makes the indirect call" eval \
		'[ -z "$(calls "$base" app_send "msg_push|cksum")" ] && disasm "$base" app_send | grep -qE "call +\*"'
	ok "$mode: GCC alone inlines the library, and so it does with the plugin (tcp_push calls neither)" eval \
		'! objdump -d "$base" | grep -qE "call +[0-9a-f]+ <(msg_init|msg_push|cksum)>" &&
		 [ -n "$(disasm "$plug" tcp_push)" ] && [ -z "$(calls "$plug" tcp_push "msg_push|cksum")" ]'
	ok "$mode: off the path GCC still inlines the library (ip_forward: msg_init)" eval \
		'[ -n "$(disasm "$plug" ip_forward)" ] && [ -z "$(calls "$plug" ip_forward msg_init)" ]'
	ok "$mode: ip_forward still calls the out-of-line ip_push" eval '[ -n "$(calls "$plug" ip_forward ip_push)" ]'
	ok "$mode: udp_push (not on the path) still crosses to ip through its pointer" eval \
		'disasm "$plug" udp_push | grep -qE "call +\*|jmp +\*"'
	for fn in tcp_push ip_push eth_push; do nm "$plug" | grep -qE " [tT] $fn\$" || diag "$fn missing"; done
	is "$(nm "$plug" | grep -cE ' [tT] (tcp_push|ip_push|eth_push)$')" 3 \
		"$mode: tcp_push, ip_push, eth_push stay out of line for other callers"
	is "$(grep -c '(indirect call, guarded)' "$WORK/verbose.$mode")" 3 \
		"$mode: verbose: three layer crossings promoted and inlined"
	# issue #11's cheaper guards: one compare with the expected target, the
	# inlined copy on the fall-through, the general call a jump away
	is "$(disasm "$plug" app_send | awk -v targets="tcp_push ip_push eth_push" -f tests/plugin/guards.awk | tr '\n' ' ')" \
		"tcp_push ok ip_push ok eth_push ok " \
		"$mode: each guard compares the pointer with its layer and falls through to the inlined copy"
done

base=$WORK/base.multi plug=$WORK/plug.multi
build_multi "$base" -O2 || bail_out "several files: cannot build without the plugin"
ok "several files without -flto: builds with the plugin" build_multi "$plug" -O2 "${pargs[@]}" 2>"$WORK/verbose.multi"
is "$("$plug" 100 2>&1)" "$("$base" 100 2>&1)" "several files without -flto: same output"
ok "several files without -flto: app_send unchanged (bodies are in other files)" eval \
	'[ -z "$(calls "$plug" app_send "msg_push|cksum")" ] && disasm "$plug" app_send | grep -qE "call +\*"'
ok "several files without -flto: a warning says why" \
	grep -qF "warning: olayout: path 'tcp_send' stops at tcp_push: app_send -> tcp_push not promoted: the target cannot be proven: no body of tcp_push here" "$WORK/verbose.multi"

done_testing
