/*
 * branches.c - conditional jumps with known counts for tests/olayout/branch.t:
 * count() runs n times (default 1000), half of them with v < 0: gcc -O1
 * makes its first test (BOTH) a jump to the return (its ret: END) and the
 * second a setcc; main's loop test (LOOP) jumps back to its body n - 1 times and
 * falls through to the printf once.
 */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static int count(int v)
{
	int hits = 0;
	if (v >= 0 && v % 3 == 0) /* BOTH */
		hits++;		  /* HIT */
	return hits;
}				  /* END */

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, sum = 0;
	for (int i = 0; i < n; i++)		/* LOOP */
		sum += count(i % 2 ? -i : i);	/* BODY */
	printf("%d\n", sum);			/* AFTER */
	return 0;
}
