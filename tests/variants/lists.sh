# shellcheck shell=bash
# lists.sh - sourced by the shell tests of tests/variants (after
# tests/tap/tap.sh): the stacks' variants.list files. make test builds
# every row but an `extra` one (bench/variants/module.mk, VARIANTS_EXTRA),
# so a stack without its list fails the test (need), and so does a row
# still `pending`: a missing build never passes as a skip.

# variant_lists: LISTS, the list of every stack bench/variants/module.mk
# names (VARIANT_STACKS), each one needed; one test per list that no row
# of it is pending.
variant_lists() {
	local s pending stacks
	read -ra stacks < <(awk '$1 == "VARIANT_STACKS" && $2 == ":=" { $1 = $2 = ""; print }' bench/variants/module.mk)
	LISTS=()
	for s in "${stacks[@]}"; do
		LISTS+=("$BUILD/variants/$s/variants.list")
	done
	need "${LISTS[@]}"
	for s in "${LISTS[@]}"; do
		pending=$(awk '$1 == "variant" && $3 != "built" && $3 != "extra" { printf " %s", $2 }' "$s")
		ok "$s: every row built (make test builds them all; not:${pending:- none})" test -z "$pending"
	done
}
