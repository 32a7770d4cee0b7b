/*
 * rpc_impl.h - what the suite's protocols share inside librpc: keys on a
 * lower session, the per-peer session layer (blast and bid: one session per
 * lower session, made by an active open or by the first message from a new
 * peer), the init functions, serial-number comparison.
 */
#ifndef RPC_IMPL_H
#define RPC_IMPL_H

#include <string.h>

#include "rpc.h"
#include "start.h"

/* What blast carries at most: a request or reply and the headers above blast. */
#define RPC_WIRE_MAX	(RPC_MAX_MSG + 64)

/* A map key: a lower session and a number, no padding holes. */
struct rpc_key {
	uintptr_t lls;
	uint32_t id;
	uint32_t role;
};

static inline struct rpc_key rpc_key(const xk_sess_t *lls, uint32_t id, uint32_t role)
{
	struct rpc_key k;

	memset(&k, 0, sizeof k);
	k.lls = (uintptr_t)lls;
	k.id = id;
	k.role = role;
	return k;
}

/* a after b in 32-bit serial arithmetic (sequence numbers, boot ids). */
static inline int rpc_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

/*
 * open_enable of a protocol that serves one hlp, whose state starts with
 * `xk_proto_t *hlp` (CHAN, VCHAN, and struct rpc_peers): hlp gets the
 * sessions that requests from new peers or channels make.
 */
int rpc_open_enable(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		    const struct xk_parts *parts);

/* Copy a stats struct out for a control operation. */
int rpc_ctl_out(void *buf, size_t len, const void *src, size_t size);

/*
 * A per-peer layer: sessions keyed by their lower session. `setup` fills a
 * new session's state (s->state zeroed, s->down set) and may fail; both
 * setup and release may be NULL. It comes first in its protocol's state:
 * the operations below are the protocol's and its sessions' own.
 */
struct rpc_peers {
	xk_proto_t *hlp;		/* first (rpc_open_enable): enabled for passive sessions, or NULL */
	xk_map_t *active;		/* struct rpc_key (lls) -> xk_sess_t */
	const struct xk_sess_ops *ops;
	size_t state_size;
	int (*setup)(xk_sess_t *s);
	void (*release)(xk_sess_t *s);	/* undo setup before the session is freed */
};

/* Set pp's session kind (a spec's fill: the map comes after, rpc_peers_map). */
void rpc_peers_init(struct rpc_peers *pp, const struct xk_sess_ops *ops, size_t state_size,
		    int (*setup)(xk_sess_t *s), void (*release)(xk_sess_t *s));
/* The map of a protocol whose state starts with its rpc_peers, for its spec. */
extern const struct xk_map_spec rpc_peers_map[1];
/* open: the session over lower protocol self->down[0] for parts->remote. */
int rpc_peers_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		   const struct xk_parts *parts, xk_sess_t **out);
/* open_done: the session over the new lls, made now (a lower protocol that makes sessions, ETH). */
int rpc_peers_open_done(xk_proto_t *self, xk_proto_t *llp, xk_sess_t *lls,
			const struct xk_parts *parts);
/* The session over lls, made for the enabled hlp if new (open_done called); NULL: none. */
xk_sess_t *rpc_peers_find(xk_proto_t *self, xk_sess_t *lls);
/* close: unbind, release, drop lls, free. */
int rpc_peers_close(xk_sess_t *s);

int rpc_blast_init(xk_proto_t *p, void *arg);
int rpc_bid_init(xk_proto_t *p, void *arg);
int rpc_chan_init(xk_proto_t *p, void *arg);
int rpc_vchan_init(xk_proto_t *p, void *arg);
int rpc_select_init(xk_proto_t *p, void *arg);

#endif
