/*
 * classify.h - the receive side's packet classifier: per-connection
 * demultiplexing of incoming frames straight to a receive path's clone.
 *
 * A flow is one connection bound to a receive path (xk_sess_bind_path): the
 * frame bytes that identify it (Ethernet type, IPv4 protocol, source and
 * destination addresses and ports) and the driver's upper demux (its clone
 * for the path where olayout made one), the path's root. A frame matching a
 * flow (IPv4 without options, not a fragment, all in its first segment)
 * enters the root; every other frame goes the general way (xk_deliver, xk.h).
 * A host without flows (no session bound) pays one test per frame.
 */
#ifndef XK_CLASSIFY_H
#define XK_CLASSIFY_H

#include <stdint.h>

#include "xk.h"

#define XK_FLOWS_MAX	8
#define XK_FLOW_KEY	16

struct xk_flow {
	uint64_t w[2];			/* the key (xk_flow_key) as two words, as xk_classify reads a frame */
	xk_demux_fn root;
	xk_sess_t *owner;		/* the bound session; its end removes the flow */
};

struct xk_flows {
	unsigned n;
	struct xk_flow f[XK_FLOWS_MAX];
};

/* The key of frames from src:sport to dst:dport (host byte order), IP protocol proto, in Ethernet type type. */
void xk_flow_key(uint8_t key[XK_FLOW_KEY], uint16_t type, uint8_t proto, uint32_t src, uint32_t dst,
		 uint16_t sport, uint16_t dport);
/* Frames with key go to root; -ENOSPC when the table is full. */
int xk_flows_bind(struct xk_flows *c, xk_sess_t *owner, const uint8_t key[XK_FLOW_KEY], xk_demux_fn root);
void xk_flows_unbind(struct xk_flows *c, xk_sess_t *owner);
/* The root for m's frame, or NULL: the general way. */
xk_demux_fn xk_classify(const struct xk_flows *c, const msg_t *m);

#endif
