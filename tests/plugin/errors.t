#!/usr/bin/env bash
# errors.t - bad profiles and bad options: one clear line naming the input
# and the problem, a non-zero exit, and no output file. Also help, and the
# outline-only / inline-only modes.
. tests/plugin/lib.sh

printf 'int main(void) { return 0; }\n' >"$WORK/m.c"
printf 'olayout-profile 1\ncache modern 32768 8 64\nbogus x\n' >"$WORK/bad.prof"
printf 'olayout-profile 8\n' >"$WORK/v3.prof"

# fails DESCRIPTION WANTED-MESSAGE GCC-ARGS...: the compilation fails with
# exactly one line of diagnostics, which holds WANTED-MESSAGE.
fails() {
	local what=$1 want=$2; shift 2
	rm -f "$WORK/m.o"
	"$@" 2>"$WORK/err"
	local rc=$?
	ok "$what: non-zero exit, no output" eval '[ $rc -ne 0 ] && [ ! -e "$WORK/m.o" ]'
	ok "$what: one line: $want" eval '[ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -qF -- "$want" "$WORK/err"'
	[ "$(wc -l <"$WORK/err")" -eq 1 ] || sed 's/^/#   /' "$WORK/err"
}

plan 76

fails "malformed profile" "$WORK/bad.prof:3: unknown directive 'bogus'" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-profile="$WORK/bad.prof" -c -o "$WORK/m.o" "$WORK/m.c"
fails "unsupported profile version" "$WORK/v3.prof:1: unsupported version 8 (this reader knows 1 to 7)" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-profile="$WORK/v3.prof" -c -o "$WORK/m.o" "$WORK/m.c"
# More malformations, each named by file, line and problem.
while IFS='|' read -r text want; do
	printf "$text" >"$WORK/m.prof"
	fails "malformed profile ($want)" "$WORK/m.prof:$want" \
		$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-profile="$WORK/m.prof" -c -o "$WORK/m.o" "$WORK/m.c"
done <<'EOF'
cold-line x.c:1\n|1: 'cold-line' before the version header 'olayout-profile 7'
olayout-profile 1\npath p a\n|2: 'path' wants path NAME ROOT FN...
olayout-profile 1\n\ncold-line x.c:zero\n|3: bad line number 'zero': not a number
olayout-profile 1\ncache c 8192 3 32\n|2: bad associativity '3': not a power of two up to 2^30
olayout-profile 1\nlibrary m\npath p a m\n|3: path 'p': 'm' is a library function
olayout-profile 1\nedge a b 1\nedge a b 2\n|3: edge 'a b' given twice
EOF
fails "missing profile" "$WORK/none.prof: cannot open: No such file or directory" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-profile="$WORK/none.prof" -c -o "$WORK/m.o" "$WORK/m.c"
fails "profile is a directory" "$WORK: cannot read: Is a directory" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-profile="$WORK" -c -o "$WORK/m.o" "$WORK/m.c"
fails "unknown option" "olayout: unknown option '-fplugin-arg-olayout-bogus' (try '-fplugin-arg-olayout-help')" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-bogus=1 -c -o "$WORK/m.o" "$WORK/m.c"
fails "profile without a file" "olayout: option '-fplugin-arg-olayout-profile' needs '=FILE'" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-profile -c -o "$WORK/m.o" "$WORK/m.c"
fails "flag with a value" "olayout: option '-fplugin-arg-olayout-verbose' takes no value" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-verbose=yes -c -o "$WORK/m.o" "$WORK/m.c"
fails "both modes" "olayout: 'outline-only' and 'inline-only' exclude each other" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-outline-only -fplugin-arg-olayout-inline-only \
	-c -o "$WORK/m.o" "$WORK/m.c"
fails "a ratio above 1" "olayout: 'hot-ratio=2': want a number from 0 to 1" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-hot-ratio=2 -c -o "$WORK/m.o" "$WORK/m.c"
fails "a cold-ppm above a million" "olayout: 'cold-ppm=2e6': want a number from 0 to 1000000" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-cold-ppm=2e6 -c -o "$WORK/m.o" "$WORK/m.c"
fails "a bad block order" "olayout: 'block-order=stc': want 'gcc', 'exttsp' or 'exttsp-warm'" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-block-order=stc -c -o "$WORK/m.o" "$WORK/m.c"
fails "block-order without a value" "olayout: option '-fplugin-arg-olayout-block-order' needs '=gcc|exttsp|exttsp-warm'" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-block-order -c -o "$WORK/m.o" "$WORK/m.c"
fails "a negative growth" "olayout: 'max-growth=-1': want a whole number from 0 to 10000" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-max-growth=-1 -c -o "$WORK/m.o" "$WORK/m.c"
fails "a growth without a value" "olayout: option '-fplugin-arg-olayout-max-growth' needs '=N'" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-max-growth -c -o "$WORK/m.o" "$WORK/m.c"
fails "fdo neither on, off nor late" "olayout: 'fdo=maybe': want 'on', 'off' or 'late'" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-fdo=maybe -c -o "$WORK/m.o" "$WORK/m.c"
fails "fdo without a value" "olayout: option '-fplugin-arg-olayout-fdo' needs '=on|off|late'" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-fdo -c -o "$WORK/m.o" "$WORK/m.c"
fails "loops neither on nor off" "olayout: 'loops=maybe': want 'on' or 'off'" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-loops=maybe -c -o "$WORK/m.o" "$WORK/m.c"
fails "loops without a value" "olayout: option '-fplugin-arg-olayout-loops' needs '=on|off'" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-loops -c -o "$WORK/m.o" "$WORK/m.c"
fails "switch-counts neither on nor off" "olayout: 'switch-counts=yes': want 'on' or 'off'" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-switch-counts=yes -c -o "$WORK/m.o" "$WORK/m.c"
printf 'olayout-profile 2\nfunction main 1 5\n' >"$WORK/lines.prof"
fails "block-profile without block-order=exttsp" "olayout: 'block-profile=' needs 'profile=' and 'block-order=exttsp'" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-profile="$WORK/lines.prof" \
	-fplugin-arg-olayout-block-profile="$WORK/lines.prof" -c -o "$WORK/m.o" "$WORK/m.c"
fails "block-profile without block entries" \
	"olayout: 'block-profile=$WORK/lines.prof': the profile has no block entries (write it with 'olayout profile --blocks')" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-profile="$WORK/lines.prof" -fplugin-arg-olayout-block-order=exttsp \
	-fplugin-arg-olayout-block-profile="$WORK/lines.prof" -c -o "$WORK/m.o" "$WORK/m.c"
fails "split-cold neither off, never nor rare" "olayout: 'split-cold=yes': want 'off', 'never' or 'rare'" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-split-cold=yes -c -o "$WORK/m.o" "$WORK/m.c"
fails "unwritable report" "olayout: cannot write report '$WORK/no/dir/r.txt'" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-report="$WORK/no/dir/r.txt" -c -o "$WORK/m.o" "$WORK/m.c"

# At link time under -flto the profile is read again by lto1.
$CC -O2 -flto -c -o "$WORK/lto.o" "$WORK/m.c"
rm -f "$WORK/m.o"
$CC -O2 -flto -fplugin="$PLUGIN" -fplugin-arg-olayout-profile="$WORK/bad.prof" -o "$WORK/m.o" "$WORK/lto.o" 2>"$WORK/err"
rc=$?
ok "malformed profile at an -flto link: lto1 names it, link fails" eval \
	'[ $rc -ne 0 ] && [ ! -e "$WORK/m.o" ] && grep -qF "lto1: error: $WORK/bad.prof:3: unknown directive '"'bogus'"'" "$WORK/err"'

out=$($CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-help -c -o "$WORK/m.o" "$WORK/m.c" 2>&1)
is $? 0 "help: exit 0"
# each option the plugin takes, as its help must name it (a miss fails)
lacks=
for key in profile=FILE outline-only inline-only "fdo=on|off|late" "loops=on|off" "block-order=gcc|exttsp|exttsp-warm" "switch-counts=on|off" block-ids block-profile=FILE "split-cold=off|never|rare" verbose report=FILE min-ratio=R cold-ratio=R cold-runs=N cold-ppm=R \
	hot-ratio=R max-growth=N help; do
	grep -qF -- "-fplugin-arg-olayout-$key " <<<"$out" || lacks+=" $key"
done
ok "help names each option with its value${lacks:+ (lacks:$lacks)}" [ -z "$lacks" ]
is "$(grep -c -- '-fplugin-arg-olayout-' <<<"$out")" 20 "help lists the twenty options"

# Paths the plugin cannot inline: the build goes on, with one warning that
# names the path, the function and why.
# warns DESCRIPTION WANTED-MESSAGE PROFILE-TEXT GCC-ARGS...
warns() {
	local what=$1 want=$2
	printf "$3" >"$WORK/w.prof"
	shift 3
	rm -f "$WORK/w.out"
	ok "$what: builds" "$@" -fplugin="$PLUGIN" -fplugin-arg-olayout-profile="$WORK/w.prof" \
		-o "$WORK/w.out" 2>"$WORK/err"
	ok "$what: one warning: $want" eval \
		'[ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -qF -- "warning: olayout: $want" "$WORK/err"'
	[ "$(wc -l <"$WORK/err")" -eq 1 ] || diag "$(cat "$WORK/err")"
}
warns "a recursive path" "path 'p' is recursive ('rec' calls itself): not inlined" \
	'olayout-profile 1\npath p root_rec rec rec\n' $CC -O2 "$PROGS/odd.c"
warns "a path through a function missing here" \
	"path 'p' stops at no_such_layer: root_setjmp -> no_such_layer not promoted: the target cannot be proven: no body of no_such_layer here" \
	'olayout-profile 1\npath p root_setjmp no_such_layer\n' $CC -O2 "$PROGS/odd.c"
warns "a root missing at an -flto link" "path 'p': root 'no_such_root' is not in the program at the link" \
	'olayout-profile 1\npath p no_such_root leaf\n' $CC -O2 -flto "$PROGS/odd.c"
warns "an indirect crossing whose target has no body" \
	"path 'p' stops at tcp_push: app_send -> tcp_push not promoted: the target cannot be proven: no body of tcp_push here" \
	'olayout-profile 1\npath p app_send tcp_push ip_push\n' $CC -O2 -c "$PROGS/layers/app.c"

# A function that ran in training but none of whose lines has a count (a
# profile of other sources): the fdo pass warns once (after GCC's own "In
# function" line) and keeps GCC's guesses.
printf 'olayout-profile 2\nfunction classify 1010 20000\nline other.c:1 5\n' >"$WORK/f.prof"
ok "a function that ran without a line count: builds" \
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-olayout-profile="$WORK/f.prof" -o "$WORK/f.out" \
	"$PROGS/fdo.c" 2>"$WORK/err"
ok "a function that ran without a line count: one warning naming it" eval \
	'[ "$(grep -c warning: "$WORK/err")" -eq 1 ] &&
	 grep -qF "warning: olayout: profile: '"'classify'"' ran 1010 times in training but none of its lines has a count" "$WORK/err"'

# The modes: outline-only leaves the path alone, inline-only the cold blocks.
L=$PROGS/layers
mapfile -t pargs < <(plugin_args profile="$L/layers.prof" outline-only)
ok "outline-only: the path is not inlined (app_send makes the indirect call, as without the plugin)" eval \
	'$CC -O2 "${pargs[@]}" -o "$WORK/l.out" "$L/onefile.c" && $CC -O2 -o "$WORK/l.std" "$L/onefile.c" &&
	 [ "$(disasm "$WORK/l.out" app_send | wc -l)" -eq "$(disasm "$WORK/l.std" app_send | wc -l)" ]'
mapfile -t pargs < <(plugin_args profile="$L/layers.prof" inline-only)
ok "inline-only: the path is inlined (app_send over twice as long, calls no layer)" eval \
	'$CC -O2 "${pargs[@]}" -o "$WORK/l.in" "$L/onefile.c" &&
	 [ "$(disasm "$WORK/l.in" app_send | wc -l)" -gt "$((2 * $(disasm "$WORK/l.std" app_send | wc -l)))" ] &&
	 [ -z "$(disasm "$WORK/l.in" app_send | grep -E "call +[0-9a-f]+ <(tcp_push|ip_push|eth_push|drv_send)")" ]'
mapfile -t pargs < <(plugin_args inline-only)
ok "inline-only: no block is outlined" eval \
	'$CC -O2 "${pargs[@]}" -o "$WORK/o.in" "$PROGS/outline.c" && ! nm "$WORK/o.in" | grep -qE " (parse|check)\.cold$"'
mapfile -t pargs < <(plugin_args outline-only)
ok "outline-only, no profile: noreturn and __builtin_expect seeds still work" eval \
	'$CC -O2 "${pargs[@]}" -o "$WORK/o.out" "$PROGS/outline.c" && nm "$WORK/o.out" | grep -qE " parse\.cold$"'

done_testing
