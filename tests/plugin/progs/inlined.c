/*
 * inlined.c - a static inline helper that ran in training only inlined
 * into its caller: the profile names it cold-function (its out-of-line
 * copy never ran) and counts its lines. tests/plugin/cold_inlined.t.
 */
#include <stdio.h>
#include <stdlib.h>

static inline int mix(int x, int y)
{
	int r = x * 31 + y; /* MIX-LINE */
	if (r & 1)
		r ^= y << 3;
	else
		r += x >> 2;
	for (int i = 0; i < (y & 3); i++)
		r = r * 7 + i;
	return r;
}

__attribute__((noinline)) long sum(int n)
{
	long s = 0;
	for (int i = 0; i < n; i++)
		s += mix(i, n - i); /* SUM-LINE */
	return s;
}

int main(int argc, char **argv)
{
	printf("%ld\n", sum(argc > 1 ? atoi(argv[1]) : 1000));
	return 0;
}
