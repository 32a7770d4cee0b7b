#!/usr/bin/env bash
# fdo_branch.t - the fdo pass with branch counts (profile version 5) on
# progs/fdo_and.c: `x > 0 && x % 7 == 0` is two tests on one line, whose
# count is the hotter test's, so the line counts make the first test's way
# straight to the join (taken 900 times of 1000 in training) look never
# taken. olayout profile of an -O1 build gives each test's `branch` entry;
# with them both tests take their trained probabilities and the way to the
# join falls through; with the same profile less its branch entries it
# does not.
. tests/plugin/lib.sh
need_tool valgrind

SRC=$PROGS/fdo_and.c
OLAYOUT=$BUILD/bin/olayout
need "$OLAYOUT"
line() { grep -n "$1" "$SRC" | cut -d: -f1; }
BRANCH=$(line BRANCH)

# after_test EXE: the instruction after pick's first conditional jump (the
# way its first test falls through to).
after_test() {
	disasm "$1" pick | awk 'found { print $2, $NF; exit } $2 ~ /^j/ && $2 != "jmp" { found = 1 }'
}

plan 9

$CC -O1 -g -Wl,--emit-relocs -o "$WORK/train" "$SRC" || bail_out "cannot build $SRC -O1"
ok "olayout profile of the -O1 build" \
	sh -c '"$1" profile -o "$2" -- "$3" >/dev/null 2>&1' sh "$OLAYOUT" "$WORK/b.prof" "$WORK/train"
is "$(grep -c "^branch [^ ]*fdo_and.c:$BRANCH " "$WORK/b.prof")" 2 \
	"the profile has a branch entry for each test of line $BRANCH"
grep -v '^branch ' "$WORK/b.prof" | sed 's/^olayout-profile 5$/olayout-profile 4/' >"$WORK/l.prof"

plugin_build "$SRC" b
plugin_build "$SRC" l
ok "with branch entries: both tests of line $BRANCH take them" \
	grep -qF 'pick: 4 of 4 blocks have training counts; 2 branches take trained probabilities (2 from branch counts)' \
	"$WORK/verbose.b"
is "$(after_test "$WORK/b")" "call <common>" \
	"with branch entries: the way to the join (x <= 0, 900 of 1000) falls through to common's call"
ok "with line counts alone: it does not (the first test keeps GCC's guess)" \
	test "$(after_test "$WORK/l")" != "call <common>"
ok "with line counts alone: verbose says GCC's guess decided the first test" \
	grep -qE "pick: branch at [^ ]*fdo_and.c:$BRANCH \\(block [0-9]+\\): GCC's guess" "$WORK/verbose.l"
is "$("$WORK/b")" "$("$WORK/train")" "same output"

done_testing
