#!/usr/bin/env bash
# block_split.t - split-cold=never on progs/split.c: work's loop holds a
# macro line whose rare arm never runs (the element is never KEY) but shares
# the line's count in a line profile, so the outline pass keeps it in line.
# The build with block-ids, trained by `olayout profile --blocks`, says the
# arm never ran: with that block profile and split-cold=never the arm goes
# to work.cold (GCC's cold partition, made for it: work had none; its tail
# call's abnormal edge to the exit is no reason to refuse), without
# the option it stays in work. GCC's own checks (-fchecking) pass after the
# move; the program prints what it did, and trained again it runs no
# block of work.cold. hop, whose loop goes on through a
# computed goto, is refused and left whole, with a note; a block profile
# whose entries do not fit work (no exact counts) moves nothing. On
# progs/split_ret.c a block without an entry entered only from a block that
# never ran goes to work.cold too. On progs/arms.c, whose rare arms ran (1 in 1024),
# split-cold=never leaves them in line and split-cold=rare
# (cold-runs=N/100) moves them.
. tests/plugin/lib.sh

arms_setup "$PROGS/split.c"
echo "function hop 1 10000000" >>"$WORK/lines.prof"

# build NAME [OPTION...]: SRC -O2 -g with GCC's checks on (-fchecking), the
# line profile, ext-TSP and OPTIONs into WORK/NAME (verbose in
# WORK/verbose.NAME); one test.
build() { ARMS_CFLAGS=-fchecking arms_build "$@"; }

# holding EXE REGEX: the functions (FN or FN.cold) with an instruction
# matching REGEX, sorted, one line.
holding() {
	objdump -d --no-show-raw-insn "$1" |
		awk -v re="$2" '/^[0-9a-f]+ <.*>:$/ { name = $2; gsub(/[<>:]/, "", name); next } $0 ~ re { print name }' |
		sort -u | tr '\n' ' ' | sed 's/ $//'
}

# arm_in EXE: the functions holding the rare arm's multiply.
arm_in() { holding "$1" 'imul +[$]0x5bd1e995'; }

plan 30
build lines block-ids
arms_blocks "$WORK/b.prof" "$WORK/lines"
ok "the block profile says some of work's blocks never ran" grep -qE '^block work [0-9]+ 0$' "$WORK/b.prof"
is "$(arm_in "$WORK/lines")" "hop work" "line counts: the never-run arms are in line"

build blocks block-profile="$WORK/b.prof"
is "$(arm_in "$WORK/blocks")" "hop work" "block counts without split-cold: they stay in line"
build split block-profile="$WORK/b.prof" split-cold=never
is "$(arm_in "$WORK/split")" "hop work.cold" "split-cold=never: work's arm in work.cold, hop's in hop"
ok "verbose: work's never-run blocks to its cold partition" grep -qE \
	"^olayout: block-order: work: [1-9][0-9]* blocks that never ran \([0-9]+ of [0-9]+ bytes; jumps to them [0-9]+ bytes more\) to its cold partition$" \
	"$WORK/verbose.split"
ok "verbose: hop refused (a computed goto)" grep -qE \
	"^olayout: block-order: hop: [1-9][0-9]* blocks that never ran \([0-9]+ bytes; jumps to them [0-9]+ bytes more\) stay in place: it has a computed goto$" \
	"$WORK/verbose.split"
is "$("$WORK/split" 5000)" "$("$WORK/lines" 5000)" "same output"
ok "olayout verify passes" "$OLAYOUT" verify "$WORK/split"
# what moved never runs on the training input: the split build (block-ids
# on, as block-profile turns them on) trained again; the ids of work.cold's rows
arms_blocks "$WORK/s.prof" "$WORK/split" "olayout profile --blocks of the split build"
COLD_IDS=$(discriminators "$WORK/split" work.cold | sort -u | tr '\n' ' ')
is "$(awk -v ids="$COLD_IDS" 'BEGIN { split(ids, a, " "); for (i in a) C[a[i]] = 1 }
	$1 == "block" && $2 == "work" && ($3 in C) && $4 > 0 { print $3 }' "$WORK/s.prof")" "" \
	"no block of work.cold (ids $COLD_IDS) ran on the training input"

# entries that do not fit work: GCC's counts, no exact ones, nothing moves
{ cat "$WORK/b.prof"; echo "block work 999 5"; } >"$WORK/stray.prof"
build stray block-profile="$WORK/stray.prof" split-cold=never
is "$(arm_in "$WORK/stray")" "hop work" "no exact counts (block entries that do not fit): the arms stay"
ok "split-cold without block-profile is refused with one message" sh -c \
	'! "$@" 2>"$0" && grep -q "needs .block-profile=" "$0"' "$WORK/err" \
	$CC -O2 "${ARMS_ARGS[@]}" -fplugin-arg-olayout-split-cold=never -o "$WORK/none" "$SRC"
# split_ret.c: the block of the rare arm's shift by 19 (shr $0x13) is
# entered only from the rare arm's test, which never ran; its entry taken
# out of the profile, it is a block with no location of its own (the
# register moves on an edge out of never-run code, a lone ret), which has
# none
SRC=$PROGS/split_ret.c
arms_profile "$WORK/ret.prof"
build ret_lines block-ids
arms_blocks "$WORK/r.prof" "$WORK/ret_lines" "olayout profile --blocks of split_ret"
SHIFT=$(objdump -dl --no-show-raw-insn --disassemble=work "$WORK/ret_lines" |
	awk 'match($0, /\(discriminator [0-9]+\)/) { d = substr($0, RSTART + 15, RLENGTH - 16) }
		/shr +[$]0x13,/ { print d; exit }')
ok "the shift's block (id $SHIFT) never ran" grep -qx "block work $SHIFT 0" "$WORK/r.prof"
grep -v "^block work $SHIFT " "$WORK/r.prof" >"$WORK/r2.prof"
build ret_split block-profile="$WORK/r2.prof" split-cold=never
ok "verbose: that block, without an entry, never ran: it is entered only from blocks that never ran" \
	grep -qx "olayout: block-order: work: block $SHIFT: 0, entered only from blocks that never ran" \
	"$WORK/verbose.ret_split"
is "$(holding "$WORK/ret_split" 'shr +[$]0x13,')" work.cold "that block (the rare arm's shift) in work.cold"
is "$("$WORK/ret_split" 5000)" "$("$WORK/ret_lines" 5000)" "split_ret: same output"
# rare blocks: arms.c's rare arms ran N/1024 times each (arms_setup: its
# SRC, line profile and plugin arguments)
arms_setup
build arms block-ids
arms_blocks "$WORK/a.prof" "$WORK/arms" "olayout profile --blocks of arms"
build never block-profile="$WORK/a.prof" split-cold=never cold-runs=$((N / 100))
is "$(arm_in "$WORK/never")" work "split-cold=never: the rare arms, which ran, stay in work"
build rare block-profile="$WORK/a.prof" split-cold=rare cold-runs=$((N / 100))
is "$(arm_in "$WORK/rare")" work.cold "split-cold=rare: they go to work.cold"
done_testing
