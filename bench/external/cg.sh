# cg.sh - cachegrind as bench.sh and shift.sh run it (sourced): one command
# line for both, so that their counts compare, and its summary read back.

# cg_wrapper FILE SPEC DIR EXE: FILE, a script running EXE (with its
# arguments) under cachegrind with I1 and D1 = SPEC (SIZE,WAYS,LINE) and a
# 4 MiB 16-way LL, each process's counts in DIR/cg.PID.
cg_wrapper() {
	printf '#!/bin/sh\nexec valgrind --tool=cachegrind --cache-sim=yes --I1=%s --D1=%s --LL=4194304,16,64 --cachegrind-out-file=%s/cg.%%p %s "$@"\n' \
		"$2" "$2" "$3" "$4" > "$1"
	chmod +x "$1"
}

# cg_summary FILE: "instructions I1misses" of a cachegrind file's summary.
cg_summary() {
	awk '/^events:/ { for (i = 2; i <= NF; i++) e[$i] = i } /^summary:/ { print $e["Ir"], $e["I1mr"] }' "$1"
}
