/* tcp_buf_test - send ring and receive reassembly, across the ring's and sequence space's wrap. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tcp_buf.h"

#define START 0xfffff000u	/* near the 2^32 wrap */
#define SIZE 4096
#define TOTAL 20000

static uint8_t pattern(uint32_t i)
{
	return (uint8_t)(i * 7 + (i >> 8));
}

static void test_sbuf(void)
{
	struct tcp_sbuf b;
	uint8_t src[SIZE], out[100];
	uint32_t i;

	for (i = 0; i < SIZE; i++)
		src[i] = pattern(i);
	tap_is_int(tcp_sbuf_init(&b, 3000, START), 0, "send ring made");
	tap_is_int(b.size, SIZE, "size rounded up to 4096");
	tap_is_int(tcp_sbuf_append(&b, src, 3000), 0, "3000 bytes in");
	tap_is_int(tcp_sbuf_append(&b, src + 3000, 1097), -ENOBUFS, "1097 more do not fit");
	tap_is_int(tcp_sbuf_ack(&b, START + 2500), 2500, "ACK frees 2500");
	tap_is_int(tcp_sbuf_ack(&b, START + 100), 0, "an old ACK frees nothing");
	tap_is_int(tcp_sbuf_append(&b, src + 3000, 1096), 0, "now they fit, wrapping the ring");
	tcp_sbuf_copy(&b, START + 2950, out, 100);
	tap_ok(memcmp(out, src + 2950, 100) == 0, "copy across the ring wrap");
	tap_is_int(tcp_sbuf_ack(&b, START + 9999), 1596, "an ACK past the end frees what is held");
	tap_is_int(tcp_sbuf_space(&b), SIZE, "empty again");
	tcp_sbuf_fini(&b);
}

/* Deliver TOTAL bytes in segments of 100 in a shuffled order with duplicates; all must arrive in order. */
static void test_rbuf_shuffled(void)
{
	static uint8_t src[TOTAL], got[TOTAL];
	struct tcp_rbuf b;
	enum { NSEG = TOTAL / 100 };
	int order[NSEG + NSEG / 4];
	int n = 0, i, bad = 0;
	uint32_t delivered = 0;
	unsigned seed = 42;

	for (i = 0; i < TOTAL; i++)
		src[i] = pattern((uint32_t)i);
	tcp_rbuf_init(&b, SIZE, START);
	tap_diag("seed %u", seed);
	srand(seed);
	/* window-sized blocks of 30 segments, shuffled inside a block, a few repeated */
	for (int blk = 0; blk < NSEG; blk += 30) {
		int m = blk + 30 > NSEG ? NSEG - blk : 30, base = n;

		for (i = 0; i < m; i++)
			order[n++] = blk + i;
		for (i = m - 1; i > 0; i--) {
			int j = rand() % (i + 1), t = order[base + i];

			order[base + i] = order[base + j];
			order[base + j] = t;
		}
		order[n++] = blk + rand() % m;
	}
	for (i = 0; i < n; i++) {
		uint32_t seq = START + (uint32_t)order[i] * 100;
		uint32_t r = tcp_rbuf_store(&b, seq, src + order[i] * 100, 100);

		if (delivered + r > TOTAL) {
			bad++;
			break;
		}
		tcp_rbuf_copy(&b, START + delivered, got + delivered, r);
		delivered += r;
	}
	tap_is_int(delivered, TOTAL, "every byte delivered");
	tap_ok(!bad && memcmp(got, src, TOTAL) == 0, "byte-identical and in order");
	tap_is_int(tcp_rbuf_held(&b), 0, "nothing left out of order");
	tcp_rbuf_fini(&b);
}

static void test_rbuf_edges(void)
{
	struct tcp_rbuf b;
	uint8_t d[SIZE + 100];
	uint32_t s = START;

	memset(d, 1, sizeof d);
	tcp_rbuf_init(&b, SIZE, s);
	tap_is_int(tcp_rbuf_store(&b, s + 10, d, 10), 0, "a hole: nothing ready");
	tap_is_int(tcp_rbuf_held(&b), 10, "10 held");
	tap_is_int(tcp_rbuf_store(&b, s + 30, d, 10), 0, "second hole");
	tap_is_int(b.nivl, 2, "two intervals");
	tap_is_int(tcp_rbuf_store(&b, s + 15, d, 20), 0, "bridging segment merges");
	tap_is_int(b.nivl, 1, "one interval");
	tap_is_int(tcp_rbuf_store(&b, s - 5, d, 15), 40, "overlapping old data fills the hole: 40 ready");
	tap_is_int(tcp_rbuf_store(&b, s, d, 40), 0, "a duplicate gives nothing");
	tap_is_int(tcp_rbuf_store(&b, s + 40, d, SIZE + 100), SIZE, "clipped to the window");
	for (int i = 0; i < TCP_RBUF_MAX_IVL; i++)
		tcp_rbuf_store(&b, b.nxt + 2 + 2 * (uint32_t)i, d, 1);
	tap_is_int(b.nivl, TCP_RBUF_MAX_IVL, "interval list full");
	tap_is_int(tcp_rbuf_store(&b, b.nxt + 1000, d, 1), 0, "one more is refused");
	tap_is_int(b.nivl, TCP_RBUF_MAX_IVL, "list unchanged");
	tap_is_int(tcp_rbuf_store(&b, b.nxt, d, 2 * TCP_RBUF_MAX_IVL), 2 * TCP_RBUF_MAX_IVL + 1, "filling the holes releases all");
	tcp_rbuf_fini(&b);
}

int main(void)
{
	tap_plan(26);
	test_sbuf();
	test_rbuf_shuffled();
	test_rbuf_edges();
	return tap_done();
}
