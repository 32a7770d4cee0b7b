/*
 * udpping - UDP round trips between a client and a server host: the client
 * sends 1 byte, the server's app echoes it. See README.md.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "ipcwire.h"
#include "testbed.h"

#define UDPPING_PORT	7

/* Both ends of the UDP flow: the server listens, the client opens. */
static int udpping_open(struct xk_app *server, struct xk_app *client, uint32_t server_ip,
			xk_sess_t **s)
{
	struct xk_parts parts = { 0 };
	int err;

	xk_part_push_port(&parts.local, UDPPING_PORT);
	err = server ? xk_app_listen(server, "udp", &parts) : 0;
	if (err || !client)
		return err;
	xk_part_push_ip(&parts.remote, server_ip);
	xk_part_push_port(&parts.remote, UDPPING_PORT);
	return xk_app_open(client, "udp", &parts, s);
}

static int udpping_inproc(const struct xk_bench_opts *o)
{
	struct xk_testbed tb;
	struct xk_bench_inproc in;
	struct xk_ping p = { 0 };
	int err = xk_testbed_create(&tb, NULL, NULL, NULL);

	if (!err)
		err = udpping_open(&tb.app[1], &tb.app[0], XK_TESTBED_IP(1), &p.sess);
	if (!err) {
		in = (struct xk_bench_inproc){ tb.wire, tb.host[0] };
		p.app = &tb.app[0];
		p.wait = xk_bench_inproc_wait;
		p.cycles = xk_bench_inproc_cycles;
		p.drv = &in;
		err = xk_bench_run("udpping", o, &p);
		xk_close(p.sess);
	}
	xk_testbed_destroy(&tb);
	return err;
}

/* One end as a domain on the IPC kernel (ipcwire.h). */
static int udpping_domain(struct xk_ipcwire_host *h, void *arg)
{
	const struct xk_bench_opts *o = arg;
	struct xk_ping p = { 0 };
	int err;

	if (h->index == 1) {
		err = udpping_open(&h->app, NULL, 0, NULL);
		return err ? err : xk_ipcwire_serve(h);
	}
	err = udpping_open(NULL, &h->app, XK_TESTBED_IP(1), &p.sess);
	if (!err) {
		xk_ipcwire_ping_setup(h, &p);
		err = xk_bench_run("udpping", o, &p);
		xk_close(p.sess);
	}
	return err;
}

int main(int argc, char **argv)
{
	struct xk_bench_opts o;
	int err;

	if (xk_bench_parse(argc, argv, "udpping", &o))
		return 2;
	if (o.tap) {
		fprintf(stderr, "udpping: -t: TAP is for icmpping and xkhost\n");
		return 2;
	}
	err = o.wire[0] == 'i' ? udpping_inproc(&o)
			       : xk_ipcwire_pair(o.wire, NULL, NULL, NULL, udpping_domain, &o);
	if (err) {
		fprintf(stderr, "udpping: %s\n", xk_strerror(err));
		return 1;
	}
	return 0;
}
