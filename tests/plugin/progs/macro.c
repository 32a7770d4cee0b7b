/* macro.c - work's loop runs STEP, a macro: its test and both its sides
   are on one source line (MACRO). The common side (x % 1024 != 0, HOT)
   adds; the rare one (1 in 1024 elements) mixes, longer code whose
   multiplier 0x5bd1e995 marks it in the disassembly. A line profile gives
   both sides the line's count; only block counts tell them apart. scale
   is called with one constant factor: GCC compiles it as a clone,
   scale.constprop.0. */
#include <stdio.h>
#include <stdlib.h>

#define STEP(x, acc) do { if ((x) & 1023) (acc) += (x) * 3; else (acc) = (((acc) ^ (x)) * 0x5bd1e995u + ((acc) >> 13)) * ((x) | 1); } while (0)

__attribute__((noinline)) unsigned long work(unsigned long n)
{
	unsigned long acc = 0; /* ENTRY */
	for (unsigned long i = 0; i < n; i++) /* HOT */
		STEP(i, acc); /* MACRO */
	return acc; /* ENTRY */
}

static __attribute__((noinline)) unsigned long scale(unsigned long v, unsigned long k)
{
	return v * k + (v >> 3);
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	printf("%lu\n", scale(work(n), 5));
	return 0;
}
