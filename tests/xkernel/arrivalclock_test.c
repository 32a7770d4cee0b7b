/*
 * arrivalclock_test - on the IPC wire a frame is delivered on the clock of
 * its arrival. Two hosts (threads), udpping's flow: after a first round
 * trip the client waits HOLD_NS, reads the clock and sends a datagram;
 * the server, idle in its receive all that time, must see its host clock
 * (what timers armed in the delivery start from) at or past that reading.
 * It used to see the clock of the loop turn before its wait, so timers the
 * frame armed were due at once: BLAST NACKed fragments still in flight.
 */
#define _DEFAULT_SOURCE

#include <time.h>

#include "cycles.h"
#include "tap.h"
#include "udppair.h"

#define HOLD_NS	(50ull * 1000 * 1000)

static struct {
	int first, second;		/* the client's runs */
	uint64_t sent;			/* the clock just before the second datagram went */
	uint64_t host_now[2];		/* the server's host clock at each delivery */
	unsigned got;
} res = { 1, 1, 0, { 0, 0 }, 0 };	/* the hosts are threads: shared */

static unsigned want;

static bool got(void *app)
{
	return ((const struct xk_app *)app)->received >= want;
}

static void server_recv(struct xk_app *app, xk_sess_t *lls, const msg_t *m)
{
	(void)lls;
	(void)m;
	if (res.got < 2)
		res.host_now[res.got++] = xk_events_now(xk_host_events(app->proto->host));
}

static int client(struct xk_ipcpair_host *h, xk_sess_t *s)
{
	struct timespec hold = { 0, (long)HOLD_NS };
	int err = udppair_push_byte(s, h->host);

	want = 1;
	res.first = err ? err : xk_ipcwire_run(h->drv, XK_IPCPAIR_WAIT_NS, got, &h->app);
	nanosleep(&hold, NULL);
	res.sent = xk_clock_ns();
	err = udppair_push_byte(s, h->host);
	want = 2;
	res.second = err ? err : xk_ipcwire_run(h->drv, XK_IPCPAIR_WAIT_NS, got, &h->app);
	return 0;
}

int main(void)
{
	struct udppair u = { client, server_recv };

	tap_plan(4);
	tap_is_int(xk_ipcpair_run("thread", NULL, NULL, NULL, udppair_host, &u), 0, "two hosts ran");
	tap_ok(res.first == 0 && res.second == 0, "two round trips (runs %d, %d)", res.first, res.second);
	tap_is_int(res.got, 2, "the server took both datagrams");
	tap_ok(res.got == 2 && res.host_now[1] >= res.sent,
	       "the second was delivered on its arrival's clock (%.3f ms from its sending; "
	       "below 0: the clock of the server's turn before its wait)",
	       ((double)res.host_now[1] - (double)res.sent) / 1e6);
	return tap_done();
}
