/*
 * testbed.h - two hosts on one in-process wire, as tests and apps use them.
 *
 * Host i (0 or 1) has IP 10.0.0.(i+1)/24, MAC 02:00:00:00:00:0(i+1), the
 * suite over the wire, and an app (app.h) on top. `top` is the graph text
 * above the suite (NULL: XK_TESTBED_TOP). The whole suite, TCP included, is
 * registered (suite.h); `reg`, if not NULL, is called for each host before
 * the graph is built to register more protocols (a TCP user: tcp_pair.c).
 * Host 1's app echoes (the server); host 0's keeps and counts (the client).
 * Set app fields (on_recv) after create: the apps start empty.
 */
#ifndef XK_TESTBED_H
#define XK_TESTBED_H

#include "app.h"
#include "wire.h"

#define XK_TESTBED_TOP	"app udp icmp\n"
#define XK_TESTBED_IP(i)	(0x0a000001u + (uint32_t)(i))

struct xk_testbed {
	xk_wire_t *wire;
	xk_host_t *host[2];
	struct xk_app app[2];
};

/* Host i's configuration (addresses above). */
void xk_testbed_config(int i, struct xk_host_config *cfg);
/*
 * Build a host with cfg over driver `driver` (registered with drv_init and
 * drv_arg), the suite, and app on top: the testbed, the IPC wire and the TAP
 * apps use it.
 */
int xk_testbed_host(xk_host_t **hp, const struct xk_host_config *cfg, struct xk_app *app,
		    const char *driver, xk_init_fn drv_init, void *drv_arg, const char *top,
		    int (*reg)(xk_host_t *h));

int xk_testbed_create(struct xk_testbed *tb, const struct xk_wire_impair *imp,
		      const char *top, int (*reg)(xk_host_t *h));
/* The same with host i's IP MTU mtu[i] (0: 1500). */
int xk_testbed_create_mtu(struct xk_testbed *tb, const struct xk_wire_impair *imp,
			  const char *top, int (*reg)(xk_host_t *h), const uint16_t mtu[2]);
/* Returns the message buffers the hosts left outstanding (xk_host_destroy): 0 unless one leaked. */
size_t xk_testbed_destroy(struct xk_testbed *tb);
/*
 * What a teardown returned (leaked: buffers outstanding) folded into err: err,
 * or -EBUSY after one line on stderr naming who, when something leaked.
 */
int xk_testbed_leaks(const char *who, size_t leaked, int err);
/* The protocol `name` of host i. */
xk_proto_t *xk_testbed_proto(struct xk_testbed *tb, int i, const char *name);

#endif
