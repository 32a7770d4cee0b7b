/* copies.c - one static helper inlined into two paths' roots (copies.t):
 * put's slow branch runs from b_path only, so its line ran in training
 * (the sum of both copies), yet the copy in a_path never ran. Per-copy
 * counts (copy entries) send that copy to a_path.cold and keep b_path's
 * in line. a_path's slow branch still runs when asked (argv[2] == "slow").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile unsigned sink;
/* read once: not constants GCC would propagate into b_path's copy */
static volatile unsigned slow_limit = 0, never_limit = 1u << 30;

__attribute__((noinline)) static void record(unsigned v)
{
	sink += v * 7;
}

static inline void put(unsigned v, unsigned limit)
{
	if (v >= limit) {
		record(v); /* SLOW-LINE */
		record(v ^ 0x5a5a);
		record(v >> 3);
		sink ^= v << 5;
	}
	sink += v;
}

static void a_layer(unsigned v)
{
	sink += v + 1;
}

static void b_layer(unsigned v)
{
	sink += v + 2;
}

__attribute__((noinline)) static void a_path(unsigned v, unsigned limit)
{
	put(v, limit); /* A-CALL */
	a_layer(v);
}

__attribute__((noinline)) static void b_path(unsigned v, unsigned limit)
{
	put(v, limit); /* B-CALL */
	b_layer(v);
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 100;
	unsigned b_limit = slow_limit;
	unsigned a_limit = argc > 2 && strcmp(argv[2], "slow") == 0 ? b_limit : never_limit;
	for (unsigned i = 0; i < n; i++) {
		a_path(i, a_limit);
		b_path(i, b_limit);
	}
	printf("%u\n", sink);
	return 0;
}
