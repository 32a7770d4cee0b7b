#!/usr/bin/env bash
# usage: bands.sh CACHE PKG...
# Ours against BOLT with the luck of placement taken out: for each package
# and geometry, shift.sh's band (N placements) of BOLT's layout and of our
# variant with the fewest misses on the training workload (of bench.sh's
# table in CACHE/bench/PKG/results.md; not a +tune one), on the training workload
# and, when the recipe has one, on the held-out workload; then one table of
# the bands' medians, their ratio, its 90% interval (bandfuncs.py: a
# bootstrap over the placements; an interval across 1 says N placements
# do not tell the two apart) and their ranges. A ratio below 1: our
# layout has fewer misses than BOLT's wherever the code lands.
# Then, when bench.sh measured +tune variants, a second table: the one
# with the fewest training misses per geometry, at the start olayout tune
# chose (a band of one, from the bands' paths), over BOLT's median, the
# interval (BOLT's placements resampled) and how many of BOLT's placements
# miss less: tune's start is no luck of placement but a choice, made on
# the training workload; the held-out rows judge it.
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

# pick PKG GEOM TUNED: of our variants in bench.sh's first table of PKG
# (not STD nor a peer), the one with the fewest misses on GEOM, among the
# +tune ones (TUNED 1) or the others (0). The first table ends at its
# first line that is no table row (the paired wall table follows it).
pick() {
	awk -F'|' -v col="$([ "$2" = modern ] && echo 4 || echo 6)" -v tuned="$3" '
		/^\|/ { rows = 1 }
		rows && !/^\|/ { exit }
		/^\| [A-Z]/ {
			v = $2; gsub(/ /, "", v)
			if (v ~ /^(STD|PGO|BOLT|PGO\+BOLT)$/ || (v ~ /\+tune$/) != tuned) next
			if (best == "" || $col + 0 < m) { best = v; m = $col + 0 }
		}
		END { print best }' "$CACHE/bench/$1/results.md"
}

# compare PKG GEOM WL: shift.sh's two bands; prints a table row.
compare() {
	local v last
	v=$(pick "$1" "$2" 0)
	[ -n "$v" ] || { echo "bands: $1: no variant of ours for $2 in $CACHE/bench/$1/results.md (run bench.sh)" >&2; return 1; }
	GEOM=$2 WL=$3 "$HERE/shift.sh" "$CACHE" "$1" BOLT > /dev/null
	last=$(GEOM=$2 WL=$3 "$HERE/shift.sh" "$CACHE" "$1" "$v" | tail -1)
	# "against BOLT's band (...): median A of B (R), min C of D (S), mean E of F (T)"
	[[ $last =~ median\ ([0-9]+)\ of\ ([0-9]+)\ \(([0-9.]+)\),\ min\ ([0-9]+)\ of\ ([0-9]+) ]] ||
		{ echo "bands: $1: shift.sh did not compare $v with BOLT ($last)" >&2; return 1; }
	echo "| $1 | $2 | $3 | $v | ${BASH_REMATCH[1]} | ${BASH_REMATCH[2]} | ${BASH_REMATCH[3]} |" \
		"$(ratio_interval "$1" "$v.$2" "$3") | $(band_range "$1" "$v.$2" "$3") | $(band_range "$1" "BOLT.$2" "$3") |"
}

# tuned PKG GEOM WL: our +tune variant with the fewest misses on GEOM
# (chosen on the training workload) at its one start (shift.sh with N=1,
# from the bands' paths) against BOLT's band (compare's, made first);
# prints a row, or nothing when bench.sh measured no +tune variant.
tuned() {
	local v n below
	v=$(pick "$1" "$2" 1)
	[ -n "$v" ] || return 0
	GEOM=$2 WL=$3 N=1 "$HERE/shift.sh" "$CACHE" "$1" "$v" > /dev/null
	n=$(awk '{ print $2 }' "$(band_dir "$1" "$v.$2" "$3")/misses.txt")
	below=$(awk -v n="$n" '$2 < n { b++ } END { print b + 0 }' "$(band_dir "$1" "BOLT.$2" "$3")/misses.txt")
	echo "| $1 | $2 | $3 | $v | $n | $("$HERE/bandfuncs.py" --top 0 "$(band_dir "$1" "$v.$2" "$3")" \
		"$(band_dir "$1" "BOLT.$2" "$3")" | sed -n 's/.*BOLT [0-9]* (\([0-9.]*\); 90%: \([0-9.]*-[0-9.]*\)).*/\1 | \2/p') |" \
		"$below of $(wc -l < "$(band_dir "$1" "BOLT.$2" "$3")/misses.txt") |"
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

rows=() trows=()
for p in "$@"; do
	for g in $GEOMS; do
		for w in $WLS; do
			[ "$w" = workload ] || [ -f "$CACHE/bench/$p/STD.heldout.out" ] || continue
			echo "bands: $p, $g, $w" >&2
			rows+=("$(compare "$p" "$g" "$w")")
			trows+=("$(tuned "$p" "$g" "$w")")
		done
	done
done
echo "### Placement bands: our pick and BOLT, $((${N:-16})) placements each (median of ours / median of BOLT's)"
echo
echo "| package | geometry | workload | ours | our median | BOLT's median | ratio | ratio, 90% | our range | BOLT's range |"
echo "| --- | --- | --- | --- | ---: | ---: | ---: | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
[ -n "$(printf '%s' "${trows[@]}")" ] || exit 0
echo
echo "### Tuned: our +tune pick at its one start (olayout tune chose it on the training workload) against BOLT's band"
echo
echo "| package | geometry | workload | ours | misses | / BOLT's median | 90% | BOLT's placements below it |"
echo "| --- | --- | --- | --- | ---: | ---: | --- | --- |"
printf '%s\n' "${trows[@]}" | grep .
