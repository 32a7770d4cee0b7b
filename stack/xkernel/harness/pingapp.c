/* pingapp.c - the ping apps' flow on either wire, and their main; see pingapp.h. */
#include <stdio.h>

#include "ipcpair.h"
#include "pingapp.h"
#include "testbed.h"

struct pingapp_run {
	const struct xk_ping_app *a;
	const struct xk_bench_opts *o;
};

static int pingapp_inproc(const struct xk_ping_app *a, const struct xk_bench_opts *o)
{
	struct xk_testbed tb;
	struct xk_bench_inproc in;
	struct xk_ping p = { 0 };
	int err = xk_testbed_create(&tb, NULL, a->top, a->reg);

	for (int i = 0; i < 2 && !err; i++) {
		tb.app[i].send_path = a->send_path;
		tb.app[i].recv_path = a->recv_path;
	}
	if (!err)
		err = a->open(&tb.app[1], &tb.app[0], XK_TESTBED_IP(1), &p.sess);
	if (!err) {
		in = (struct xk_bench_inproc){ tb.wire, tb.host[0] };
		p.app = &tb.app[0];
		p.wait = xk_bench_inproc_wait;
		p.cyc = xk_wire_cycles(tb.wire, tb.host[0]);
		p.drv = &in;
		err = xk_bench_run(a->prog, o, &p);
		xk_close(p.sess);
	}
	return xk_testbed_leaks(a->prog, xk_testbed_destroy(&tb), err);
}

/* One host as a domain on the IPC kernel: host 1 serves, host 0 measures. */
static int pingapp_domain(struct xk_ipcpair_host *h, void *arg)
{
	const struct pingapp_run *r = arg;
	struct xk_ping p = { 0 };
	int err;

	h->app.send_path = r->a->send_path;
	h->app.recv_path = r->a->recv_path;
	if (h->index == 1) {
		err = r->a->open(&h->app, NULL, 0, NULL);
		return err ? err : xk_ipcwire_serve(h->drv);
	}
	err = r->a->open(NULL, &h->app, XK_TESTBED_IP(1), &p.sess);
	if (!err) {
		xk_ipcpair_ping_setup(h, &p);
		err = xk_bench_run(r->a->prog, r->o, &p);
		xk_close(p.sess);
	}
	return err;
}

int xk_ping_app_main(int argc, char **argv, const struct xk_ping_app *a)
{
	const struct xk_bench_caps caps = { a->tap != NULL, a->eth != NULL, a->null, a->max_bytes };
	struct xk_bench_opts o;
	struct pingapp_run r = { a, &o };
	int err = xk_bench_parse(argc, argv, a->prog, &caps, &o);

	if (err)
		return err > 0 ? 0 : 2;
	if (o.eth)
		r.a = a = a->eth;
	if (o.tap)
		err = a->tap(&o);
	else if (o.wire[0] == 'i')
		err = pingapp_inproc(a, &o);
	else
		err = xk_ipcpair_run(o.wire, NULL, a->top, a->reg, pingapp_domain, &r);
	if (err) {
		fprintf(stderr, "%s: no report: %s\n", a->prog, xk_strerror(err));
		return 1;
	}
	return 0;
}
