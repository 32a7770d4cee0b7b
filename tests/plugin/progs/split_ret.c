/* split_ret.c - work's loop runs STEP, a macro on one source line (MACRO)
   whose rare arm (the element equal to KEY, which the workload never
   reaches) may return at once and else goes on with a shift by 19, which
   marks it in the disassembly (shr $0x13): the block of that shift is
   entered only from the rare arm's test, a block that never ran
   (tests/plugin/block_split.t). GCC lays the location-less `ret` after
   work's loop out after that block and writes it a line-table row that
   repeats the block's id (olayout profile --blocks counts only a block's
   first row: prof_blocks.t). */
#include <stdio.h>
#include <stdlib.h>

#define KEY 0xfffffffful
#define STEP(x, acc) do { if ((x) == KEY) { (acc) *= 0x5bd1e995u; if ((acc) & 1) return (acc); (acc) ^= (acc) >> 19; } else (acc) = (((acc) ^ (x)) * 3 + ((acc) >> 13)) * ((x) | 1); } while (0)

__attribute__((noinline)) unsigned long work(unsigned long n)
{
	unsigned long acc = 1, i = n; /* ENTRY */
	while (i--) { /* HOT */
		STEP(i, acc); /* MACRO */
		acc += (acc << 3) ^ i; /* HOT */
	}
	return acc; /* ENTRY */
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	printf("%lu\n", work(n));
	return 0;
}
