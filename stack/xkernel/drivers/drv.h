/*
 * drv.h - the skeleton of a driver with one session: the lowest protocol of
 * a host's graph, opened once by ETH. A driver embeds a struct xk_drv as
 * its state's first member, sets send, and calls xk_drv_init from its init
 * function; the skeleton does open, push, close, the MAC control, and the
 * delivery of received frames, with the cycle accounting the apps read.
 */
#ifndef XK_DRV_H
#define XK_DRV_H

#include <stddef.h>
#include <stdint.h>

#include "xk.h"

/*
 * Cycle accounting for the apps (cycles.h): cycles spent inside the host's
 * stack on frames the driver delivered, less the driver's sends made there
 * (an ACK, a reply: the wire's time, not the stack's), and inside the
 * driver's own transmit code, from wherever it was called (a push, a
 * delivery, a timer). A measured push takes off the tx_wire it saw grow,
 * never the total: sends from timers (a retransmission) are no push's.
 */
struct xk_wire_cycles {
	uint64_t rx_stack, tx_wire;
};

struct xk_drv {
	/* in: transmit one whole frame (an Ethernet header at least); 0 or -errno */
	int (*send)(struct xk_drv *d, const uint8_t *frame, size_t len);
	xk_proto_t *proto;		/* out: the driver's protocol; NULL once its host is gone */
	xk_sess_t *sess;		/* out: ETH's session on us; NULL while not open */
	struct xk_wire_cycles cyc;	/* out */
};

/* Make p the driver d (p->state = d), its host's clock at now_ns. */
void xk_drv_init(xk_proto_t *p, struct xk_drv *d, uint64_t now_ns);
/* Hand a received frame (copied) to the session above; nothing while not open. */
void xk_drv_deliver(struct xk_drv *d, const void *frame, size_t len);

#endif
