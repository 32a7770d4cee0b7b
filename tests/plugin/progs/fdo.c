/*
 * fdo.c - a branch that GCC's static prediction gets wrong: without a
 * profile GCC lays the call of on_zero out as the fall-through; in the
 * training profile tests/plugin/fdo.t writes (as main runs it), on_zero's
 * line ran 10 times and on_other's 1000. With the fdo pass the call of
 * on_other falls through.
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

NOINLINE int classify(int x)
{
	int r;
	if (x == 0) /* BRANCH */
		r = on_zero(x) * 3; /* ZERO */
	else
		r = on_other(x) * 5; /* OTHER */
	return r + 1;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1010, sum = 0;
	for (int i = 0; i < n; i++)
		sum += classify(i % 101 == 0 ? 0 : i);
	printf("%d\n", sum);
	return 0;
}
