/*
 * start.h - a protocol's start and teardown from a table: its state, the
 * maps in it, its hold on the lower protocol. Every protocol of the suites
 * starts the same way; the table says how its own start differs, and the
 * framework undoes a failed start (in reverse) and the host's teardown.
 */
#ifndef XK_START_H
#define XK_START_H

#include <stdbool.h>
#include <stddef.h>

#include "xk.h"

/* A map in the state: where its pointer lives, its key length and buckets. */
struct xk_map_spec {
	size_t at;		/* offsetof(state, field) */
	size_t keylen;
	unsigned nbuckets;
	bool sessions;		/* its values are sessions, closed at teardown */
};

/* What a protocol holds on down[0] once started. */
enum xk_below {
	XK_BELOW_ENABLE,	/* open_enable for any local address (a passive open) */
	XK_BELOW_OPEN,		/* a session for no remote, kept at `open_at`, closed at teardown */
};

struct xk_proto_spec {
	const struct xk_proto_ops *ops;
	size_t size;			/* state bytes, zeroed */
	unsigned min_down, max_down;	/* lower protocols in the graph; max_down 0: any number */
	/* Fields of p->state from the host's config or arg, before the maps; may be NULL. */
	void (*fill)(xk_proto_t *p, void *arg);
	const struct xk_map_spec *maps;
	unsigned nmaps;
	enum xk_below below;
	size_t open_at;			/* XK_BELOW_OPEN: offsetof(state, session field) */
};

/*
 * Start p as spec says: p->state, then fill, the maps in table order, the
 * hold below; on success p->ops and p->spec. On failure what was made is
 * undone in reverse and p is left as it was. -EINVAL (lower protocols),
 * -ENOMEM, or the lower protocol's error.
 */
int xk_proto_start(xk_proto_t *p, const struct xk_proto_spec *spec, void *arg);
/*
 * Teardown of a started p (xk_host_destroy, after p->ops->destroy freed
 * what is the protocol's own): sessions of the maps flagged so, the
 * session held below, the maps, the state.
 */
void xk_proto_stop(xk_proto_t *p);

#endif
