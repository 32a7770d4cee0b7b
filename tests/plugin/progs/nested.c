/*
 * nested.c - a helper inlined into a helper inlined into sender: clamp's
 * line ran (main calls it), sender's call of window ran, but window's
 * call of clamp is a cold-line in tests/plugin/nested.t's profile. The
 * copy of clamp in sender ran no more often than that call site, so it
 * never ran and goes to sender.cold (by the outermost call site alone it
 * ran, and stayed in line).
 */
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))

static inline __attribute__((always_inline)) int clamp(int v, int hi)
{
	return v > hi ? hi - v / 7 : v * 3 + 1; /* M_CLAMP */
}

static inline __attribute__((always_inline)) int window(int x, int slow)
{
	int w = x & 255; /* M_WIN */
	if (slow) /* M_WIN */
		w = clamp(w, x >> 4) ^ slow; /* M_SLOW */
	return w; /* M_WIN */
}

NOINLINE int sender(int x, int slow)
{
	return window(x, slow) + 1; /* M_SEND */
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000, slow = argc > 2, sum = 0;
	for (int i = 0; i < n; i++)
		sum += sender(i, slow) + clamp(i, 500);
	printf("%d\n", sum);
	return 0;
}
