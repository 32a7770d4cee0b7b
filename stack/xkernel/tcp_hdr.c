/*
 * tcp_hdr.c - TCP header decoding and encoding; see tcp_hdr.h.
 */
#include "tcp_hdr.h"

#include <errno.h>

#define TCP_OPT_EOL	0
#define TCP_OPT_NOP	1
#define TCP_OPT_MSS	2

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

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
			h->mss = get16(p + i + 2);
		}
		i += len;
	}
	return 0;
}

int tcp_hdr_decode(const uint8_t *p, size_t avail, size_t seglen, struct tcp_hdr *h)
{
	if (seglen < TCP_HDR_MIN || avail < TCP_HDR_MIN)
		return -EMSGSIZE;
	h->sport = get16(p);
	h->dport = get16(p + 2);
	h->seq = get32(p + 4);
	h->ack = get32(p + 8);
	h->hlen = (uint8_t)((p[12] >> 4) * 4);
	h->flags = p[13] & 0x3f;
	h->win = get16(p + 14);
	h->csum = get16(p + 16);
	h->urp = get16(p + 18);
	h->mss = 0;
	if (h->hlen < TCP_HDR_MIN)
		return -EBADMSG;
	if (h->hlen > seglen || h->hlen > avail)
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

	put16(p, h->sport);
	put16(p + 2, h->dport);
	put32(p + 4, h->seq);
	put32(p + 8, h->ack);
	p[12] = (uint8_t)(n / 4 << 4);
	p[13] = h->flags;
	put16(p + 14, h->win);
	put16(p + 16, h->csum);
	put16(p + 18, h->urp);
	if (h->mss) {
		p[20] = TCP_OPT_MSS;
		p[21] = TCP_OPT_MSS_LEN;
		put16(p + 22, h->mss);
	}
	return n;
}
