/* arms.c - work's loop runs STEP, a macro, twice: each time its test and
   both its arms are on one source line (MACRO). The rare arm (1 in 1024
   elements) is one multiply by 0x5bd1e995, which marks it in the
   disassembly; the common arm is longer. A line profile gives both arms
   the line's count: by their sizes GCC's order and ext-TSP then keep the
   rare arm in the loop's straight line and jump to the common one and
   back. Block counts tell the arms apart. */
#include <stdio.h>
#include <stdlib.h>

#define STEP(x, acc) do { if (!((x) & 1023)) (acc) *= 0x5bd1e995u; else (acc) = (((acc) ^ (x)) * 3 + ((acc) >> 13)) * ((x) | 1) + ((acc) >> 29); } while (0)

__attribute__((noinline)) unsigned long work(unsigned long n)
{
	unsigned long acc = 0; /* ENTRY */
	for (unsigned long i = 0; i < n; i++) { /* HOT */
		acc = acc * 31 + i; /* HOT */
		STEP(i, acc); /* MACRO */
		acc ^= acc >> 7; /* HOT */
		STEP(i + 1, acc); /* MACRO */
		acc += acc >> 11; /* HOT */
	}
	return acc; /* ENTRY */
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	printf("%lu\n", work(n));
	return 0;
}
