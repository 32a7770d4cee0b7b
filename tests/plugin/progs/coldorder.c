/* coldorder.c - work's loop has two arms that never run on any input
   (NEVER: the element is never negative) and one that runs once in 4096
   elements (RARE). With cold-runs the outline pass sends all three to
   work.cold; the block counts tell the rare arm from the never-run ones. */
#include <stdio.h>
#include <stdlib.h>

static volatile unsigned long sink;

__attribute__((noinline)) unsigned long work(const long *a, unsigned long n)
{
	unsigned long acc = 0; /* ENTRY */
	for (unsigned long i = 0; i < n; i++) { /* HOT */
		long x = a[i & 255]; /* HOT */
		if (x < 0) { /* HOT */
			sink = (unsigned long)x * 0x9e3779b97f4a7c15u; /* NEVER */
			fprintf(stderr, "negative %ld at %lu\n", x, i); /* NEVER */
			acc ^= sink >> 3; /* NEVER */
		}
		acc = acc * 31 + (unsigned long)x; /* HOT */
		if ((i & 4095) == 5) { /* HOT */
			sink = acc * 0x5bd1e995u; /* RARE */
			acc ^= sink >> 7; /* RARE */
			acc += sink << 5; /* RARE */
		}
		if (x > 1000000) { /* HOT */
			sink = acc + (unsigned long)x * 0xff51afd7ed558ccdu; /* NEVER */
			printf("huge %ld\n", x); /* NEVER */
		}
		acc += acc >> 11; /* HOT */
	}
	return acc; /* ENTRY */
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	static long a[256];
	for (int i = 0; i < 256; i++)
		a[i] = i * 7 % 1000;
	printf("%lu\n", work(a, n));
	return 0;
}
