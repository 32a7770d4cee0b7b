#!/usr/bin/env bash
# deeper.t - outlining beyond never-run blocks (issue #11's deeper
# outlining), each rule on its own small program, and its verbose line:
# - error returns: `err = -EPIPE;` in a branch that never ran is by the
#   outline pass no block but a PHI argument on the edge into the join that
#   tests the value; the edge never ran, so the copies GCC's jump threading
#   makes of the join for the error values go to push.cold (with cold-runs,
#   also when the branch ran rarely);
# - a call of a function that never ran in training (cold-function) makes
#   its block never-run although the block's line ran (`pct && rnd()`: the
#   line's count is the first test's);
# - hints (a predict statement, a clobber) say where a branch is, but their
#   line's count is not theirs: `return -1;` after a never-run call, whose
#   line the profile says ran (the trained build's epilogue), leaves the
#   block cold.
# An edge that is its block's last way out (the others never: lw's abort)
# is never made cold alone (when
# two error branches meet in a forwarder, as in eth_push: GCC took the
# never edge for the block's and after LTO inlining sent the padding
# branch, which ran, to .cold with it).
# Every outlined build prints what the plain build prints.
. tests/plugin/lib.sh

cat >"$WORK/e.c" <<'C'
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static int space = 1000, sent, freed;
static unsigned long long rng = 1;

__attribute__((noinline)) void release(int len) { freed += len; }
__attribute__((noinline)) int work(int len) { return len == 999999 ? -EIO : 0; }
__attribute__((noinline)) void output(int len) { sent += len; }

__attribute__((noinline)) int push(int state, int len)
{
	int err;

	if (state != 4) /* HOT */
		err = -EPIPE; /* EPIPE */
	else if (len > space) /* HOT */
		err = -ENOBUFS; /* ENOBUFS */
	else
		err = work(len); /* HOT */
	release(len); /* HOT */
	if (err == 0) /* HOT */
		output(len); /* HOT */
	return err; /* HOT */
}

__attribute__((noinline)) unsigned long long rnd(void)
{
	return rng = rng * 6364136223846793005ull + 1442695040888963407ull; /* RND */
}

__attribute__((noinline)) int chance(int pct, int x)
{
	return x + (pct && rnd() % 100 < (unsigned)pct); /* HOT */
}

__attribute__((noinline)) void fail(int x) { fprintf(stderr, "fail %d\n", x); }

__attribute__((noinline)) int h(int x)
{
	if (x == 77777) { /* HOT */
		fail(x); /* FAIL */
		return -1; /* RET */
	}
	return x * 3; /* HOT */
}

__attribute__((noinline)) int append(int len) { return len == 999999; }

__attribute__((noinline)) int ep(int len)
{
	if (len < 60) { /* HOT */
		if (append(60 - len)) { /* HOT */
			release(len); /* NOMEM */
			return -ENOMEM; /* NOMEM */
		}
	}
	if (work(len)) { /* HOT */
		release(len); /* NOMEM */
		return -ENOMEM; /* NOMEM */
	}
	output(len); /* HOT */
	return 0; /* HOT */
}

__attribute__((noinline)) int lw(int x)
{
	int err = 0;

	if (x > 1000) { /* HOT */
		if (x == 5555) /* HOT */
			abort(); /* LW */
		else
			err = -EINVAL; /* LW */
	}
	return err; /* HOT */
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, bad = 0, pct = argc > 2 ? 50 : 0, s = 0;
	for (int i = 0; i < n; i++) {
		bad += push(argc > 2 ? 3 : 4, i % (argc > 2 ? 2000 : 500)) != 0;
		s += chance(pct, i) + h(argc > 2 ? 77777 : i) + ep(i % 100) + lw(i % 2000);
	}
	printf("%d %d %d %d\n", sent, freed, bad, s);
	return 0;
}
C
# lines TAG COUNT: the profile's lines of e.c marked TAG (count, or cold-line when none)
lines() {
	grep -n "/\* $1 \*/" "$WORK/e.c" | cut -d: -f1 |
		if [ $# -gt 1 ]; then sed "s/^/line e.c:/; s/\$/ $2/"; else sed 's/^/cold-line e.c:/'; fi
}
# training: 1000 calls of each; every error branch never ran, nor rnd; fail ran
# once, from elsewhere (so h's call of it is no call of a never-run function)
{
	printf 'olayout-profile 2\ntraining 1\nfunction push 1000 20000\nfunction chance 1000 8000\n'
	printf 'function h 1000 5000\nfunction fail 1 100\ncold-function rnd\nfunction ep 1000 9000\nfunction lw 1000 5000\n'
	lines HOT 1000
	lines RET 1000 # the trained build's epilogue, on the return's line
	lines FAIL
	lines ENOBUFS
	lines NOMEM
	lines LW
} >"$WORK/base.prof"
{ cat "$WORK/base.prof"; lines EPIPE; } >"$WORK/never.prof"
{ cat "$WORK/base.prof"; lines EPIPE 2; } >"$WORK/rare.prof"

plan 17
$CC -O2 -o "$WORK/plain" "$WORK/e.c" || bail_out "cannot build e.c"

# has_cold EXE FN: FN has a .cold part
has_cold() { nm "$1" | grep -q " $2\.cold\$"; }
# same EXE: EXE prints what the plain build prints, run as trained and the other way
same() { [ "$("$1")" = "$("$WORK/plain")" ] && [ "$("$1" 3000 x 2>&1)" = "$("$WORK/plain" 3000 x 2>&1)" ]; }

cp "$WORK/never.prof" "$WORK/n.prof"
plugin_build "$WORK/e.c" n
v=$WORK/verbose.n
ok "error returns: push's -EPIPE and -ENOBUFS edges never ran: their copies of the join go to push.cold" \
	has_cold "$WORK/n" push
ok "verbose names the rule and the line" grep -q "push: edge [0-9]*->[0-9]* never ran (error return): [^ ]*e.c:$(lines EPIPE | cut -d: -f2) never ran (cold-line)" "$v"
ok "a call of rnd, which never ran: chance's block is cold although its line ran (chance.cold)" \
	has_cold "$WORK/n" chance
ok "verbose says why" grep -q "chance: block [0-9]* is a cold seed: it calls rnd, which never ran in training (cold-function), although its line ran 1000 times" "$v"
ok "a hint's line ran, fail's never: h's block is cold (h.cold)" has_cold "$WORK/n" h
ok "verbose names fail's line" grep -q "h: block [0-9]* is a cold seed: [^ ]*e.c:$(lines FAIL | cut -d: -f2) never ran (cold-line)" "$v"
ok "ep's two -ENOMEM returns meet in a block whose only way out carries the value: that edge is the block's, no error return" \
	eval "! grep -q 'ep: edge' '$v'"
ok "lw's -EINVAL edge would be the last way out of a block that ran (abort's is never): it stays" \
	eval "grep -q 'lw: edge [0-9]*->[0-9]* is the last way out of block [0-9]*, which ran' '$v' && ! grep -q 'lw: edge .*(error return)' '$v'"
ok "the outlined build prints what the plain build prints" same "$WORK/n"

cp "$WORK/rare.prof" "$WORK/r0.prof"
plugin_build "$WORK/e.c" r0
ok "the -EPIPE branch ran twice: without cold-runs only -ENOBUFS's edge is cold" \
	eval "! grep -q 'push: edge .*e.c:$(lines EPIPE | cut -d: -f2)' '$WORK/verbose.r0'"
cp "$WORK/rare.prof" "$WORK/r3.prof"
plugin_build "$WORK/e.c" r3 cold-runs=3
ok "cold-runs=3: its edge is cold too" grep -q "push: edge [0-9]*->[0-9]* never ran (error return): its line ran 2 times in 1000 entries, 1 training runs (cold-ratio 0; cold-runs, cold-ppm: rare below 3)" "$WORK/verbose.r3"
ok "cold-runs=3 prints what the plain build prints" same "$WORK/r3"
cp "$WORK/rare.prof" "$WORK/ri.prof"
plugin_build "$WORK/e.c" ri inline-only
ok "inline-only (push on no path): no edge changes, nothing moves" \
	eval "! grep -q 'error return' '$WORK/verbose.ri' && ! has_cold '$WORK/ri' push"
done_testing
