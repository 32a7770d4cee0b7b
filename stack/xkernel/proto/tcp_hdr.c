/*
 * tcp_hdr.c - TCP header decoding and encoding; see tcp_hdr.h.
 */
#include "tcp_hdr.h"

#include <errno.h>

#include "bytes.h"

#define TCP_OPT_EOL	0
#define TCP_OPT_NOP	1
#define TCP_OPT_MSS	2
#define TCP_OPT_SACK_OK	4
#define TCP_OPT_SACK	5

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
		} else if (kind == TCP_OPT_SACK_OK) {
			if (len != 2)
				return -EPROTO;
			h->sack_ok = true;
		} else if (kind == TCP_OPT_SACK) {
			if ((len - 2) % 8 || len < 10 || (len - 2) / 8 > TCP_SACK_MAX)
				return -EPROTO;
			h->nsack = (uint8_t)((len - 2) / 8);
			for (unsigned b = 0; b < h->nsack; b++) {
				h->sack[b].start = xk_get32(p + i + 2 + 8 * b);
				h->sack[b].end = xk_get32(p + i + 6 + 8 * b);
			}
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
	h->sack_ok = false;
	h->nsack = 0;
	if (h->hlen < TCP_HDR_MIN || h->hlen > seglen)
		return -EBADMSG;
	if (h->hlen > avail)
		return -EMSGSIZE;
	return decode_options(p + TCP_HDR_MIN, h->hlen - TCP_HDR_MIN, h);
}

size_t tcp_hdr_size(const struct tcp_hdr *h)
{
	if (!(h->mss | h->sack_ok | h->nsack))
		return TCP_HDR_MIN;	/* most segments: no option */
	return TCP_HDR_MIN + (h->mss ? TCP_OPT_MSS_LEN : 0) + (h->sack_ok ? 4 : 0) +
	       (h->nsack ? 4 + 8u * h->nsack : 0);
}

/* MSS, SACK-permitted, SACK blocks: each NOP-padded to whole words. */
static void encode_options(uint8_t *p, const struct tcp_hdr *h)
{
	if (h->mss) {
		p[0] = TCP_OPT_MSS;
		p[1] = TCP_OPT_MSS_LEN;
		xk_put16(p + 2, h->mss);
		p += TCP_OPT_MSS_LEN;
	}
	if (h->sack_ok) {
		p[0] = TCP_OPT_NOP, p[1] = TCP_OPT_NOP, p[2] = TCP_OPT_SACK_OK, p[3] = 2;
		p += 4;
	}
	if (h->nsack) {
		p[0] = TCP_OPT_NOP, p[1] = TCP_OPT_NOP, p[2] = TCP_OPT_SACK;
		p[3] = (uint8_t)(2 + 8 * h->nsack);
		for (unsigned b = 0; b < h->nsack; b++) {
			xk_put32(p + 4 + 8 * b, h->sack[b].start);
			xk_put32(p + 8 + 8 * b, h->sack[b].end);
		}
	}
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
	if (n > TCP_HDR_MIN)
		encode_options(p + TCP_HDR_MIN, h);
	return n;
}
