#!/usr/bin/env bash
# cold_inlined.t - a cold-function whose lines ran (a static inline helper
# GCC inlined in training: its out-of-line copy never ran) is not cold:
# the calls to it stay in the hot body and get inlined. Taken as cold, the
# helper would not be inlined (cold code is optimized for size) and its
# callers' hot loops would go to .cold (gawk's interpreter: 14 M
# instructions a run in r_interpret.cold).
. tests/plugin/lib.sh

SRC=$PROGS/inlined.c
line() { grep -n "$1" "$SRC" | cut -d: -f1; }
# cold.prof leaves SUM-LINE's count out: a loop whose call of mix ran 1000
# times while mix's lines never ran is a profile that contradicts itself,
# and under issue #11's rule (a block that ran is never cold) that loop
# could not be cold. Without the count, the call of cold mix is what makes
# the loop a cold seed (verbose: "it calls cold mix (no training count)").
head="olayout-profile 2\nfunction sum 1 50000\n"
printf "$head"'line inlined.c:%s 1000\ncold-function mix\nline inlined.c:%s 1000\n' \
	"$(line SUM-LINE)" "$(line MIX-LINE)" >"$WORK/ran.prof"
printf "$head"'cold-function mix\n' >"$WORK/cold.prof"

plan 6

$CC -O2 -o "$WORK/base" "$SRC" || bail_out "cannot build $SRC without the plugin"
for p in ran cold; do plugin_build "$SRC" $p; done
ok "mix's lines ran: verbose says it is not cold" grep -qF \
	"mix: cold-function, but its line $SRC:$(line MIX-LINE) ran 1000 times (inlined in training): not cold" \
	"$WORK/verbose.ran"
is "$(cold_parts "$WORK/ran")" "" "mix's lines ran: sum's loop stays hot (no .cold part)"
is "$(cold_parts "$WORK/cold")" "sum" "mix's lines never ran: the loop calling it is cold (sum.cold)"
is "$("$WORK/ran")" "$("$WORK/base")" "same output"

done_testing
