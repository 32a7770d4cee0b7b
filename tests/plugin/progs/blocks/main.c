/* blocks: olayout profile --blocks (tests/plugin/prof_blocks.t). Built with
 * the plugin's block-ids; other.c is not. */
#include <stdio.h>
#include <stdlib.h>

int other(int n);

/* other.c's callee (GCC cannot see it there). */
int __attribute__((noinline)) parity(int i)
{
	return i & 1;
}

/* One source line, two blocks of very different heat: a line count gives
 * both the hot one's. */
#define STEP(s, x, rare) do { if (rare) (s) += (x) * 7 / ((x) | 1); else (s) += (x) / 2; } while (0)

static int __attribute__((noinline)) work(int n)
{
	int s = 0;
	for (int i = 0; i < n; i++)
		STEP(s, i, i % 1000 == 999); /* MACRO-LINE */
	return s;
}

/* Called with one constant: GCC names its clone scale.constprop.0. */
static int __attribute__((noinline)) scale(int v, int k)
{
	return v * k + (v >> 3);
}

/* The rare branch calls a cold function: its block goes to check.cold. */
static void __attribute__((noinline, cold)) complain(int v)
{
	fprintf(stderr, "odd %d\n", v);
}

static int __attribute__((noinline)) check(int v)
{
	if (v % 4096 == 17) {
		complain(v); /* COLD-CALL */
		return 1;
	}
	return 0;
}

/* Never runs in training: no block entries. */
int __attribute__((noinline)) unused(int v)
{
	return v > 3 ? v * 5 : v - 1;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	int s = work(n), bad = 0;
	for (int i = 0; i < n; i++)
		bad += check(i);
	s += scale(n, 3) + other(n);
	if (argc > 2)
		s += unused(n);
	printf("%d %d\n", s, bad);
	return 0;
}
