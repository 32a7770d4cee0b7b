/*
 * ipcb_copy.c - the block-move study's operation: copy n bytes from a warm
 * source to a cold destination (the next slot of a ring much larger than
 * the caches) with one of the kernel's copy methods.
 */
#include "ipcb.h"
#include "ipc_copy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct copy_method {
	struct ipcb_copier *owner;
	ipc_copy_fn fn;
};

struct ipcb_copier {
	struct ipcb_ring ring;
	unsigned char *src;		/* warm: reused by every copy */
	struct copy_method method[IPCB_MAX_SERIES];
};

int ipcb_copier_new(struct ipcb_copier **cp)
{
	struct ipcb_copier *c = calloc(1, sizeof *c);
	if (!c)
		return -ENOMEM;
	c->src = malloc(IPCB_MAX_PAYLOAD);
	int err = c->src ? ipcb_ring_init(&c->ring, IPCB_COLD_BYTES) : -ENOMEM;
	if (err < 0) {
		free(c->src);
		free(c);
		return err;
	}
	for (size_t i = 0; i < IPCB_MAX_PAYLOAD; i++)
		c->src[i] = (unsigned char)(i * 131 + 7);
	*cp = c;
	return 0;
}

void ipcb_copier_free(struct ipcb_copier *c)
{
	if (!c)
		return;
	ipcb_ring_free(&c->ring);
	free(c->src);
	free(c);
}

static int copy_run(void *ctx, size_t n, unsigned iters)
{
	struct copy_method *m = ctx;
	struct ipcb_copier *c = m->owner;
	if (n && c->ring.stride != ((n + 63) & ~(size_t)63))
		ipcb_ring_stride(&c->ring, n);	/* a new size: slots of n bytes */
	for (unsigned i = 0; i < iters; i++)
		m->fn(ipcb_ring_next(&c->ring), c->src, n);
	return 0;
}

unsigned ipcb_copier_series(struct ipcb_copier *c, struct ipcb_series *out, unsigned max)
{
	unsigned k = 0;
	for (; ipc_copy_methods[k].name && k < max && k < IPCB_MAX_SERIES; k++) {
		c->method[k].owner = c;
		c->method[k].fn = ipc_copy_methods[k].fn;
		out[k] = (struct ipcb_series){ ipc_copy_methods[k].name, copy_run, &c->method[k] };
	}
	return k;
}
