/*
 * tapdrv.c - the TAP driver: Ethernet frames to and from a Linux TAP device,
 * and a host loop on the real clock.
 */
#define _DEFAULT_SOURCE

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cycles.h"
#include "eth.h"
#include "host.h"
#include "tapdrv.h"

#define TAP_FRAME_MAX	2048

struct xk_tap {
	int fd;
	xk_proto_t *proto;
	xk_sess_t *sess;	/* ETH's session on us */
	struct xk_wire_cycles cyc;
	uint64_t errors;	/* frames the device refused */
};

int xk_tap_open(xk_tap_t **tp, const char *ifname)
{
	struct ifreq ifr = { 0 };
	xk_tap_t *t;
	int err;

	if (strlen(ifname) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	t = calloc(1, sizeof *t);
	if (!t)
		return -ENOMEM;
	t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		err = -errno;
		free(t);
		return err;
	}
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	if (ioctl(t->fd, TUNSETIFF, &ifr) < 0) {
		err = -errno;
		close(t->fd);
		free(t);
		return err;
	}
	*tp = t;
	return 0;
}

void xk_tap_close(xk_tap_t *t)
{
	if (!t)
		return;
	close(t->fd);
	free(t);
}

static int tap_push(xk_sess_t *s, msg_t *m)
{
	xk_tap_t *t = s->proto->state;
	uint64_t t0 = xk_cycles();
	const void *frame = msg_flatten(m);
	int err = 0;

	if (!frame || write(t->fd, frame, msg_len(m)) != (ssize_t)msg_len(m)) {
		t->errors++;
		err = -EIO;
	}
	msg_free(m);
	t->cyc.tx_wire += xk_cycles() - t0;
	return err;
}

static int tap_close_sess(xk_sess_t *s)
{
	xk_tap_t *t = s->proto->state;

	t->sess = NULL;
	xk_sess_free(s);
	return 0;
}

static const struct xk_sess_ops tap_sess_ops = {
	.push = tap_push,
	.close = tap_close_sess,
};

static int tap_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		    const struct xk_parts *parts, xk_sess_t **out)
{
	xk_tap_t *t = self->state;

	(void)hlp_type;
	(void)parts;
	if (t->sess)
		return -EBUSY;
	t->sess = xk_sess_alloc(self, &tap_sess_ops, hlp, 0);
	if (!t->sess)
		return -ENOMEM;
	*out = t->sess;
	return 0;
}

static const struct xk_proto_ops tap_ops = {
	.open = tap_open,
};

int xk_tap_init(xk_proto_t *p, void *arg)
{
	xk_tap_t *t = arg;

	t->proto = p;
	xk_events_advance(xk_host_events(p->host), xk_clock_ns());
	p->state = t;
	p->ops = &tap_ops;
	return 0;
}

/* Read and deliver every frame waiting on the device. */
static void tap_drain(xk_tap_t *t)
{
	uint8_t buf[TAP_FRAME_MAX];
	ssize_t n;

	while ((n = read(t->fd, buf, sizeof buf)) >= 0) {
		msg_t m;

		if (t->sess && msg_from(xk_host_pool(t->sess->proto->host), &m, buf, (size_t)n) == 0) {	/* the driver's copy: not the stack's time */
			uint64_t t0 = xk_cycles();

			xk_demux(t->sess->up, t->sess, &m);
			t->cyc.rx_stack += xk_cycles() - t0;
		}
	}
}

int xk_tap_run(xk_tap_t *t, uint64_t limit_ns, bool (*done)(void *arg), void *arg)
{
	xk_events_t *ev = xk_host_events(t->proto->host);
	uint64_t deadline = xk_clock_ns() + limit_ns;

	for (;;) {
		uint64_t now = xk_clock_ns(), next;
		struct pollfd pfd = { .fd = t->fd, .events = POLLIN };

		xk_events_advance(ev, now);
		if (done && done(arg))
			return 0;
		if (now >= deadline)
			return -ETIMEDOUT;
		next = xk_events_next(ev);
		if (next > deadline)
			next = deadline;
		if (poll(&pfd, 1, next > now ? (int)((next - now + 999999) / 1000000) : 0) < 0 &&
		    errno != EINTR)
			return -errno;
		tap_drain(t);
	}
}

void xk_tap_cycles(void *t, struct xk_wire_cycles *c)
{
	*c = ((xk_tap_t *)t)->cyc;
}
