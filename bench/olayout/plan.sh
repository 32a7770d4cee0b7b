#!/usr/bin/env bash
# plan.sh - olayout's layout planner on the bundled stack and on a large
# program (make bench-plan):
#  1. tcpping built OUT (the plugin's outlining) and STD with
#     -ffunction-sections -Wl,--emit-relocs (profiles/xk_build.sh), trained
#     by `olayout profile` on its round trips (bench/variants/train.sh: merged
#     with profiles/tcpping.prof's paths and marks), each optimized with
#     every strategy for alpha21064 (STD with its own profile); LLVM BOLT (bolt-19) on STD built with
#     -fno-reorder-blocks-and-partition, trained by its instrumentation on the
#     same workload. bench/xkernel/callgrind.sh -g alpha21064 counts
#     instructions and I1 misses per round trip of each; the table gives the
#     misses as a ratio to STD's.
#  2. the 8 MiB program of bench/olayout/mkbig.py (built by bench.py), trained
#     by `olayout profile` inside main: the CPU time (user + sys, best of 3,
#     the steps taking turns) of `olayout plan --strategy bipartite`, of
#     `olayout rewrite` of that layout, of `olayout verify` of its output and
#     of `olayout optimize --strategy bipartite` (plan, rewrite and verify in
#     one process, on one model of the program). Two ratios to the rewrite
#     alone: the separate commands, (plan + rewrite) / rewrite, and the one
#     process, (optimize - verify) / rewrite (optimize verifies its output,
#     which a rewrite does not: that verify's time is taken off).
#   BUILD=build bench/olayout/plan.sh [-n ROUND_TRIPS] [--no-big | --big-only]
# A benchmark, not a test: nothing here asserts a figure.
set -eu -o pipefail
export LC_ALL=C
: "${BUILD:=build}"
n=1000 big=1 small=1
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) sed -n '2,/^set -eu/{/^#/s/^# \{0,1\}//p}' "$0" | sed '1s/^/usage: /'; exit 0 ;;
	-n) [[ ${2:-} =~ ^[1-9][0-9]{0,6}$ ]] ||
		{ echo "plan.sh: -n '${2:-}': want a count of round trips from 1 to 9999999" >&2; exit 2; }
	    n=$2; shift 2 ;;
	--no-big) big=0; shift ;;
	--big-only) small=0; shift ;;
	*) echo "usage: $0 [-h] [-n ROUND_TRIPS] [--no-big | --big-only]" >&2; exit 2 ;;
	esac
done
# checked here, not after the builds and training they would waste
[ "$big$small" != 00 ] || { echo "plan.sh: --no-big and --big-only leave nothing to run" >&2; exit 2; }
OL=$BUILD/bin/olayout
DIR=$BUILD/bench/olayout-plan
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$DIR"

big_part() {
	echo "== the 8 MiB generated program: plan + rewrite against rewrite alone"
	local exe tplan= trw= tver= topt= t
	exe=$(BUILD=$BUILD python3 -c "import sys; sys.path.insert(0, '$HERE'); import bench; print(bench.build_big(8))" | tail -n 1)
	"$OL" profile -o "$DIR/big.prof" --toggle-collect=main -- "$exe" >/dev/null
	"$OL" plan --strategy bipartite --profile "$DIR/big.prof" -o "$DIR/big.layout" "$exe" >/dev/null 2>&1
	# CPU seconds (user + sys: the machine may be shared), the least of 3,
	# the steps taking turns so that all see the same load
	cpu() { python3 -c "import sys; sys.path.insert(0, '$HERE'); import bench; print('%.3f' % bench.timed(sys.argv[1:])[1])" "$@"; }
	least() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc)" = 1 ]; then echo "$2"; else echo "$1"; fi; }
	for _ in 1 2 3; do
		t=$(cpu "$OL" plan --strategy bipartite --profile "$DIR/big.prof" -o "$DIR/big.layout2" "$exe")
		tplan=$(least "$tplan" "$t")
		t=$(cpu "$OL" rewrite --layout "$DIR/big.layout" -o "$DIR/big.rw" "$exe")
		trw=$(least "$trw" "$t")
		t=$(cpu "$OL" verify "$DIR/big.rw")
		tver=$(least "$tver" "$t")
		t=$(cpu "$OL" optimize --strategy bipartite --profile "$DIR/big.prof" -o "$DIR/big.opt" "$exe")
		topt=$(least "$topt" "$t")
	done
	printf "| step (CPU s, best of 3) | seconds |\n|---|---:|\n| plan (bipartite) | %s |\n| rewrite | %s |\n| verify (of the rewrite) | %s |\n| optimize (bipartite) | %s |\n" \
		"$tplan" "$trw" "$tver" "$topt"
	echo "separate commands: (plan + rewrite) / rewrite = $(echo "scale=2; ($tplan + $trw) / $trw" | bc)"
	echo "one process: (optimize - verify) / rewrite = $(echo "scale=2; ($topt - $tver) / $trw" | bc)"
}
if [ "$small" = 0 ]; then
	big_part
	exit 0
fi

for tool in valgrind llvm-bolt-19; do
	command -v $tool >/dev/null || { echo "plan.sh: needs $tool (make deps)" >&2; exit 1; }
done

echo "== building tcpping STD, OUT and STD for BOLT (-ffunction-sections -Wl,--emit-relocs)"
CC="gcc -ffunction-sections -Wl,--emit-relocs" profiles/xk_build.sh STD "$DIR/STD" >/dev/null
CC="gcc -ffunction-sections -Wl,--emit-relocs" profiles/xk_build.sh OUT "$DIR/OUT" >/dev/null
CC="gcc -fno-reorder-blocks-and-partition -Wl,--emit-relocs" profiles/xk_build.sh STD "$DIR/BSTD" >/dev/null

exes=() names=()
for b in STD OUT; do
	echo "== training $b with olayout profile ($n round trips) -> $DIR/$b.prof"
	bench/variants/train.sh "$OL" profiles/tcpping.prof "$DIR/$b/tcpping" "$DIR/$b.prof" \
		-w inproc -n "$n" -s 1
	exes+=("$DIR/$b/tcpping")
	names+=("$b")
	for s in std bad pettis-hansen hfsort bipartite color; do
		# its warnings (profile functions the build lacks) kept out of the
		# table, but shown when it fails: set -e would end the run unexplained
		"$OL" optimize --strategy "$s" --profile "$DIR/$b.prof" --cache alpha21064 \
			--save-layout "$DIR/$b.$s.layout" -o "$DIR/tcpping.$b.$s" "$DIR/$b/tcpping" \
			2>"$DIR/optimize.err" | sed 's/^/  /' || { cat "$DIR/optimize.err" >&2; exit 1; }
		exes+=("$DIR/tcpping.$b.$s")
		names+=("$b+$s")
	done
done

echo "== BOLT on STD: instrument, train ($n round trips), optimize"
rm -f "$DIR/bolt.fdata"
# Debian's bolt-19 looks for its runtime under /usr/lib: name where it is
llvm-bolt-19 "$DIR/BSTD/tcpping" -instrument -o "$DIR/tcpping.instr" \
	-runtime-instrumentation-lib=llvm-19/lib/libbolt_rt_instr.a \
	-instrumentation-file="$DIR/bolt.fdata" >"$DIR/bolt.log" 2>&1
"$DIR/tcpping.instr" -w inproc -n "$n" -s 1 >/dev/null
llvm-bolt-19 "$DIR/BSTD/tcpping" -o "$DIR/tcpping.bolt" -data="$DIR/bolt.fdata" \
	-reorder-blocks=ext-tsp -reorder-functions=cdsort -split-functions -split-all-cold \
	>>"$DIR/bolt.log" 2>&1
exes+=("$DIR/tcpping.bolt")
names+=("STD+BOLT")

echo "== callgrind, alpha21064, per round trip (bench/xkernel/callgrind.sh -n $n)"
BUILD=$BUILD bench/xkernel/callgrind.sh -q -n "$n" -g alpha21064 "${exes[@]}" >"$DIR/counts"
awk -v names="${names[*]}" 'BEGIN { split(names, nm, " ") }
	{ ir[NR] = $2; miss[NR] = $3 }
	END {
		printf "| build | instructions/RT | I1 misses/RT | misses vs STD |\n|---|---:|---:|---:|\n"
		for (i = 1; i <= NR; i++)
			printf "| %s | %.1f | %.2f | %.2f |\n", nm[i], ir[i], miss[i], miss[i] / miss[1]
	}' "$DIR/counts"

[ "$big" = 1 ] || exit 0
big_part
