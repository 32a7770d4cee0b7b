/*
 * fdo_and.c - two conditions on one line: the line's count is the hotter
 * one's, so the line counts make the first test's way straight to the
 * join look never taken, where in training (as main runs it) it is taken
 * 900 times of 1000. tests/plugin/fdo_branch.t gives the plugin the
 * training build's jumps (`branch` entries) and sees the first test take
 * them.
 */
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))

NOINLINE int rare(int x)
{
	return x * 11;
}

NOINLINE int common(int x)
{
	return x + 7;
}

NOINLINE int pick(int x)
{
	int r = 0;
	if (x > 0 && x % 7 == 0) /* BRANCH */
		r = rare(x); /* RARE */
	return r + common(x); /* JOIN */
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, sum = 0;
	for (int i = 0; i < n; i++)
		sum += pick(i % 10 == 0 ? i : -i);
	printf("%d\n", sum);
	return 0;
}
