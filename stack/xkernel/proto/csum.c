/* csum.c - the Internet checksum over bytes and over a message's segments. */
#include <string.h>

#include "csum.h"

/*
 * Words are summed in the machine's byte order, 32 bits at a time, and the
 * folded sum swapped to big-endian once: RFC 1071's byte-order independence.
 */
uint32_t xk_csum_add(uint32_t sum, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t s = 0, t;
	uint32_t w32;
	uint16_t w16;

	for (; n >= 4; b += 4, n -= 4) {
		memcpy(&w32, b, 4);
		s += w32;
	}
	if (n >= 2) {
		memcpy(&w16, b, 2);
		s += w16;
		b += 2;
		n -= 2;
	}
	if (n) {
		memcpy(&w16, (const uint8_t[2]){ b[0], 0 }, 2);
		s += w16;
	}
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	s = (uint16_t)(s << 8 | s >> 8);
#endif
	t = (uint64_t)sum + s;
	return (uint32_t)((t & 0xffffffffu) + (t >> 32));
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
	const void *p = msg_span(m, off, len);

	if (p)	/* all in the first segment: no walk */
		return xk_csum_add(sum, p, len);
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
