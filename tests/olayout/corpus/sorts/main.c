#include <stdio.h>
#include <string.h>

#include "sorts.h"

#define N 64

static unsigned long checksum(const int *v, size_t n)
{
	unsigned long s = 0;

	for (size_t i = 0; i < n; i++)
		s = s * 1000003u + (unsigned)v[i];
	return s;
}

int main(void)
{
	static const struct { const char *name; sorts_cmp cmp; } cmps[] = {
		{ "up", sorts_cmp_up }, { "down", sorts_cmp_down }, { "digits", sorts_cmp_digits },
	};
	int base[N], v[N];
	unsigned long all = 0;

	for (int i = 0; i < N; i++)
		base[i] = (i * 7919 + 13) % 1009 - 100;
	for (size_t a = 0; a < sorts_nalgos; a++) {
		for (size_t c = 0; c < sizeof cmps / sizeof cmps[0]; c++) {
			unsigned long sum;

			memcpy(v, base, sizeof v);
			sorts_algos[a].sort(v, N, cmps[c].cmp);
			for (int i = 1; i < N; i++)
				if (cmps[c].cmp(&v[i - 1], &v[i]) > 0)
					sorts_die("not sorted", (size_t)i);
			sum = checksum(v, N);
			printf("%-9s %-6s first %4d (%s) last %4d (%s) checksum %016lx\n",
			       sorts_algos[a].name, cmps[c].name, v[0], sorts_classify(v[0]),
			       v[N - 1], sorts_classify(v[N - 1]), sum);
			for (int i = 0; i < N; i += 5)
				sum += (unsigned)sorts_weight(v[i]);
			all = all * 31 + sum;
		}
	}
	printf("all %016lx\n", all);
	return (int)(all % 101);
}
