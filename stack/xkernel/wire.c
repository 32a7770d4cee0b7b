/*
 * wire.c - the in-process wire: frames queued between hosts in one process,
 * delivered in virtual-time order, with seeded drop, duplication and delay.
 */
#include <stdlib.h>
#include <string.h>

#include "cycles.h"
#include "eth.h"
#include "frameq.h"
#include "host.h"
#include "wire.h"

#define WIRE_MAX_PORTS		8
#define WIRE_LATENCY_NS		10000u

struct wire_port {
	xk_wire_t *wire;
	xk_proto_t *driver;
	xk_sess_t *sess;	/* the session ETH opened on us */
	uint64_t rx_cycles;	/* inside the host's stack on delivered frames */
	uint64_t tx_cycles;	/* inside the wire's own transmit code */
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

void xk_wire_cycles(const xk_wire_t *w, const xk_host_t *h, struct xk_wire_cycles *c)
{
	*c = (struct xk_wire_cycles){ 0 };
	for (unsigned i = 0; i < w->nports; i++) {
		if (w->port[i].driver->host == h) {
			c->rx_stack += w->port[i].rx_cycles;
			c->tx_wire += w->port[i].tx_cycles;
		}
	}
}

/* One frame from `from` toward every port whose MAC matches. */
static void wire_send(xk_wire_t *w, struct wire_port *from, const uint8_t *frame, size_t len)
{
	w->q.st.sent++;
	for (unsigned i = 0; i < w->nports; i++) {
		struct wire_port *to = &w->port[i];

		if (to != from && to->sess &&
		    (memcmp(frame, xk_host_config(to->driver->host)->mac, XK_ETH_ALEN) == 0 ||
		     memcmp(frame, xk_eth_broadcast, XK_ETH_ALEN) == 0))
			xk_frameq_send(&w->q, w->now, i, frame, len);
	}
}

static int wire_push(xk_sess_t *s, msg_t *m)
{
	struct wire_port *port = s->proto->state;
	uint64_t t0 = xk_cycles();
	uint8_t *frame = msg_flatten(m);
	int err = 0;

	if (!frame || msg_len(m) < XK_ETH_HDR_LEN)
		err = -EINVAL;
	else
		wire_send(port->wire, port, frame, msg_len(m));
	msg_free(m);
	port->tx_cycles += xk_cycles() - t0;
	return err;
}

static int wire_close(xk_sess_t *s)
{
	struct wire_port *port = s->proto->state;

	port->sess = NULL;
	xk_sess_free(s);
	return 0;
}

static const struct xk_sess_ops wire_sess_ops = {
	.push = wire_push,
	.close = wire_close,
};

static int wire_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		     const struct xk_parts *parts, xk_sess_t **out)
{
	struct wire_port *port = self->state;

	(void)hlp_type;
	(void)parts;
	if (port->sess)
		return -EBUSY;
	port->sess = xk_sess_alloc(self, &wire_sess_ops, hlp, 0);
	if (!port->sess)
		return -ENOMEM;
	*out = port->sess;
	return 0;
}

static int wire_control(xk_proto_t *self, int op, void *buf, size_t len)
{
	if (op != XK_CTL_GET_MY_MAC)
		return -EOPNOTSUPP;
	if (len < XK_ETH_ALEN)
		return -ENOSPC;
	memcpy(buf, xk_host_config(self->host)->mac, XK_ETH_ALEN);
	return XK_ETH_ALEN;
}

static void wire_detach(xk_proto_t *self)
{
	struct wire_port *port = self->state;

	port->driver = NULL;
	port->sess = NULL;
}

static const struct xk_proto_ops wire_ops = {
	.open = wire_open,
	.control = wire_control,
	.destroy = wire_detach,
};

int xk_wire_init(xk_proto_t *p, void *arg)
{
	xk_wire_t *w = arg;
	struct wire_port *port = NULL;

	for (unsigned i = 0; i < w->nports && !port; i++)
		if (!w->port[i].driver)
			port = &w->port[i];
	if (!port) {
		if (w->nports == WIRE_MAX_PORTS)
			return -ENOSPC;
		port = &w->port[w->nports++];
	}
	*port = (struct wire_port){ .wire = w, .driver = p };
	xk_events_advance(xk_host_events(p->host), w->now);
	p->state = port;
	p->ops = &wire_ops;
	return 0;
}

static void wire_deliver(struct wire_port *to, const void *data, size_t len)
{
	msg_t m;

	if (msg_from(xk_host_pool(to->driver->host), &m, data, len) == 0) {	/* the driver's copy: not the stack's time */
		uint64_t t0 = xk_cycles();

		xk_demux(to->sess->up, to->sess, &m);
		to->rx_cycles += xk_cycles() - t0;
	}
}

int xk_wire_inject(xk_wire_t *w, xk_host_t *h, const void *frame, size_t len)
{
	for (unsigned i = 0; i < w->nports; i++) {
		struct wire_port *port = &w->port[i];

		if (port->driver && port->driver->host == h && port->sess) {
			wire_deliver(port, frame, len);
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
		if (w->port[i].driver) {
			uint64_t t = xk_events_next(xk_host_events(w->port[i].driver->host));

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
		if (w->port[i].driver)
			xk_events_advance(xk_host_events(w->port[i].driver->host), now);
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

			if (to->driver && to->sess) {
				w->q.st.delivered++;
				wire_deliver(to, f->data, f->len);
			}
			xk_frameq_release(&w->q, f);
		}
	}
}
