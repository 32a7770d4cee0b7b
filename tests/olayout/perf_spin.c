/* perf_spin.c - the perf subject of dwarf.t (main spends its time in spin(),
 * which the test clones and routes main's call to) and of perf.t (spin is
 * the hottest function of the samples). */
#include <stdio.h>

__attribute__((noinline)) unsigned long spin(unsigned long n)
{
	unsigned long x = 1;

	for (unsigned long i = 0; i < n; i++)
		x = x * 6364136223846793005ul + 1442695040888963407ul;
	return x;
}

int main(void)
{
	printf("%lu\n", spin(300000000ul) & 0xff);
	return 0;
}
