/* msg_pool.c - free lists of message memory in power-of-two size classes. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "msg_pool.h"

#define POOL_MIN_SHIFT	5	/* 32 bytes: a two-segment array */
#define POOL_MAX_SHIFT	17	/* 128 KiB: a reassembled 64 KiB datagram with headroom */
#define POOL_CLASSES	(POOL_MAX_SHIFT - POOL_MIN_SHIFT + 1)

struct pool_free {
	struct pool_free *next;
};

struct msg_pool {
	struct pool_free *free[POOL_CLASSES];
	struct msg_pool_stats st;
	bool dying;		/* destroyed with blocks outstanding */
};

int msg_pool_create(msg_pool_t **pp)
{
	*pp = calloc(1, sizeof **pp);
	return *pp ? 0 : -ENOMEM;
}

static void pool_drain(msg_pool_t *p)
{
	for (unsigned c = 0; c < POOL_CLASSES; c++) {
		while (p->free[c]) {
			struct pool_free *f = p->free[c];

			p->free[c] = f->next;
			free(f);
		}
	}
	p->st.cached = 0;
}

size_t msg_pool_destroy(msg_pool_t *p)
{
	size_t left;

	if (!p)
		return 0;
	pool_drain(p);
	left = (size_t)p->st.outstanding;
	if (left)
		p->dying = true;
	else
		free(p);
	return left;
}

void msg_pool_stats(const msg_pool_t *p, struct msg_pool_stats *st)
{
	*st = p->st;
}

/* The class of a size, or POOL_CLASSES when it is too large for one. */
static unsigned pool_class(size_t size)
{
	unsigned shift;

	if (size <= (size_t)1 << POOL_MIN_SHIFT)
		return 0;
	if (size > (size_t)1 << POOL_MAX_SHIFT)
		return POOL_CLASSES;
	shift = 64 - (unsigned)__builtin_clzll((unsigned long long)size - 1);
	return shift - POOL_MIN_SHIFT;
}

void *msg_pool_get(msg_pool_t *p, size_t size, size_t *cap)
{
	unsigned c = pool_class(size);
	void *blk;

	if (c < POOL_CLASSES)
		size = (size_t)1 << (c + POOL_MIN_SHIFT);
	if (p && c < POOL_CLASSES && p->free[c]) {
		blk = p->free[c];
		p->free[c] = p->free[c]->next;
		p->st.cached--;
	} else {
		blk = malloc(size);
		if (!blk)
			return NULL;
		if (p)
			p->st.mallocs++;
	}
	if (p && ++p->st.outstanding > p->st.high_water)
		p->st.high_water = p->st.outstanding;
	*cap = size;
	return blk;
}

void msg_pool_put(msg_pool_t *p, void *blk, size_t cap)
{
	unsigned c = pool_class(cap);

	if (!p) {
		free(blk);
		return;
	}
	p->st.outstanding--;
	if (MSG_POOL_CACHE && !p->dying && c < POOL_CLASSES) {
		struct pool_free *f = blk;

		f->next = p->free[c];
		p->free[c] = f;
		p->st.cached++;
		return;
	}
	free(blk);
	if (p->dying && !p->st.outstanding)
		free(p);
}
