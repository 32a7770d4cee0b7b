#!/usr/bin/env bash
# tcpping.sh - the plugin's variants of the x-kernel's tcpping side by side:
# STD (-O2 -flto), OUT (outlining), PIN (path-inlining), ALL (both), built by
# profiles/xk_build.sh with profiles/tcpping.prof. For each: the static hot
# size of each path of the profile (tcp_send, tcp_recv) in instructions
# (the paper's Table 5), and from callgrind on the measured loop
# (xk_ping_round_trips: both hosts and the wire) instructions and I1 misses
# per round trip for the alpha21064 and modern i-caches.
# A path's hot size: the hot parts (not fn.cold) of its root and layers as
# objdump shows them (plugin/hot_bytes.sh -i; -m: a layer GCC inlined
# counts inside its caller); in PIN and ALL a layer that
# the plugin's report says was inlined into the path counts only inside
# the root. Counts are deterministic; no timing is taken. Prints a table
# and writes $RESULTS/plugin-tcpping.md (default bench/results).
#   BUILD=build bench/plugin/tcpping.sh [N]
set -eu -o pipefail
export LC_ALL=C
: "${BUILD:=build}" "${PROFILE:=profiles/tcpping.prof}"
case ${1:-} in -h | --help) echo "usage: $0 [N]   (N: round trips per run, default 1000)"; exit 0 ;; esac
[ $# -le 1 ] || { echo "$0: one argument at most (usage: $0 [N])" >&2; exit 2; }
N=${1:-1000}
case $N in '' | 0* | *[!0-9]*) echo "$0: '$N': want N, a count of round trips (usage: $0 [N])" >&2; exit 2 ;; esac
OUT_DIR=$BUILD/bench/plugin
RESULT=${RESULTS:-bench/results}/plugin-tcpping.md
mkdir -p "$OUT_DIR" "$(dirname "$RESULT")"
# the table goes to RESULT only when every row is measured: a run that fails
# leaves the recorded one as it was
trap 'rm -f "$RESULT.tmp"' EXIT
# the profile's paths as its one parser reads them (comments, blank lines,
# field rules: profiles/README.md): "path NAME", then "  root FN" and
# "  layer FN" lines (olayout paths without an executable)
NAMES=$("$BUILD/bin/olayout" paths --profile "$PROFILE")
mapfile -t PATHS < <(awk '$1 == "path" { print $2 }' <<<"$NAMES")

# per_rt EXE GEOMETRY: "instructions I1-misses" per round trip, counted as
# bench/xkernel/callgrind.sh does (set-up left out, reproducible environment).
per_rt() {
	BUILD=$BUILD bench/xkernel/callgrind.sh -q -n "$N" -g "$2" "$1" | awk '{ print $2, $3 }'
}

# path_fns PATH REPORT: the functions whose hot parts hold PATH: its root and
# layers, less the layers REPORT says were inlined on it (REPORT may be absent).
path_fns() {
	awk -v p="$1" -v rep="$2" '
		BEGIN { if (rep != "") while ((getline l < rep) > 0) { split(l, f, " ")
			if (f[1] == "path" && f[2] == p && f[3] == "inlined") { sub(/:$/, "", f[5]); inl[f[5]] = 1 } } }
		$1 == "path" { on = $2 == p }
		on && $1 == "root" { printf "%s", $2 }
		on && $1 == "layer" && !($2 in inl) { printf " %s", $2 }
		END { print "" }' <<<"$NAMES"
}

{
	printf '| variant |'
	for p in "${PATHS[@]}"; do printf ' %s hot insns |' "$p"; done
	echo ' instr/round trip | I1 miss/rt alpha21064 | I1 miss/rt modern |'
	printf '| --- |'
	for _ in "${PATHS[@]}"; do printf ' ---: |'; done
	echo ' ---: | ---: | ---: |'
	for v in STD OUT PIN ALL; do
		BUILD=$BUILD PROFILE=$PROFILE profiles/xk_build.sh $v "$OUT_DIR/$v" >&2
		exe=$OUT_DIR/$v/tcpping
		read -r ir alpha < <(per_rt "$exe" alpha21064)
		read -r _ modern < <(per_rt "$exe" modern)
		report=
		[[ $v == P* || $v == A* ]] && report=$OUT_DIR/$v/report
		printf '| %s |' $v
		for p in "${PATHS[@]}"; do
			# shellcheck disable=SC2046 # one word per function
			printf ' %s |' "$(plugin/hot_bytes.sh -i -m "$exe" $(path_fns "$p" "$report"))"
		done
		echo " $ir | $alpha | $modern |"
	done
} | tee "$RESULT.tmp"
mv "$RESULT.tmp" "$RESULT"
