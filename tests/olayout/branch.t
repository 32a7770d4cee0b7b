#!/usr/bin/env bash
# branch.t - olayout profile's `branch` entries (profile version 5) on an
# -O1 build of progs/branches.c run under callgrind: each conditional jump
# that ran, by the source locations of the jump, its target and its
# fall-through, with the taken count (callgrind's jcnd) and the
# fall-through count (the jump's own count less it); the exact counts the
# program's arithmetic gives.
. tests/tap/tap.sh
BUILD=${BUILD:-build}
OLAYOUT=$BUILD/bin/olayout
SRC=tests/olayout/progs/branches.c
need "$OLAYOUT"
need_tool valgrind
mkdir -p "$BUILD/tests" && WORK=$(mktemp -d "$BUILD/tests/branch.XXXXXX") ||
	bail_out "cannot make a scratch directory under $BUILD/tests"
trap 'rm -rf "$WORK"' EXIT
line() { grep -n "/\\* $1 \\*/" "$SRC" | cut -d: -f1; }
at() { echo "[^ ]*branches.c:$(line "$1")"; }

plan 5

gcc -O1 -g -Wl,--emit-relocs -o "$WORK/b" "$SRC" || bail_out "cannot build $SRC -O1"
ok "olayout profile -- the -O1 build" \
	sh -c '"$1" profile -o "$2" -- "$3" >/dev/null 2>&1' sh "$OLAYOUT" "$WORK/p.prof" "$WORK/b"
is "$(head -1 "$WORK/p.prof")" "olayout-profile 5" "a version 5 profile"
ok "count's first test: taken to the return 500 times, falls through to the second test 500" \
	grep -qE "^branch $(at BOTH) $(at END) $(at BOTH) 500 500\$" "$WORK/p.prof"
ok "main's loop test: back to the body 999 times, on to the printf once" \
	grep -qE "^branch $(at LOOP) $(at BODY) $(at AFTER) 999 1\$" "$WORK/p.prof"
ok "the merge of a profile with itself doubles the counts" \
	sh -c '"$1" profile -o "$2.2" --merge "$2" "$2" >/dev/null 2>&1 &&
		grep -qE "^branch $3 $4 $3 1000 1000\$" "$2.2"' sh "$OLAYOUT" "$WORK/p.prof" "$(at BOTH)" "$(at END)"

done_testing
