# bolt.sh - LLVM BOLT as bench.sh and shift.sh run it (sourced): the tool,
# the flags of the BOLT variants, and bolt_check, which says what is missing.
BOLT=llvm-bolt-19
BOLT_FLAGS="-reorder-blocks=ext-tsp -reorder-functions=cdsort -split-functions -split-all-cold"

# bolt_check WHO: llvm-bolt-19 and merge-fdata-19 installed, and the
# instrumentation runtime where Debian's bolt-19 looks for it
# (TOOLCHAIN-NOTES); else one line naming the fix, status 1.
bolt_check() {
	local t
	for t in "$(command -v $BOLT || echo $BOLT)" "$(command -v merge-fdata-19 || echo merge-fdata-19)"; do
		[ -x "$t" ] || { echo "$1: $t is missing (make deps for bolt-19)" >&2; return 1; }
	done
	[ -e /usr/lib/libbolt_rt_instr.a ] || { echo "$1: $BOLT needs /usr/lib/libbolt_rt_instr.a;" \
		"as root: ln -s /usr/lib/llvm-19/lib/libbolt_rt_instr.a /usr/lib/" >&2; return 1; }
}
