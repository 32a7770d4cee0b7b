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
#include "ipcwire.h"

#define IPCWIRE_FRAME		1u	/* message codes */
#define IPCWIRE_STOP		2u
#define IPCWIRE_RETRY_NS	20000	/* a peer could not take a frame: try again then */
#define IPCWIRE_SPIN_NS		20000	/* how long a nonblocking send keeps trying at once */
/*
 * How long a run past its deadline still takes what the peers offer: a
 * peer offers a frame it could not hand over again every IPCWIRE_RETRY_NS
 * once it runs, and on a loaded host it may wait tens of ms for a CPU.
 */
#define IPCWIRE_LAST_LOOK_NS	(100ull * 1000 * 1000)

/* One host's driver. Slot j of the domain's table reaches host j. */
struct xk_ipcwire {
	struct xk_drv drv;		/* first: the skeleton's state is the driver */
	ipc_domain_t *self;
	unsigned index;
	uint8_t mac[XK_IPCWIRE_HOSTS][XK_ETH_ALEN];
	struct xk_frameq q;		/* frames not sent yet; .to is the host index */
	bool stopped;
};

/* IPC errors are not errno values: name them once, return -EPIPE. */
static int ipcwire_err(const char *what, int rc)
{
	fprintf(stderr, "ipcwire: %s: %s\n", what, ipc_strerror(rc));
	return -EPIPE;
}

/* Send one frame: blocking to a higher host, else nonblocking with a short retry. */
static int ipcwire_send(struct xk_ipcwire *d, const struct xk_frame *f)
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
static void ipcwire_flush(struct xk_ipcwire *d, uint64_t now)
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

static int ipcwire_send_frame(struct xk_drv *drv, const uint8_t *frame, size_t len)
{
	struct xk_ipcwire *d = (struct xk_ipcwire *)drv;
	uint64_t now = xk_clock_ns();
	int err = 0;

	d->q.st.sent++;
	for (unsigned j = 0; j < XK_IPCWIRE_HOSTS; j++)
		if (j != d->index && (memcmp(frame, d->mac[j], XK_ETH_ALEN) == 0 ||
				      memcmp(frame, xk_eth_broadcast, XK_ETH_ALEN) == 0))
			err = xk_frameq_send(&d->q, now, j, frame, len);
	ipcwire_flush(d, now);
	return err;
}

int xk_ipcwire_create(xk_ipcwire_t **dp, ipc_domain_t *self, unsigned index,
		      const uint8_t mac[XK_IPCWIRE_HOSTS][XK_ETH_ALEN], const struct xk_wire_impair *imp)
{
	xk_ipcwire_t *d = calloc(1, sizeof *d);

	if (!d)
		return -ENOMEM;
	d->drv.send = ipcwire_send_frame;
	d->self = self;
	d->index = index;
	memcpy(d->mac, mac, sizeof d->mac);
	xk_frameq_init(&d->q, imp, 0);
	d->q.rng ^= index * 0xd1b54a32d192ed03ull;	/* each host its own loss pattern */
	*dp = d;
	return 0;
}

void xk_ipcwire_destroy(xk_ipcwire_t *d)
{
	if (!d)
		return;
	xk_frameq_clear(&d->q);
	free(d);
}

int xk_ipcwire_init(xk_proto_t *p, void *arg)
{
	xk_drv_init(p, arg, xk_clock_ns());
	return 0;
}

/* Take one message if one comes within wait_ns; 0 also when none did. */
static int ipcwire_receive(struct xk_ipcwire *d, uint64_t wait_ns)
{
	struct ipc_rcv r = { .buf = ipc_buffer(d->self), .cap = IPC_MAX_STRING };
	int rc = ipc_receive(d->self, &r, (int64_t)wait_ns);

	if (rc == -IPC_ETIMEDOUT)
		return 0;
	if (rc < 0)
		return ipcwire_err("receive", rc);
	if (r.code == IPCWIRE_STOP) {
		d->stopped = true;
	} else if (r.code == IPCWIRE_FRAME) {
		xk_drv_deliver(&d->drv, r.buf, r.len);
	}
	return 0;
}

/*
 * One turn of the host loop: fire timers and send what is due; if no timer
 * ran, take one message. A turn that ran timers returns at once, so the
 * caller sees what they did (a connection closed) before waiting again.
 */
static int ipcwire_step(struct xk_ipcwire *d, uint64_t max_wait)
{
	xk_events_t *ev = xk_host_events(d->drv.proto->host);
	const struct xk_frame *f;
	uint64_t now = xk_clock_ns(), next;
	unsigned fired = xk_events_advance(ev, now);

	ipcwire_flush(d, now);
	if (fired)
		return 0;
	next = xk_events_next(ev);
	f = xk_frameq_peek(&d->q);
	if (f && (f->when > now ? f->when : now + IPCWIRE_RETRY_NS) < next)
		next = f->when > now ? f->when : now + IPCWIRE_RETRY_NS;
	if (next > now + max_wait)
		next = now + max_wait;
	return ipcwire_receive(d, next > now ? next - now : 0);
}

/*
 * Past a run's deadline: before -ETIMEDOUT, take what the peers offer for
 * IPCWIRE_LAST_LOOK_NS (no timers). This host may have been blocked in a
 * send (a timer's retransmission to a busy peer) or descheduled when what
 * it waits for came; the peer then holds it, and only a receive takes it.
 */
static int ipcwire_last_look(struct xk_ipcwire *d, bool (*done)(void *arg), void *arg)
{
	uint64_t end = xk_clock_ns() + IPCWIRE_LAST_LOOK_NS, now;
	int rc = 0;

	while (!rc && !done(arg) && !d->stopped && (now = xk_clock_ns()) < end)
		rc = ipcwire_receive(d, end - now);
	return rc ? rc : done(arg) ? 0 : d->stopped ? -ECANCELED : -ETIMEDOUT;
}

int xk_ipcwire_run(xk_ipcwire_t *d, uint64_t limit_ns, bool (*done)(void *arg), void *arg)
{
	uint64_t deadline = xk_clock_ns() + limit_ns;
	int rc = 0;

	while (!done(arg) && !rc) {
		uint64_t now = xk_clock_ns();

		if (d->stopped)
			return -ECANCELED;
		if (now >= deadline)
			return ipcwire_last_look(d, done, arg);
		rc = ipcwire_step(d, deadline - now);
	}
	return rc;
}

int xk_ipcwire_serve(xk_ipcwire_t *d)
{
	int rc = 0;

	while (!d->stopped && !rc)
		rc = ipcwire_step(d, XK_IPCWIRE_WAIT_NS);
	return rc;
}

void xk_ipcwire_stop_peers(xk_ipcwire_t *d)
{
	struct ipc_msg stop = { .code = IPCWIRE_STOP };

	for (unsigned j = 0; j < XK_IPCWIRE_HOSTS; j++)
		if (j != d->index)
			ipc_send(d->self, (uint16_t)j, &stop, 0);
}

void xk_ipcwire_stats(const xk_ipcwire_t *d, struct xk_wire_stats *st)
{
	*st = d->q.st;
}

const struct xk_wire_cycles *xk_ipcwire_cycles(const xk_ipcwire_t *d)
{
	return &d->drv.cyc;
}
