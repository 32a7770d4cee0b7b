# lib.sh - shared by the plugin's test scripts (sourced, not run): TAP
# output (tests/tap/tap.sh), a scratch directory under $BUILD, and compiling
# with the plugin.
# The test programs themselves are built with plain gcc (never sanitized):
# the plugin runs inside cc1/lto1, whatever the build directory.

set -u
export LC_ALL=C # GCC quotes with ASCII quotes then
: "${BUILD:=build}"
PLUGIN=$BUILD/plugin/olayout.so
PROGS=tests/plugin/progs
CC=${TEST_CC:-gcc}
. tests/tap/tap.sh
need "$PLUGIN"
mkdir -p "$BUILD/tests" && WORK=$(mktemp -d "$BUILD/tests/plugin.XXXXXX") ||
	bail_out "cannot make a scratch directory under $BUILD/tests"
trap 'rm -rf "$WORK"' EXIT

# plugin_args OPTION...: the -fplugin arguments for the given plugin options.
plugin_args() {
	local a
	printf '%s\n' "-fplugin=$PLUGIN"
	for a in "$@"; do printf '%s\n' "-fplugin-arg-olayout-$a"; done
}

# plugin_build SRC NAME [OPTION...]: one test, SRC built -O2 with the plugin,
# profile WORK/NAME.prof, verbose and OPTIONs, into WORK/NAME (verbose in
# WORK/verbose.NAME).
plugin_build() {
	local src=$1 name=$2 pargs
	shift 2
	mapfile -t pargs < <(plugin_args profile="$WORK/$name.prof" verbose "$@")
	ok "$name: builds" $CC -O2 "${pargs[@]}" -o "$WORK/$name" "$src" 2>"$WORK/verbose.$name"
}

# fn_size EXE FN: the size nm gives the symbol FN (decimal), or nothing.
fn_size() {
	local h
	h=$(nm -S "$1" | awk -v fn="$2" '$4 == fn { print $2; exit }')
	[ -n "$h" ] && echo $((16#$h))
}

# cold_parts EXE: the functions that have a .cold part, sorted, one line.
cold_parts() {
	nm "$1" | awk '$3 ~ /\.cold$/ { sub(/\.cold$/, "", $3); print $3 }' | sort | tr '\n' ' ' | sed 's/ $//'
}

# disasm EXE FN: the instructions of FN (also FN.constprop.0 and such).
disasm() {
	objdump -d --no-show-raw-insn "$1" |
		awk -v fn="$2" '/^[0-9a-f]+ <.*>:$/ { name = $2; gsub(/[<>:]/, "", name); on = (name == fn || index(name, fn ".") == 1); next } on && NF'
}

# marked_line FILE TEXT: the number of FILE's first line holding TEXT (a
# test program marks the lines a test names with a comment).
marked_line() {
	grep -nF "$2" "$1" | head -1 | cut -d: -f1
}

# first_call EXE FN: the first function FN calls in its layout (the side
# its first branch falls through to, in the test programs).
first_call() {
	disasm "$1" "$2" | grep -oE 'call +[0-9a-f]+ <[a-z_]+>' | head -1 | sed 's/.*<//; s/>//'
}

# marked_lines SRC MARK: the numbers of SRC's lines holding MARK (a grep
# pattern), sorted as comm wants.
marked_lines() {
	grep -n "$2" "$1" | cut -d: -f1 | sort -u
}

# marked_profile SRC FN CALLS MARK=COUNT...: a profile (one training run)
# of function FN entered CALLS times, whose lines holding MARK (a grep
# pattern) ran COUNT times; COUNT "cold" makes them cold-lines.
marked_profile() {
	local src=$1 f m
	f=$(basename "$1")
	printf 'olayout-profile 2\ntraining 1\nfunction %s %s 10000000\n' "$2" "$3"
	shift 3
	for m in "$@"; do
		if [ "${m##*=}" = cold ]; then
			marked_lines "$src" "${m%=*}" | sed "s/^/cold-line $f:/"
		else
			marked_lines "$src" "${m%=*}" | sed "s/^/line $f:/; s/\$/ ${m##*=}/"
		fi
	done
}

# o1_profile SRC: SRC built at -O1 into $WORK/train and trained by
# olayout profile into $WORK/b.prof (one test: the profile was written);
# the -O1 build's jumps give the branch entries the branch-seed tests need.
o1_profile() {
	$CC -O1 -g -Wl,--emit-relocs -o "$WORK/train" "$1" || bail_out "cannot build $1 -O1"
	ok "olayout profile of the -O1 build" \
		sh -c '"$1" profile -o "$2" -- "$3" >/dev/null 2>&1' sh "$OLAYOUT" "$WORK/b.prof" "$WORK/train"
}

# opcodes_profile CALLS LOOP HOT RARE: a profile (one training run) of
# progs/opcodes.c: run entered CALLS times, its loop LOOP times, each HOT
# line HOT times, each RARE line RARE times, op 4's lines cold; mix called
# as often as ops 1 and 2 ran (HOT + RARE), 6 instructions a call.
opcodes_profile() {
	local src=$PROGS/opcodes.c
	marked_profile "$src" run "$1" "ENTRY \\*/=$1" "LOOP \\*/=$2" "HOT \\*/=$3" "RARE \\*/=$4" \
		'NEVER \*/=cold' "TAIL \\*/=$1"
	echo "function mix $(($3 + $4)) $((6 * ($3 + $4)))"
	marked_lines "$src" 'MIX \*/' | sed "s/^/line opcodes.c:/; s/\$/ $(($3 + $4))/"
}

# among_hot EXE FN SRC HOT MARK: yes when an instruction of FN from a line
# of SRC holding MARK lies between FN's first and last instruction from a
# line holding HOT (grep patterns; EXE built with -g), else no.
among_hot() {
	objdump -dl --no-show-raw-insn "--disassemble=$2" "$1" |
		sed -n "s/^.*$(basename "$3" | sed 's/\./\\./'):\([0-9]*\).*\$/\1/p" |
		awk -v hot="$(marked_lines "$3" "$4" | tr '\n' ' ')" -v mark="$(marked_lines "$3" "$5" | tr '\n' ' ')" '
			BEGIN { split(hot, h, " "); for (i in h) H[h[i]] = 1; split(mark, m, " "); for (i in m) M[m[i]] = 1 }
			{ line[NR] = $1; if ($1 in H) { if (!first) first = NR; last = NR } }
			END { for (i = first; i <= last; i++) if (line[i] in M) { print "yes"; exit } print "no" }'
}

# src_lines EXE SYM SRC: the lines of SRC SYM's code stands for, sorted.
src_lines() {
	objdump -dl --no-show-raw-insn "--disassemble=$2" "$1" |
		sed -n "s/^.*$(basename "$3" | sed 's/\./\\./'):\([0-9]*\).*\$/\1/p" | sort -u
}

# discriminators EXE FN [LINE]: the discriminators of FN's line-table rows
# (0: none) in address order, one a line; with LINE only the rows of that
# line. objdump prints each row as FILE:LINE [(discriminator N)].
discriminators() {
	objdump -dl --no-show-raw-insn "--disassemble=$2" "$1" |
		awk -v line="${3:-}" 'match($0, /\.c:[0-9]+/) {
			l = substr($0, RSTART + 3, RLENGTH - 3)
			d = match($0, /\(discriminator [0-9]+\)/) ? substr($0, RSTART + 15, RLENGTH - 16) : 0
			if (line == "" || l == line) print d }'
}

# arms_profile PROF: the line profile of SRC's marks (work entered once,
# its ENTRY lines run once, its HOT and MACRO lines N times) in PROF, and
# ARMS_ARGS, the plugin arguments arms_build compiles with: that profile,
# ext-TSP, verbose.
arms_profile() {
	marked_profile "$SRC" work 1 'ENTRY \*/=1' "HOT \\*/=$N" "MACRO \\*/=$N" >"$1"
	mapfile -t ARMS_ARGS < <(plugin_args profile="$1" block-order=exttsp verbose)
}

# arms_setup [SRC]: for the block-profile tests on progs/arms.c (or SRC:
# block_profile.t, block_flow.t, block_split.t): OLAYOUT, SRC, N (work's
# trips per run) and arms_profile's line profile in WORK/lines.prof.
arms_setup() {
	OLAYOUT=$BUILD/bin/olayout
	need "$OLAYOUT"
	SRC=${1:-$PROGS/arms.c}
	N=100000
	arms_profile "$WORK/lines.prof"
}

# arms_build NAME [OPTION...]: SRC -O2 -g (and $ARMS_CFLAGS) with the
# plugin arguments ARMS_ARGS (arms_setup's: its line profile, ext-TSP,
# verbose) and OPTIONs into WORK/NAME (verbose in WORK/verbose.NAME); one
# test. block_split.t sets SRC and calls arms_profile itself.
arms_build() {
	local name=$1 opt
	shift
	mapfile -t opt < <(for o in "$@"; do printf '%s\n' "-fplugin-arg-olayout-$o"; done)
	ok "$name: builds" sh -c '"$@" 2>"$0"' "$WORK/verbose.$name" \
		$CC -O2 -g ${ARMS_CFLAGS:-} -Wl,--emit-relocs "${ARMS_ARGS[@]}" "${opt[@]}" -o "$WORK/$name" "$SRC"
}

# arms_blocks PROF EXE [NAME]: `olayout profile --blocks` of one run of EXE
# (N trips) into PROF; one test, NAME (default: "olayout profile --blocks of
# its run").
arms_blocks() {
	ok "${3:-olayout profile --blocks of its run}" \
		sh -c '"$1" profile --blocks -o "$2" -- "$3" "$4" >/dev/null 2>&1' sh "$OLAYOUT" "$1" "$2" $N
}
