#!/usr/bin/env bash
# ext.t - the test-external runner (ext.sh) on docs/example as a package, with
# recipes of its own (no network): it builds calc with olayout-cc, trains,
# writes four verified outputs that differ from the build and keep the
# suite's 3 passes, and reports the functions and moves; a suite that passes
# fewer tests with the optimized program (a recipe counting a pass only when
# calc is the unmodified build) makes the package fail; a training run past
# EXT_TRAIN_CPU is stopped with its counts kept; the programs are the ones
# the build made, also on a second run after a suite that built more, and
# also when readelf writes on past the line asked about; gawk's recipe does
# not count its wall-clock test.
set -u
export LC_ALL=C
: "${BUILD:=build}"
. tests/tap/tap.sh
need "$BUILD/bin/olayout" "$BUILD/bin/olayout-cc"
need_tool valgrind	# training needs it; make deps installs it
mkdir -p "$BUILD/tests" && T=$(cd "$(mktemp -d "$BUILD/tests/ext.XXXXXX")" && pwd) || bail_out "no scratch directory"
trap 'rm -rf "$T"' EXIT
mkdir "$T/recipes"
cat > "$T/recipes/calc.sh" <<'R'
fetch() { echo "$ROOT/docs/example"; }
prepare() { :; }
configure() { :; }
build() { make CC="$OLCC"; }
progs() { echo calc; }
passed() { sed -n 's/^\([0-9]*\) passed.*/\1/p'; }
train() { ./calc -n 200 work.calc; make check; }
R
{ cat "$T/recipes/calc.sh"
  echo 'check() { make check; cmp -s calc ../orig/calc && echo "1 passed"; }'
  echo 'passed() { grep -c "^1 passed"; }'
} > "$T/recipes/picky.sh"
{ cat "$T/recipes/calc.sh"
  echo 'train() { ./calc -n 20000 work.calc; make check; }'
} > "$T/recipes/slow.sh"
# the default progs, and a suite that builds a program of its own (as
# xz-utils' make check builds tests/test_*): not one to optimize, then or later
{ grep -v '^progs()' "$T/recipes/calc.sh"
  echo 'check() { printf "int main(void) { return 0; }\n" > t_helper.c && "$OLCC" -o t_helper t_helper.c && make check; }'
} > "$T/recipes/grow.sh"

plan 14
EXT_RECIPES=$T/recipes BUILD=$BUILD tests/external/ext.sh "$T/cache" calc >"$T/out" 2>"$T/err"
rc=$?
ok "ext.sh builds, trains and optimizes calc: ok" eval '[ $rc = 0 ] && grep -q "^ext: calc: ok$" "$T/out"' ||
	diag "$(tail -20 "$T/err")"
ok "the unmodified suite passes 3" grep -q "its own suite passes 3 unmodified" "$T/err"
for s in bipartite hfsort cdsort bad; do
	o=$T/cache/ext/calc/opt/$s/calc
	ok "$s: the output verifies, differs from the build and keeps the 3 passes" eval \
		'"$BUILD/bin/olayout" verify "$o" >/dev/null && ! cmp -s "$o" "$T/cache/ext/calc/orig/calc" &&
		grep -q "^ext: calc: $s: its own suite passes 3 of the unmodified 3$" "$T/err"'
done
ok "the report names the functions, refusals and moves" \
	grep -Eq '^calc calc: [0-9]+ functions, 0 refused; bipartite [1-9][0-9]* moved, [1-9][0-9]* clones; hfsort [1-9][0-9]* moved; cdsort [1-9][0-9]* moved; bad [1-9][0-9]* moved$' "$T/out" ||
	diag "$(cat "$T/out")"
EXT_RECIPES=$T/recipes BUILD=$BUILD tests/external/ext.sh "$T/cache" picky >"$T/out2" 2>"$T/err2"
rc=$?
ok "a suite passing fewer with the optimized program fails the package" eval \
	'[ $rc = 1 ] && grep -q "^ext: picky: FAILED$" "$T/out2" &&
	grep -q "^ext: picky: hfsort: its own suite passes 0 of the unmodified 1$" "$T/err2"' ||
	diag "$(tail -20 "$T/err2")"
# a training run past EXT_TRAIN_CPU (about 5 CPU s under callgrind, limit 1)
# is stopped, its counts so far kept, and the package goes on
EXT_TRAIN_CPU=1 EXT_RECIPES=$T/recipes BUILD=$BUILD tests/external/ext.sh "$T/cache" slow >"$T/out3" 2>"$T/err3"
rc=$?
ok "a training run past EXT_TRAIN_CPU is stopped, its counts kept, the package ok" eval \
	'[ $rc = 0 ] && grep -q "^ext: slow: ok$" "$T/out3" &&
	grep -Eq "^ext: slow: calc: [0-9]+ runs profiled, 1 stopped at 1 CPU s \(EXT_TRAIN_CPU\)$" "$T/err3" &&
	grep -q "^ext: slow: bipartite: its own suite passes 3 of the unmodified 3$" "$T/err3"' ||
	diag "$(tail -20 "$T/err3")"
for run in 1 2; do
	EXT_RECIPES=$T/recipes BUILD=$BUILD tests/external/ext.sh "$T/cache" grow >"$T/out5.$run" 2>"$T/err5.$run"
	echo "rc=$?" >>"$T/out5.$run"
done
ok "the programs are the build's, run after run, not what its suite built" eval \
	'grep -q "^rc=0$" "$T/out5.1" && grep -q "^rc=0$" "$T/out5.2" && [ -x "$T/cache/ext/grow/src/t_helper" ] &&
	grep -q "^ext: grow: programs calc; its own suite passes 3 unmodified$" "$T/err5.1" &&
	grep -q "^ext: grow: programs calc; its own suite passes 3 unmodified$" "$T/err5.2"' ||
	diag "$(grep programs "$T"/err5.*)"
# the default progs under pipefail, with a readelf that goes on writing after
# the lines it is asked about (as readelf -S of a program of many sections):
# a reader that stops at its match must not drop the program
mkdir "$T/slowelf"
printf '#!/bin/sh\n%s "$@"; sleep 0.3; seq 20000\n' "$(command -v readelf)" >"$T/slowelf/readelf" && chmod +x "$T/slowelf/readelf"
# slow_defaults CMD: CMD (a default step) in grow's build tree under pipefail,
# with that readelf; its output on one line
slow_defaults() {
	local root=$PWD
	(cd "$T/cache/ext/grow/src" && PATH=$T/slowelf:$PATH bash -c \
		'set -eo pipefail; ROOT=$1; . "$ROOT/tests/external/steps.sh"; defaults; eval "$2"' sh "$root" "$1" 2>&1 |
		tr '\n' ' ')
}
is "$(slow_defaults progs)" "calc t_helper " "progs finds every program whose readelf output goes on past the match (pipefail)"
is "$(slow_defaults 'bench_prog; echo "rc=$?"')" "calc rc=0 " \
	"the default bench_prog: the first of two programs, and no failure (pipefail)"
# gawk's recipe counts neither way its racy tests `time` and `sigpipe1`
gawk_passed() { bash -c '. tests/external/recipes/gawk.sh; passed'; }
is "$(printf 'a\nb\ntime\n./time.ok _time differ: byte 134, line 2\nc\n1 TESTS FAILED\n' | gawk_passed) $(
	printf 'a\nb\n./b.ok _b differ: byte 1, line 1\ntime\nc\n1 TESTS FAILED\n' | gawk_passed) $(
	printf 'a\ntime\nALL TESTS PASSED\n' | gawk_passed) $(
	printf 'a\nsigpipe1\n./sigpipe1.ok _sigpipe1 differ: byte 24, line 3\ntime\n./time.ok _time differ: byte 1, line 1\nc\n2 TESTS FAILED\n' |
		gawk_passed) $(printf 'a\nsigpipe1\nsigpipe10\n./sigpipe10.ok _sigpipe10 differ: byte 1, line 1\n1 TESTS FAILED\n' |
		gawk_passed)" "3 2 1 2 1" \
	"gawk's recipe: time's and sigpipe1's failures not counted, another's (sigpipe10) counted, time's pass not counted"
EXT_TRAIN_CPU=soon BUILD=$BUILD tests/external/ext.sh "$T/cache" slow >/dev/null 2>"$T/err4"
rc=$?
ok "a bad EXT_TRAIN_CPU is refused in one line" eval \
	'[ $rc = 2 ] && [ "$(cat "$T/err4")" = "ext: EXT_TRAIN_CPU '"'soon'"': want a number of CPU seconds (0: no limit)" ]' ||
	diag "$(cat "$T/err4")"
done_testing
