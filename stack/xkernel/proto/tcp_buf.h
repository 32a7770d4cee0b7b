/*
 * tcp_buf.h - TCP's byte storage, addressed by sequence number.
 *
 * Both buffers are rings of a power-of-two size in which the byte with
 * sequence number s lives at s mod size, so no offsets need keeping.
 *
 * The send buffer holds what the user pushed and the peer has not yet
 * acknowledged: [una, una + len). Output copies segments out of it, and
 * retransmission copies them again.
 *
 * The receive buffer is the reassembly queue: segments that arrive out of
 * order are stored at their place in [nxt, nxt + size) and remembered as
 * sorted, disjoint intervals; when the hole at nxt fills, nxt moves over
 * every byte now contiguous and the caller reads them out to deliver them.
 */
#ifndef TCP_BUF_H
#define TCP_BUF_H

#include <stddef.h>
#include <stdint.h>

#define TCP_RBUF_MAX_IVL	32	/* out-of-order intervals kept */

struct tcp_sbuf {
	uint8_t *ring;
	uint32_t size;		/* power of two */
	uint32_t una;		/* sequence number of the first byte held */
	uint32_t len;
};

/* size is rounded up to a power of two; -ENOMEM. */
int tcp_sbuf_init(struct tcp_sbuf *b, uint32_t size, uint32_t start);
void tcp_sbuf_fini(struct tcp_sbuf *b);
uint32_t tcp_sbuf_space(const struct tcp_sbuf *b);
/* Append n bytes; -ENOBUFS (nothing appended) if they do not fit. */
int tcp_sbuf_append(struct tcp_sbuf *b, const void *p, size_t n);
/* Copy n bytes from sequence number seq; the range must be held. */
void tcp_sbuf_copy(const struct tcp_sbuf *b, uint32_t seq, void *dst, size_t n);
/* Forget everything before ack (clamped to what is held); returns bytes freed. */
uint32_t tcp_sbuf_ack(struct tcp_sbuf *b, uint32_t ack);

struct tcp_ivl {
	uint32_t start, end;	/* [start, end) in sequence space */
};

/*
 * Add [s, e) to the sorted list v[0..*n) of disjoint intervals, merging what
 * it overlaps or touches. -ENOSPC (list unchanged) if a new entry would make
 * more than max.
 */
int tcp_ivl_add(struct tcp_ivl *v, unsigned *n, unsigned max, uint32_t s, uint32_t e);

struct tcp_rbuf {
	uint8_t *ring;
	uint32_t size;		/* power of two */
	uint32_t nxt;		/* next byte expected in order */
	unsigned nivl;
	struct tcp_ivl ivl[TCP_RBUF_MAX_IVL];	/* out of order, beyond nxt, sorted */
};

int tcp_rbuf_init(struct tcp_rbuf *b, uint32_t size, uint32_t start);
void tcp_rbuf_fini(struct tcp_rbuf *b);
/* Bytes held out of order (they cannot be delivered yet). */
uint32_t tcp_rbuf_held(const struct tcp_rbuf *b);
/*
 * Store segment bytes [seq, seq + n), clipped to [nxt, nxt + size). Returns
 * how far nxt advanced: that many bytes, from the old nxt, are ready for
 * tcp_rbuf_copy. A segment that would need more than TCP_RBUF_MAX_IVL
 * intervals is not stored (returns 0; the peer retransmits it).
 */
uint32_t tcp_rbuf_store(struct tcp_rbuf *b, uint32_t seq, const void *p, size_t n);
/* In-order bytes delivered without storing them (the fast path): nxt += n. */
void tcp_rbuf_skip(struct tcp_rbuf *b, uint32_t n);
void tcp_rbuf_copy(const struct tcp_rbuf *b, uint32_t seq, void *dst, size_t n);

#endif
