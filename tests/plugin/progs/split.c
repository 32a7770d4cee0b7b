/* split.c - work's loop runs STEP, a macro whose test and both arms are
   on one source line (MACRO): its rare arm (a multiply by 0x5bd1e995,
   which marks it in the disassembly, and a few shifts) runs only for an
   element equal to KEY, which the workload never reaches. A line profile
   gives it the line's count, so the outline pass keeps it in line; the
   block profile says it never ran. work ends in a tail call (an abnormal
   edge to the exit, which never crosses). hop runs the same macro in a
   loop whose way on is a computed goto. */
#include <stdio.h>
#include <stdlib.h>

#define KEY 0xfffffffful
#define STEP(x, acc) do { if ((x) == KEY) (acc) = ((acc) * 0x5bd1e995u) ^ ((acc) >> 17) ^ ((acc) << 9) ^ ((acc) >> 3); else (acc) = (((acc) ^ (x)) * 3 + ((acc) >> 13)) * ((x) | 1); } while (0)

__attribute__((noipa)) unsigned long mix(unsigned long acc)
{
	return acc ^ (acc >> 29); /* ENTRY */
}

__attribute__((noinline)) unsigned long work(unsigned long n)
{
	unsigned long acc = 1, i = n; /* ENTRY */
	while (i--) { /* HOT */
		STEP(i, acc); /* MACRO */
		acc += (acc << 3) ^ i; /* HOT */
	}
	return mix(acc); /* ENTRY */
}

__attribute__((noinline)) unsigned long hop(unsigned long n)
{
	static void *const next[] = { &&even, &&odd }; /* ENTRY */
	unsigned long acc = 1, i = 0; /* ENTRY */
	if (!n) /* ENTRY */
		return 0; /* ENTRY */
top:
	STEP(i, acc); /* MACRO */
	goto *next[i & 1]; /* HOT */
even:
	acc += i; /* HOT */
	if (++i < n) /* HOT */
		goto top; /* HOT */
	return acc; /* ENTRY */
odd:
	acc ^= i; /* HOT */
	if (++i < n) /* HOT */
		goto top; /* HOT */
	return acc; /* ENTRY */
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	printf("%lu %lu\n", work(n), hop(n));
	return 0;
}
