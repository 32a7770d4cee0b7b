#!/usr/bin/env bash
# tcpping.sh - the plugin's variants of the x-kernel's tcpping side by side:
# STD (-O2 -flto), OUT (outlining), PIN (path-inlining), ALL (both), built by
# profiles/xk_build.sh with profiles/tcpping.prof. For each: the send path's
# hot static bytes (root and layers, hot parts only, as nm -S says; PIN and
# ALL: the root, which holds the inlined path), and,
# from callgrind on the measured loop (xk_ping_round_trips: both hosts and
# the wire), instructions
# and I1 misses per round trip for the alpha21064 and modern i-caches.
# Counts are deterministic; no timing is taken. Prints a table and writes
# $RESULTS/plugin-tcpping.md (default bench/results).   BUILD=build bench/plugin/tcpping.sh [N]
set -eu -o pipefail
export LC_ALL=C
: "${BUILD:=build}"
N=${1:-1000}
ROUND_TRIPS=$((N / 10 + 1 + N)) # warm-up, then one sample (bench.c)
PATH_FNS="tcp_sess_push tcp_output tcp_send_segment push_segment ip_push ip_send_one ip_output eth_push wire_push"
OUT_DIR=$BUILD/bench/plugin
RESULT=${RESULTS:-bench/results}/plugin-tcpping.md
mkdir -p "$OUT_DIR" "$(dirname "$RESULT")"

# per_rt EXE I1: "instructions I1-misses" per round trip with that I1.
per_rt() {
	local out=$OUT_DIR/cg.out
	# The loop starts and stops callgrind's instrumentation itself (bench.c).
	valgrind -q --tool=callgrind --callgrind-out-file="$out" --instr-atstart=no \
		--cache-sim=yes --I1="$2" --D1=32768,8,64 --LL=8388608,16,64 \
		"$1" -w inproc -n "$N" -s 1 >/dev/null 2>&1
	awk -v rt=$ROUND_TRIPS '/^events:/ { for (i = 2; i <= NF; i++) col[$i] = i - 1 }
		/^totals:/ { split($0, v, " "); printf "%.1f %.2f\n", v[col["Ir"] + 1] / rt, v[col["I1mr"] + 1] / rt }' "$out"
}

{
	echo "| variant | path hot bytes | instr/round trip | I1 miss/rt alpha21064 | I1 miss/rt modern |"
	echo "| --- | ---: | ---: | ---: | ---: |"
	for v in STD OUT PIN ALL; do
		profiles/xk_build.sh $v "$OUT_DIR/$v" >&2
		exe=$OUT_DIR/$v/tcpping
		read -r ir alpha < <(per_rt "$exe" 8192,1,32)
		read -r _ modern < <(per_rt "$exe" 32768,8,64)
		fns=$PATH_FNS
		[[ $v == P* || $v == A* ]] && fns=${PATH_FNS%% *} # the path is inlined into its root
		echo "| $v | $(plugin/hot_bytes.sh "$exe" $fns) | $ir | $alpha | $modern |"
	done
} | tee "$RESULT"
