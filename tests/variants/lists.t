#!/usr/bin/env bash
# lists.t - the shell tests of tests/variants fail, never pass as a skip,
# when a row is not built: each run on a build whose lists have every row
# pending, on one without rpc's list, and on one whose lists have no rows
# at all, exits non-zero with a failing test naming what is missing
# (lists.sh). Nothing is measured: no row runs.
. tests/tap/tap.sh
BUILD=${BUILD:-build}
need "$BUILD/variants/tcpip/variants.list" "$BUILD/bin"
T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT
mkdir -p "$T/pending/variants/tcpip" "$T/pending/variants/rpc" "$T/norpc/variants/tcpip" \
	"$T/norows/variants/tcpip" "$T/norows/variants/rpc"
for b in pending norpc norows; do ln -s "$(cd "$BUILD/bin" && pwd)" "$T/$b/bin"; done
# every row pending, as module.mk's VARIANTS_PENDING would write it
for s in tcpip rpc; do
	awk '$1 == "variant" { $0 = "variant " $2 " pending waiting for lists.t" } 1' \
		"$BUILD/variants/tcpip/variants.list" >"$T/pending/variants/$s/variants.list"
done
cp "$T/pending/variants/tcpip/variants.list" "$T/norpc/variants/tcpip/"
# no rows at all: nothing pending, nothing built
for s in tcpip rpc; do
	awk '$1 == "stack"' "$BUILD/variants/$s/variants.list" >"$T/norows/variants/$s/variants.list"
done
tests=(order.t bind.t cold.t routes.t)
plan $((3 * ${#tests[@]}))
for t in "${tests[@]}"; do
	rc=0 && BUILD=$T/pending "tests/variants/$t" >"$T/out" 2>&1 || rc=$?
	ok "$t with every row pending: exit $rc, a failing test names the pending rows" eval \
		'[ $rc != 0 ] && grep -q "^not ok .*not: BAD STD" "$T/out"' || diag "$(tail -3 "$T/out")"
	rc=0 && BUILD=$T/norpc "tests/variants/$t" >"$T/out" 2>&1 || rc=$?
	ok "$t without rpc's list: exit $rc, a failing test names it" eval \
		'[ $rc != 0 ] && grep -q "^not ok .*rpc/variants.list exists" "$T/out"' || diag "$(tail -3 "$T/out")"
	rc=0 && BUILD=$T/norows "tests/variants/$t" >"$T/out" 2>&1 || rc=$?
	ok "$t with lists of no rows: exit $rc, a failing test names the absent rows" eval \
		'[ $rc != 0 ] && grep -q "^not ok .*absent: BAD STD" "$T/out"' || diag "$(tail -3 "$T/out")"
done
done_testing
