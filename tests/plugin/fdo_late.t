#!/usr/bin/env bash
# fdo_late.t - fdo=late on progs/fdo_late.c: classify's branch, whose
# rare side (never in training) calls scale, a small function GCC inlines
# on its own guess. Before inlining (fdo=on) the trained probabilities make
# that call unlikely and GCC keeps it a call; after inlining (fdo=late)
# GCC inlines as without the profile (fdo=off), and the trained side
# (on_other's, 100000 of 100001 runs) still falls through.
. tests/plugin/lib.sh

SRC=$PROGS/fdo_late.c
line() { grep -n "$1" "$SRC" | cut -d: -f1; }
printf 'olayout-profile 2\nfunction classify 100001 700000\nline fdo_late.c:%s 100001\nline fdo_late.c:%s 1\nline fdo_late.c:%s 100000\n' \
	"$(line BRANCH)" "$(line ZERO)" "$(line OTHER)" >"$WORK/f.prof"

# calls_scale EXE: yes when classify calls scale (not inlined), else no.
calls_scale() {
	if disasm "$1" classify | grep -qE 'call +[0-9a-f]+ <scale>'; then echo yes; else echo no; fi
}

plan 10

$CC -O2 -o "$WORK/base" "$SRC" || bail_out "cannot build $SRC without the plugin"
is "$(calls_scale "$WORK/base")" no "without the plugin GCC inlines scale"
for fdo in on off late; do
	mapfile -t pargs < <(plugin_args profile="$WORK/f.prof" fdo=$fdo verbose)
	ok "fdo=$fdo: builds" $CC -O2 "${pargs[@]}" -o "$WORK/f.$fdo" "$SRC" 2>"$WORK/verbose.$fdo"
done
is "$(calls_scale "$WORK/f.on")" yes "fdo=on: the trained probabilities reach the inliner: scale stays a call"
is "$(calls_scale "$WORK/f.late")" no "fdo=late: GCC inlines scale, as fdo=off does"
is "$(first_call "$WORK/f.off" classify)" on_zero "fdo=off: GCC's guess lays on_zero's side out as the fall-through"
is "$(first_call "$WORK/f.late" classify)" on_other "fdo=late: on_other's side (ran 100000 of 100001 times) falls through"
ok "fdo=late: verbose says the branch took trained probabilities" \
	grep -qF 'classify: 3 of 4 blocks have training counts; 1 branches take trained probabilities' \
	"$WORK/verbose.late"
is "$("$WORK/f.late")" "$("$WORK/base")" "same output"

done_testing
