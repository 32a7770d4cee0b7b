/*
 * tcp_buf.c - send and receive rings; see tcp_buf.h.
 */
#include "tcp_buf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_seq.h"

static uint32_t pow2_at_least(uint32_t n)
{
	uint32_t p = 1;

	while (p < n && p < (1u << 30))
		p <<= 1;
	return p;
}

/* A ring of at least *size bytes; *size becomes the power of two made. */
static int ring_init(uint8_t **ring, uint32_t *size)
{
	*size = pow2_at_least(*size);
	*ring = malloc(*size);
	return *ring ? 0 : -ENOMEM;
}

static void ring_fini(uint8_t **ring)
{
	free(*ring);
	*ring = NULL;
}

/* Copy n bytes (n <= size) between a flat buffer and the ring at seq, in at most two pieces. */
static void ring_write(uint8_t *ring, uint32_t size, uint32_t seq, const uint8_t *p, size_t n)
{
	uint32_t at = seq & (size - 1);
	size_t first = size - at < n ? size - at : n;

	memcpy(ring + at, p, first);
	if (n > first)	/* the ring's wrap: rare, no call for an empty second piece */
		memcpy(ring, p + first, n - first);
}

static void ring_read(const uint8_t *ring, uint32_t size, uint32_t seq, uint8_t *dst, size_t n)
{
	uint32_t at = seq & (size - 1);
	size_t first = size - at < n ? size - at : n;

	memcpy(dst, ring + at, first);
	if (n > first)
		memcpy(dst + first, ring, n - first);
}

int tcp_sbuf_init(struct tcp_sbuf *b, uint32_t size, uint32_t start)
{
	*b = (struct tcp_sbuf){ .size = size, .una = start };
	return ring_init(&b->ring, &b->size);
}

void tcp_sbuf_fini(struct tcp_sbuf *b)
{
	ring_fini(&b->ring);
}

uint32_t tcp_sbuf_space(const struct tcp_sbuf *b)
{
	return b->size - b->len;
}

int tcp_sbuf_append(struct tcp_sbuf *b, const void *p, size_t n)
{
	if (n > tcp_sbuf_space(b))
		return -ENOBUFS;
	ring_write(b->ring, b->size, b->una + b->len, p, n);
	b->len += (uint32_t)n;
	return 0;
}

void tcp_sbuf_copy(const struct tcp_sbuf *b, uint32_t seq, void *dst, size_t n)
{
	ring_read(b->ring, b->size, seq, dst, n);
}

uint32_t tcp_sbuf_ack(struct tcp_sbuf *b, uint32_t ack)
{
	uint32_t n = ack - b->una;

	if (tcp_seq_le(ack, b->una))
		return 0;
	if (n > b->len)
		n = b->len;
	b->una += n;
	b->len -= n;
	return n;
}

int tcp_rbuf_init(struct tcp_rbuf *b, uint32_t size, uint32_t start)
{
	*b = (struct tcp_rbuf){ .size = size, .nxt = start };
	return ring_init(&b->ring, &b->size);
}

void tcp_rbuf_fini(struct tcp_rbuf *b)
{
	ring_fini(&b->ring);
}

uint32_t tcp_rbuf_held(const struct tcp_rbuf *b)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < b->nivl; i++)
		n += b->ivl[i].end - b->ivl[i].start;
	return n;
}

int tcp_ivl_add(struct tcp_ivl *v, unsigned *n, unsigned max, uint32_t s, uint32_t e)
{
	unsigned i = 0, j;

	while (i < *n && tcp_seq_lt(v[i].end, s))
		i++;
	/* v[i..j) overlap or touch [s, e) */
	for (j = i; j < *n && tcp_seq_le(v[j].start, e); j++) {
		s = tcp_seq_min(s, v[j].start);
		e = tcp_seq_max(e, v[j].end);
	}
	if (i == j) {
		if (*n == max)
			return -ENOSPC;
		memmove(&v[i + 1], &v[i], (*n - i) * sizeof v[0]);
		(*n)++;
	} else if (j > i + 1) {
		memmove(&v[i + 1], &v[j], (*n - j) * sizeof v[0]);
		*n -= j - i - 1;
	}
	v[i] = (struct tcp_ivl){ s, e };
	return 0;
}

uint32_t tcp_rbuf_store(struct tcp_rbuf *b, uint32_t seq, const void *p, size_t n)
{
	const uint8_t *q = p;
	uint32_t end = seq + (uint32_t)n, lim = b->nxt + b->size, old = b->nxt;

	if (n == 0 || tcp_seq_le(end, b->nxt) || tcp_seq_ge(seq, lim))
		return 0;
	if (tcp_seq_lt(seq, b->nxt)) {
		q += b->nxt - seq;
		seq = b->nxt;
	}
	if (tcp_seq_gt(end, lim))
		end = lim;
	if (tcp_ivl_add(b->ivl, &b->nivl, TCP_RBUF_MAX_IVL, seq, end) < 0)
		return 0;
	ring_write(b->ring, b->size, seq, q, end - seq);
	if (b->ivl[0].start == b->nxt) {
		b->nxt = b->ivl[0].end;
		b->nivl--;
		memmove(&b->ivl[0], &b->ivl[1], b->nivl * sizeof b->ivl[0]);
	}
	return b->nxt - old;
}

void tcp_rbuf_skip(struct tcp_rbuf *b, uint32_t n)
{
	b->nxt += n;
}

void tcp_rbuf_copy(const struct tcp_rbuf *b, uint32_t seq, void *dst, size_t n)
{
	ring_read(b->ring, b->size, seq, dst, n);
}
