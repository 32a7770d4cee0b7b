/*
 * pingtap.h - a ping app's client host on a TAP device (-t TAPIF -p PEER_IP):
 * it takes the peer's neighbour address (.2, or .3 when the peer is .2) and
 * a MAC made from it, builds the suite with `top` and `reg` (testbed.h's),
 * opens the flow with open(NULL, client, peer, &s), and runs the samples.
 */
#ifndef XK_PINGTAP_H
#define XK_PINGTAP_H

#include "pingapp.h"

int xk_ping_tap_run(const char *prog, const struct xk_bench_opts *o, const char *top,
		    int (*reg)(xk_host_t *h), xk_ping_open_fn open);

#endif
