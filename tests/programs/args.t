#!/usr/bin/env bash
# args.t - the benchmark scripts and programs, and the helpers they and the Makefile run,
# refuse a bad command line (or a bad value in the environment they read)
# before any work: exit status 2 and one line on stderr naming the script.
# Each runs from an empty folder with BUILD an empty path, so a script that
# let the value through would fail at its first step instead (another status
# or message), not start a benchmark.
. tests/tap/tap.sh
T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT
R=$PWD
B=${BUILD:-build}
need "$B/bin/ipcbench" "$B/bin/ipclines"

# refused WHAT VAR=VALUE... -- SCRIPT ARGS...: exit 2, one line naming SCRIPT, nothing made
refused() {
	local what=$1 env=() script
	shift
	while [ "$1" != -- ]; do env+=("$1"); shift; done
	shift
	script=$(basename "$1" .sh)
	(cd "$T/cwd" && env "BUILD=$T/nobuild" "RESULTS=$T/results" ${env[@]+"${env[@]}"} \
		timeout 20 "$(case $1 in /*) echo "$1" ;; *) echo "$R/$1" ;; esac)" "${@:2}" >"$T/out" 2>"$T/err")
	local rc=$?
	ok "$what: exit 2, one line naming $script, nothing made" eval \
		'[ $rc = 2 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "$script" "$T/err" &&
		 [ -z "$(ls -A "$T/cwd")" ] && [ ! -e "$T/nobuild" ] && [ ! -e "$T/results" ] && [ ! -e "$T/cache" ]' ||
		diag "  exit $rc, stderr: $(head -c 300 "$T/err")"
	rm -rf "$T/cwd" "$T/nobuild" "$T/results" "$T/cache" && mkdir "$T/cwd"
}
mkdir "$T/cwd"

plan 54
refused "plan.sh -n abc" -- bench/olayout/plan.sh -n abc
refused "plan.sh -n 0" -- bench/olayout/plan.sh -n 0
refused "plan.sh -n without a value" -- bench/olayout/plan.sh -n
refused "plan.sh --no-big --big-only" -- bench/olayout/plan.sh --no-big --big-only
refused "bench/plugin/tcpping.sh 10 20" -- bench/plugin/tcpping.sh 10 20
refused "bench/plugin/tcpping.sh 1e3" -- bench/plugin/tcpping.sh 1e3
refused "callgrind.sh -n 0" -- bench/xkernel/callgrind.sh -n 0
refused "callgrind.sh -g pentium" -- bench/xkernel/callgrind.sh -g pentium
refused "callgrind.sh -a -b" -- bench/xkernel/callgrind.sh -a -b
refused "callgrind.sh -b -a" -- bench/xkernel/callgrind.sh -b -a
refused "classify.sh -n 5" -- bench/xkernel/classify.sh -n 5
refused "lossy.sh -n 0" -- bench/xkernel/lossy.sh -n 0
refused "lossy.sh -b 1M" -- bench/xkernel/lossy.sh -b 1M
refused "lossy.sh -r x" -- bench/xkernel/lossy.sh -r x
refused "lossy.sh with an extra argument" -- bench/xkernel/lossy.sh 5
refused "synflood.sh -n 0" -- bench/xkernel/synflood.sh -n 0
refused "synflood.sh -r 0" -- bench/xkernel/synflood.sh -r 0
refused "synflood.sh -n without a value" -- bench/xkernel/synflood.sh -n
refused "zerowin.sh -s 1k" -- bench/xkernel/zerowin.sh -s 1k
refused "i1lines.py on a missing EXE" -- bench/olayout/i1lines.py "$T/none"
refused "i1lines.py -n 0" -- bench/olayout/i1lines.py -n 0 /bin/true
refused "external bench.sh VARIANTS without STD first" VARIANTS=OUT -- bench/external/bench.sh "$T/cache" zlib
refused "external bench.sh VARIANTS naming no variant" "VARIANTS=STD FOO" -- bench/external/bench.sh "$T/cache" zlib
refused "external bench.sh ROUNDS=0" ROUNDS=0 -- bench/external/bench.sh "$T/cache" zlib
refused "external bench.sh SEED=x" SEED=x -- bench/external/bench.sh "$T/cache" zlib
refused "external bench.sh ENVS=0" ENVS=0 -- bench/external/bench.sh "$T/cache" zlib
refused "external bench.sh ENVS=x" ENVS=x -- bench/external/bench.sh "$T/cache" zlib
refused "external shift.sh without PKG" -- bench/external/shift.sh "$T/cache"
refused "external shift.sh N=0" N=0 -- bench/external/shift.sh "$T/cache" zlib
refused "external shift.sh GEOM=pentium" GEOM=pentium -- bench/external/shift.sh "$T/cache" zlib BOLT
refused "external shift.sh WL=train" WL=train -- bench/external/shift.sh "$T/cache" zlib
refused "external bands.sh without PKG" -- bench/external/bands.sh "$T/cache"
refused "external bands.sh GEOMS=pentium" GEOMS=pentium -- bench/external/bands.sh "$T/cache" zlib
refused "external bands.sh WLS=train" WLS=train -- bench/external/bands.sh "$T/cache" zlib
# the IPC benchmarks (programs of the build)
refused "ipcbench -x" -- "$B/bin/ipcbench" -x
refused "ipcbench --out without a folder" -- "$B/bin/ipcbench" --out
refused "ipclines -n 0" -- "$B/bin/ipclines" -n 0
refused "ipclines -r 401" -- "$B/bin/ipclines" -r 401
# the helpers the Makefile and the scripts above run
refused "train.sh with three arguments" -- bench/variants/train.sh a b c
refused "bench/olayout/debsrc.sh without CACHE" -- bench/olayout/debsrc.sh
refused "mk/debsrc.sh without PKG" -- mk/debsrc.sh "$T/cache"
refused "mk/manpage.sh with two arguments" -- mk/manpage.sh a b
refused "mk/deps.sh -x" -- mk/deps.sh -x
refused "tests/external/report.py without arguments" -- tests/external/report.py
# the argparse scripts (lib/py/ol_args.py: argparse's usage-and-error in one line)
refused "ab.py -n x" -- bench/variants/ab.py -n x STD
refused "tables.py without a LIST" -- bench/variants/tables.py
refused "bench/olayout/bench.py --sizes-of-nothing" -- bench/olayout/bench.py --sizes-of-nothing
refused "mkbig.py with a count that is no number" -- bench/olayout/mkbig.py "$T/big" x
refused "i1lines.py --top x" -- bench/olayout/i1lines.py --top x /bin/true
refused "bandfuncs.py with one band" -- bench/external/bandfuncs.py "$T/a"
refused "bandfuncs.py --top -1" -- bench/external/bandfuncs.py --top -1 "$T/a" "$T/b"
refused "paired.py without BASE" -- bench/external/paired.py
refused "paired.py --rounds 3" -- bench/external/paired.py --rounds 3 BOLT
refused "lossy_linux.py serve x 1" -- bench/xkernel/lossy_linux.py serve x 1
done_testing
