/*
 * and_seed.c - an && chain on one line whose first test is never true in
 * training: the line ran (the first test), so line counts say its other
 * tests and the call ran too. The training build's jump at that line
 * (its `branch` entry: taken to the join, never falling through to the
 * next test) maps exactly onto the first and the second test: it may be
 * either one's (the training build may merge tests). Whichever it is, the
 * third test never ran: tests/plugin/and_seed.t sees it and the call go
 * to .cold.
 */
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))

NOINLINE int rare(int x)
{
	fprintf(stderr, "chain: %d\n", x);
	return 3 * x + 1;
}

NOINLINE int common(int x)
{
	return x + 7;
}

NOINLINE int chain(const int *flag, int x, int y)
{
	int r = x;
	if (*flag && x + y == 1000 && y > 3) r = rare(x); /* CHAIN */
	return r + common(y); /* JOIN */
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, flag = argc > 2, sum = rare(-n); /* rare ran */
	for (int i = 0; i < n; i++)
		sum += chain(&flag, i, i % 17);
	printf("%d\n", sum);
	return 0;
}
