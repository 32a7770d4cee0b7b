#!/usr/bin/env bash
# zlib.t - the smallest package of test-external in `make test`: Debian's zlib
# (fetched by mk/debsrc.sh into the git-ignored cache/; skipped, with the
# reason, only when the source cannot be fetched) through ext.sh with its
# recipe: built with olayout-cc, trained on its recipe, optimized four ways,
# every output verified and its own suite (31 passes) kept by each, and
# bench/external's two workloads of the recipe (ext.sh runs them), the one
# trained on and the held-out one (other text, other levels), give each
# optimized minigzip's output the unmodified one's.
set -u
export LC_ALL=C
: "${BUILD:=build}"
. tests/tap/tap.sh
need "$BUILD/bin/olayout" "$BUILD/bin/olayout-cc"
need_tool valgrind	# training needs it; make deps installs it
mk/debsrc.sh cache zlib >/dev/null 2>&1 || skip_all "the zlib source package cannot be fetched (no network?)"
T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT

plan 11
BUILD=$BUILD tests/external/ext.sh cache zlib >"$T/out" 2>"$T/err"
rc=$?
ok "ext.sh builds, trains, optimizes and checks zlib: ok" eval '[ $rc = 0 ] && grep -q "^ext: zlib: ok$" "$T/out"' ||
	diag "$(tail -20 "$T/err")"
ok "the unmodified suite passes 31" grep -q "^ext: zlib: programs example minigzip; its own suite passes 31 unmodified$" "$T/err"
for s in bipartite hfsort cdsort bad; do
	ok "$s: each output verifies and the suite keeps its 31 passes" eval \
		'"$BUILD/bin/olayout" verify cache/ext/zlib/opt/$s/minigzip >/dev/null &&
		"$BUILD/bin/olayout" verify cache/ext/zlib/opt/$s/example >/dev/null &&
		grep -q "^ext: zlib: $s: its own suite passes 31 of the unmodified 31$" "$T/err"'
done

# the held-out workload's text is not the training workload's
texts() {
	(. tests/external/steps.sh && defaults && . tests/external/recipes/zlib.sh &&
		cd cache/ext/zlib/src && set +o pipefail && workload "$1" "$T/w" && heldout "$1" "$T/h") > /dev/null 2>&1
}
ok "the held-out workload compresses other text than the workload's" eval \
	'texts "$PWD/cache/ext/zlib/orig/minigzip" && [ -s "$T/w/text" ] && [ -s "$T/h/text" ] &&
	! cmp -s "$T/w/text" "$T/h/text"'
for s in bipartite hfsort cdsort bad; do
	ok "$s: minigzip on both workloads prints and writes what the unmodified one does" grep -q \
		"^ext: zlib: $s: minigzip on the recipe's workloads prints and writes what the unmodified one does$" "$T/err"
done
done_testing
