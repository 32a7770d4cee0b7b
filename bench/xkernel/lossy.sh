#!/usr/bin/env bash
# lossy.sh [-h] [-n CONNS] [-b BYTES] [-r RUNS] [-S SEED] - lossy transfer
# time, our TCP against Linux's, side by side in one run: through tapimpair
# (5% of frames lost, 5% duplicated, 25% held back 1 ms: reordered; seeded)
# between two network namespaces (tests/xkernel/impair.sh), CONNS connections
# at once (default 10) each carrying BYTES (default 1000000), one way (to a
# sink) and both ways (echoed), to Linux's server on the far side: from our
# stack (tcpsend) and from Linux (bench/xkernel/lossy_linux.py), from the
# same namespace through the same link. Prints each run's time and the
# ratio ours / Linux's of the medians over RUNS runs (default 3).
# Needs root, /dev/net/tun, network namespaces, python3 (else says why, exit 1).
set -u
BUILD=${BUILD:-build}
conns=10 bytes=1000000 runs=3 seed=1
usage() { sed -n '2,12s/^# \{0,1\}//p' "$0" | sed '1s/^/usage: /'; }
# Before getopts, which would refuse --help as an unknown option.
[[ ${1:-} == --help ]] && { usage; exit 0; }
while getopts hn:b:r:S: o; do
	case $o in
	h) usage; exit 0 ;;
	n) conns=$OPTARG ;;
	b) bytes=$OPTARG ;;
	r) runs=$OPTARG ;;
	S) seed=$OPTARG ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
# checked before the namespaces are made: a bad value would fail mid-run
[ $# = 0 ] || { echo "lossy.sh: unexpected argument '$1' (lossy.sh --help)" >&2; exit 2; }
want() { # want OPTION VALUE REGEX RANGE
	[[ $2 =~ $3 ]] || { echo "lossy.sh: $1 '$2': want $4" >&2; exit 2; }
}
want -n "$conns" '^([1-9][0-9]{0,2}|1000)$' "1 to 1000 connections (tcpsend -P)"
want -b "$bytes" '^[1-9][0-9]{0,8}$' "1 to 999999999 bytes"
want -r "$runs" '^[1-9][0-9]{0,3}$' "1 to 9999 runs"
want -S "$seed" '^[0-9]{1,9}$' "a seed, 0 to 999999999"
. bench/xkernel/netns_bench.sh	# skip_all, need_tool: one line, status 1
XK_BENCH_NAME=lossy.sh
bail_out() { echo "lossy.sh: $*" >&2; exit 1; }
need_tool python3	# Linux's side
[[ -x $BUILD/bin/tcpsend && -x $BUILD/bin/tapimpair ]] || bail_out "build first (make): $BUILD/bin/tcpsend, tapimpair"
. tests/xkernel/impair.sh
xk_impair_start
xk_impair_link 5 5 25 "$seed" 1000
xk_impair_wait || bail_out "no ping across tapimpair"
ip netns exec "$XK_NSL" python3 bench/xkernel/lossy_linux.py serve 5001 5002 &
for _ in $(seq 300); do [[ $(ip netns exec "$XK_NSL" ss -Hltn "( sport = :5001 or sport = :5002 )" | wc -l) == 2 ]] && break; sleep 0.1; done

echo "lossy.sh: $conns connections x $bytes bytes through 5% loss, 5% duplication, 25% reordered by 1 ms (seed $seed), $runs runs"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for mode in sink echo; do
	port=$([[ $mode == echo ]] && echo 5001 || echo 5002)
	ours=() linux=()
	for r in $(seq "$runs"); do
		out=$(ip netns exec "$XK_NSR" python3 bench/xkernel/lossy_linux.py send "$XK_LEFT_IP" "$port" "$conns" "$bytes" "$mode" "$r")
		echo "  $mode run $r: $out"
		linux+=("$(sed -n 's/.* in \([0-9.]*\) s.*/\1/p' <<<"$out")")
		out=$(ip netns exec "$XK_NSR" "$BUILD/bin/tcpsend" -t "$XK_STACK_TAP" -a "$XK_STACK_IP" \
			-c "$XK_LEFT_IP:$port" -P "$conns" -b "$bytes" -S "$r" -T 600 $([[ $mode == sink ]] && echo -s) 2>&1)
		echo "  $mode run $r: ${out//$'\n'/; }"
		ours+=("$(sed -n 's/.* in \([0-9.]*\) s.*/\1/p' <<<"$out" | head -1)")
	done
	l=$(printf '%s\n' "${linux[@]}" | median) o=$(printf '%s\n' "${ours[@]}" | median)
	awk -v m="$mode" -v o="$o" -v l="$l" 'BEGIN { printf "lossy.sh: %s: ours %.3f s, Linux %.3f s (medians): ratio %.2f\n", (m == "echo" ? "both ways (echo)" : "one way (sink)"), o, l, (l > 0 ? o / l : 0) }'
done
xk_impair_stop
sed 's/^/  /' "$XK_IMPAIR_LOG"
