/*
 * fdo_late.c - a branch GCC's static prediction gets wrong (as in fdo.c),
 * whose rare side calls scale, a small function GCC inlines on its guess.
 * In training on_other's side ran 100000 times and on_zero's never:
 * fdo=on (before inlining) makes the call unlikely, so GCC keeps it a
 * call; fdo=late leaves GCC's inlining as without the profile and still
 * lays on_other's side out as the fall-through.
 */
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))

NOINLINE int on_zero(int x)
{
	return x + 7;
}

NOINLINE int on_other(int x)
{
	return x * 11;
}

int scale(int x)
{
	int y = ((x * 13 + (x >> 3)) ^ (x * 7 - 5)) + x / 3;
	return ((y * 5 + (y >> 2)) ^ (y * 9 - 1)) + y / 7;
}

NOINLINE int classify(int x)
{
	int r;
	if (x == 0) /* BRANCH */
		r = scale(on_zero(x)) * 3; /* ZERO */
	else
		r = on_other(x) * 5; /* OTHER */
	return r + 1;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100000, sum = 0;
	for (int i = 0; i < n; i++)
		sum += classify(i + 1);
	printf("%d %d\n", sum, scale(n));
	return 0;
}
