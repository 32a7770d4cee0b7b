#!/usr/bin/env bash
# driver.t - olayout-cc on the layered stack of tests/plugin/progs/layers,
# seven files built with -flto: the output has the relocations and one
# section per function olayout needs and verifies; trained with olayout
# profile, rebuilt with the profile (mode both, plugin at the -flto link: its
# report names the path inlined), optimized (bipartite) and verified, it
# prints what the plain build prints. The plugin's fdo pass runs after
# inlining unless --olayout-fdo=on (before) or off asks otherwise. --olayout-align=pack compiles without
# alignment padding, winning over the build's own -falign-functions. With a
# profile the plugin writes block ids (.olayout.blockids); a block profile
# goes to the plugin as block-profile=, absolute (only with a profile), with
# split-cold=never. A plugin that is missing or broken, a
# wrong mode or fdo value, or a missing profile fail the compile with one
# line and leave no object behind (a wrong align value too, a wrong mode in
# the environment); a setting an option gives ignores the environment's.
set -u
export LC_ALL=C
: "${BUILD:=build}"
. tests/tap/tap.sh
OLCC=$BUILD/bin/olayout-cc
OL=$BUILD/bin/olayout
need "$OLCC" "$OL" "$BUILD/lib/olayout/olayout.so"
need_tool valgrind
L=tests/plugin/progs/layers
FILES=(lib app tcp udp ip eth main)
mkdir -p "$BUILD/tests" && T=$(mktemp -d "$BUILD/tests/olcc.XXXXXX") || bail_out "no scratch directory"
trap 'rm -rf "$T"' EXIT

# build OUT ARGS...: each file compiled with -O2 -flto ARGS, then linked.
build() {
	local out=$1 f objs=(); shift
	for f in "${FILES[@]}"; do
		"$OLCC" -O2 -flto "$@" -c -o "$out.$f.o" "$L/$f.c" || return 1
		objs+=("$out.$f.o")
	done
	"$OLCC" -O2 -flto "$@" -o "$out" "${objs[@]}"
}

# fails_one_line DESC OUT ARGS...: olayout-cc ARGS exits non-zero, says one
# line naming olayout-cc or the plugin, and writes no OUT.
fails_one_line() {
	local desc=$1 out=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	local rc=$?
	ok "$desc: exit status non-zero, one line, no output" \
		eval '[ $rc -ne 0 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "plugin\|olayout-cc" "$T/err" && [ ! -e "$out" ]' ||
		diag "  exit $rc, stderr: $(cat "$T/err")"
}

plan 28
"$OLCC" --help >"$T/help" && grep -q '^usage: olayout-cc' "$T/help"
ok "--help: usage" [ $? = 0 ]

gcc -O2 -flto -o "$T/plain" "$L"/{lib,app,tcp,udp,ip,eth,main}.c || bail_out "cannot build layers with gcc"
want=$("$T/plain" 100)
ok "builds the seven files with -flto" build "$T/app"
ok "the output keeps .rela.text and one section per function (verify passes)" \
	eval 'readelf -S "$T/app" | grep -q "\.rela\.text" && "$OL" verify "$T/app" >/dev/null'
is "$("$T/app" 100)" "$want" "the driver's build prints what gcc's prints"

ok "olayout profile trains it (--paths 1)" \
	eval '"$OL" profile -o "$T/app.prof" --paths 1 -- "$T/app" 100 >/dev/null 2>"$T/prof.err"'
ok "rebuilt with the profile and mode both, the plugin's report at the -flto link names the path inlined" \
	eval 'OLAYOUT_PROFILE="$T/app.prof" OLAYOUT_MODE=both build "$T/app2" --olayout-arg=report="$T/report" &&
		grep -q "^path app_send inlined" "$T/report"'
ok "olayout optimize --strategy bipartite, then verify" \
	eval '"$OL" optimize --strategy bipartite --profile "$T/app.prof" -o "$T/app2.opt" "$T/app2" >/dev/null 2>&1 &&
		"$OL" verify "$T/app2.opt"'
is "$("$T/app2.opt" 100)" "$want" "the optimized program prints what gcc's build prints"

# fdo_notes PATTERN ARGS...: how many functions of eth.c the plugin's fdo
# pass gave training counts, with notes matching PATTERN, compiled with the
# profile, verbose and ARGS
fdo_notes() {
	local p=$1
	shift
	"$OLCC" --olayout-profile="$T/app.prof" --olayout-arg=verbose "$@" -O2 -c -o "$T/f.o" "$L/eth.c" 2>&1 |
		grep -c "blocks have training counts.*$p"
}
ok "the fdo pass runs after inlining by default (late)" [ "$(fdo_notes 'after inlining$')" -gt 0 ]
is "$(fdo_notes '' --olayout-fdo=off)" 0 "--olayout-fdo=off turns it off (no training counts given)"
early='branch counts)$' # the note of the pass before inlining ends there
ok "--olayout-fdo=on (and OLAYOUT_FDO=on) run it before inlining" \
	eval '[ "$(fdo_notes "$early" --olayout-fdo=on)" -gt 0 ] && [ "$(OLAYOUT_FDO=on fdo_notes "$early")" -gt 0 ] &&
		[ "$(fdo_notes "after inlining" --olayout-fdo=on)" = 0 ]'
# order_notes ARGS...: how many of the plugin's block-order notes on main.c
# (its main is ordered by ext-TSP), compiled with the profile, verbose and
# ARGS, hold $pat (unset: all)
order_notes() {
	"$OLCC" --olayout-profile="$T/app.prof" --olayout-arg=verbose "$@" -O2 -c -o "$T/f.o" "$L/main.c" 2>&1 |
		grep -c "block-order: .*${pat:-}"
}
ok "with a profile the blocks are ordered by ext-TSP (block-order=exttsp); --olayout-arg=block-order=gcc keeps GCC's" \
	eval '[ "$(order_notes)" -gt 0 ] && [ "$(order_notes --olayout-arg=block-order=gcc)" = 0 ]'
pat="warm or never-run blocks"
ok "by default the rare blocks go after the hot ones (block-order=exttsp-warm); --olayout-arg=block-order=exttsp keeps ext-TSP's order" \
	eval '[ "$(order_notes)" -gt 0 ] && [ "$(order_notes --olayout-arg=block-order=exttsp)" = 0 ]'
# switch_counts ARGS...: the last switch-counts option olayout-cc gives
# cc1 (gcc -###) with the profile and ARGS (the plugin takes a key's last)
switch_counts() {
	"$OLCC" --olayout-profile="$T/app.prof" "$@" -### -O2 -c -o "$T/f.o" "$L/main.c" 2>&1 |
		grep -o 'fplugin-arg-olayout-switch-counts=[a-z]*' | tail -1 | sed 's/.*=//'
}
ok "with a profile a switch with outlined exits takes trained probabilities (switch-counts=on); --olayout-arg=switch-counts=off comes after it" \
	eval '[ "$(switch_counts)" = on ] && [ "$(switch_counts --olayout-arg=switch-counts=off)" = off ]'
# aligns ARGS...: the alignments of lib.c's function sections compiled with
# -falign-functions=32 and ARGS, distinct ones, sorted
aligns() {
	"$OLCC" "$@" -O2 -falign-functions=32 -c -o "$T/a.o" "$L/lib.c" &&
		readelf -SW "$T/a.o" | awk '/ \.text\./ { print $NF }' | sort -u | tr '\n' ' '
}
ok "--olayout-align=pack (and OLAYOUT_ALIGN=pack) pack the functions (alignment 1, over the build's 32); default keeps 32" \
	eval '[ "$(aligns)" = "32 " ] && [ "$(aligns --olayout-align=pack)" = "1 " ] &&
		[ "$(OLAYOUT_ALIGN=pack aligns)" = "1 " ] && [ "$(OLAYOUT_ALIGN=pack aligns --olayout-align=gcc)" = "32 " ]'
ok "with a profile the plugin writes block ids (.olayout.blockids lists eth.c's functions); without, none" \
	eval '"$OLCC" --olayout-profile="$T/app.prof" -O2 -g -c -o "$T/ids.o" "$L/eth.c" &&
		readelf -p .olayout.blockids "$T/ids.o" | grep -q "eth_" && "$OLCC" -O2 -g -c -o "$T/no.o" "$L/eth.c" &&
		! readelf -S "$T/no.o" | grep -q olayout.blockids'
# plugin_cmd ARGS...: the plugin options olayout-cc gives gcc (run as echo) for ARGS, in $T
plugin_cmd() {
	local cc
	cc=$(realpath "$OLCC") && (cd "$T" && OLAYOUT_CC=echo "$cc" "$@" -c x.c) | tr ' ' '\n' |
		grep '^-fplugin-arg' | tr '\n' ' '
}
cp "$T/app.prof" "$T/blocks.prof"
ok "--olayout-block-profile=FILE (and OLAYOUT_BLOCK_PROFILE) pass block-profile=, absolute, after block-ids, and split-cold=never" \
	eval 'plugin_cmd --olayout-profile=app.prof --olayout-block-profile=blocks.prof |
		grep -q -- "-block-ids -fplugin-arg-olayout-block-profile=$(realpath "$T/blocks.prof") -fplugin-arg-olayout-split-cold=never $" &&
		OLAYOUT_BLOCK_PROFILE=blocks.prof plugin_cmd --olayout-profile=app.prof |
		grep -q -- "-block-ids -fplugin-arg-olayout-block-profile=$(realpath "$T/blocks.prof") -fplugin-arg-olayout-split-cold=never $" &&
		! plugin_cmd --olayout-profile=app.prof | grep -q split-cold'
fails_one_line "a block profile without the profile" "$T/bp.o" \
	"$OLCC" --olayout-block-profile="$T/blocks.prof" -c -o "$T/bp.o" "$L/lib.c"
fails_one_line "a missing block profile" "$T/bm.o" \
	"$OLCC" --olayout-profile="$T/app.prof" --olayout-block-profile="$T/none.prof" -c -o "$T/bm.o" "$L/lib.c"
fails_one_line "a wrong --olayout-align" "$T/al.o" "$OLCC" --olayout-align=yes -c -o "$T/al.o" "$L/lib.c"
fails_one_line "a wrong --olayout-fdo" "$T/d.o" "$OLCC" --olayout-fdo=yes --olayout-mode=both -c -o "$T/d.o" "$L/lib.c"

ok "mode outline without a profile loads the plugin (its verbose notes)" \
	eval '"$OLCC" --olayout-mode=outline --olayout-arg=verbose -O2 -c -o "$T/o.o" tests/plugin/progs/outline.c 2>&1 |
		grep -q "^olayout: parse: 1 of 3 blocks cold"'
fails_one_line "a missing plugin" "$T/m.o" \
	env OLAYOUT_PLUGIN="$T/none.so" "$OLCC" --olayout-mode=both -c -o "$T/m.o" "$L/lib.c"
printf 'not a plugin\n' >"$T/bad.so"
fails_one_line "a plugin that is not a shared object (gcc's error)" "$T/b.o" \
	env OLAYOUT_PLUGIN="$T/bad.so" "$OLCC" --olayout-mode=both -c -o "$T/b.o" "$L/lib.c"
fails_one_line "a wrong mode" "$T/w.o" "$OLCC" --olayout-mode=fast -c -o "$T/w.o" "$L/lib.c"
fails_one_line "a missing profile" "$T/p.o" "$OLCC" --olayout-profile="$T/none.prof" -c -o "$T/p.o" "$L/lib.c"
fails_one_line "a wrong OLAYOUT_MODE" "$T/e.o" env OLAYOUT_MODE=fast "$OLCC" -c -o "$T/e.o" "$L/lib.c"
# options win: the environment's value of a setting an option gives is not read
ok "options win over a wrong environment (mode, profile, fdo, align)" \
	env OLAYOUT_MODE=fast OLAYOUT_PROFILE="$T/none.prof" OLAYOUT_FDO=maybe OLAYOUT_ALIGN=yes "$OLCC" \
	--olayout-mode=outline --olayout-profile="$T/app.prof" --olayout-fdo=off --olayout-align=gcc \
	-O2 -c -o "$T/w2.o" "$L/lib.c"
done_testing
