#!/usr/bin/env bash
# usage: shift.sh CACHE PKG [VARIANT]
# How much of a layout's simulated I1 count is where its hot code happens to
# land against the shared libraries' code: VARIANT's layout (one olayout
# made for bench.sh under CACHE/bench/PKG; default OUT2+cds-modern) written
# again N times with its first unit moved by K*STEP bytes (K = 0..N-1), the
# rest of the plan unchanged; each copy verified, run on the recipe's
# workload (or WL) under cachegrind (I1 = GEOM), its output compared with STD's;
# every copy runs from paths of the same length (CACHE/bench/PKG/shift/run0
# or run1): the length alone moves a count by up to 0.9% (bench.sh).
# VARIANT BOLT or PGO+BOLT: llvm-bolt run again on that variant's input
# and profile with the first global function of its hot text padded by
# K*STEP bytes (--pad-funcs), so that BOLT's figure has a band too.
# Prints each K's misses, then min, median, mean and max beside BOLT's
# count of the same workload (bench.sh's CACHE/bench/PKG/cg/BOLT.GEOM),
# and, when BOLT's band with the same N, STEP, GEOM and WL was measured
# before (shift.sh CACHE PKG BOLT), the band's median over BOLT's median.
# Environment: N (16), STEP (256), GEOM (modern; or alpha21064), WL
# (workload, the training's; or heldout, the recipe's held-out one), BUILD.
# Run bench.sh on PKG first. A benchmark: nothing here is asserted.
set -euo pipefail
shopt -s inherit_errexit
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

case ${1:-} in -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
[ $# -ge 2 ] && [ $# -le 3 ] || { echo "usage: shift.sh CACHE PKG [VARIANT] (--help)" >&2; exit 2; }
N=${N:-16} STEP=${STEP:-256} GEOM=${GEOM:-modern} WL=${WL:-workload}
[[ $N =~ ^[1-9][0-9]{0,2}$ ]] || { echo "shift: N '$N': want 1 to 999" >&2; exit 2; }
[[ $STEP =~ ^[1-9][0-9]{0,5}$ ]] || { echo "shift: STEP '$STEP': want 1 to 999999 bytes" >&2; exit 2; }
case $GEOM in
modern) SPEC=32768,8,64 ;;
alpha21064) SPEC=8192,1,32 ;;
*) echo "shift: GEOM '$GEOM': want modern or alpha21064" >&2; exit 2 ;;
esac
case $WL in
workload) SFX= ;;
heldout) SFX=.heldout ;;
*) echo "shift: WL '$WL': want workload or heldout" >&2; exit 2 ;;
esac
PKG=$2 V=${3:-OUT2+cds-modern}
W=$1/bench/$PKG
OL=$ROOT/${BUILD:-build}/bin/olayout
case $V in
BOLT | PGO+BOLT)
	. "$HERE/bolt.sh"
	bolt_check shift || exit 1
	need=("$W/$V/prog" "$W/$V/prof.fdata" "$W/$V-in/prog") ;;
*) need=("$W/$V/prog.layout" "$W/${V%%+*}/prog" "$OL") ;;
esac
for f in "${need[@]}" "$W/STD$SFX.out" "$W/cg/BOLT.$GEOM$SFX"; do
	[ -e "$f" ] || { echo "shift: $f is missing (run bench.sh $1 $PKG with $V and BOLT first)" >&2; exit 1; }
done
. "$ROOT/tests/external/steps.sh"
defaults	# then the recipe: its workload
recipe=${EXT_RECIPES:-$ROOT/tests/external/recipes}/$PKG.sh
[ ! -f "$recipe" ] || . "$recipe"
declare -F "$WL" > /dev/null || { echo "shift: $PKG: its recipe names no $WL" >&2; exit 1; }
NAME=$(cd "$W/STD/src" && basename "$(bench_prog)")
OUT=$W/shift/$V.$GEOM$SFX

. "$HERE/cg.sh"
# i1_misses FILE: the I1 misses of a cachegrind file's summary.
i1_misses() { cg_summary "$1" | cut -d' ' -f2; }

# olayout_copy K D: D/prog, the layout with its first unit padded by
# K*STEP bytes, rewritten and verified.
olayout_copy() {
	# (added to a pad the line has: a tuned layout's band is around its start)
	awk -v p=$(($1 * STEP)) '!done && /^place / { sub(/ *#.*/, ""); had = 0
		if (match($0, / pad=[0-9]+/)) { had = substr($0, RSTART + 5, RLENGTH - 5); sub(/ pad=[0-9]+/, "") }
		print $0 " pad=" p + had; done = 1; next } { print }' \
		"$W/$V/prog.layout" > "$2/layout"
	"$OL" rewrite --layout "$2/layout" -o "$2/prog" "$W/${V%%+*}/prog" > "$2/rewrite.log" 2>&1 &&
		"$OL" verify "$2/prog" >> "$2/rewrite.log" 2>&1 ||
		{ echo "shift: $PKG: K=$1: rewrite or verify failed, see $2/rewrite.log" >&2; return 1; }
}

# hot_first: BOLT's hot text begins with "FIRST NEXT ADDR": the first global
# function there (--pad-funcs finds a function by BOLT's name for it, which
# for a local one is not its symbol's), the function after it and its address.
hot_first() {
	local hs
	hs=$(nm "$W/$V/prog" | awk '$3 == "__hot_start" { print $1 }')
	[ -n "$hs" ] || { echo "shift: $W/$V/prog has no __hot_start (not BOLT's with -reorder-functions?)" >&2; return 1; }
	# (awk reads to the end: an early exit would fail nm's write, and pipefail)
	nm -n "$W/$V/prog" | awk -v hs="$hs" '$2 == "T" && $1 "" >= hs "" && !f { f = $3; a = $1 ""; next }
		f && !n && $1 "" > a && $2 ~ /^[tT]$/ { n = $3; at = $1 } END { if (n != "") print f, n, at }'
}

# bolt_copy K D: D/prog, BOLT's layout with FIRST padded by K*STEP bytes;
# refused unless NEXT moved by exactly that.
bolt_copy() {
	local at pad=()
	[ "$1" = 0 ] || pad=("--pad-funcs=$FIRST:$(($1 * STEP))")
	$BOLT "$W/$V-in/prog" -o "$2/prog" -data="$W/$V/prof.fdata" $BOLT_FLAGS "${pad[@]}" > "$2/rewrite.log" 2>&1 ||
		{ echo "shift: $PKG: K=$1: llvm-bolt failed, see $2/rewrite.log" >&2; return 1; }
	at=$(nm "$2/prog" | awk -v f="$NEXT" '$3 == f && at == "" { at = $1 } END { print at }')
	[ $((16#${at:-0})) = $((16#$NEXT_AT + $1 * STEP)) ] ||
		{ echo "shift: $PKG: K=$1: llvm-bolt put $NEXT at 0x$at, not $(($1 * STEP)) bytes after 0x$NEXT_AT" \
			"(--pad-funcs=$FIRST ignored, or STEP not a multiple of its alignment)" >&2; return 1; }
}

# misses K: copy K made, run on WL and counted; prints "K MISSES".
misses() {
	local k=$1 d=$OUT/k$1 s=0 f slot=$W/shift/run$(($1 % 2))
	rm -rf "$d" && mkdir -p "$d/cg"
	case $V in BOLT | PGO+BOLT) bolt_copy "$k" "$d" ;; *) olayout_copy "$k" "$d" ;; esac
	# run from a path of the same length whatever V and K (bench.sh's env_dir)
	mkdir -p "$slot/b" && ln -sfn "$d/prog" "$slot/b/$NAME"
	cg_wrapper "$slot/$NAME" "$SPEC" "$d/cg" "$slot/b/$NAME"
	(cd "$W/STD/src" && workload_output "$WL" "$slot/$NAME" "$slot/work") > "$d/out" 2> /dev/null ||
		{ echo "shift: $PKG: K=$k: the $WL failed" >&2; return 1; }
	cmp -s "$d/out" "$W/STD$SFX.out" || { echo "shift: $PKG: K=$k prints or writes other output than STD" >&2; return 1; }
	for f in "$d"/cg/cg.*; do s=$((s + $(i1_misses "$f"))); done
	echo "$k $s"
}

case $V in BOLT | PGO+BOLT) read -r FIRST NEXT NEXT_AT < <(hot_first) && [ -n "${NEXT_AT:-}" ] ||
	{ echo "shift: $W/$V/prog: no global function with one after it in its hot text" >&2; exit 1; } ;;
esac
# band FILE: "min median mean max" of the misses in FILE ("K MISSES" lines).
band() {
	sort -n -k2 "$1" | awk '{ m[NR] = $2; t += $2 }
		END { printf "%d %.0f %.0f %d\n", m[1], (NR % 2) ? m[(NR + 1) / 2] : (m[NR / 2] + m[NR / 2 + 1]) / 2, t / NR, m[NR] }'
}

rm -rf "$OUT" && mkdir -p "$OUT"
bolt=$(i1_misses "$W/cg/BOLT.$GEOM$SFX")
for k in $(seq 0 $((N - 1))); do
	echo "shift: $PKG: $V moved by $((k * STEP)) bytes, $GEOM" >&2
	misses "$k" > "$OUT/k$k.txt" &
	# two at a time (two cores); a K that failed said why and left its file empty
	if [ $((k % 2)) = 1 ] || [ "$k" = $((N - 1)) ]; then wait; fi
done
cat "$OUT"/k*.txt | sort -n > "$OUT/misses.txt"
[ "$(wc -l < "$OUT/misses.txt")" = "$N" ] || { echo "shift: $PKG: some K failed (see $OUT)" >&2; exit 1; }
echo "N=$N STEP=$STEP GEOM=$GEOM WL=$WL" > "$OUT/params"
echo "### $PKG: $V moved by K x $STEP bytes, I1 misses ($GEOM $SPEC) on its recipe's $WL"
echo
echo "| K | bytes | I1 misses | / BOLT ($bolt) |"
echo "| ---: | ---: | ---: | ---: |"
awk -v b="$bolt" -v s="$STEP" '{ printf "| %d | %d | %d | %.4f |\n", $1, $1 * s, $2, $2 / b }' "$OUT/misses.txt"
echo
read -r lo med mean hi < <(band "$OUT/misses.txt")
awk -v b="$bolt" -v lo="$lo" -v med="$med" -v mean="$mean" -v hi="$hi" 'BEGIN {
	printf "min %d (%.4f), median %d (%.4f), mean %d (%.4f), max %d (%.4f) of BOLT'"'"'s %d\n",
		lo, lo / b, med, med / b, mean, mean / b, hi, hi / b, b }'
# the same band of BOLT's layout, when measured alike
B=$W/shift/BOLT.$GEOM$SFX
[ "$V" != BOLT ] && [ -f "$B/misses.txt" ] && cmp -s "$B/params" "$OUT/params" || exit 0
read -r blo bmed bmean bhi < <(band "$B/misses.txt")
awk -v med="$med" -v bmed="$bmed" -v lo="$lo" -v blo="$blo" -v mean="$mean" -v bmean="$bmean" 'BEGIN {
	printf "against BOLT'"'"'s band (shift.sh CACHE PKG BOLT): median %d of %d (%.4f), min %d of %d (%.4f), mean %d of %d (%.4f)\n",
		med, bmed, med / bmed, lo, blo, lo / blo, mean, bmean, mean / bmean }'
