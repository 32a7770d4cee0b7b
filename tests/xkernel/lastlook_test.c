/*
 * lastlook_test - xk_ipcwire_run past its deadline still takes what a peer
 * offers. Two hosts (threads) on the IPC wire, udpping's flow: the client
 * pushes a datagram, then does not receive for HOLD_NS (as when blocked in
 * a send from a timer, or descheduled), so the server's echo waits in the
 * server's queue (ipcwire.c: a frame to a lower host is sent nonblocking
 * and retried). A run whose deadline has passed already (limit 0) must
 * take it and return 0; it used to return -ETIMEDOUT without a look. With
 * nothing offered, the same run still ends with -ETIMEDOUT.
 */
#define _DEFAULT_SOURCE

#include <time.h>

#include "tap.h"
#include "udppair.h"

#define HOLD_NS	(50ull * 1000 * 1000)

struct result {
	int first, idle, late;	/* the runs' results */
	unsigned received;	/* replies the client counted */
};

static struct result res = { 1, 1, 1, 0 };	/* the hosts are threads: shared */

static unsigned want;	/* replies the client's run waits for */

static bool got(void *app)
{
	return ((const struct xk_app *)app)->received >= want;
}

/* The client's three runs: a round trip, a look with nothing offered, a late echo. */
static int client(struct xk_ipcpair_host *h, xk_sess_t *s)
{
	struct timespec hold = { 0, (long)HOLD_NS };
	int err = udppair_push_byte(s, h->host);

	want = 1;
	res.first = err ? err : xk_ipcwire_run(h->drv, XK_IPCPAIR_WAIT_NS, got, &h->app);
	want = 2;
	res.idle = xk_ipcwire_run(h->drv, 0, got, &h->app);
	err = udppair_push_byte(s, h->host);
	nanosleep(&hold, NULL);
	res.late = err ? err : xk_ipcwire_run(h->drv, 0, got, &h->app);
	res.received = h->app.received;
	return 0;
}

int main(void)
{
	struct udppair u = { client, NULL };

	tap_plan(4);
	tap_is_int(xk_ipcpair_run("thread", NULL, NULL, NULL, udppair_host, &u), 0, "two hosts ran");
	tap_is_int(res.first, 0, "a round trip (ARP resolved)");
	tap_is_int(res.idle, -ETIMEDOUT, "past the deadline with nothing offered: -ETIMEDOUT");
	tap_ok(res.late == 0 && res.received == 2,
	       "past the deadline, the echo that came while the client held off is taken "
	       "(run %d, was -ETIMEDOUT; %u replies)", res.late, res.received);
	return tap_done();
}
