/*
 * tcp_hdr.c - TCP header decoding and encoding; see tcp_hdr.h.
 */
#include "tcp_hdr.h"

#include <errno.h>

#include "bytes.h"

#define TCP_OPT_EOL	0
#define TCP_OPT_NOP	1
#define TCP_OPT_MSS	2

/* Options are kind, length, value; EOL and NOP are one byte. Unknown kinds are skipped. */
static int decode_options(const uint8_t *p, size_t n, struct tcp_hdr *h)
{
	size_t i = 0;

	while (i < n) {
		uint8_t kind = p[i], len;

		if (kind == TCP_OPT_EOL)
			break;
		if (kind == TCP_OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= n)
			return -EPROTO;
		len = p[i + 1];
		if (len < 2 || i + len > n)
			return -EPROTO;
		if (kind == TCP_OPT_MSS) {
			if (len != TCP_OPT_MSS_LEN)
				return -EPROTO;
			h->mss = xk_get16(p + i + 2);
		}
		i += len;
	}
	return 0;
}

int tcp_hdr_decode(const uint8_t *p, size_t avail, size_t seglen, struct tcp_hdr *h)
{
	if (seglen < TCP_HDR_MIN || avail < TCP_HDR_MIN)
		return -EMSGSIZE;
	h->sport = xk_get16(p);
	h->dport = xk_get16(p + 2);
	h->seq = xk_get32(p + 4);
	h->ack = xk_get32(p + 8);
	h->hlen = (uint8_t)((p[12] >> 4) * 4);
	h->flags = p[13] & 0x3f;
	h->win = xk_get16(p + 14);
	h->csum = xk_get16(p + 16);
	h->urp = xk_get16(p + 18);
	h->mss = 0;
	if (h->hlen < TCP_HDR_MIN || h->hlen > seglen)
		return -EBADMSG;
	if (h->hlen > avail)
		return -EMSGSIZE;
	return decode_options(p + TCP_HDR_MIN, h->hlen - TCP_HDR_MIN, h);
}

size_t tcp_hdr_size(const struct tcp_hdr *h)
{
	return TCP_HDR_MIN + (h->mss ? TCP_OPT_MSS_LEN : 0);
}

size_t tcp_hdr_encode(uint8_t *p, const struct tcp_hdr *h)
{
	size_t n = tcp_hdr_size(h);

	xk_put16(p, h->sport);
	xk_put16(p + 2, h->dport);
	xk_put32(p + 4, h->seq);
	xk_put32(p + 8, h->ack);
	p[12] = (uint8_t)(n / 4 << 4);
	p[13] = h->flags;
	xk_put16(p + 14, h->win);
	xk_put16(p + 16, h->csum);
	xk_put16(p + 18, h->urp);
	if (h->mss) {
		p[20] = TCP_OPT_MSS;
		p[21] = TCP_OPT_MSS_LEN;
		xk_put16(p + 22, h->mss);
	}
	return n;
}
