#!/usr/bin/env bash
# copies.t - training counts per inlined copy (profile version 6, `copy`
# entries; plugin/copies.cc, tools/olayout/ol_prof_copies.c) on
# progs/copies.c: the static helper put is inlined into two paths' roots,
# and its slow branch runs from b_path only. Its line ran in training, so
# by line counts both copies stay in line. olayout profile --copies of the
# plugin's own build (inline-only) says a_path's copy never ran and
# b_path's did: built again with copies= that profile, only a_path's copy
# goes to a_path.cold. Malformed copy entries are refused in one message;
# so is olayout profile --copies of a build without DWARF, before the
# training run (no profile).
. tests/plugin/lib.sh
need_tool valgrind

SRC=$PROGS/copies.c
CC="$CC -g -Wl,--emit-relocs" # the inline chains from DWARF; olayout profile reads relocations
OLAYOUT=$BUILD/bin/olayout
need "$OLAYOUT"
SLOW=$(marked_line "$SRC" SLOW-LINE)
ACALL=$(marked_line "$SRC" A-CALL)
BCALL=$(marked_line "$SRC" B-CALL)

# the paths, and the slow line's count: it ran (in b_path's copy)
{
	printf 'olayout-profile 2\npath pa a_path a_layer\npath pb b_path b_layer\n'
	printf 'edge main a_path 300\nedge main b_path 300\nedge a_path a_layer 300\n'
	printf 'edge b_path b_layer 300\nline copies.c:%s 300\n' "$SLOW"
} >"$WORK/one.prof"
cp "$WORK/one.prof" "$WORK/two.prof"
# one message, the build refused
refused() { # refused NAME COPIES-TEXT MESSAGE: copies= a profile of COPIES-TEXT
	printf '%s\n' "$2" >"$WORK/$1.copies"
	mapfile -t pargs < <(plugin_args profile="$WORK/one.prof" inline-only copies="$WORK/$1.copies")
	! $CC -O2 "${pargs[@]}" -o "$WORK/$1" "$SRC" 2>"$WORK/$1.err" &&
		[ "$(grep -c 'error' "$WORK/$1.err")" = 1 ] && grep -qF -- "$3" "$WORK/$1.err"
}

plan 17

plugin_build "$SRC" one inline-only
ok "olayout profile --copies of the plugin's build" \
	sh -c '"$1" profile --copies -o "$2" -- "$3" 300 >/dev/null 2>&1' sh "$OLAYOUT" "$WORK/c.prof" "$WORK/one"
ok "a_path's copy of the slow line never ran" \
	grep -qE "^copy a_path [^ ]*copies.c:$ACALL [^ ]*copies.c:$SLOW 0$" "$WORK/c.prof"
ok "b_path's copy of it ran" grep -qE "^copy b_path [^ ]*copies.c:$BCALL [^ ]*copies.c:$SLOW [1-9][0-9]*$" \
	"$WORK/c.prof"
plugin_build "$SRC" two inline-only copies="$WORK/c.prof"
is "$(cold_parts "$WORK/one")" "" "by line counts both copies stay in line (no .cold part)"
is "$(cold_parts "$WORK/two")" "a_path" "with copy entries only a_path's copy is outlined (a_path.cold)"
ok "verbose: the rule that decided" grep -qE \
	"^olayout: a_path: block [0-9]+ is a cold seed: [^ ]*copies.c:[0-9]+ never ran in this inlined copy \\(copy entry\\)" \
	"$WORK/verbose.two"
ok "verbose: what the copies decided in a_path" grep -qE \
	"^olayout: a_path: copies: [1-9][0-9]* statements' inlined copies never ran in training \\(copy entries\\), [1-9][0-9]* ran; [0-9]+ have no copy entry \\(line counts decide\\); [0-9]+ are no inlined copy$" \
	"$WORK/verbose.two"
is "$("$WORK/two" 50 slow)" "$("$WORK/one" 50 slow)" "same output, a_path's outlined copy run"
is "$("$WORK/two" 50)" "$("$WORK/one" 50)" "same output"
ok "a copy entry without a call site is refused" \
	refused nosite "olayout-profile 6
copy a_path copies.c:$SLOW 5" "wants copy FN SITE_FILE:LINE... FILE:LINE COUNT"
ok "a bad location is refused" refused badloc "olayout-profile 6
copy a_path copies.c:x copies.c:$SLOW 0" "bad line number 'x'"
ok "a copy entry in a version 5 file is refused" refused v5 "olayout-profile 5
copy a_path copies.c:$ACALL copies.c:$SLOW 0" "'copy' needs version 6"
ok "a copy given twice is refused" refused twice "olayout-profile 6
copy a_path copies.c:$ACALL copies.c:$SLOW 0
copy a_path copies.c:$ACALL copies.c:$SLOW 3" "given twice"
ok "copies= a profile without copy entries is refused" refused none "olayout-profile 6
line copies.c:$SLOW 3" "has no copy entries"
${TEST_CC:-gcc} -O2 -Wl,--emit-relocs -o "$WORK/nodebug" "$SRC" || bail_out "cannot build $SRC without -g"
ok "olayout profile --copies of a build without DWARF: refused before the run, one line, no profile" sh -c \
	'! "$1" profile --copies -o "$2" -- "$3" 300 >"$5" 2>"$4" && [ ! -e "$2" ] && [ ! -s "$5" ] &&
	[ "$(wc -l <"$4")" = 1 ] && grep -q "no DWARF (build with -g)" "$4"' \
	sh "$OLAYOUT" "$WORK/nd.prof" "$WORK/nodebug" "$WORK/nd.err" "$WORK/nd.out"
done_testing
