/* loops_and.c - a path (main -> find) whose loop has two exit tests on one
 * line (AND: `i < n && p[i] != k`, two conditions, two exits): the loops
 * pass must read that line's branch entries once, not once per exit
 * (tests/plugin/loops_and.t gives them by hand). */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static int find(const int *p, int n, int k)
{
	int i = 0; /* BEFORE */

	while (i < n && p[i] != k) /* AND */
		i++; /* BODY */
	return i; /* AFTER */
}

int main(int argc, char **argv)
{
	int a[8] = { 5, 6, 7, 8, 9, 10, 11, 12 };
	int k = argc > 1 ? atoi(argv[1]) : 7;

	printf("%d\n", find(a, 8, k));
	return 0;
}
