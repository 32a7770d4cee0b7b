/* frameq.c - the wires' queue of frames in flight, with seeded impairments. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "frameq.h"

#define FRAMEQ_REORDER_NS	50000u	/* extra delay unit when there is no latency */
#define FRAMEQ_CAP		1536u	/* room in a frame kept for reuse: a whole Ethernet frame */

void xk_frameq_init(struct xk_frameq *q, const struct xk_wire_impair *imp, uint64_t latency)
{
	static const struct xk_wire_impair perfect;

	q->imp = imp ? *imp : perfect;
	if (!q->imp.latency_ns)
		q->imp.latency_ns = latency;
	q->rng = q->imp.seed;
}

void xk_frameq_clear(struct xk_frameq *q)
{
	struct xk_frame *f;

	while ((f = xk_frameq_pop(q)))
		free(f);
	while ((f = q->spare)) {
		q->spare = f->next;
		free(f);
	}
}

/* splitmix64: small, seedable, good enough for loss patterns. */
static uint64_t frameq_rand(struct xk_frameq *q)
{
	uint64_t z = (q->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int frameq_chance(struct xk_frameq *q, unsigned pct)
{
	return pct && frameq_rand(q) % 100 < pct;
}

static int frameq_insert(struct xk_frameq *q, uint64_t when, unsigned to, const void *data,
			 size_t len)
{
	struct xk_frame *f = q->spare, **pp = &q->head;

	if (f && f->cap >= len) {
		q->spare = f->next;
	} else {
		size_t cap = len > FRAMEQ_CAP ? len : FRAMEQ_CAP;

		f = malloc(sizeof *f + cap);
		if (!f)
			return -ENOMEM;
		f->cap = cap;
	}
	f->when = when;
	f->seq = q->seq++;
	f->to = to;
	f->len = len;
	memcpy(f->data, data, len);
	while (*pp && (*pp)->when <= when)
		pp = &(*pp)->next;
	f->next = *pp;
	*pp = f;
	return 0;
}

int xk_frameq_send(struct xk_frameq *q, uint64_t now, unsigned to, const void *data, size_t len)
{
	uint64_t when = now + q->imp.latency_ns;
	int err;

	if (frameq_chance(q, q->imp.drop_pct)) {
		q->st.dropped++;
		return 0;
	}
	if (frameq_chance(q, q->imp.reorder_pct)) {
		uint64_t unit = q->imp.latency_ns ? q->imp.latency_ns : FRAMEQ_REORDER_NS;

		when += unit * (1 + frameq_rand(q) % 4);
		q->st.reordered++;
	}
	err = frameq_insert(q, when, to, data, len);
	if (!err && frameq_chance(q, q->imp.dup_pct) &&
	    frameq_insert(q, when + q->imp.latency_ns / 2 + 1, to, data, len) == 0)
		q->st.duplicated++;
	return err;
}

struct xk_frame *xk_frameq_pop(struct xk_frameq *q)
{
	struct xk_frame *f = q->head;

	if (f)
		q->head = f->next;
	return f;
}

void xk_frameq_release(struct xk_frameq *q, struct xk_frame *f)
{
	if (!MSG_POOL_CACHE || f->cap != FRAMEQ_CAP) {
		free(f);
		return;
	}
	f->next = q->spare;
	q->spare = f;
}
