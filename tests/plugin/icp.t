#!/usr/bin/env bash
# icp.t - the icp pass on progs/icp.c: an indirect call whose caller called
# one function in training (root -> twice 1000 of 1010 times) becomes a
# guarded direct call with twice inlined (root's code then names twice, for
# the guard's compare); a profile that says thrice guards with thrice; a
# profile whose targets split evenly promotes nothing; the output is the
# same every time (the guard keeps every other target).
. tests/plugin/lib.sh

SRC=$PROGS/icp.c
line() { grep -n "$1" "$SRC" | cut -d: -f1; }
# profile TWICE THRICE: root's indirect call went TWICE times to twice and
# THRICE times to thrice in training.
profile() {
	printf 'olayout-profile 2\npath p root leaf\nfunction root 1010 20000\n'
	printf 'line icp.c:%s 1010\n' "$(line PICK)" "$(line CALL)" "$(line LEAF)"
	printf 'edge root twice %s\nedge root thrice %s\nedge root leaf 1010\n' "$1" "$2"
}
# names EXE: the targets root's code names (calls, addresses), sorted.
names() {
	disasm "$1" root | grep -oE '<(twice|thrice)[^>]*>' | tr -d '<>' | sort -u | tr '\n' ' '
}

plan 9

$CC -O2 -o "$WORK/base" "$SRC" || bail_out "cannot build $SRC without the plugin"
is "$(names "$WORK/base")" "" "without the plugin root names neither target (the call goes through the pointer)"
for p in "twice 1000 10" "thrice 10 1000" "even 505 505"; do
	set -- $p
	profile "$2" "$3" >"$WORK/$1.prof"
	plugin_build "$SRC" "$1" inline-only fdo=off
done
ok "verbose says root -> twice was promoted and inlined" \
	grep -qE 'icp: root -> twice promoted and inlined' "$WORK/verbose.twice"
is "$(names "$WORK/twice")" "twice " "root names twice: the guard compares the pointer with it"
is "$(names "$WORK/thrice")" "thrice " "a profile that says thrice guards with thrice"
is "$(names "$WORK/even")" "" "targets split evenly: nothing promoted"
out=(); for v in twice thrice even; do out+=("$("$WORK/$v")"); done
is "${out[*]}" "$(printf '%s ' "$("$WORK/base")" "$("$WORK/base")" "$("$WORK/base")" | sed 's/ $//')" \
	"same output with each profile"

done_testing
