#!/usr/bin/env bash
# usage: bands.sh CACHE PKG...
# Ours against BOLT with the luck of placement taken out: for each package
# and geometry, shift.sh's band (N placements) of BOLT's layout and of our
# variant with the fewest misses on the training workload (bench.sh's
# choice, read from CACHE/bench/PKG/results.md), on the training workload
# and, when the recipe has one, on the held-out workload; then one table of
# the bands' medians, their ratio, its 90% interval (bandfuncs.py: a
# bootstrap over the placements; an interval across 1 says N placements
# do not tell the two apart) and their ranges. A ratio below 1: our
# layout has fewer misses than BOLT's wherever the code lands.
# Environment: N (16), STEP (256), GEOMS (modern alpha21064), WLS
# (workload heldout), BUILD. Run bench.sh on the packages first.
# A benchmark: nothing here is asserted.
set -euo pipefail
shopt -s inherit_errexit
HERE=$(cd "$(dirname "$0")" && pwd)

case ${1:-} in -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
[ $# -ge 2 ] || { echo "usage: bands.sh CACHE PKG... (--help)" >&2; exit 2; }
GEOMS=${GEOMS:-modern alpha21064} WLS=${WLS:-workload heldout}
for g in $GEOMS; do
	case $g in modern | alpha21064) ;; *) echo "bands: GEOMS: '$g': want modern or alpha21064" >&2; exit 2 ;; esac
done
for w in $WLS; do
	case $w in workload | heldout) ;; *) echo "bands: WLS: '$w': want workload or heldout" >&2; exit 2 ;; esac
done
CACHE=$1
shift

# ours PKG GEOM: bench.sh's pick for GEOM (its line under PKG's table).
ours() {
	sed -n "s/^- $2: our fewest misses on the training workload: \([^,]*\),.*/\1/p" "$CACHE/bench/$1/results.md"
}

# compare PKG GEOM WL: shift.sh's two bands; prints a table row.
compare() {
	local v last
	v=$(ours "$1" "$2")
	[ -n "$v" ] || { echo "bands: $1: no pick for $2 in $CACHE/bench/$1/results.md (run bench.sh)" >&2; return 1; }
	GEOM=$2 WL=$3 "$HERE/shift.sh" "$CACHE" "$1" BOLT > /dev/null
	last=$(GEOM=$2 WL=$3 "$HERE/shift.sh" "$CACHE" "$1" "$v" | tail -1)
	# "against BOLT's band (...): median A of B (R), min C of D (S), mean E of F (T)"
	[[ $last =~ median\ ([0-9]+)\ of\ ([0-9]+)\ \(([0-9.]+)\),\ min\ ([0-9]+)\ of\ ([0-9]+) ]] ||
		{ echo "bands: $1: shift.sh did not compare $v with BOLT ($last)" >&2; return 1; }
	echo "| $1 | $2 | $3 | $v | ${BASH_REMATCH[1]} | ${BASH_REMATCH[2]} | ${BASH_REMATCH[3]} |" \
		"$(ratio_interval "$1" "$v.$2" "$3") | $(band_range "$1" "$v.$2" "$3") | $(band_range "$1" "BOLT.$2" "$3") |"
}

# band_dir PKG V.GEOM WL: shift.sh's folder of that band.
band_dir() {
	echo "$CACHE/bench/$1/shift/$2$([ "$3" = heldout ] && echo .heldout)"
}

# ratio_interval PKG V.GEOM WL: "lo-hi", the 90% interval of V's median
# over BOLT's (bandfuncs.py).
ratio_interval() {
	"$HERE/bandfuncs.py" --top 0 "$(band_dir "$1" "$2" "$3")" "$(band_dir "$1" "BOLT.${2##*.}" "$3")" |
		sed -n 's/.*90%: \([0-9.]*-[0-9.]*\)).*/\1/p'
}

# band_range PKG V.GEOM WL: "min-max" of that band's misses.
band_range() {
	local f
	f=$(band_dir "$1" "$2" "$3")/misses.txt
	sort -n -k2 "$f" | awk 'NR == 1 { lo = $2 } { hi = $2 } END { print lo "-" hi }'
}

rows=()
for p in "$@"; do
	for g in $GEOMS; do
		for w in $WLS; do
			[ "$w" = workload ] || [ -f "$CACHE/bench/$p/STD.heldout.out" ] || continue
			echo "bands: $p, $g, $w" >&2
			rows+=("$(compare "$p" "$g" "$w")")
		done
	done
done
echo "### Placement bands: our pick and BOLT, $((${N:-16})) placements each (median of ours / median of BOLT's)"
echo
echo "| package | geometry | workload | ours | our median | BOLT's median | ratio | ratio, 90% | our range | BOLT's range |"
echo "| --- | --- | --- | --- | ---: | ---: | ---: | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
