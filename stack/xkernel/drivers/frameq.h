/*
 * frameq.h - frames waiting for their delivery time, as both wires hold
 * them: copies of the bytes, ordered by (time, arrival), with the seeded
 * impairments (drop, duplicate, delay) applied as frames are queued
 * (inside libxk).
 */
#ifndef XK_FRAMEQ_H
#define XK_FRAMEQ_H

#include <stddef.h>
#include <stdint.h>

#include "msg_pool.h"
#include "wire.h"

struct xk_frame {
	struct xk_frame *next;
	uint64_t when, seq;
	unsigned to;		/* destination port or host index */
	size_t len, cap;	/* bytes in data, room in data */
	uint8_t data[];
};

struct xk_frameq {
	struct xk_frame *head;
	struct xk_frame *spare;	/* released frames, for reuse: no malloc per frame */
	uint64_t seq;
	uint64_t rng;
	struct xk_wire_impair imp;
	struct xk_wire_stats st;
};

/* latency: the one-way delay when imp does not set one. */
void xk_frameq_init(struct xk_frameq *q, const struct xk_wire_impair *imp, uint64_t latency);
void xk_frameq_clear(struct xk_frameq *q);
/* Queue frame for `to` at now + latency, impaired: 0 copies (dropped), 1 or 2. */
int xk_frameq_send(struct xk_frameq *q, uint64_t now, unsigned to, const void *data, size_t len);
/* The earliest frame, or NULL; take it with xk_frameq_pop and give it back with xk_frameq_release. */
static inline struct xk_frame *xk_frameq_peek(const struct xk_frameq *q)
{
	return q->head;
}
struct xk_frame *xk_frameq_pop(struct xk_frameq *q);
void xk_frameq_release(struct xk_frameq *q, struct xk_frame *f);

#endif
