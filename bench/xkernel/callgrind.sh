#!/usr/bin/env bash
# callgrind.sh [-q] [-n N] [-g GEOMETRY] [APP...] - instructions (and with -g
# I1 misses) per round trip of the ping apps' measured loop,
# xk_ping_round_trips (stack/xkernel/harness/bench.c), which
# CALLGRIND_START/STOP_INSTRUMENTATION bracket. The apps run on the
# in-process wire, whose clock is virtual, so the count is deterministic; it
# covers both hosts' stacks and the wire's copy (one process runs them all).
#
# Each app runs twice, with N and 2N round trips per sample (1 sample, after
# xk_bench_run's warm-up of N/10 + 1); the difference of the two counts over
# the difference in round trips leaves out the one-time costs (handshake,
# first ARP). -g simulates an instruction cache (DESIGN.md's geometries):
# alpha21064 (I1 8 KiB direct-mapped, 32-byte lines) or modern (32 KiB
# 8-way, 64-byte lines). -q prints only "APP INSTRUCTIONS [I1_MISSES]" lines.
# APP is a ping app of $BUILD/bin, or a path to one (a variant's build);
# it defaults to tcpping udpping icmpping; N to 2000. BUILD (default build)
# names the build.
set -eu
BUILD=${BUILD:-build}
quiet=0
n=2000
cache=()
usage() { echo "usage: $0 [-q] [-n N] [-g alpha21064|modern] [APP...]" >&2; exit 2; }
while getopts qn:g: opt; do
	case $opt in
	q) quiet=1 ;;
	n) [[ $OPTARG =~ ^[1-9][0-9]{0,6}$ ]] || { echo "callgrind.sh: -n '$OPTARG': want a count from 1 to 9999999" >&2; exit 2; }
	   n=$OPTARG ;;
	g) case $OPTARG in
	   alpha21064) cache=(--cache-sim=yes --I1=8192,1,32) ;;
	   modern) cache=(--cache-sim=yes --I1=32768,8,64) ;;
	   *) echo "callgrind.sh: -g '$OPTARG': want alpha21064 or modern" >&2; exit 2 ;;
	   esac ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- tcpping udpping icmpping
valgrind=$(command -v valgrind) || { echo "callgrind.sh: valgrind is not installed" >&2; exit 1; }
tmp=$(mktemp -d /tmp/xkcg.XXXXXXXX)	# a fixed-length name
trap 'rm -rf "$tmp"' EXIT

# counts APP ROUND_TRIPS: "Ir I1mr" of the loop (all its calls; I1mr 0 without -g).
# The app runs as ./APP from $tmp with an empty environment: the stack's
# layout then does not depend on where or by whom it is run (libc's memcmp
# and memcpy take other paths near a page's end).
counts() {
	(cd "$tmp" && env -i "$valgrind" --tool=callgrind --instr-atstart=no ${cache[@]+"${cache[@]}"} \
		--callgrind-out-file="$1.$2.out" "./$1" -w inproc -n "$2" -s 1 >"$1.$2.log" 2>&1) ||
		{ echo "callgrind.sh: $1 -n $2 failed:" >&2; cat "$tmp/$1.$2.log" >&2; exit 1; }
	awk '/^events:/ { for (i = 2; i <= NF; i++) col[$i] = i }
	     /^totals:/ { print $(col["Ir"]), (col["I1mr"] ? $(col["I1mr"]) : 0) }' "$tmp/$1.$2.out"
}

for arg in "$@"; do
	exe=$BUILD/bin/$arg app=$arg
	[[ $arg == */* ]] && exe=$arg app=$(basename "$arg")
	[ -x "$exe" ] || { echo "callgrind.sh: no $exe (make all first?)" >&2; exit 1; }
	cp "$exe" "$tmp/$app"
	read -r ir1 miss1 <<<"$(counts "$app" "$n")"
	read -r ir2 miss2 <<<"$(counts "$app" $((2 * n)))"
	# round trips in the loop: warm-up n/10 + 1, then the sample's n
	per_rt=$(awk -v a="$ir1" -v b="$ir2" -v c="$miss1" -v d="$miss2" -v n="$n" 'BEGIN {
		rt = 2 * n + int(2 * n / 10) - n - int(n / 10)
		printf "%.1f %.2f", (b - a) / rt, (d - c) / rt }')
	read -r ir miss <<<"$per_rt"
	if [ "$quiet" = 1 ]; then
		echo "$app $ir${cache[0]+ $miss}"
	else
		echo "$app: $ir instructions${cache[0]+ and $miss I1 misses} per round trip" \
			"(callgrind, in-process wire, both hosts; runs of $n and $((2 * n)) round trips)"
		echo "  the functions with most instructions of their own${cache[0]+ (then their I1 misses)} (run of $((2 * n))):"
		callgrind_annotate --auto=no --inclusive=no --show=Ir${cache[0]+,I1mr} "$tmp/$app.$((2 * n)).out" |
			grep -E '^ *[0-9,]+ +\([ 0-9.]+%\) ' | grep -v 'PROGRAM TOTALS' | head -10 |
			sed -E 's#[^ ]*/##; s# \[.*\]$##; s#^#    #'
	fi
done
