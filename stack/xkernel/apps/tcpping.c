/*
 * tcpping - TCP round trips between a client and a server host over one
 * connection (TCP_NODELAY): the client sends 1 byte, the server's app echoes
 * it. Same options and report as udpping (see README.md).
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "ipcwire.h"
#include "testbed.h"

#define TCPPING_PORT	7
#define TCPPING_TOP	"tcp ip/6\napp udp icmp tcp\n"

/* The server listens; the client connects (the handshake ends during the warm-up). */
static int tcpping_open(struct xk_app *server, struct xk_app *client, uint32_t server_ip,
			xk_sess_t **s)
{
	struct xk_parts parts = { 0 };
	int one = 1, err;

	xk_part_push_port(&parts.local, TCPPING_PORT);
	err = server ? xk_app_listen(server, "tcp", &parts) : 0;
	if (err || !client)
		return err;
	xk_part_init(&parts.local);
	xk_part_push_ip(&parts.remote, server_ip);
	xk_part_push_port(&parts.remote, TCPPING_PORT);
	err = xk_app_open(client, "tcp", &parts, s);
	if (!err && xk_sess_control(*s, XK_CTL_SET_NODELAY, &one, sizeof one) < 0) {
		xk_close(*s);
		err = -EOPNOTSUPP;
	}
	return err;
}

static int tcpping_inproc(const struct xk_bench_opts *o)
{
	struct xk_testbed tb;
	struct xk_bench_inproc in;
	struct xk_ping p = { 0 };
	int err = xk_testbed_create(&tb, NULL, TCPPING_TOP, NULL);

	if (!err)
		err = tcpping_open(&tb.app[1], &tb.app[0], XK_TESTBED_IP(1), &p.sess);
	if (!err) {
		in = (struct xk_bench_inproc){ tb.wire, tb.host[0] };
		p.app = &tb.app[0];
		p.wait = xk_bench_inproc_wait;
		p.cycles = xk_bench_inproc_cycles;
		p.drv = &in;
		err = xk_bench_run("tcpping", o, &p);
		xk_close(p.sess);
	}
	xk_testbed_destroy(&tb);
	return err;
}

static int tcpping_domain(struct xk_ipcwire_host *h, void *arg)
{
	struct xk_ping p = { 0 };
	int err;

	if (h->index == 1) {
		err = tcpping_open(&h->app, NULL, 0, NULL);
		return err ? err : xk_ipcwire_serve(h);
	}
	err = tcpping_open(NULL, &h->app, XK_TESTBED_IP(1), &p.sess);
	if (!err) {
		xk_ipcwire_ping_setup(h, &p);
		err = xk_bench_run("tcpping", arg, &p);
		xk_close(p.sess);
	}
	return err;
}

int main(int argc, char **argv)
{
	struct xk_bench_opts o;
	int err;

	if (xk_bench_parse(argc, argv, "tcpping", &o))
		return 2;
	if (o.tap) {
		fprintf(stderr, "tcpping: -t: TAP is for icmpping and xkhost\n");
		return 2;
	}
	err = o.wire[0] == 'i' ? tcpping_inproc(&o)
			       : xk_ipcwire_pair(o.wire, NULL, TCPPING_TOP, NULL, tcpping_domain, &o);
	if (err) {
		fprintf(stderr, "tcpping: %s\n", xk_strerror(err));
		return 1;
	}
	return 0;
}
