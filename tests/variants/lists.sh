# shellcheck shell=bash
# lists.sh - sourced by the shell tests of tests/variants (after
# tests/tap/tap.sh): the stacks' variants.list files. make test builds
# every row but an `extra` one (bench/variants/module.mk, VARIANTS_EXTRA),
# so a stack without its list fails the test (need), and so do a row
# still `pending` and a row the list lacks: a missing build never passes
# as a skip.

# module_var NAME: the words of bench/variants/module.mk's NAME := ...
module_var() {
	awk -v n="$1" '$1 == n && $2 == ":=" { $1 = $2 = ""; print }' bench/variants/module.mk
}

# variant_lists: LISTS, the list of every stack bench/variants/module.mk
# names (VARIANT_STACKS), each one needed; per list, one test that it has
# a row for every variant module.mk names (VARIANTS) and one that no row
# of it is pending.
variant_lists() {
	local s v pending absent stacks variants
	read -ra stacks < <(module_var VARIANT_STACKS)
	read -ra variants < <(module_var VARIANTS)
	LISTS=()
	for s in "${stacks[@]}"; do
		LISTS+=("$BUILD/variants/$s/variants.list")
	done
	need "${LISTS[@]}"
	for s in "${LISTS[@]}"; do
		absent=
		for v in "${variants[@]}"; do
			awk -v v="$v" '$1 == "variant" && $2 == v { f = 1 } END { exit !f }' "$s" || absent+=" $v"
		done
		ok "$s: a row for every variant (module.mk's VARIANTS; absent:${absent:- none})" test -z "$absent"
		pending=$(awk '$1 == "variant" && $3 != "built" && $3 != "extra" { printf " %s", $2 }' "$s")
		ok "$s: every row built (make test builds them all; not:${pending:- none})" test -z "$pending"
	done
}
