#!/usr/bin/env bash
# outline.t - the outline pass on progs/outline.c, without and with -flto:
# exactly the seeded functions get a .cold part, their hot part shrinks,
# the report agrees with nm, and the program prints the same. The noreturn
# seed's call (exit, which no other rule makes cold) lands in parse.cold.
. tests/plugin/lib.sh

SRC=$PROGS/outline.c
SEEDED="check dispatch handle lookup parse"
line=$(grep -n 'COLD-LINE' "$SRC" | cut -d: -f1)
printf 'olayout-profile 1\ncold-line outline.c:%s\ncold-function rarely\n' "$line" >"$WORK/o.prof"

plan 40

# calls EXE SYM: the functions SYM's own code calls (its symbol alone).
calls() {
	objdump -d --no-show-raw-insn "--disassemble=$2" "$1" | sed -n 's/.*call .*<\([^>]*\)>$/\1/p' | sort -u | tr '\n' ' '
}

for mode in nolto lto; do
	flags=(-O2)
	[ $mode = lto ] && flags+=(-flto)
	base=$WORK/base.$mode plug=$WORK/plug.$mode rep=$WORK/report.$mode
	$CC "${flags[@]}" -o "$base" "$SRC" || bail_out "$mode: cannot build $SRC without the plugin"
	mapfile -t pargs < <(plugin_args profile="$WORK/o.prof" report="$rep" verbose)
	ok "$mode: builds with the plugin" $CC "${flags[@]}" "${pargs[@]}" -o "$plug" "$SRC" 2>"$WORK/verbose.$mode"
	is "$(cold_parts "$plug")" "$SEEDED" "$mode: .cold parts for exactly the seeded functions"
	base_cold=$(cold_parts "$base")
	for fn in check dispatch lookup parse; do [[ " $base_cold " == *" $fn "* ]] && diag "base has $fn.cold"; done
	ok "$mode: without the plugin GCC splits none of check dispatch lookup parse" eval \
		'! [[ " $base_cold " =~ \ (check|dispatch|lookup|parse)\  ]]'
	ok "$mode: GCC itself splits handle (it calls a cold function)" eval '[[ " $base_cold " == *" handle "* ]]'
	for fn in check dispatch lookup parse; do
		before=$(fn_size "$base" $fn) after=$(fn_size "$plug" $fn)
		ok "$mode: hot part of $fn shrank ($before -> $after bytes)" eval \
			'[ -n "$before" ] && [ -n "$after" ] && [ "$after" -lt "$before" ]'
	done
	is "$(fn_size "$plug" plain)" "$(fn_size "$base" plain)" "$mode: plain (no seed) keeps its size"
	is "$("$plug" 500 2>&1)" "$("$base" 500 2>&1)" "$mode: same output, cold code included"
	for fn in $SEEDED; do
		want="$(fn_size "$plug" "$fn") $(fn_size "$plug" "$fn.cold")"
		got=$(awk -v fn="$fn" '$1 == fn && $2 > $3 { print $3, $4 }' "$rep")
		is "$got" "$want" "$mode: report for $fn: hot and cold bytes as nm says, before > after"
	done
	ok "$mode: the noreturn seed's call (exit) is in parse.cold, not in parse (parse calls: $(calls "$plug" parse))" \
		eval '[[ " $(calls "$plug" parse.cold)" == *" exit@plt "* && " $(calls "$plug" parse)" != *" exit@plt "* ]]'
	ok "$mode: report for plain: nothing moved" \
		awk '$1 == "plain" && $2 == $3 && $4 == 0 { f = 1 } END { exit !f }' "$rep"
done

for why in "calls noreturn exit" "unexpected side of __builtin_expect" "calls cold report_error" \
	"outline.c:$line never ran (cold-line)" "calls cold rarely"; do
	ok "verbose says why: $why" grep -qF "$why" "$WORK/verbose.nolto"
done

mapfile -t pargs < <(plugin_args profile="$WORK/o.prof")
# in_unlikely OBJ FN: FN is defined in OBJ's .text.unlikely.
in_unlikely() {
	objdump -t "$1" | awk -v fn="$2" '$NF == fn && $4 == ".text.unlikely" { f = 1 } END { exit !f }'
}
ok "cold-function rarely goes to .text.unlikely whole" eval \
	'$CC -O2 "${pargs[@]}" -c -o "$WORK/outline.o" "$SRC" && in_unlikely "$WORK/outline.o" rarely'

done_testing
