/* host.h - the host object (inside libxk only). */
#ifndef XK_HOST_H
#define XK_HOST_H

#include <stdio.h>

#include "classify.h"
#include "xk.h"

#define XK_MAX_PROTOS	16

struct xk_host {
	struct xk_host_config cfg;
	char name[32];
	xk_events_t *ev;
	msg_pool_t *pool;	/* its messages' memory */
	struct xk_flows flows;	/* connections bound to a receive path's clones */
	unsigned nreg;
	struct {
		char name[XK_NAME_MAX];
		xk_init_fn init;
		void *arg;
	} reg[XK_MAX_PROTOS];
	unsigned nproto;
	xk_proto_t *proto[XK_MAX_PROTOS];	/* in graph order, lowest first */
};

#endif
