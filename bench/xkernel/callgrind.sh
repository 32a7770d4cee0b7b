#!/usr/bin/env bash
# callgrind.sh [-h] [-q] [-a] [-b] [-c] [-m] [-k DIR] [-n N] [-g GEOMETRY] [APP...] -
# instructions (and with -g I1 misses, with -m calls to malloc, free, calloc
# and realloc) per round trip of the ping apps' measured loop,
# xk_ping_round_trips (stack/xkernel/harness/bench.c), which
# CALLGRIND_START/STOP_INSTRUMENTATION bracket. The apps run on the
# in-process wire, whose clock is virtual, so the count is deterministic; it
# covers both hosts' stacks and the wire's copy (one process runs them all).
#
# Each app runs twice, with N and 2N round trips per sample (1 sample, after
# xk_bench_run's warm-up of N/10 + 1); the difference of the two counts over
# the difference in round trips leaves out the one-time costs (handshake,
# first ARP). -g simulates an instruction cache (docs/DESIGN.md's geometries):
# alpha21064 (I1 8 KiB direct-mapped, 32-byte lines) or modern (32 KiB
# 8-way, 64-byte lines); the data side is simulated too, the same size as I1
# for D1, and a last-level cache of 2 MiB direct-mapped, 32-byte lines (the
# DEC 3000/600's board cache) or 1 MiB 16-way, 64-byte lines.
# -q prints only "APP INSTRUCTIONS [I1_MISSES] [ALLOCATOR_CALLS]" lines; -a (with -g) prints
# every event of the simulation instead, "APP Ir I1mr D1mr D1mw ILmr DLmr DLmw",
# each per round trip (then ALLOCATOR_CALLS with -m). -b prints instead what
# separates variants where no cache misses do, per round trip (as -q): "APP Ir Bc
# Bcm Bi Bim JCND JUMP CALLS" (callgrind's branch predictor simulation:
# conditional branches and their mispredicts, indirect jumps and calls and
# theirs; then taken conditional branches, other jumps, and calls, from
# --collect-jumps, per instruction: a rewritten executable's lines are not
# its code's). -c counts the client side instead (instructions only): the
# app on the IPC kernel's process wire (-w process), each host a process
# forked from the supervisor; callgrind follows the forks and writes one
# output per process, and only the client host's process runs the measured
# loop. Its count covers the client's stack, its driver, the ping loop and
# the IPC kernel's client half, less the IPC kernel's waiting (ipc_wait,
# ipc_wait_full and what they call: spinning, yielding, futex sleeps: time,
# not work). Not
# deterministic: the wire's clock is real, so how often the host loop turns,
# and timers (retransmissions, delayed ACKs) on a slow run, add work; each
# run length runs 3 times and the smallest count of each is taken.
# -k DIR keeps callgrind's outputs of both runs as
# DIR/APP.N.out and DIR/APP.2N.out, with per-instruction counts (--dump-instr).
# APP is a ping app of $BUILD/bin, or a path to one (a variant's build);
# it defaults to tcpping udpping icmpping; N to 2000. BUILD (default build)
# names the build.
set -eu
BUILD=${BUILD:-build}
quiet=0
n=2000
cache=()
events=(Ir I1mr)
keep=
allocs=0
branches=0
all=0
client=0
usage() { echo "usage: $0 [-h] [-q] [-a] [-b] [-c] [-m] [-k DIR] [-n N] [-g alpha21064|modern] [APP...]" >&2; exit 2; }
# help: the header comment above, without its '#'.
help() { sed -n '2,/^set -eu$/{/^#/s/^# \{0,1\}//p}' "$0" | sed '1s/^/usage: /'; exit 0; }
[ "${1:-}" = --help ] && help
while getopts hqabcmk:n:g: opt; do
	case $opt in
	h) help ;;
	q) quiet=1 ;;
	m) allocs=1 ;;
	a) events=(Ir I1mr D1mr D1mw ILmr DLmr DLmw) all=1 ;;
	b) branches=1 quiet=1 events=(Ir Bc Bcm Bi Bim) ;;
	c) client=1 ;;
	k) [ -d "$OPTARG" ] || { echo "callgrind.sh: -k '$OPTARG': not a directory" >&2; exit 2; }
	   keep=$OPTARG ;;
	n) [[ $OPTARG =~ ^[1-9][0-9]{0,6}$ ]] || { echo "callgrind.sh: -n '$OPTARG': want a count from 1 to 9999999" >&2; exit 2; }
	   n=$OPTARG ;;
	g) case $OPTARG in
	   alpha21064) cache=(--cache-sim=yes --I1=8192,1,32 --D1=8192,1,32 --LL=2097152,1,32) ;;
	   modern) cache=(--cache-sim=yes --I1=32768,8,64 --D1=32768,8,64 --LL=1048576,16,64) ;;
	   *) echo "callgrind.sh: -g '$OPTARG': want alpha21064 or modern" >&2; exit 2 ;;
	   esac ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- tcpping udpping icmpping
[ ${#events[@]} = 2 ] || [ "$branches" = 1 ] || [ ${#cache[@]} -gt 0 ] || { echo "callgrind.sh: -a needs -g" >&2; exit 2; }
[ "$branches" = 0 ] || [ ${#cache[@]} = 0 ] || { echo "callgrind.sh: -b and -g do not go together" >&2; exit 2; }
# both set the events: the later one would win silently
[ "$branches$all" != 11 ] || { echo "callgrind.sh: -a and -b do not go together" >&2; exit 2; }
[ "$branches" = 0 ] || cache=(--branch-sim=yes --collect-jumps=yes --dump-instr=yes)
[ "$client" = 0 ] || [ "${#cache[@]}$allocs$keep" = 00 ] ||
	{ echo "callgrind.sh: -c counts instructions only (not with -a, -b, -g, -k or -m)" >&2; exit 2; }
valgrind=$(command -v valgrind) || { echo "callgrind.sh: valgrind is not installed" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/xkcg.XXXXXXXX)	# a fixed-length name
trap 'rm -rf "$tmp"' EXIT

# client_counts APP ROUND_TRIPS: the client host process's instructions in
# the loop less ipc_wait's and ipc_wait_full's (inclusive), the smallest of 3 runs. A run whose
# client waited more than a second for a reply ("timed out": a peer under
# valgrind, stalled on a loaded machine) is run again, up to 3 times.
client_counts() {
	local best= runs=0 stalls=0 f t w
	while [ "$runs" -lt 3 ]; do
		rm -f "$tmp/$1.$2".*.out
		if ! (cd "$tmp" && env -i "$valgrind" --tool=callgrind --instr-atstart=no \
			--callgrind-out-file="$1.$2.%p.out" "./$1" -w process -n "$2" -s 1 >"$1.$2.log" 2>&1); then
			grep -q 'timed out' "$tmp/$1.$2.log" && [ $((stalls += 1)) -le 3 ] && continue
			echo "callgrind.sh: $1 -w process -n $2 failed:" >&2; cat "$tmp/$1.$2.log" >&2; exit 1
		fi
		# the supervisor and the server never start the instrumentation: totals 0
		f=$(grep -l '^totals: [1-9]' "$tmp/$1.$2".*.out) && [ "$(echo "$f" | wc -l)" = 1 ] ||
			{ echo "callgrind.sh: $1 -w process: want one process with the measured loop, got: ${f:-none}" >&2; exit 1; }
		t=$(awk '/^totals:/ { print $2 }' "$f")
		# The kernel's two waits: ipc_wait_full (for a message) and ipc_wait.
		w=$(callgrind_annotate --auto=no --inclusive=yes --threshold=100 "$f" |
			awk 'NF > 2 && ($NF ~ /:ipc_wait(_full)?$/ || $(NF-1) ~ /:ipc_wait(_full)?$/) {
				gsub(",", "", $1); w += $1 } END { if (w) print w }')
		[ -n "$w" ] || { echo "callgrind.sh: $1 -w process: no ipc_wait or ipc_wait_full in the client's count" >&2; exit 1; }
		t=$((t - w)) runs=$((runs + 1))
		[ -n "$best" ] && [ "$best" -le "$t" ] || best=$t
	done
	echo "$best"
}

# counts APP ROUND_TRIPS: the events' totals of the loop (all its calls; 0
# for an event not simulated), then with -m the calls to the C allocator.
# The app runs as ./APP from $tmp with an empty environment: the stack's
# layout then does not depend on where or by whom it is run (libc's memcmp
# and memcpy take other paths near a page's end).
counts() {
	(cd "$tmp" && env -i "$valgrind" --tool=callgrind --instr-atstart=no ${cache[@]+"${cache[@]}"} \
		${keep:+--dump-instr=yes} --callgrind-out-file="$1.$2.out" "./$1" -w inproc -n "$2" -s 1 \
		>"$1.$2.log" 2>&1) ||
		{ echo "callgrind.sh: $1 -n $2 failed:" >&2; cat "$tmp/$1.$2.log" >&2; exit 1; }
	awk -v want="${events[*]}" '/^events:/ { for (i = 2; i <= NF; i++) col[$i] = i }
	     /^totals:/ { n = split(want, w, " "); for (i = 1; i <= n; i++) printf "%s%s", (col[w[i]] ? $(col[w[i]]) : 0), (i < n ? " " : "\n") }' \
		"$tmp/$1.$2.out" | tr '\n' ' '
	# jcnd=TAKEN/EXECUTED, jump=COUNT, calls=COUNT
	[ "$branches" = 0 ] || awk '/^jcnd=/ { split(substr($1, 6), c, "/"); t += c[1] }
	     /^jump=/ { j += substr($1, 6) } /^calls=/ { k += substr($1, 7) }
	     END { printf "%d %d %d ", t, j, k }' "$tmp/$1.$2.out"
	if [ "$allocs" = 1 ]; then
		awk -f "$here/calls.awk" "$tmp/$1.$2.out" |
			awk '$1 ~ /^(malloc|free|calloc|realloc)$/ { n += $2 } END { print n + 0 }'
	else
		echo
	fi
}

for arg in "$@"; do
	exe=$BUILD/bin/$arg app=$arg
	[[ $arg == */* ]] && exe=$arg app=$(basename "$arg")
	[ -x "$exe" ] || { echo "callgrind.sh: no $exe (make all first?)" >&2; exit 1; }
	cp "$exe" "$tmp/$app"
	if [ "$client" = 1 ]; then
		c1=$(client_counts "$app" "$n")
		c2=$(client_counts "$app" $((2 * n)))
	else
		c1=$(counts "$app" "$n")
		c2=$(counts "$app" $((2 * n)))
	fi
	# round trips in the loop: warm-up n/10 + 1, then the sample's n
	per_rt=$(awk -v a="$c1" -v b="$c2" -v n="$n" 'BEGIN {
		rt = 2 * n + int(2 * n / 10) - n - int(n / 10)
		k = split(a, x, " "); split(b, y, " ")
		for (i = 1; i <= k; i++) printf (i == 1 ? "%.1f" : " %.2f"), (y[i] - x[i]) / rt
		print "" }')
	read -r ir miss _ <<<"$per_rt"
	al_col=
	[ "$allocs" = 1 ] && al_col=" ${per_rt##* }"
	[ -z "$keep" ] || cp "$tmp/$app.$n.out" "$tmp/$app.$((2 * n)).out" "$keep/" || exit 1
	if [ "$client" = 1 ]; then
		[ "$quiet" = 1 ] && echo "$app $ir" ||
			echo "$app: $ir instructions per round trip, client side (callgrind, the client host's process" \
				"on the IPC kernel's process wire, less its waiting; the smallest of 3 runs of $n and of $((2 * n)) round trips)"
	elif [ "$quiet" = 1 ] && [ ${#events[@]} -gt 2 ]; then
		echo "$app $per_rt"
	elif [ "$quiet" = 1 ]; then
		echo "$app $ir${cache[0]+ $miss}$al_col"
	else
		echo "$app: $ir instructions${cache[0]+ and $miss I1 misses}${al_col:+ and$al_col calls to malloc/free/calloc/realloc} per round trip" \
			"(callgrind, in-process wire, both hosts; runs of $n and $((2 * n)) round trips)"
		echo "  the functions with most instructions of their own${cache[0]+ (then their I1 misses)} (run of $((2 * n))):"
		callgrind_annotate --auto=no --inclusive=no --show=Ir${cache[0]+,I1mr} "$tmp/$app.$((2 * n)).out" |
			grep -E '^ *[0-9,]+ +\([ 0-9.]+%\) ' | grep -v 'PROGRAM TOTALS' | head -10 |
			sed -E 's#[^ ]*/##; s# \[.*\]$##; s#^#    #'
	fi
done
