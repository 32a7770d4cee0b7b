/*
 * confirm_seed.c - a branch whose taken side never ran in training: its
 * first lines are cold-lines, but tests/plugin/confirm_seed.t gives the
 * loop below them a count (as the -O1 build's line table gave tcpip's
 * encode_options' SACK loop, whose `if (h->nsack)` never took the way
 * in). By lines alone the loop ran, so the seed above it is dropped and
 * everything stays in line; the `branch` entry of the test confirms the
 * seed, and the loop goes to .cold with it.
 */
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))

NOINLINE int opts(const int *n, int *out)
{
	int k = 0;
	if (*n) { /* TEST */
		out[0] = 1; /* HEAD */
		for (int b = 0; b < *n; b++) /* LOOP */
			out[b + 1] = 3 * b; /* BODY */
		k = *n;
	}
	return k + out[0]; /* JOIN */
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, none = argc > 2, out[8] = {0}, sum = 0;
	for (int i = 0; i < n; i++)
		sum += opts(&none, out);
	printf("%d\n", sum);
	return 0;
}
