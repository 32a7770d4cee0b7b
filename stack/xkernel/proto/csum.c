/* csum.c - the Internet checksum over bytes and over a message's segments. */
#include "csum.h"

uint32_t xk_csum_add(uint32_t sum, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t s = sum;

	for (; n >= 2; b += 2, n -= 2)
		s += (uint32_t)b[0] << 8 | b[1];
	if (n)
		s += (uint32_t)b[0] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

/* Segments may have odd lengths: carry the odd byte over to the next one. */
struct csum_walk {
	uint32_t sum;
	int odd;
	uint8_t pending;
};

static int csum_piece(const uint8_t *p, size_t n, void *arg)
{
	struct csum_walk *w = arg;

	if (n && w->odd) {
		uint8_t pair[2] = { w->pending, p[0] };

		w->sum = xk_csum_add(w->sum, pair, 2);
		p++;
		n--;
		w->odd = 0;
	}
	w->sum = xk_csum_add(w->sum, p, n & ~(size_t)1);
	if (n & 1) {
		w->pending = p[n - 1];
		w->odd = 1;
	}
	return 0;
}

uint32_t xk_csum_msg(uint32_t sum, const msg_t *m, size_t off, size_t len)
{
	struct csum_walk w = { .sum = sum };

	msg_walk(m, off, len, csum_piece, &w);
	if (w.odd)
		w.sum = xk_csum_add(w.sum, &w.pending, 1);
	return w.sum;
}

uint16_t xk_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
