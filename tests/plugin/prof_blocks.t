#!/usr/bin/env bash
# prof_blocks.t - olayout profile --blocks (profile version 7, `block`
# entries; tools/olayout/ol_prof_blocks.c) of progs/blocks: main.c built
# with the plugin's block-ids, other.c without. The two arms of one macro
# line get their own counts (the line has one count for all); check's
# .cold fragment counts for check; a clone is named exactly
# (scale.constprop.0); a listed function that never ran, and other.c's
# function (GCC's own discriminators), get no entries. A build without
# block-ids is refused before the run in one line, PROF left as it was;
# --from-perf and --merge with --blocks are refused; --merge adds counts.
# On rows.s (rows written by hand) a row counts its first instruction, not
# a block with no row of its own after it, an empty row gives no entry, and
# a row that goes on with the id of the row before it counts nothing (its
# first instruction may be a location-less block's).
. tests/plugin/lib.sh
need_tool valgrind readelf

OLAYOUT=$BUILD/bin/olayout
need "$OLAYOUT"
D=$PROGS/blocks
MACRO=$(marked_line "$D/main.c" MACRO-LINE)
N=100000 # check's rare branch: i % 4096 == 17 for 25 of them; work's: 100
CC="$CC -O2 -g"
# blocks_of FN: FN's block entries' counts, ascending, one line
blocks_of() { awk -v fn="$1" '$1 == "block" && $2 == fn { print $4 }' "$WORK/b.prof" | sort -n | tr '\n' ' '; }

plan 19

ok "other.c builds without the plugin; its line table has GCC's own discriminators" \
	eval '$CC -c -o "$WORK/other.o" "$D/other.c" &&
	      readelf --debug-dump=rawline "$WORK/other.o" | grep -q "set Discriminator"'
mapfile -t pargs < <(plugin_args block-ids)
ok "main.c builds with block-ids" \
	$CC -Wl,--emit-relocs "${pargs[@]}" -o "$WORK/ids" "$D/main.c" "$WORK/other.o"
ok "olayout profile --blocks of its run: a version 7 profile" \
	eval '"$OLAYOUT" profile --blocks -o "$WORK/b.prof" -- "$WORK/ids" $N >/dev/null 2>&1 &&
	      head -1 "$WORK/b.prof" | grep -qx "olayout-profile 7"'
ok "the macro line has one count for its blocks: 100000" grep -qE "^line [^ ]*main.c:$MACRO 100000$" "$WORK/b.prof"
ok "work's blocks tell the arms apart: one ran 99900 times, one 100 (got: $(blocks_of work))" \
	eval 'blocks_of work | grep -qE "(^| )100 .*99900 "'
ok "check.cold's block counts for check: 25 (got: $(blocks_of check))" \
	eval 'blocks_of check | grep -qE "(^| )25 "'
ok "no entry names a .cold fragment" eval '! grep -qE "^block [^ ]*\.cold " "$WORK/b.prof"'
ok "the clone is named as GCC names it: scale.constprop.0, not scale" \
	eval 'grep -qE "^block scale\.constprop\.0 [0-9]+ 1$" "$WORK/b.prof" && ! grep -q "^block scale " "$WORK/b.prof"'
ok "unused is listed in .olayout.blockids but never ran: no entries" \
	eval 'readelf -p .olayout.blockids "$WORK/ids" | grep -qw unused && ! grep -q "^block unused " "$WORK/b.prof"'
ok "other (built without block-ids) ran but gets no entries" \
	eval 'grep -q "^function other 1 " "$WORK/b.prof" && ! grep -q "^block other " "$WORK/b.prof"'

$CC -Wl,--emit-relocs -o "$WORK/plain" "$D/main.c" "$WORK/other.o"
echo "olayout-profile 2" >"$WORK/old.prof"
"$OLAYOUT" profile --blocks -o "$WORK/old.prof" -- "$WORK/plain" $N >"$WORK/out" 2>"$WORK/err"
rc=$?
ok "without block-ids: refused before the run, one line, PROF as it was" \
	eval '[ $rc = 1 ] && [ "$(wc -l <"$WORK/err")" = 1 ] && [ ! -s "$WORK/out" ] &&
	      grep -qF "$WORK/plain: no .olayout.blockids section: not built with the plugin'"'"'s block-ids" "$WORK/err" &&
	      [ "$(cat "$WORK/old.prof")" = "olayout-profile 2" ]'
[ "$(wc -l <"$WORK/err")" = 1 ] || sed 's/^/#   /' "$WORK/err"
ok "--blocks --from-perf is refused in one line" \
	eval '! "$OLAYOUT" profile --blocks -o "$WORK/p.prof" --from-perf perf.data "$WORK/ids" 2>"$WORK/err" &&
	      [ "$(wc -l <"$WORK/err")" = 1 ] && grep -qF -- "--blocks needs instruction counts" "$WORK/err"'
ok "--merge takes no --blocks" \
	eval '! "$OLAYOUT" profile --blocks -o "$WORK/m.prof" --merge "$WORK/b.prof" 2>"$WORK/err" &&
	      grep -qF -- "--merge takes PROF files only" "$WORK/err"'
"$OLAYOUT" profile -o "$WORK/m.prof" --merge "$WORK/b.prof" "$WORK/b.prof" 2>"$WORK/err"
ok "--merge A A: a version 7 profile" eval 'head -1 "$WORK/m.prof" | grep -qx "olayout-profile 7"'
is "$(awk '$1 == "block" { print $2, $3, $4 * 2 }' "$WORK/b.prof")" \
	"$(awk '$1 == "block" { print $2, $3, $4 }' "$WORK/m.prof")" "--merge A A: every block's count doubled"

ok "rows.s builds and runs" eval '$CC -Wl,--emit-relocs -o "$WORK/rows" "$D/rows.s" && "$WORK/rows"'
"$OLAYOUT" profile --blocks -o "$WORK/rows.prof" -- "$WORK/rows" >/dev/null 2>&1
is "$(awk '$1 == "block" && $3 == 2 { print $4 }' "$WORK/rows.prof")" 1 \
	"block 2 ran once: its row's first instruction, not the loop body without a row after its jump (1000)"
is "$(awk '$1 == "block" { print $3 }' "$WORK/rows.prof" | tr '\n' ' ')" "2 3 5 6 7 " \
	"block 4's row is empty (no instruction): no entry"
is "$(awk '$1 == "block" && $3 == 5 { print $4 }' "$WORK/rows.prof")" 1 \
	"block 5 ran once: not the row repeating its id on the location-less loop body after it (1000)"
done_testing
