#!/usr/bin/env bash
# callgrind.sh [-q] [-n N] [APP...] - instructions per round trip of the ping
# apps' measured loop, xk_ping_round_trips (stack/xkernel/bench.c), which
# CALLGRIND_START/STOP_INSTRUMENTATION bracket. The apps run on the
# in-process wire, whose clock is virtual, so the count is deterministic; it
# covers both hosts' stacks and the wire's copy (one process runs them all).
#
# Each app runs twice, with N and 2N round trips per sample (1 sample, after
# xk_bench_run's warm-up of N/10 + 1); the difference of the two counts over
# the difference in round trips leaves out the one-time costs (handshake,
# first ARP). -q prints only "APP COUNT" lines. APP defaults to tcpping
# udpping icmpping; N to 2000. BUILD (default build) names the build.
set -eu
BUILD=${BUILD:-build}
quiet=0
n=2000
while getopts qn: opt; do
	case $opt in
	q) quiet=1 ;;
	n) n=$OPTARG ;;
	*) echo "usage: $0 [-q] [-n N] [APP...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- tcpping udpping icmpping
command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind is not installed" >&2; exit 1; }
tmp=$(mktemp -d /tmp/xkcg.XXXXXXXX)	# a fixed-length name
trap 'rm -rf "$tmp"' EXIT

# instructions APP ROUND_TRIPS: the loop's instruction count (all its calls).
# The app runs as ./APP from $tmp with an empty environment: the stack's
# layout then does not depend on where or by whom it is run (libc's memcmp
# and memcpy take other paths near a page's end).
instructions() {
	(cd "$tmp" && env -i "$valgrind" --tool=callgrind --instr-atstart=no --callgrind-out-file="$1.$2.out" \
		"./$1" -w inproc -n "$2" -s 1 >"$1.$2.log" 2>&1) ||
		{ echo "callgrind.sh: $1 -n $2 failed:" >&2; cat "$tmp/$1.$2.log" >&2; exit 1; }
	awk '/^totals:/ { print $2 }' "$tmp/$1.$2.out"
}

valgrind=$(command -v valgrind)
for app in "$@"; do
	cp "$BUILD/bin/$app" "$tmp/$app" || exit 1
	i1=$(instructions "$app" "$n")
	i2=$(instructions "$app" $((2 * n)))
	# round trips in the loop: warm-up n/10 + 1, then the sample's n
	per_rt=$(awk -v a="$i1" -v b="$i2" -v n="$n" 'BEGIN { printf "%.1f", (b - a) / (2 * n + int(2 * n / 10) - n - int(n / 10)) }')
	if [ "$quiet" = 1 ]; then
		echo "$app $per_rt"
	else
		echo "$app: $per_rt instructions per round trip (callgrind, in-process wire, both hosts; runs of $n and $((2 * n)) round trips)"
		echo "  the functions with most instructions of their own (run of $((2 * n))):"
		callgrind_annotate --inclusive=no "$tmp/$app.$((2 * n)).out" |
			grep -E '^ *[0-9,]+ +\([ 0-9.]+%\) ' | grep -v 'PROGRAM TOTALS' | head -10 |
			sed -E 's#[^ ]*/##; s# \[.*\]$##; s#^#    #'
	fi
done
