#!/usr/bin/env bash
# usage: shift.sh CACHE PKG [VARIANT]
# How much of a layout's simulated I1 count is where its hot code happens to
# land against the shared libraries' code: VARIANT's layout (one olayout
# made for bench.sh under CACHE/bench/PKG; default OUT2+cds-modern) written
# again N times with its first unit moved by K*STEP bytes (K = 0..N-1), the
# rest of the plan unchanged; each copy verified, run on the recipe's
# workload under cachegrind (I1 = GEOM), its output compared with STD's.
# Prints each K's misses, then min, median, mean and max beside BOLT's
# count of the same workload (bench.sh's CACHE/bench/PKG/cg/BOLT.GEOM).
# Environment: N (16), STEP (256), GEOM (modern; or alpha21064), BUILD.
# Run bench.sh on PKG first. A benchmark: nothing here is asserted.
set -euo pipefail
shopt -s inherit_errexit
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

case ${1:-} in -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
[ $# -ge 2 ] && [ $# -le 3 ] || { echo "usage: shift.sh CACHE PKG [VARIANT] (--help)" >&2; exit 2; }
N=${N:-16} STEP=${STEP:-256} GEOM=${GEOM:-modern}
[[ $N =~ ^[1-9][0-9]{0,2}$ ]] || { echo "shift: N '$N': want 1 to 999" >&2; exit 2; }
[[ $STEP =~ ^[1-9][0-9]{0,5}$ ]] || { echo "shift: STEP '$STEP': want 1 to 999999 bytes" >&2; exit 2; }
case $GEOM in
modern) SPEC=32768,8,64 ;;
alpha21064) SPEC=8192,1,32 ;;
*) echo "shift: GEOM '$GEOM': want modern or alpha21064" >&2; exit 2 ;;
esac
PKG=$2 V=${3:-OUT2+cds-modern}
W=$1/bench/$PKG
OL=$ROOT/${BUILD:-build}/bin/olayout
for f in "$W/$V/prog.layout" "$W/${V%%+*}/prog" "$W/STD.out" "$W/cg/BOLT.$GEOM" "$OL"; do
	[ -e "$f" ] || { echo "shift: $f is missing (run bench.sh $1 $PKG with $V and BOLT first)" >&2; exit 1; }
done
. "$ROOT/tests/external/steps.sh"
defaults	# then the recipe: its workload
recipe=${EXT_RECIPES:-$ROOT/tests/external/recipes}/$PKG.sh
[ ! -f "$recipe" ] || . "$recipe"
declare -F workload > /dev/null || { echo "shift: $PKG: its recipe names no workload" >&2; exit 1; }
OUT=$W/shift/$V.$GEOM

# i1_misses FILE: the I1 misses of a cachegrind file's summary.
i1_misses() {
	awk '/^events:/ { for (i = 2; i <= NF; i++) e[$i] = i } /^summary:/ { print $e["I1mr"] }' "$1"
}

# misses K: the layout with its first unit padded by K*STEP bytes, rewritten,
# verified and counted; prints "K MISSES".
misses() {
	local k=$1 d=$OUT/k$1 s=0 f
	rm -rf "$d" && mkdir -p "$d/cg"
	awk -v p=$((k * STEP)) '!done && /^place / { sub(/ *#.*/, ""); print $0 " pad=" p; done = 1; next } { print }' \
		"$W/$V/prog.layout" > "$d/layout"
	"$OL" rewrite --layout "$d/layout" -o "$d/prog" "$W/${V%%+*}/prog" > "$d/rewrite.log" 2>&1 &&
		"$OL" verify "$d/prog" >> "$d/rewrite.log" 2>&1 ||
		{ echo "shift: $PKG: K=$k: rewrite or verify failed, see $d/rewrite.log" >&2; return 1; }
	printf '#!/bin/sh\nexec valgrind --tool=cachegrind --cache-sim=yes --I1=%s --D1=%s --LL=4194304,16,64 --cachegrind-out-file=%s/cg.%%p %s "$@"\n' \
		"$SPEC" "$SPEC" "$d/cg" "$d/prog" > "$d/run"
	chmod +x "$d/run"
	(cd "$W/STD/src" && workload_output workload "$d/run" "$d/work") > "$d/out" 2> /dev/null ||
		{ echo "shift: $PKG: K=$k: the workload failed" >&2; return 1; }
	cmp -s "$d/out" "$W/STD.out" || { echo "shift: $PKG: K=$k prints or writes other output than STD" >&2; return 1; }
	for f in "$d"/cg/cg.*; do s=$((s + $(i1_misses "$f"))); done
	echo "$k $s"
}

rm -rf "$OUT" && mkdir -p "$OUT"
bolt=$(i1_misses "$W/cg/BOLT.$GEOM")
for k in $(seq 0 $((N - 1))); do
	echo "shift: $PKG: $V moved by $((k * STEP)) bytes, $GEOM" >&2
	misses "$k" > "$OUT/k$k.txt" &
	# two at a time (two cores); a K that failed said why and left its file empty
	if [ $((k % 2)) = 1 ] || [ "$k" = $((N - 1)) ]; then wait; fi
done
cat "$OUT"/k*.txt | sort -n > "$OUT/misses.txt"
[ "$(wc -l < "$OUT/misses.txt")" = "$N" ] || { echo "shift: $PKG: some K failed (see $OUT)" >&2; exit 1; }
echo "### $PKG: $V moved by K x $STEP bytes, I1 misses ($GEOM $SPEC) on its recipe's workload"
echo
echo "| K | bytes | I1 misses | / BOLT ($bolt) |"
echo "| ---: | ---: | ---: | ---: |"
awk -v b="$bolt" -v s="$STEP" '{ printf "| %d | %d | %d | %.4f |\n", $1, $1 * s, $2, $2 / b }' "$OUT/misses.txt"
echo
sort -n -k2 "$OUT/misses.txt" | awk -v b="$bolt" '{ m[NR] = $2; t += $2 }
	END { med = (NR % 2) ? m[(NR + 1) / 2] : (m[NR / 2] + m[NR / 2 + 1]) / 2
		printf "min %d (%.4f), median %.0f (%.4f), mean %.0f (%.4f), max %d (%.4f) of BOLT'"'"'s %d\n",
			m[1], m[1] / b, med, med / b, t / NR, t / NR / b, m[NR], m[NR] / b, b }'
