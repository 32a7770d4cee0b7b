/*
 * icmpping - ICMP echo round trips from our stack: to a second host of ours
 * (-w inproc|thread|process) or to a peer over a TAP device (-t TAPIF -p IP,
 * e.g. Linux in the interop test). Same options and report as udpping.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "ip.h"
#include "ipcwire.h"
#include "tapdrv.h"
#include "testbed.h"

#define ICMPPING_ID	0x4b58

static int icmpping_open(struct xk_app *client, uint32_t peer, xk_sess_t **s)
{
	struct xk_parts parts = { 0 };

	xk_part_push_ip(&parts.remote, peer);
	xk_part_push_port(&parts.local, ICMPPING_ID);
	return xk_app_open(client, "icmp", &parts, s);
}

static int icmpping_inproc(const struct xk_bench_opts *o)
{
	struct xk_testbed tb;
	struct xk_bench_inproc in;
	struct xk_ping p = { 0 };
	int err = xk_testbed_create(&tb, NULL, NULL, NULL);

	if (!err)
		err = icmpping_open(&tb.app[0], XK_TESTBED_IP(1), &p.sess);
	if (!err) {
		in = (struct xk_bench_inproc){ tb.wire, tb.host[0] };
		p.app = &tb.app[0];
		p.wait = xk_bench_inproc_wait;
		p.cycles = xk_bench_inproc_cycles;
		p.drv = &in;
		err = xk_bench_run("icmpping", o, &p);
		xk_close(p.sess);
	}
	xk_testbed_destroy(&tb);
	return err;
}

static int icmpping_domain(struct xk_ipcwire_host *h, void *arg)
{
	struct xk_ping p = { 0 };
	int err;

	if (h->index == 1)
		return xk_ipcwire_serve(h);	/* ICMP answers by itself */
	err = icmpping_open(&h->app, XK_TESTBED_IP(1), &p.sess);
	if (!err) {
		xk_ipcwire_ping_setup(h, &p);
		err = xk_bench_run("icmpping", arg, &p);
		xk_close(p.sess);
	}
	return err;
}

static int icmpping_tap(const struct xk_bench_opts *o)
{
	struct xk_host_config cfg = { .name = "icmpping", .mac = { 0x02, 0, 0, 0, 0x77, 0x02 } };
	struct xk_app app = { .echo = false };
	struct xk_ping p = { 0 };
	xk_host_t *h = NULL;
	xk_tap_t *t = NULL;
	uint32_t peer;
	int err;

	if (!o->peer || xk_ip_parse(o->peer, &peer)) {
		fprintf(stderr, "icmpping: -t needs -p PEER_IP (an IPv4 address)\n");
		return -EINVAL;
	}
	cfg.ip = (peer & 0xffffff00u) | ((peer & 0xff) == 2 ? 3 : 2);	/* a neighbour of the peer */
	err = xk_tap_open(&t, o->tap);
	if (!err)
		err = xk_testbed_host(&h, &cfg, &app, "tap", xk_tap_init, t, NULL, NULL);
	if (!err)
		err = icmpping_open(&app, peer, &p.sess);
	if (!err) {
		p.app = &app;
		p.wait = xk_bench_tap_wait;
		p.cycles = xk_tap_cycles;
		p.drv = t;
		err = xk_bench_run("icmpping", o, &p);
		xk_close(p.sess);
	}
	xk_host_destroy(h);
	xk_tap_close(t);
	return err;
}

int main(int argc, char **argv)
{
	struct xk_bench_opts o;
	int err;

	if (xk_bench_parse(argc, argv, "icmpping", &o))
		return 2;
	if (o.tap)
		err = icmpping_tap(&o);
	else if (o.wire[0] == 'i')
		err = icmpping_inproc(&o);
	else
		err = xk_ipcwire_pair(o.wire, NULL, NULL, NULL, icmpping_domain, &o);
	if (err) {
		fprintf(stderr, "icmpping: %s\n", xk_strerror(err));
		return 1;
	}
	return 0;
}
