/*
 * wire.c - the in-process wire: frames queued between hosts in one process,
 * delivered in virtual-time order, with seeded drop, duplication and delay.
 */
#include <stdlib.h>
#include <string.h>

#include "eth.h"
#include "frameq.h"
#include "wire.h"

#define WIRE_MAX_PORTS		8
#define WIRE_LATENCY_NS		10000u

struct wire_port {
	struct xk_drv drv;	/* first: the skeleton's state is the port */
	xk_wire_t *wire;
};

struct xk_wire {
	uint64_t now;
	unsigned nports;
	struct wire_port port[WIRE_MAX_PORTS];
	struct xk_frameq q;	/* frames in flight; .to is a port index */
};

int xk_wire_create(xk_wire_t **wp, const struct xk_wire_impair *impair)
{
	xk_wire_t *w = calloc(1, sizeof *w);

	if (!w)
		return -ENOMEM;
	xk_wire_set_impair(w, impair);
	*wp = w;
	return 0;
}

void xk_wire_destroy(xk_wire_t *w)
{
	if (!w)
		return;
	xk_frameq_clear(&w->q);
	free(w);
}

void xk_wire_set_impair(xk_wire_t *w, const struct xk_wire_impair *impair)
{
	xk_frameq_init(&w->q, impair, WIRE_LATENCY_NS);
}

void xk_wire_stats(const xk_wire_t *w, struct xk_wire_stats *st)
{
	*st = w->q.st;
}

uint64_t xk_wire_now(const xk_wire_t *w)
{
	return w->now;
}

const struct xk_wire_cycles *xk_wire_cycles(const xk_wire_t *w, const xk_host_t *h)
{
	for (unsigned i = 0; i < w->nports; i++)
		if (w->port[i].drv.proto && w->port[i].drv.proto->host == h)
			return &w->port[i].drv.cyc;
	return NULL;
}

/* One frame from a port toward every other port whose MAC matches. */
static int wire_send(struct xk_drv *d, const uint8_t *frame, size_t len)
{
	struct wire_port *from = (struct wire_port *)d;
	xk_wire_t *w = from->wire;

	w->q.st.sent++;
	for (unsigned i = 0; i < w->nports; i++) {
		struct wire_port *to = &w->port[i];

		if (to != from && to->drv.sess &&
		    (memcmp(frame, xk_host_config(to->drv.proto->host)->mac, XK_ETH_ALEN) == 0 ||
		     memcmp(frame, xk_eth_broadcast, XK_ETH_ALEN) == 0))
			xk_frameq_send(&w->q, w->now, i, frame, len);
	}
	return 0;
}

int xk_wire_init(xk_proto_t *p, void *arg)
{
	xk_wire_t *w = arg;
	struct wire_port *port = NULL;

	for (unsigned i = 0; i < w->nports && !port; i++)
		if (!w->port[i].drv.proto)
			port = &w->port[i];
	if (!port) {
		if (w->nports == WIRE_MAX_PORTS)
			return -ENOSPC;
		port = &w->port[w->nports++];
	}
	*port = (struct wire_port){ .drv.send = wire_send, .wire = w };
	xk_drv_init(p, &port->drv, w->now);
	return 0;
}

int xk_wire_inject(xk_wire_t *w, xk_host_t *h, const void *frame, size_t len)
{
	for (unsigned i = 0; i < w->nports; i++) {
		struct wire_port *port = &w->port[i];

		if (port->drv.proto && port->drv.proto->host == h && port->drv.sess) {
			xk_drv_deliver(&port->drv, frame, len);
			return 0;
		}
	}
	return -ENOENT;
}

static uint64_t wire_next(const xk_wire_t *w)
{
	const struct xk_frame *f = xk_frameq_peek(&w->q);
	uint64_t next = f ? f->when : XK_NEVER;

	for (unsigned i = 0; i < w->nports; i++) {
		if (w->port[i].drv.proto) {
			uint64_t t = xk_events_next(xk_host_events(w->port[i].drv.proto->host));

			if (t < next)
				next = t;
		}
	}
	return next;
}

static void wire_advance(xk_wire_t *w, uint64_t now)
{
	w->now = now;
	for (unsigned i = 0; i < w->nports; i++)
		if (w->port[i].drv.proto)
			xk_events_advance(xk_host_events(w->port[i].drv.proto->host), now);
}

int xk_wire_run(xk_wire_t *w, uint64_t limit_ns, bool (*done)(void *arg), void *arg)
{
	uint64_t deadline = w->now + limit_ns;

	for (;;) {
		uint64_t next;

		if (done && done(arg))
			return 0;
		next = wire_next(w);
		if (next == XK_NEVER)
			return -EAGAIN;
		if (next > deadline) {
			wire_advance(w, deadline);
			return -ETIMEDOUT;
		}
		wire_advance(w, next);
		if (xk_frameq_peek(&w->q) && xk_frameq_peek(&w->q)->when <= w->now) {
			struct xk_frame *f = xk_frameq_pop(&w->q);
			struct wire_port *to = &w->port[f->to];

			if (to->drv.proto && to->drv.sess) {
				w->q.st.delivered++;
				xk_drv_deliver(&to->drv, f->data, f->len);
			}
			xk_frameq_release(&w->q, f);
		}
	}
}

void xk_wire_wait(xk_wire_t *w, uint64_t ns)
{
	uint64_t deadline = w->now + ns;

	if (xk_wire_run(w, ns, NULL, NULL) == -EAGAIN)
		wire_advance(w, deadline);
}
