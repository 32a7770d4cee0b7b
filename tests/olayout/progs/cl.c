/* A small program for olayout's tests: a jump table, a .cold fragment,
 * function pointers in data, recursion, and the clone lookup API. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "olayout_clone.h"

__attribute__((noinline)) int leaf(int x) { return x * 3 + 1; }

__attribute__((noinline)) int mid(int x)
{
	switch (x & 7) {
	case 0: return leaf(x) + 1;
	case 1: return leaf(x) * 2;
	case 2: return leaf(x) - 7;
	case 3: return x ^ 5;
	case 4: return leaf(x + 9);
	case 5: return 77;
	case 6: return leaf(2 * x);
	default: return -leaf(x);
	}
}

__attribute__((noinline)) int rec(int n) { return n <= 1 ? 1 : n + rec(n - 1); }

__attribute__((noinline)) int top(int x)
{
	if (__builtin_expect(x > 100000, 0)) {
		char *m = malloc(64);
		snprintf(m, 64, "big %d", x);
		puts(m);
		free(m);
		return -1;
	}
	return mid(x) + mid(x + 1) + rec(x & 15);
}

int (*tbl[2])(int) = { top, leaf };

int main(int argc, char **argv)
{
	long s = 0;
	int (*t)(int) = ol_clone_lookup((void *)top, "P");

	(void)argv;
	for (int i = 0; i < 50; i++)
		s += tbl[i & 1](i + argc) + top(i);
	s += t(3);
	printf("%ld %s\n", s, t == top ? "orig" : "clone");
	return 0;
}
