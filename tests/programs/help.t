#!/usr/bin/env bash
# help.t - every program the build puts in $BUILD/bin, and the scripts
# users run by hand (the pipeline's steps in docs/DESIGN.md, the benches),
# answer --help and -h with their usage on stdout (a line starting "usage:") and exit status 0, and
# tcpping/udpping, which refuse -t and -p, do not offer them.
. tests/tap/tap.sh
: "${BUILD:=build}"
T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT

progs=("$BUILD"/bin/*)
need "${progs[0]}"
progs+=(profiles/tcpping.sh profiles/rpcping.sh profiles/xk_build.sh plugin/hot_bytes.sh
	bench/plugin/tcpping.sh bench/xkernel/callgrind.sh bench/xkernel/classify.sh bench/xkernel/lossy.sh
	bench/xkernel/synflood.sh bench/xkernel/zerowin.sh bench/external/bench.sh tests/external/ext.sh)
plan $((2 * ${#progs[@]} + 2))

# usage_on_stdout PROG OPTION: exit 0, a usage line on stdout.
usage_on_stdout() {
	timeout 10 "$1" "$2" >"$T/out" 2>"$T/err" && grep -qi '^usage:' "$T/out"
}

for p in "${progs[@]}"; do
	for opt in --help -h; do
		ok "$(basename "$p") $opt: usage on stdout, exit 0" usage_on_stdout "$p" "$opt" ||
			diag "  stdout: $(head -c 200 "$T/out")" "  stderr: $(head -c 200 "$T/err")"
	done
done
for p in tcpping udpping; do
	ok "$p --help offers no -t/-p (it refuses them)" eval \
		'"$BUILD/bin/$p" --help >"$T/out" 2>/dev/null && ! grep -qE -- "-[tp] " "$T/out"'
done
done_testing
