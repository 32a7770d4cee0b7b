/*
 * ipcwire.c - hosts as domains on the IPC kernel, frames as messages.
 *
 * No two hosts can block sending to each other: host i sends to a host
 * j > i with a blocking Send (j never blocks sending to i, so it reaches
 * its receive), and to j < i with IPC_NONBLOCK, retrying for a moment and
 * then leaving the frame queued for the host loop to retry.
 */
#define _POSIX_C_SOURCE 200809L

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cycles.h"
#include "eth.h"
#include "frameq.h"
#include "host.h"
#include "ipc.h"
#include "ipcwire.h"
#include "testbed.h"

#define IPCWIRE_HOSTS		2
#define IPCWIRE_FRAME		1u	/* message codes */
#define IPCWIRE_STOP		2u
#define IPCWIRE_RETRY_NS	20000	/* a peer could not take a frame: try again then */
#define IPCWIRE_SPIN_NS		20000	/* how long a nonblocking send keeps trying at once */
#define IPCWIRE_WAIT_NS		(1000ull * 1000 * 1000)

/* One host's driver. Slot j of the domain's table reaches host j. */
struct ipcwire_drv {
	ipc_domain_t *self;
	unsigned index;
	xk_proto_t *proto;
	xk_sess_t *sess;		/* ETH's session on us */
	struct xk_frameq q;		/* frames not sent yet; .to is the host index */
	bool stopped;
	struct xk_wire_cycles cyc;
};

/* What the supervisor hands each domain. */
struct ipcwire_pair {
	const struct xk_wire_impair *imp;
	const char *top;
	int (*reg)(xk_host_t *h);
	xk_ipcwire_fn fn;
	void *arg;
};

struct ipcwire_start {
	const struct ipcwire_pair *pair;
	unsigned index;
};

/* IPC errors are not errno values: name them once, return -EPIPE. */
static int ipcwire_err(const char *what, int rc)
{
	fprintf(stderr, "ipcwire: %s: %s\n", what, ipc_strerror(rc));
	return -EPIPE;
}

/* Send one frame: blocking to a higher host, else nonblocking with a short retry. */
static int ipcwire_send(struct ipcwire_drv *d, const struct xk_frame *f)
{
	struct ipc_msg m = { .code = IPCWIRE_FRAME, .data = f->data, .len = f->len };
	uint64_t give_up = 0;
	int rc;

	if (f->to > d->index)
		return ipc_send(d->self, (uint16_t)f->to, &m, 0);
	while ((rc = ipc_send(d->self, (uint16_t)f->to, &m, IPC_NONBLOCK)) == -IPC_EAGAIN) {
		uint64_t now = xk_clock_ns();

		if (!give_up)
			give_up = now + IPCWIRE_SPIN_NS;
		else if (now >= give_up)
			break;
		sched_yield();
	}
	return rc;
}

/* Send what is due; stop at the first peer that cannot take a frame yet. */
static void ipcwire_flush(struct ipcwire_drv *d, uint64_t now)
{
	struct xk_frame *f;

	while ((f = xk_frameq_peek(&d->q)) && f->when <= now) {
		int rc = ipcwire_send(d, f);

		if (rc == -IPC_EAGAIN)
			return;
		if (rc == 0)
			d->q.st.delivered++;
		xk_frameq_release(&d->q, xk_frameq_pop(&d->q));
	}
}

static int ipcwire_push(xk_sess_t *s, msg_t *m)
{
	struct ipcwire_drv *d = s->proto->state;
	uint64_t t0 = xk_cycles(), now = xk_clock_ns();
	const uint8_t *frame = msg_flatten(m);
	int err = 0;

	if (!frame || msg_len(m) < XK_ETH_HDR_LEN) {
		err = -EINVAL;
	} else {
		d->q.st.sent++;
		for (unsigned j = 0; j < IPCWIRE_HOSTS; j++) {
			struct xk_host_config peer;

			xk_testbed_config((int)j, &peer);
			if (j != d->index && (memcmp(frame, peer.mac, XK_ETH_ALEN) == 0 ||
					      memcmp(frame, xk_eth_broadcast, XK_ETH_ALEN) == 0))
				err = xk_frameq_send(&d->q, now, j, frame, msg_len(m));
		}
		ipcwire_flush(d, now);
	}
	msg_free(m);
	d->cyc.tx_wire += xk_cycles() - t0;
	return err;
}

static int ipcwire_close(xk_sess_t *s)
{
	struct ipcwire_drv *d = s->proto->state;

	d->sess = NULL;
	xk_sess_free(s);
	return 0;
}

static const struct xk_sess_ops ipcwire_sess_ops = {
	.push = ipcwire_push,
	.close = ipcwire_close,
};

static int ipcwire_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
			const struct xk_parts *parts, xk_sess_t **out)
{
	struct ipcwire_drv *d = self->state;

	(void)hlp_type;
	(void)parts;
	if (d->sess)
		return -EBUSY;
	d->sess = xk_sess_alloc(self, &ipcwire_sess_ops, hlp, 0);
	if (!d->sess)
		return -ENOMEM;
	*out = d->sess;
	return 0;
}

static const struct xk_proto_ops ipcwire_ops = {
	.open = ipcwire_open,
};

static int ipcwire_init(xk_proto_t *p, void *arg)
{
	struct ipcwire_drv *d = arg;

	d->proto = p;
	xk_events_advance(xk_host_events(p->host), xk_clock_ns());
	p->state = d;
	p->ops = &ipcwire_ops;
	return 0;
}

/*
 * One turn of the host loop: fire timers and send what is due; if no timer
 * ran, take one message. A turn that ran timers returns at once, so the
 * caller sees what they did (a connection closed) before waiting again.
 */
static int ipcwire_step(struct ipcwire_drv *d, uint64_t max_wait)
{
	xk_events_t *ev = xk_host_events(d->proto->host);
	struct ipc_rcv r = { .buf = ipc_buffer(d->self), .cap = IPC_MAX_STRING };
	const struct xk_frame *f;
	uint64_t now = xk_clock_ns(), next;
	unsigned fired = xk_events_advance(ev, now);
	int rc;

	ipcwire_flush(d, now);
	if (fired)
		return 0;
	next = xk_events_next(ev);
	f = xk_frameq_peek(&d->q);
	if (f && (f->when > now ? f->when : now + IPCWIRE_RETRY_NS) < next)
		next = f->when > now ? f->when : now + IPCWIRE_RETRY_NS;
	if (next > now + max_wait)
		next = now + max_wait;
	rc = ipc_receive(d->self, &r, next > now ? (int64_t)(next - now) : 0);
	if (rc == -IPC_ETIMEDOUT)
		return 0;
	if (rc < 0)
		return ipcwire_err("receive", rc);
	if (r.code == IPCWIRE_STOP) {
		d->stopped = true;
	} else if (r.code == IPCWIRE_FRAME && d->sess) {
		msg_t m;

		if (msg_from(xk_host_pool(d->sess->proto->host), &m, r.buf, r.len) == 0) {	/* the driver's copy: not the stack's time */
			uint64_t t0 = xk_cycles();

			xk_demux(d->sess->up, d->sess, &m);
			d->cyc.rx_stack += xk_cycles() - t0;
		}
	}
	return 0;
}

int xk_ipcwire_run(struct xk_ipcwire_host *h, uint64_t limit_ns, bool (*done)(void *arg), void *arg)
{
	uint64_t deadline = xk_clock_ns() + limit_ns;
	int rc = 0;

	while (!done(arg) && !rc) {
		uint64_t now = xk_clock_ns();

		if (h->drv->stopped)
			return -ECANCELED;
		if (now >= deadline)
			return -ETIMEDOUT;
		rc = ipcwire_step(h->drv, deadline - now);
	}
	return rc;
}

struct ipcwire_want {
	const struct xk_app *app;
	unsigned want;
};

static bool ipcwire_got(void *arg)
{
	const struct ipcwire_want *w = arg;

	return w->app->received >= w->want;
}

int xk_ipcwire_wait(void *arg, struct xk_app *app, unsigned want)
{
	struct ipcwire_want w = { app, want };

	return xk_ipcwire_run(arg, IPCWIRE_WAIT_NS, ipcwire_got, &w);
}

int xk_ipcwire_serve(struct xk_ipcwire_host *h)
{
	int rc = 0;

	while (!h->drv->stopped && !rc)
		rc = ipcwire_step(h->drv, IPCWIRE_WAIT_NS);
	return rc;
}

void xk_ipcwire_stats(const struct xk_ipcwire_host *h, struct xk_wire_stats *st)
{
	*st = h->drv->q.st;
}

static void ipcwire_cycles(void *arg, struct xk_wire_cycles *c)
{
	struct xk_ipcwire_host *h = arg;

	*c = h->drv->cyc;
}

void xk_ipcwire_ping_setup(struct xk_ipcwire_host *h, struct xk_ping *p)
{
	p->app = &h->app;
	p->wait = xk_ipcwire_wait;
	p->cycles = ipcwire_cycles;
	p->drv = h;
}

/* A domain: build the host, run the caller's function, and (host 0) stop the others. */
static int ipcwire_domain(ipc_domain_t *self, void *arg)
{
	const struct ipcwire_start *st = arg;
	const struct ipcwire_pair *pair = st->pair;
	struct ipcwire_drv d = { .self = self, .index = st->index };
	struct xk_ipcwire_host h = { .index = st->index, .drv = &d };
	struct xk_host_config cfg;
	int rc;

	xk_frameq_init(&d.q, pair->imp, 0);
	d.q.rng ^= st->index * 0xd1b54a32d192ed03ull;	/* each host its own loss pattern */
	h.app.echo = st->index != 0;
	xk_testbed_config((int)st->index, &cfg);
	rc = xk_testbed_host(&h.host, &cfg, &h.app, "wire", ipcwire_init, &d, pair->top, pair->reg);
	if (!rc)
		rc = pair->fn(&h, pair->arg);
	fflush(stdout);
	if (st->index == 0) {
		struct ipc_msg stop = { .code = IPCWIRE_STOP };

		for (unsigned j = 1; j < IPCWIRE_HOSTS; j++)
			ipc_send(self, (uint16_t)j, &stop, 0);
	}
	rc = xk_testbed_leaks(cfg.name, xk_host_destroy(h.host), rc);
	xk_frameq_clear(&d.q);
	return rc;
}

/* The first host's failure (its function's error), or -EPIPE if one died. */
static int ipcwire_status(const ipc_kernel_t *k, const unsigned *dom)
{
	for (unsigned i = 0; i < IPCWIRE_HOSTS; i++) {
		int st = ipc_domain_status(k, dom[i]);

		if (st == -IPC_EDEAD) {
			fprintf(stderr, "ipcwire: host%u died (killed or crashed)\n", i);
			return -EPIPE;
		}
		if (st)
			return st;
	}
	return 0;
}

int xk_ipcwire_pair(const char *mode, const struct xk_wire_impair *imp, const char *top,
		    int (*reg)(xk_host_t *h), xk_ipcwire_fn fn, void *arg)
{
	struct ipc_config cfg = { .mode = strcmp(mode, "thread") == 0 ? IPC_MODE_THREAD
								   : IPC_MODE_PROCESS };
	struct ipcwire_pair pair = { imp, top, reg, fn, arg };
	struct ipcwire_start start[IPCWIRE_HOSTS];
	unsigned dom[IPCWIRE_HOSTS], port[IPCWIRE_HOSTS];
	ipc_kernel_t *k;
	int rc = ipc_kernel_create(&k, &cfg);

	if (rc < 0)
		return ipcwire_err("kernel", rc);
	for (unsigned i = 0; i < IPCWIRE_HOSTS && rc == 0; i++) {
		start[i] = (struct ipcwire_start){ &pair, i };
		rc = ipc_domain_create(k, i ? "host1" : "host0", ipcwire_domain, &start[i], &dom[i]);
		if (rc == 0)
			rc = ipc_port_create(k, dom[i], i, &port[i]);
	}
	for (unsigned i = 0; i < IPCWIRE_HOSTS && rc == 0; i++)
		for (unsigned j = 0; j < IPCWIRE_HOSTS && rc == 0; j++)
			if (i != j)
				rc = ipc_grant(k, dom[i], (uint16_t)j, port[j]);
	if (rc == 0)
		rc = ipc_kernel_run(k);
	/* -IPC_EDEAD from the run: a host failed or died; its status says which */
	rc = rc == 0 || rc == -IPC_EDEAD ? ipcwire_status(k, dom) : ipcwire_err("setup", rc);
	ipc_kernel_destroy(k);
	return rc;
}
