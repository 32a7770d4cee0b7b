/* pingtap.c - a ping app's client host on a TAP device; see pingtap.h. */
#include "pingtap.h"
#include "tapdrv.h"
#include "testbed.h"

int xk_ping_tap_run(const char *prog, const struct xk_bench_opts *o, const char *top,
		    int (*reg)(xk_host_t *h), xk_ping_open_fn open)
{
	struct xk_host_config cfg = { .name = prog, .mac = { 0x02, 0, 0, 0, 0x77, 0x02 } };
	struct xk_app app = { .echo = false };
	struct xk_ping p = { 0 };
	xk_host_t *h = NULL;
	xk_tap_t *t = NULL;
	uint32_t peer = o->peer;
	int err;

	cfg.ip = (peer & 0xffffff00u) | ((peer & 0xff) == 2 ? 3 : 2);	/* a neighbour of the peer */
	cfg.mac[5] = (uint8_t)cfg.ip;
	err = xk_tap_open(&t, o->tap);
	if (!err)
		err = xk_testbed_host(&h, &cfg, &app, "tap", xk_tap_init, t, top, reg);
	if (!err)
		err = open(NULL, &app, peer, &p.sess);
	if (!err) {
		p.app = &app;
		p.wait = xk_bench_tap_wait;
		p.cyc = xk_tap_cycles(t);
		p.drv = t;
		err = xk_bench_run(prog, o, &p);
		xk_close(p.sess);
	}
	err = xk_testbed_leaks(prog, xk_host_destroy(h), err);
	xk_tap_close(t);
	return err;
}
