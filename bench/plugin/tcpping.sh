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
# The send path's functions, root first, as profiles/tcpping.prof names them.
PATH_FNS=$(awk '$1 == "path" { for (i = 3; i <= NF; i++) printf "%s%s", $i, (i < NF ? " " : "\n"); exit }' profiles/tcpping.prof)
OUT_DIR=$BUILD/bench/plugin
RESULT=${RESULTS:-bench/results}/plugin-tcpping.md
mkdir -p "$OUT_DIR" "$(dirname "$RESULT")"

# per_rt EXE GEOMETRY: "instructions I1-misses" per round trip, counted as
# bench/xkernel/callgrind.sh does (set-up left out, reproducible environment).
per_rt() {
	BUILD=$BUILD bench/xkernel/callgrind.sh -q -n "$N" -g "$2" "$1" | awk '{ print $2, $3 }'
}

{
	echo "| variant | path hot bytes | instr/round trip | I1 miss/rt alpha21064 | I1 miss/rt modern |"
	echo "| --- | ---: | ---: | ---: | ---: |"
	for v in STD OUT PIN ALL; do
		profiles/xk_build.sh $v "$OUT_DIR/$v" >&2
		exe=$OUT_DIR/$v/tcpping
		read -r ir alpha < <(per_rt "$exe" alpha21064)
		read -r _ modern < <(per_rt "$exe" modern)
		fns=$PATH_FNS
		[[ $v == P* || $v == A* ]] && fns=${PATH_FNS%% *} # the path is inlined into its root
		echo "| $v | $(plugin/hot_bytes.sh "$exe" $fns) | $ir | $alpha | $modern |"
	done
} | tee "$RESULT"
