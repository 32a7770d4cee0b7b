/*
 * ipc_copy_test.c - every copy method of stack/kernel/ipc_copy.h copies
 * exactly n bytes, for every n from 0 to 64 KiB and odd alignments, and
 * touches nothing outside the destination. Correctness only, no timing.
 */
#include "ipc_copy.h"
#include "tap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_N	(64 * 1024)
#define GUARD	64		/* bytes checked on each side of the destination */
#define FILL	0xffu		/* never in the source, so a missed byte shows */
#define SEED	0x1c0ffeeu

static unsigned char *src_buf, *dst_buf;
#define BUF_SIZE (MAX_N + 4 * GUARD)

/* Copy n bytes from src_buf+soff to dst_buf+GUARD+doff with fn; return the
 * first wrong offset relative to the destination (-GUARD..n+GUARD), or
 * INT32_MIN when all is right. Leaves dst_buf all FILL again. */
static long check_one(ipc_copy_fn fn, size_t n, size_t soff, size_t doff)
{
	unsigned char *d = dst_buf + GUARD + doff;
	const unsigned char *s = src_buf + soff;
	long bad = INT32_MIN;

	fn(d, s, n);
	for (long i = -GUARD; i < 0 && bad == INT32_MIN; i++)
		if (d[i] != FILL)
			bad = i;
	if (bad == INT32_MIN && memcmp(d, s, n) != 0)
		for (size_t i = 0; i < n; i++)
			if (d[i] != s[i]) {
				bad = (long)i;
				break;
			}
	for (long i = 0; i < GUARD && bad == INT32_MIN; i++)
		if (d[n + (size_t)i] != FILL)
			bad = (long)n + i;
	memset(d - GUARD, FILL, n + 2 * GUARD);
	return bad;
}

/* Every size 0..MAX_N, with source and destination offsets that cycle
 * through odd and even values. */
static void test_all_sizes(const struct ipc_copy_method *m)
{
	long bad = INT32_MIN;
	size_t n, soff = 0, doff = 0;

	for (n = 0; n <= MAX_N && bad == INT32_MIN; n++) {
		soff = (n * 7) % 64, doff = (n * 13 + 1) % 64;
		bad = check_one(m->fn, n, soff, doff);
	}
	if (!tap_ok(bad == INT32_MIN, "%s: sizes 0..%d", m->name, MAX_N))
		tap_diag("n=%zu src+%zu dst+%zu: wrong byte at %ld", n - 1, soff, doff, bad);
}

/* Every pair of offsets 0..16 for sizes around the methods' step sizes. */
static void test_all_alignments(const struct ipc_copy_method *m)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65,
					127, 129, 255, 1000, 4095, 4097, 65519, MAX_N - 16 };
	long bad = INT32_MIN;
	size_t k, soff, doff;

	for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
		for (soff = 0; soff <= 16; soff++)
			for (doff = 0; doff <= 16; doff++)
				if ((bad = check_one(m->fn, sizes[k], soff, doff)) != INT32_MIN)
					goto out;
out:
	if (!tap_ok(bad == INT32_MIN, "%s: offsets 0..16 x 0..16", m->name))
		tap_diag("n=%zu src+%zu dst+%zu: wrong byte at %ld", sizes[k], soff, doff, bad);
}

int main(void)
{
	size_t nmethods = 0;
	while (ipc_copy_methods[nmethods].name)
		nmethods++;
	tap_plan((int)(2 * nmethods + 1));
	tap_ok(nmethods == 6, "six methods exported (memcpy, movsb, unrolled, nt, hybrid, cached)");

	src_buf = malloc(BUF_SIZE);
	dst_buf = malloc(BUF_SIZE);
	if (!src_buf || !dst_buf)
		tap_bail("out of memory");
	uint32_t x = SEED;
	tap_diag("source bytes from xorshift32 seed 0x%x", SEED);
	for (size_t i = 0; i < BUF_SIZE; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		src_buf[i] = (unsigned char)(x % FILL);	/* 0..254 */
	}
	memset(dst_buf, FILL, BUF_SIZE);

	for (size_t i = 0; i < nmethods; i++) {
		test_all_sizes(&ipc_copy_methods[i]);
		test_all_alignments(&ipc_copy_methods[i]);
	}
	free(src_buf);
	free(dst_buf);
	return tap_done();
}
