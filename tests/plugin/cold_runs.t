#!/usr/bin/env bash
# cold_runs.t - cold-runs=N: a block that ran in training, but fewer than
# N times per training run, is outlined (f.cold) however often its
# function was entered; with N at or below its count per run it stays,
# and without the option a block that ran is never outlined. A rare block
# that calls a function whose body ran often (g's call of work) is no
# seed, nor is one that ran about as often as the block above it and
# leads to a line that ran often (w's way on to its loop). cold-ratio=R
# (issue #11's deeper outlining) does the same per entry of the function:
# f's rare block ran 100 times in 200000 entries (0.0005), so it stays with
# R = 0.0004 and goes to f.cold with 0.0006; cold-ppm=R with R per million
# instructions of training. The output is the same every way.
. tests/plugin/lib.sh

cat >"$WORK/r.c" <<'C'
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) int f(int x)
{
	int r = x * 3; /* HOT */
	if (x % 1000 == 7) { /* HOT */
		r += printf("rare %d\n", x); /* RARE */
		r ^= x << 2; /* RARE */
	}
	return r; /* HOT */
}

static int a[1000];

static void work(int n)
{
	for (int i = 0; i < n; i++)
		a[i] += i; /* WORK */
}

__attribute__((noinline)) int g(int x)
{
	if (x % 1000 == 7) /* HOT */
		work(1000); /* RARE */
	return x + a[x % 1000]; /* HOT */
}

static volatile int sink;

__attribute__((noinline)) int w(int x)
{
	if (x % 100 != 7) /* HOT */
		return x; /* HOT */
	int r = x; /* ONCE */
	if (x % 3000 != 7) /* ONCE */
		sink = r; /* WAYON */
	for (int i = 0; i < 100; i++) /* LOOP */
		r += a[i]; /* LOOP */
	return r; /* ONCE */
}

int main(int argc, char **argv)
{
	int s = 0, n = argc > 1 ? atoi(argv[1]) : 100000;
	for (int i = 0; i < n; i++)
		s += f(i) + g(i) + w(i);
	printf("%d\n", s & 0xff);
	return 0;
}
C
# training: 2 runs of 100000 calls of f, the rare block 100 times in all
{
	printf 'olayout-profile 2\ntraining 2\nfunction f 200000 1400000\nfunction g 200000 1400000\n'
	grep -n 'WORK' "$WORK/r.c" | cut -d: -f1 | sed 's/^/line r.c:/; s/$/ 100000/'
	grep -n 'HOT' "$WORK/r.c" | cut -d: -f1 | sed 's/^/line r.c:/; s/$/ 200000/'
	grep -n 'RARE\|ONCE' "$WORK/r.c" | cut -d: -f1 | sed 's/^/line r.c:/; s/$/ 100/'
	grep -n 'WAYON' "$WORK/r.c" | cut -d: -f1 | sed 's/^/line r.c:/; s/$/ 90/'
	grep -n 'LOOP' "$WORK/r.c" | cut -d: -f1 | sed 's/^/line r.c:/; s/$/ 10000/'
} >"$WORK/r.prof"

plan 21
$CC -O2 -o "$WORK/plain" "$WORK/r.c" || bail_out "cannot build r.c"
want=$("$WORK/plain" 3000)

# has_cold EXE: f has a .cold part
has_cold() { nm "$1" | grep -q " ${2:-f}\.cold\$"; }

cp "$WORK/r.prof" "$WORK/none.prof"
plugin_build "$WORK/r.c" none
ok "without cold-runs the block that ran stays in f" eval '! has_cold "$WORK/none"'

cp "$WORK/r.prof" "$WORK/low.prof"
plugin_build "$WORK/r.c" low cold-runs=50
ok "cold-runs=50 (the block ran 50 times per run): it stays in f" eval '! has_cold "$WORK/low"'

cp "$WORK/r.prof" "$WORK/high.prof"
plugin_build "$WORK/r.c" high cold-runs=51
ok "cold-runs=51: it goes to f.cold" has_cold "$WORK/high"
ok "verbose says why" grep -qF "it ran 100 times in 2 training runs (cold-runs 51)" "$WORK/verbose.high"
ok "g's rare block calls work, whose loop ran 100000 times: verbose says it is no seed" grep -q "g: block [0-9]* ran 100 times in 2 training runs, but .*100000.*not a seed" "$WORK/verbose.high"
ok "w's block that ran 90 times of the 100 its dominator ran is the way on to the loop: no w.cold" \
	eval '! has_cold "$WORK/high" w'
ok "verbose says why" grep -q "w: block [0-9]* ran 90 times in 2 training runs, but block [0-9]* above it ran 100 times and it leads to block [0-9]*: it is the way on: not a seed" "$WORK/verbose.high"
is "$("$WORK/high" 3000)" "$want" "the outlined build prints what the plain build prints"
is "$("$WORK/low" 3000)" "$want" "so does the other"

# stays_goes LOW HIGH WHY: with plugin option LOW f's block that ran 100
# times stays in f (build WORK/low-LOW, = as -), with HIGH it goes to f.cold and
# verbose says WHY (a grep pattern; build WORK/high-HIGH)
stays_goes() {
	local low=low-${1//=/-} high=high-${2//=/-}
	cp "$WORK/r.prof" "$WORK/$low.prof"
	plugin_build "$WORK/r.c" "$low" "$1"
	ok "$1: the block stays in f" eval "! has_cold '$WORK/$low'"
	cp "$WORK/r.prof" "$WORK/$high.prof"
	plugin_build "$WORK/r.c" "$high" "$2"
	ok "$2: it goes to f.cold, and verbose says why" eval \
		"has_cold '$WORK/$high' && grep -q '$3' '$WORK/verbose.$high'"
}

# cold-ppm=R: rare below R per million instructions of training (f's and
# g's 1400000 each: 2.8 M), here 35 -> below 98 (the block's 100 stays),
# 37 -> below 103 (it goes)
stays_goes cold-ppm=35 cold-ppm=37 "it ran 100 times in 2 training runs (cold-ppm 37: below 103)"
# cold-ratio: the block ran 0.0005 times per entry of f
stays_goes cold-ratio=0.0004 cold-ratio=0.0006 \
	"f: block [0-9]* is a cold seed: it ran 100 times in 200000 entries (cold-ratio 0.0006)"
is "$("$WORK/high-cold-ratio-0.0006" 3000)" "$want" "the cold-ratio build prints what the plain build prints"
done_testing
