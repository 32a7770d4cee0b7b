/*
 * icmpping - ICMP echo round trips from our stack: to a second host of ours
 * (-w inproc|thread|process) or to a peer over a TAP device (-t TAPIF -p IP,
 * e.g. Linux in the interop test). Same options and report as udpping.
 */
#include <stdio.h>
#include <stdlib.h>

#include "pingapp.h"
#include "tapdrv.h"
#include "testbed.h"

#define ICMPPING_ID	0x4b58

/* The server's ICMP answers by itself; the client opens an echo session to the peer. */
static int icmpping_open(struct xk_app *server, struct xk_app *client, uint32_t peer, xk_sess_t **s)
{
	struct xk_parts parts = { 0 };

	(void)server;
	if (!client)
		return 0;
	xk_part_push_ip(&parts.remote, peer);
	xk_part_push_port(&parts.local, ICMPPING_ID);
	return xk_app_open(client, "icmp", &parts, s);
}

static int icmpping_tap(const struct xk_bench_opts *o)
{
	struct xk_host_config cfg = { .name = "icmpping", .mac = { 0x02, 0, 0, 0, 0x77, 0x02 } };
	struct xk_app app = { .echo = false };
	struct xk_ping p = { 0 };
	xk_host_t *h = NULL;
	xk_tap_t *t = NULL;
	uint32_t peer = o->peer;
	int err;

	cfg.ip = (peer & 0xffffff00u) | ((peer & 0xff) == 2 ? 3 : 2);	/* a neighbour of the peer */
	err = xk_tap_open(&t, o->tap);
	if (!err)
		err = xk_testbed_host(&h, &cfg, &app, "tap", xk_tap_init, t, NULL, NULL);
	if (!err)
		err = icmpping_open(NULL, &app, peer, &p.sess);
	if (!err) {
		p.app = &app;
		p.wait = xk_bench_tap_wait;
		p.cycles = xk_tap_cycles;
		p.drv = t;
		err = xk_bench_run("icmpping", o, &p);
		xk_close(p.sess);
	}
	err = xk_testbed_leaks("icmpping", xk_host_destroy(h), err);
	xk_tap_close(t);
	return err;
}

int main(int argc, char **argv)
{
	static const struct xk_ping_app app = { .prog = "icmpping", .open = icmpping_open, .tap = icmpping_tap };

	return xk_ping_app_main(argc, argv, &app);
}
