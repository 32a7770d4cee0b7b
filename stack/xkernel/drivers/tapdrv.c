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
#include <sys/socket.h>
#include <unistd.h>

#include "cycles.h"
#include "tapdrv.h"

#define TAP_FRAME_MAX	2048

struct xk_tap {
	struct xk_drv drv;	/* first: the skeleton's state is the device */
	int fd;
};

/* Whether this network namespace has an interface of that name. */
static bool tap_exists(const char *ifname)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool found;

	if (fd < 0)
		return true;	/* cannot ask: let TUNSETIFF decide */
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	found = ioctl(fd, SIOCGIFINDEX, &ifr) == 0;
	close(fd);
	return found;
}

/* TUNSETIFF attaches to the device, or makes a new one when none has the name. */
static int tap_attach(xk_tap_t **tp, const char *ifname, bool create)
{
	struct ifreq ifr = { 0 };
	xk_tap_t *t;
	int err;

	if (strlen(ifname) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	/* a misspelt name must not quietly become a new, unconnected device */
	if (!create && !tap_exists(ifname))
		return -ENODEV;
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

int xk_tap_open(xk_tap_t **tp, const char *ifname)
{
	return tap_attach(tp, ifname, false);
}

int xk_tap_create(xk_tap_t **tp, const char *ifname)
{
	return tap_attach(tp, ifname, true);
}

void xk_tap_close(xk_tap_t *t)
{
	if (!t)
		return;
	close(t->fd);
	free(t);
}

static int tap_send(struct xk_drv *d, const uint8_t *frame, size_t len)
{
	xk_tap_t *t = (xk_tap_t *)d;

	return write(t->fd, frame, len) == (ssize_t)len ? 0 : -EIO;
}

int xk_tap_init(xk_proto_t *p, void *arg)
{
	xk_tap_t *t = arg;

	t->drv.send = tap_send;
	xk_drv_init(p, &t->drv, xk_clock_ns());
	return 0;
}

/* Read and deliver every frame waiting on the device. */
static void tap_drain(xk_tap_t *t)
{
	uint8_t buf[TAP_FRAME_MAX];
	ssize_t n;

	while ((n = read(t->fd, buf, sizeof buf)) >= 0)
		xk_drv_deliver(&t->drv, buf, (size_t)n);
}

int xk_tap_run(xk_tap_t *t, uint64_t limit_ns, bool (*done)(void *arg), void *arg)
{
	xk_events_t *ev = xk_host_events(t->drv.proto->host);
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
		/* the frames arrived now, not before the wait: timers they arm start from now */
		xk_events_advance(ev, xk_clock_ns());
		tap_drain(t);
	}
}

const struct xk_wire_cycles *xk_tap_cycles(const xk_tap_t *t)
{
	return &t->drv.cyc;
}
