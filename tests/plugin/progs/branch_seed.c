/*
 * branch_seed.c - a branch whose never-run side is on its condition's
 * line: the line ran (the test), so line counts cannot tell that the
 * report never did there (it ran, from main: no never-run function). tests/plugin/branch_seed.t gives the plugin the
 * training build's jumps (`branch` entries), and the report goes to
 * .cold.
 */
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))

NOINLINE int report(int x)
{
	fprintf(stderr, "scale: %d is negative\n", x);
	return -3 * x + 1;
}

NOINLINE int triple(int x)
{
	return 3 * x;
}

NOINLINE int scale(int x)
{
	if (x < 0) return report(x) + x / 7; /* BRANCH */
	return triple(x);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, sum = report(-n); /* report ran */
	for (int i = 0; i < n; i++)
		sum += scale(i % 17);
	printf("%d\n", sum);
	return 0;
}
