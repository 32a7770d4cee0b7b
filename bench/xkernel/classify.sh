#!/usr/bin/env bash
# classify.sh [-n N] - the packet classifier's own cost per frame
# (xk_classify, stack/xkernel/framework/classify.h), apart from the stack:
# ns per frame on this machine (xkclassify, N frames a case, default
# 10,000,000) and instructions per frame under callgrind (deterministic; N/100
# frames a case), with 1, 4 and 8 bound flows, for a frame that matches the
# last flow and one that matches none. BUILD (default build) names the build.
set -eu
BUILD=${BUILD:-build}
n=10000000
[ "${1:-}" = --help ] && { echo "usage: $0 [-n N]"; exit 0; }
while getopts hn: opt; do
	case $opt in
	h) echo "usage: $0 [-n N]"; exit 0 ;;
	n) [[ $OPTARG =~ ^[1-9][0-9]{2,9}$ ]] || { echo "classify.sh: -n '$OPTARG': want a count from 100" >&2; exit 2; }
	   n=$OPTARG ;;
	*) echo "usage: $0 [-n N]" >&2; exit 2 ;;
	esac
done
exe=$BUILD/bin/xkclassify
[ -x "$exe" ] || { echo "classify.sh: no $exe (make all first?)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "classify.sh: valgrind is not installed" >&2; exit 1; }
tmp=$(mktemp -d /tmp/xkcls.XXXXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$exe" -n "$n"
m=$((n / 100))
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$tmp/cg" "$exe" -n "$m" >/dev/null 2>&1
# one dump per measured loop (CALLGRIND_DUMP_STATS), in the order xkclassify prints its cases
for f in $(ls "$tmp"/cg.* | sort -t. -k2 -n); do
	awk '/^totals:/ { print $2 }' "$f"
done | awk -v m="$m" '{ ir[NR] = $1 / m }
	END { split("1 4 8", fl, " "); for (k = 1; k <= 3; k++)
		printf "xkclassify: %s flow%s: %.1f instructions per frame matching the last, %.1f per frame matching none (callgrind)\n",
			fl[k], (fl[k] > 1 ? "s" : ""), ir[2 * k - 1], ir[2 * k] }'
