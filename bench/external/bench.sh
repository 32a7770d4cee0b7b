#!/usr/bin/env bash
# usage: bench.sh CACHE PKG...
# Each Debian source package of test-external on its recipe's workload
# (sources and builds under CACHE), built and laid out every way side by side:
#   STD        olayout-cc, no profile
#   STD+bip    STD, olayout optimize --strategy bipartite
#   OUT        olayout-cc with STD's profile, mode outline (the plugin),
#              --olayout-align=pack (no alignment padding)
#   OUT+bip, OUT+color, OUT+hfsort   OUT, olayout optimize with its own profile
#   OUT+cds, OUT+cds-modern   OUT, --strategy cdsort planned for the
#              alpha21064 cache (the profile's first) and for modern
#   OUT2, OUT2+cds, OUT2+cds-modern   OUT built again with the block counts
#              of OUT's own training (olayout profile --blocks: OUT has
#              block ids, olayout-cc --olayout-block-profile; its blocks that
#              never ran go to .cold: OUT2_ARGS=--olayout-arg=split-cold=off
#              keeps them), then cdsort
#   V+tune     V (an olayout variant above) with its start chosen by
#              olayout tune on the training workload, for the cache V was
#              planned for (cds-modern: modern; the others: alpha21064);
#              its rewrite time is tune's, 16 rewrites and runs
#   FDO, FDO+bip   OUT with the plugin's fdo pass before inlining (olayout-cc
#              --olayout-fdo=on; late is the driver's default), and bipartite
#              with its own profile
#   PGO        GCC -fprofile-use (trained by -fprofile-generate on the workload)
#   BOLT       llvm-bolt-19 on STD built -fno-reorder-blocks-and-partition,
#              trained by its own instrumentation on the workload
#   PGO+BOLT   BOLT on PGO built -fno-reorder-blocks-and-partition
# Every layout trains on the workload it is measured on (as BOLT does).
# A recipe's `heldout` workload (other inputs, never trained on by any
# variant) is measured too: instructions and I1 misses, in a table of
# its own (HELDOUT=0 leaves it out).
# Every variant must print and write what STD does on each workload. Per
# variant: instructions and simulated I1 misses of the whole workload
# under cachegrind (modern 32768:8:64 and alpha21064 8192:1:32; each the
# mean over ENVS runs, every variant's program run from the same ENVS
# paths: the path's length alone moves a count by up to 0.9%), the median
# wall time and CPU time (user+sys of the workload's processes: on a shared
# host, less of the waiting for a core than wall) of ROUNDS runs of the
# workload with the variants interleaved (odd rounds in an order seeded by
# SEED, the package and the round, even ones in the reverse of the round
# before: a place in the round cancels per pair), the load average before
# and after those rounds, and the rewrite time (olayout optimize,
# llvm-bolt's optimizing run). With BOLT: each variant's times over
# BOLT's paired by round (paired.py: median and 90%
# interval), beside those of BOLT.copy, a second copy of BOLT's file timed
# as one more variant: the difference two identical files show on this
# host. Every timed program is a copy of the variant's file made just
# before the rounds (timed from its own file, a program's history, not
# only its bytes, seemed to move its time).
# Under the tables, per geometry: of our variants, the one with the fewest
# misses on the training workload and its misses over BOLT's (and over
# BOLT's on the held-out workload, and its wall time over BOLT's); with
# two packages or more, these lines of every package again at the end.
# The program measured is the recipe's bench_prog (default: the first of
# progs). Writes CACHE/bench/PKG/results.md (and prints it); each
# variant's merged cachegrind counts stay in CACHE/bench/PKG/cg/VARIANT.GEOM
# (the first path's; VARIANT.GEOM.eE each path's) for cg_annotate.
# Environment: BUILD, ROUNDS (default 21), SEED (of the rounds' orders,
# with the package's name and the round; default 1), ENVS (default 4),
# EXT_PATHS,
# VARIANTS (the ones measured, STD first; all are built but FDO, built only
# when an FDO variant is measured), OUT_ARGS (more
# olayout-cc options for OUT and FDO, e.g. --olayout-align=gcc; use another CACHE),
# OUT2_ARGS (more for OUT2 alone, e.g. --olayout-arg=split-cold=off; another CACHE),
# OL_ARGS (olayout optimize's options for every olayout layout; default
# --hot-align: functions that ran start on 64 bytes when cheap, as BOLT's do;
# OL_ARGS= packs them; another CACHE).
# A benchmark: nothing here is asserted.
set -euo pipefail
shopt -s inherit_errexit
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
. "$HERE/bolt.sh"
. "$HERE/cg.sh"
GEOMS="modern:32768,8,64 alpha21064:8192,1,32"
ALL_VARIANTS="STD STD+bip OUT OUT+bip OUT+color OUT+hfsort OUT+cds OUT+cds-modern OUT2 OUT2+cds
OUT2+cds-modern OUT+cds+tune OUT+cds-modern+tune OUT2+cds+tune OUT2+cds-modern+tune FDO FDO+bip PGO BOLT
PGO+BOLT"
ALL_VARIANTS=${ALL_VARIANTS//$'\n'/ }
VARIANTS=${VARIANTS:-$ALL_VARIANTS}

case ${1:-} in -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
[ $# -ge 2 ] || { echo "usage: bench.sh CACHE PKG... (--help)" >&2; exit 2; }
# checked before the builds: a bad value would fail only at the table, hours later
read -ra vs <<<"$VARIANTS"
[ "${vs[0]:-}" = STD ] || { echo "bench: VARIANTS '$VARIANTS': want STD first (the ratios' base)" >&2; exit 2; }
for v in "${vs[@]}"; do
	[[ " $ALL_VARIANTS " == *" $v "* ]] ||
		{ echo "bench: VARIANTS: unknown variant '$v' (want some of: $ALL_VARIANTS)" >&2; exit 2; }
done
ROUNDS=${ROUNDS:-21} SEED=${SEED:-1}
[[ $ROUNDS =~ ^[1-9][0-9]{0,3}$ ]] || { echo "bench: ROUNDS '$ROUNDS': want 1 to 9999" >&2; exit 2; }
[[ $SEED =~ ^[0-9]{1,9}$ ]] || { echo "bench: SEED '$SEED': want a number" >&2; exit 2; }
ENVS=${ENVS:-4}
[[ $ENVS =~ ^[1-9]$ ]] || { echo "bench: ENVS '$ENVS': want 1 to 9" >&2; exit 2; }
. "$ROOT/tests/external/steps.sh"
ext_setup bench "$1"
shift
bolt_check bench || exit 1

# cc_with NAME FLAGS...: a compiler driver $W/cc/NAME/olayout-cc (the
# driver's own name, as configure scripts see it) that runs olayout-cc with
# FLAGS added to every compile and link; its path on stdout.
cc_with() {
	local f=$W/cc/$1/olayout-cc
	shift
	mkdir -p "$(dirname "$f")"
	printf '#!/bin/sh\nexec %s "$@" %s\n' "$OLCC" "$*" > "$f"
	chmod +x "$f"
	echo "$f"
}

# build_variant DIR CC [GCDA_FROM]: the package built into DIR/src with CC
# (the .gcda files of GCDA_FROM's tree put in place first), once.
build_variant() {
	local dir=$1 cc=$2 from=${3:-}
	[ -f "$dir/built" ] && return 0
	rm -rf "$dir" && mkdir -p "$dir" && cp -a "$SRC" "$dir/src"
	[ -n "$from" ] && (cd "$from/src" && find . -name '*.gcda' -print0 | tar -cf - --null -T -) |
		(cd "$dir/src" && tar -xf -)
	echo "bench: $PKG: building $(basename "$dir")" >&2
	if ! (cd "$dir/src" && OLCC=$cc && prepare && configure && build) > "$dir/build.log" 2>&1; then
		echo "bench: $PKG: the build of $(basename "$dir") failed, see $dir/build.log" >&2
		return 1
	fi
	touch "$dir/built"
}

# run_workload EXE [FN [DIR]]: the recipe's workload (or its FN: heldout)
# with EXE as the program and DIR (default $W/work) its scratch folder, in
# the STD build's tree (its inputs), output thrown away; any command failing
# fails it (without pipefail: `cat | head` is not a failure).
run_workload() {
	(set +o pipefail && cd "$W/STD/src" && "${2:-workload}" "$1" "${3:-$W/work}") > /dev/null 2>&1 &
	wait $! || { echo "bench: $PKG: the workload failed with $1" >&2; return 1; }
}

# output_of EXE [FN]: what the workload (or FN) prints with EXE as the
# program, and the checksums of the files it writes.
output_of() {
	(cd "$W/STD/src" && workload_output "${2:-workload}" "$1" "$W/work") 2> /dev/null &
	wait $! || { echo "bench: $PKG: the workload failed with $1" >&2; return 1; }
}

# same_output VARIANT [FN]: VARIANT's program prints and writes what STD's
# did on the workload (W/STD.out) or on FN (W/STD.FN.out), or the package fails.
same_output() {
	local ref=$W/STD${2:+.$2}.out
	[ "$1" = STD ] || cmp -s "$ref" <(output_of "$W/$1/prog" "${2:-}") ||
		{ echo "bench: $PKG: $1 prints or writes other output than STD on ${2:-the workload}" >&2; return 1; }
}

# train_ol DIR: DIR/prog trained under callgrind on the workload into DIR/prog.prof.
train_ol() {
	local d=$1 b
	[ -f "$d/prog.prof" ] && return 0
	b=$(basename "$PROG")
	rm -rf "$d/t" && mkdir -p "$d/t/orig" "$d/t/cg" "$d/t/prof" "$d/t/logs"
	cp "$d/prog" "$d/t/orig/$b"
	cp "$d/prog" "$d/t/$b"
	(W=$d/t && wrap "$W" "$W/$b")
	run_workload "$d/t/$b"
	(W=$d/t && profile_prog "$b" > /dev/null) || { echo "bench: $PKG: training $d failed" >&2; return 1; }
	cp "$d/t/prof/$b.prof" "$d/prog.prof"
}

# train_blocks DIR: the block counts of DIR/prog's training (train_ol's
# callgrind runs, converted again with --blocks) into DIR/prog.blocks.prof.
train_blocks() {
	local d=$1
	[ -f "$d/prog.blocks.prof" ] && return 0
	(W=$d/t && PROF_ARGS=--blocks profile_prog "$(basename "$PROG")" > /dev/null) ||
		{ echo "bench: $PKG: the block counts of $d failed, see $d/t/logs/profile.log" >&2; return 1; }
	cp "$d/t/prof/$(basename "$PROG").prof" "$d/prog.blocks.prof"
}

# timed CMD...: runs CMD, prints its wall seconds.
timed() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >&2
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc
}

# ol_variant NAME FROM STRATEGY [OPTION...]: FROM/prog laid out by olayout
# into NAME (the OPTIONs added to olayout optimize).
ol_variant() {
	local name=$1 d=$W/$1 from=$W/$2 s=$3
	shift 3
	[ -f "$d/prog" ] && return 0
	mkdir -p "$d"
	timed "$OL" optimize --strategy "$s" ${OL_ARGS---hot-align} "$@" --profile "$from/prog.prof" --save-layout "$d/prog.layout" \
		-o "$d/prog" "$from/prog" > "$d/rewrite.time" 2> "$d/optimize.log" ||
		{ echo "bench: $PKG: $name: optimize failed, see $d/optimize.log" >&2; rm -f "$d/prog"; return 1; }
	"$OL" verify "$d/prog" > /dev/null
}

# tune_variant NAME: NAME's base layout (NAME without +tune) tuned by
# olayout tune on the workload for the cache it was planned for; the
# command is a script of this shell's functions (the recipe's workload).
tune_variant() {
	local d=$W/$1 base=${1%+tune} geom=alpha21064
	[ -f "$d/prog" ] && return 0
	[[ $base == *-modern ]] && geom=modern
	mkdir -p "$d"
	{
		echo '#!/usr/bin/env bash'
		declare -p ROOT BUILD CACHE OL OLCC PKG W SRC PROG
		declare -f
		printf 'set +o pipefail; cd %q && workload %q %q > /dev/null 2>&1\n' "$W/STD/src" "$d/prog" "$d/w"
	} > "$d/workload.sh"
	chmod +x "$d/workload.sh"
	timed "$OL" tune --layout "$W/$base/prog.layout" --cache "$geom" --save-layout "$d/prog.layout" \
		-o "$d/prog" "$W/${base%%+*}/prog" -- "$d/workload.sh" > "$d/rewrite.time" 2> "$d/tune.log" ||
		{ echo "bench: $PKG: $1: tune failed, see $d/tune.log" >&2; rm -f "$d/prog"; return 1; }
}

# bolt_variant NAME INPUT: INPUT/prog instrumented, trained on the
# workload (one profile per process, merged), optimized into NAME.
bolt_variant() {
	local d=$W/$1 in=$W/$2
	[ -f "$d/prog" ] && return 0
	rm -rf "$d" && mkdir -p "$d/fdata"
	$BOLT "$in/prog" -instrument -instrumentation-file="$d/fdata/prof" -instrumentation-file-append-pid \
		-o "$d/instr" > "$d/bolt.log" 2>&1 || { echo "bench: $PKG: $1: instrumenting failed, see $d/bolt.log" >&2; return 1; }
	run_workload "$d/instr"
	merge-fdata-19 "$d"/fdata/prof.* > "$d/prof.fdata" 2>> "$d/bolt.log"
	timed $BOLT "$in/prog" -o "$d/prog" -data="$d/prof.fdata" $BOLT_FLAGS > "$d/rewrite.time" 2>> "$d/bolt.log" ||
		{ echo "bench: $PKG: $1: llvm-bolt failed, see $d/bolt.log" >&2; rm -f "$d/prog"; return 1; }
}

# env_dir E: the folder of environment E (0 to ENVS-1), from which every
# variant's program runs (DIR/b/NAME, a symlink named as the package's
# program), its path longer by 8 bytes per E. The length of a program's
# path (argv[0], and "_" in the environment) moves its I1 count by up to
# 0.9%: jq modern, one binary, 157002 to 158414 (presumably ld.so's and
# libc's string functions take other branches on other alignments; Mytkowicz
# et al., ASPLOS 2009, found the same of run times), as much as some differences between
# layouts; so every variant runs from the same paths, and a count is the
# mean over ENVS of them.
env_dir() { printf '%s/env/e%0*d' "$W" $((8 * $1 + 1)) 0; }

# env_link V E: V's program as environment E's DIR/b/NAME; prints that path.
env_link() {
	local b
	b=$(env_dir "$2")/b
	mkdir -p "$b" && ln -sfn "$W/$1/prog" "$b/$(basename "$PROG")"
	echo "$b/$(basename "$PROG")"
}

# count_env VARIANT GEOM SPEC FN E FILE: the workload (or FN) under
# cachegrind, run from environment E, merged into FILE.
count_env() {
	local c f exe
	exe=$(env_link "$1" "$5")
	c=$(env_dir "$5")/cg
	rm -rf "$c" && mkdir -p "$c"
	cg_wrapper "$c/$(basename "$PROG")" "$3" "$c" "$exe"
	# its own scratch folder: two environments run at once (sqlite3's
	# workload starts by removing its database)
	run_workload "$c/$(basename "$PROG")" "${4:-workload}" "$(env_dir "$5")/w"
	# a command line of several lines (a jq or awk program) would break
	# cg_merge's parser: each file's cmd: is cut to its first line
	for f in "$c"/cg.*; do
		awk '/^cmd:/ { print; skip = 1; next } /^events:/ { skip = 0 } !skip' "$f" > "$f.1"
	done
	cg_merge -o "$6" "$c"/cg.*.1 > /dev/null 2>&1 || { echo "bench: $PKG: cg_merge failed on $c" >&2; return 1; }
	rm -rf "$c"
}

# wait_all PID...: waits for each; fails if one did.
wait_all() {
	local p rc=0
	for p; do wait "$p" || rc=1; done
	return $rc
}

# counts VARIANT GEOM SPEC [FN]: "instructions I1misses" of the workload (or
# FN) under cachegrind with I1 = SPEC, the means over the ENVS environments
# (two at a time); each one's merged counts kept in cg/VARIANT.GEOM.eE
# (cg/VARIANT.GEOM.FN.eE) and read from there while they are newer than the
# variant's program; environment 0's copied to cg/VARIANT.GEOM(.FN).
counts() {
	local v=$1 g=$2${4:+.$4} e pids=()
	for e in $(seq 0 $((ENVS - 1))); do
		[ "$W/cg/$v.$g.e$e" -nt "$W/$v/prog" ] && continue
		count_env "$v" "$2" "$3" "${4:-}" "$e" "$W/cg/$v.$g.e$e" &
		pids+=($!)
		if [ ${#pids[@]} = 2 ]; then
			wait_all "${pids[@]}" || return 1
			pids=()
		fi
	done
	wait_all "${pids[@]}" || return 1
	cp "$W/cg/$v.$g.e0" "$W/cg/$v.$g"
	for e in $(seq 0 $((ENVS - 1))); do cg_summary "$W/cg/$v.$g.e$e"; done |
		awk '{ i += $1; m += $2 } END { printf "%.0f %.0f\n", i / NR, m / NR }'
}

# wall_cpu EXE: the workload once with EXE; prints its wall seconds and the
# CPU seconds (user+sys) of its processes (bash's time counts the children);
# fails when the workload does (pipefail).
wall_cpu() {
	local TIMEFORMAT='%3R %3U %3S'
	{ time run_workload "$1" 2>&3; } 3>&2 2>&1 | awk '{ printf "%s %.3f\n", $1, $2 + $3 }'
}

# shuffled KEY WORD...: the WORDs, one per line, in an order seeded by KEY
# (any text; its checksum is awk's seed).
shuffled() {
	local seed
	seed=$(printf '%s' "$1" | cksum | cut -d' ' -f1)
	shift
	printf '%s\n' "$@" | awk -v s="$seed" 'BEGIN { srand(s) } { print rand(), $0 }' | sort -g | cut -d' ' -f2
}

# median: the median of the numbers on stdin, one per line.
median() {
	sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# held_table: the variants on the held-out workload (one's arrays ir, mr).
held_table() {
	local v
	echo "On the recipe's held-out workload (no variant trained on it):"
	echo
	echo "| variant | instructions | I1 misses modern | x STD | x BOLT | I1 misses alpha21064 | x STD | x BOLT |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for v in $VARIANTS; do
		printf '| %s | %s | %s | %.3f | %s | %s | %.3f | %s |\n' "$v" "${ir[$v.held]}" \
			"${mr[$v.modern.held]}" "$(echo "${mr[$v.modern.held]} / ${mr[STD.modern.held]}" | bc -l)" \
			"$(ratio_to BOLT modern)" \
			"${mr[$v.alpha21064.held]}" "$(echo "${mr[$v.alpha21064.held]} / ${mr[STD.alpha21064.held]}" | bc -l)" \
			"$(ratio_to BOLT alpha21064)"
	done
	echo
}

# ratio_to BASE GEOM: held-out misses of held_table's v over BASE's, or - when BASE is not measured.
ratio_to() {
	[ -n "${mr[$1.$2.held]:-}" ] || { echo -; return; }
	printf '%.3f' "$(echo "${mr[$v.$2.held]} / ${mr[$1.$2.held]}" | bc -l)"
}

# ours_line GEOM: of our variants (every one but STD and the peers), the
# one with the fewest misses on the training workload, its misses over
# BOLT's there and, with a held-out workload, on it (one's arrays mr).
ours_line() {
	local v best= n
	for v in $VARIANTS; do
		case $v in STD | PGO | BOLT | PGO+BOLT) continue ;; esac
		[ -z "$best" ] || [ "${mr[$v.$1]}" -lt "${mr[$best.$1]}" ] && best=$v
	done
	[ -n "$best" ] && [ -n "${mr[BOLT.$1]:-}" ] || return 0
	n=$(printf '%.4f' "$(echo "${mr[$best.$1]} / ${mr[BOLT.$1]}" | bc -l)")
	[ -z "${mr[$best.$1.held]:-}" ] ||
		n="$n (held-out $(printf '%.4f' "$(echo "${mr[$best.$1.held]} / ${mr[BOLT.$1.held]}" | bc -l)"))"
	[ ! -f "$W/paired.md" ] || n="$n; wall x BOLT $(paired_of "$best") (BOLT.copy $(paired_of BOLT.copy))"
	echo "- $1: our fewest misses on the training workload: $best, x BOLT $n"
}

# paired_of V: "RATIO (LO-HI)", V's wall time over BOLT's from paired.md.
paired_of() {
	awk -F' *[|] *' -v v="$1" '$2 == v { print $3 " (" $4 ")" }' "$W/paired.md"
}

one() {
	local v g r
	pkg_steps "$1" "$CACHE/bench/$1"
	declare -F workload > /dev/null || { echo "bench: $PKG: its recipe names no workload" >&2; return 1; }
	mkdir -p "$W"
	build_variant "$W/STD" "$OLCC"
	PROG=$(cd "$W/STD/src" && bench_prog)
	for v in STD OUT OUT2 FDO PGO BOLT-in PGO+BOLT-in; do
		[ -f "$W/$v/built" ] && cp -p "$W/$v/src/$PROG" "$W/$v/prog"
	done
	train_ol "$W/STD"
	ol_variant STD+bip STD bipartite
	local out_cc=(--olayout-profile="$W/STD/prog.prof" --olayout-mode=outline --olayout-align=pack ${OUT_ARGS:-})
	build_variant "$W/OUT" "$(cc_with out "${out_cc[@]}")"
	cp -p "$W/OUT/src/$PROG" "$W/OUT/prog"
	train_ol "$W/OUT"
	ol_variant OUT+bip OUT bipartite
	ol_variant OUT+color OUT color
	ol_variant OUT+hfsort OUT hfsort
	ol_variant OUT+cds OUT cdsort
	ol_variant OUT+cds-modern OUT cdsort --cache modern
	# OUT2's build and trainings are skipped when no OUT2 variant is measured
	if [[ " $VARIANTS " == *" OUT2"* ]]; then
		train_blocks "$W/OUT"
		build_variant "$W/OUT2" "$(cc_with out2 "${out_cc[@]}" \
			--olayout-block-profile="$W/OUT/prog.blocks.prof" ${OUT2_ARGS:-})"
		cp -p "$W/OUT2/src/$PROG" "$W/OUT2/prog"
		train_ol "$W/OUT2"
		ol_variant OUT2+cds OUT2 cdsort
		ol_variant OUT2+cds-modern OUT2 cdsort --cache modern
	fi
	for v in $VARIANTS; do
		[[ $v != *+tune ]] || tune_variant "$v"
	done
	# FDO's build and training are skipped when no FDO variant is measured
	if [[ " $VARIANTS " == *" FDO"* ]]; then
		build_variant "$W/FDO" "$(cc_with fdo --olayout-profile="$W/STD/prog.prof" --olayout-mode=outline \
			--olayout-align=pack --olayout-fdo=on ${OUT_ARGS:-})"
		cp -p "$W/FDO/src/$PROG" "$W/FDO/prog"
		train_ol "$W/FDO"
		ol_variant FDO+bip FDO bipartite
	fi
	if [ ! -f "$W/PGO-gen/trained" ]; then
		build_variant "$W/PGO-gen" "$(cc_with pgo-gen -fprofile-generate)"
		run_workload "$W/PGO-gen/src/$PROG"
		touch "$W/PGO-gen/trained"
	fi
	local use="-fprofile-use -fprofile-partial-training -Wno-missing-profile"
	build_variant "$W/PGO" "$(cc_with pgo $use)" "$W/PGO-gen"
	build_variant "$W/BOLT-in" "$(cc_with bolt -fno-reorder-blocks-and-partition)"
	build_variant "$W/PGO+BOLT-in" "$(cc_with pgo-bolt $use -fno-reorder-blocks-and-partition)" "$W/PGO-gen"
	for v in PGO BOLT-in PGO+BOLT-in; do cp -p "$W/$v/src/$PROG" "$W/$v/prog"; done
	bolt_variant BOLT BOLT-in
	bolt_variant PGO+BOLT PGO+BOLT-in

	mkdir -p "$W/cg"
	declare -A ir mr wall cpu
	local held=
	[ "${HELDOUT:-1}" != 0 ] && declare -F heldout > /dev/null && held=heldout
	output_of "$W/STD/prog" > "$W/STD.out"
	[ -z "$held" ] || output_of "$W/STD/prog" heldout > "$W/STD.heldout.out"
	# every variant's output first: a wrong program fails before hours of counts
	for v in $VARIANTS; do
		same_output "$v"
		[ -z "$held" ] || same_output "$v" heldout
	done
	for v in $VARIANTS; do
		for g in $GEOMS; do
			echo "bench: $PKG: $v under cachegrind, ${g%%:*}" >&2
			read -r ir[$v] mr[$v.${g%%:*}] < <(counts "$v" "${g%%:*}" "${g#*:}")
			[ -z "$held" ] && continue
			echo "bench: $PKG: $v under cachegrind, ${g%%:*}, held-out workload" >&2
			read -r ir[$v.held] mr[$v.${g%%:*}.held] < <(counts "$v" "${g%%:*}" "${g#*:}" heldout)
		done
	done
	# wall and CPU time: ROUNDS rounds, each running every variant's
	# workload once, in an order of its own (a fixed order would give a
	# place in the round a variant's share of drift), each run a line of
	# W/times, the one record the tables read; with BOLT, a second copy of
	# BOLT's file times too (the control: how far two identical files
	# differ here). Each program runs from a copy made now, all alike
	# (why: bench/external/README.md).
	local load0 load1 times lines order timed_vs=$VARIANTS
	[[ " $VARIANTS " != *" BOLT "* ]] || timed_vs="$VARIANTS BOLT.copy"
	rm -rf "$W/timed" "$W/paired.md"
	for v in $timed_vs; do
		mkdir -p "$W/timed/$v" && cp "$W/${v%.copy}/prog" "$W/timed/$v/prog"
	done
	load0=$(cut -d' ' -f1 /proc/loadavg)
	: > "$W/times"
	for r in $(seq "$ROUNDS"); do
		# an odd round shuffles, the next one runs it backwards: a variant's
		# place in the round (earlier ran faster: BOLT.copy over BOLT 1-4%
		# lower when first, four packages) cancels in each pair. On its own
		# line: a failed shuffle stops here (errexit), not as an empty round.
		if ((r % 2)); then
			order=$(shuffled "$SEED $PKG $r" $timed_vs)
		else
			order=$(tac <<<"$order")
		fi
		for v in $order; do
			# not read < <(wall_cpu ...): a process substitution's
			# status is lost, and a failed run would get a time
			times=$(wall_cpu "$(env_link "timed/$v" 0)") || return 1
			echo "$v $r $times" >> "$W/times"
		done
	done
	load1=$(cut -d' ' -f1 /proc/loadavg)
	# before results.md is opened: a failure here leaves the last one whole
	if [ -f "$W/timed/BOLT.copy/prog" ]; then
		python3 "$HERE/paired.py" BOLT $timed_vs < "$W/times" > "$W/paired.md.tmp"
		mv "$W/paired.md.tmp" "$W/paired.md"
	fi
	{
		echo "### $PKG: $PROG on its recipe's workload (load average $load0 -> $load1 over the timed rounds)"
		echo
		echo "| variant | instructions | I1 misses modern | x STD | I1 misses alpha21064 | x STD" \
			"| wall s (median of $ROUNDS) | x STD | CPU s (median of $ROUNDS) | x STD | rewrite s |"
		echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
		for v in $VARIANTS; do
			wall[$v]=$(awk -v v="$v" '$1 == v { print $3 }' "$W/times" | median)
			cpu[$v]=$(awk -v v="$v" '$1 == v { print $4 }' "$W/times" | median)
			printf '| %s | %s | %s | %.3f | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %s |\n' "$v" "${ir[$v]}" \
				"${mr[$v.modern]}" "$(echo "${mr[$v.modern]} / ${mr[STD.modern]}" | bc -l)" \
				"${mr[$v.alpha21064]}" "$(echo "${mr[$v.alpha21064]} / ${mr[STD.alpha21064]}" | bc -l)" \
				"${wall[$v]}" "$(echo "${wall[$v]} / ${wall[STD]}" | bc -l)" \
				"${cpu[$v]}" "$(echo "${cpu[$v]} / ${cpu[STD]}" | bc -l)" \
				"$(if [ -f "$W/$v/rewrite.time" ]; then printf '%.2f' "$(cat "$W/$v/rewrite.time")"; else echo -; fi)"
		done
		echo
		if [ -f "$W/paired.md" ]; then
			echo "Wall and CPU time over BOLT's, paired by round (a variant's time over BOLT's in" \
				"the same round, the median over the $ROUNDS rounds and its 90% interval;" \
				"BOLT.copy, a second copy of BOLT's file, shows how far two identical files differ here):"
			echo
			cat "$W/paired.md"
			echo
		fi
		lines=$(for g in $GEOMS; do ours_line "${g%%:*}"; done)
		[ -z "$lines" ] || printf '%s\n\n' "$lines"
		[ -z "$held" ] || held_table
		echo '```'
		for v in STD OUT OUT2; do
			[ -f "$W/$v/prog" ] || continue
			python3 "$ROOT/tests/external/report.py" "$PKG" "$PROG ($v)" "$W/$v/prog" "$W" \
				"$(echo $VARIANTS | tr ' ' '\n' | grep "^$v+" | tr '\n' ' ')"
		done
		echo '```'
	} > "$W/results.md"
	cat "$W/results.md"
}

status=0 done_pkgs=()
for pkg in "$@"; do
	# a background job: errexit holds inside it (it would not in `( ) ||`)
	(one "$pkg") &
	if wait $!; then done_pkgs+=("$pkg"); else echo "bench: $pkg: FAILED" >&2; status=1; fi
done
# the measured packages' lines of our fewest misses, together
[ ${#done_pkgs[@]} -lt 2 ] || for pkg in "${done_pkgs[@]}"; do
	sed -n "s/^- \([^:]*\): our fewest misses on the training workload: /- $pkg, \1: /p" "$CACHE/bench/$pkg/results.md"
done
exit $status
