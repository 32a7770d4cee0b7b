#!/usr/bin/env bash
# ext.sh CACHE PKG...: each Debian 12 source package PKG, fetched by
# mk/debsrc.sh into CACHE, built with olayout-cc (CACHE/ext/PKG, once per
# recipe), its own test suite run unmodified (the pass count to keep),
# trained on that suite (each program replaced by a callgrind wrapper; the
# runs' profiles merged), optimized four ways (bipartite with clones,
# hfsort, cdsort, bad), each output verified and the suite run again with the
# optimized programs in place: the same pass count, or the package fails.
# When the recipe has bench/external's workloads (workload, heldout), its
# bench_prog runs them too, unmodified and optimized each way: the same
# output, or the package fails.
# A recipe tests/external/recipes/PKG.sh (or EXT_RECIPES/PKG.sh) may override the steps (shell
# functions, see the defaults below). Prints per program: functions, moved
# per strategy, refused and why; the logs stay in CACHE/ext/PKG/logs.
# Environment: BUILD (default build), EXT_PATHS (paths proposed, default 2),
# EXT_REBUILD=1 (build again), EXT_TRAIN_CPU (CPU seconds a training run
# may take under callgrind, default 120, 0 no limit; a run stopped there
# keeps its counts so far). Exit 1 when a package fails.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STRATEGIES="bipartite hfsort cdsort bad"

usage="usage: ext.sh CACHE PKG..."
case ${1:-} in -h | --help) echo "$usage"; exit 0 ;; esac
[ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
. "$HERE/steps.sh"
ext_setup ext "$1"
shift
[[ ${EXT_TRAIN_CPU:=120} =~ ^[0-9]+$ ]] ||
	{ echo "ext: EXT_TRAIN_CPU '$EXT_TRAIN_CPU': want a number of CPU seconds (0: no limit)" >&2; exit 2; }
[ "$EXT_TRAIN_CPU" = 0 ] || TRAIN_CPU=$EXT_TRAIN_CPU

# suite NAME: runs check, prints its pass count (log in logs/check.NAME.log).
suite() {
	local log=$W/logs/check.$1.log
	(check) > "$log" 2>&1 || echo "ext: $PKG: the suite exited non-zero ($1), see $log" >&2
	passed < "$log"
}

# stopped PROG: how many training runs of PROG the CPU limit stopped
# (valgrind's log says so).
stopped() {
	grep -l 'signal 24 (SIGXCPU)' "$W/cg/$(basename "$1")".*.log 2>/dev/null | wc -l
}

# workloads EXE: what the recipe's workload and held-out workload print with
# EXE as bench_prog and the checksums of the files they write (nothing when
# the recipe has neither); a workload that fails says so.
workloads() {
	local fn
	for fn in workload heldout; do
		declare -F "$fn" > /dev/null || continue
		echo "$fn:"
		workload_output "$fn" "$1" "$W/work" 2> /dev/null || echo "$fn failed"
	done
}

# one PKG: 0 when every output verifies and every suite keeps its passes.
one() {
	local stamp p s n bad=0 want got runs bp ref
	pkg_steps "$1" "$CACHE/ext/$1" || return 1
	# built again when a build step or the driver changed
	stamp="build steps $(declare -f prepare configure build | md5sum) driver $(md5sum < "$OLCC")"
	if [ "${EXT_REBUILD:-}" = 1 ] || [ ! -f "$W/.built" ] || [ "$(cat "$W/.built")" != "$stamp" ] ||
		[ ! -f "$W/.progs" ]; then
		echo "ext: $PKG: building with olayout-cc (log $W/logs/build.log)" >&2
		rm -rf "$W" && mkdir -p "$W/logs" && cp -a "$SRC" "$W/src"
		if ! (cd "$W/src" && prepare && configure && build) > "$W/logs/build.log" 2>&1; then
			echo "ext: $PKG: the build failed, see $W/logs/build.log" >&2
			return 1
		fi
		# the programs are the build's: a suite that builds test programs
		# must not add them to the next run's list
		(cd "$W/src" && progs) > "$W/.progs"
		echo "$stamp" > "$W/.built"
	fi
	cd "$W/src"
	# a run that was stopped may have left its wrappers or outputs in place
	[ -f ../progs.list ] && [ -d ../orig ] && mapfile -t PROGS < ../progs.list &&
		install_progs ../orig "${PROGS[@]}"
	rm -rf ../orig ../cg ../prof ../opt ../progs.list && mkdir -p ../orig ../cg ../prof
	mapfile -t PROGS < ../.progs
	[ ${#PROGS[@]} -gt 0 ] || { echo "ext: $PKG: the build made no program to optimize" >&2; return 1; }
	for p in "${PROGS[@]}"; do cp -f "$p" "../orig/$(basename "$p")"; done
	printf '%s\n' "${PROGS[@]}" > ../progs.list
	want=$(suite std)
	echo "ext: $PKG: programs ${PROGS[*]}; its own suite passes $want unmodified" >&2
	[ "$want" -gt 0 ] || { echo "ext: $PKG: no test passes unmodified" >&2; return 1; }

	echo "ext: $PKG: training (log $W/logs/train.log)" >&2
	wrap "$W" "${PROGS[@]}"
	(train) > "$W/logs/train.log" 2>&1 || true
	install_progs ../orig "${PROGS[@]}"
	local trained=0
	for p in "${PROGS[@]}"; do
		if ! runs=$(profile_prog "$p"); then
			echo "ext: $PKG: $p: no run in training: left as built" >&2
			continue
		fi
		trained=$((trained + 1))
		n=$(stopped "$p")
		[ "$n" = 0 ] && n= || n=", $n stopped at $EXT_TRAIN_CPU CPU s (EXT_TRAIN_CPU)"
		echo "ext: $PKG: $p: $runs runs profiled$n" >&2
	done
	[ $trained -gt 0 ] || { echo "ext: $PKG: no program ran in training (see $W/logs)" >&2; return 1; }
	ref=
	if declare -F workload > /dev/null || declare -F heldout > /dev/null; then
		bp=$(basename "$(bench_prog)")
		ref=$(workloads "$PWD/../orig/$bp")
		[[ $ref != *" failed"* ]] ||
			{ echo "ext: $PKG: the recipe's workloads fail with the unmodified $bp" >&2; return 1; }
	fi

	for s in $STRATEGIES; do
		mkdir -p "../opt/$s"
		for p in "${PROGS[@]}"; do
			b=$(basename "$p")
			if [ -f "../prof/$b.prof" ]; then
				if ! "$OL" optimize --strategy "$s" --profile "../prof/$b.prof" \
					--save-layout "../opt/$s/$b.layout" -o "../opt/$s/$b" "../orig/$b" \
					> "$W/logs/optimize.$s.$b.log" 2>&1 || ! "$OL" verify "../opt/$s/$b" > /dev/null; then
					echo "ext: $PKG: $s: $p: optimize or verify failed, see $W/logs/optimize.$s.$b.log" >&2
					bad=1
					cp -f "../orig/$b" "../opt/$s/$b"
				fi
			else
				cp -f "../orig/$b" "../opt/$s/$b"
			fi
		done
		install_progs "../opt/$s" "${PROGS[@]}"
		got=$(suite "$s")
		install_progs ../orig "${PROGS[@]}"
		[ "$got" = "$want" ] || bad=1
		echo "ext: $PKG: $s: its own suite passes $got of the unmodified $want" >&2
		[ -z "$ref" ] && continue
		if [ "$(workloads "$PWD/../opt/$s/$bp")" = "$ref" ]; then
			echo "ext: $PKG: $s: $bp on the recipe's workloads prints and writes what the unmodified one does" >&2
		else
			echo "ext: $PKG: $s: $bp on the recipe's workloads prints or writes other output than the unmodified one" >&2
			bad=1
		fi
	done
	for p in "${PROGS[@]}"; do
		python3 "$HERE/report.py" "$PKG" "$p" "../orig/$(basename "$p")" ../opt "$STRATEGIES"
	done
	return $bad
}

status=0
for pkg in "$@"; do
	if (one "$pkg"); then
		echo "ext: $pkg: ok"
	else
		echo "ext: $pkg: FAILED"
		status=1
	fi
done
exit $status
