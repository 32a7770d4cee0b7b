/*
 * ipcwire.h - the wire on the IPC kernel: each host is a domain, and hosts
 * exchange Ethernet frames as IPC messages (stack/kernel/ipc.h).
 *
 * Hosts never block sending: the driver sends with IPC_NONBLOCK and keeps a
 * frame the peer cannot take yet (or one the impairments delay) in its own
 * queue, retrying from the host loop, which waits in ipc_receive with a
 * timeout for the next frame or timer. So two hosts sending to each other
 * can never deadlock.
 *
 * xk_ipcwire_pair() is the supervisor for the common case: two hosts set up
 * like the testbed's (testbed.h: addresses, suite, app, host 1 echoing),
 * each calling fn in its own domain. When host 0's fn returns, the other
 * hosts are told to stop; the result is host 0's.
 */
#ifndef XK_IPCWIRE_H
#define XK_IPCWIRE_H

#include "app.h"
#include "bench.h"
#include "wire.h"

struct ipcwire_drv;

struct xk_ipcwire_host {
	unsigned index;			/* 0: the client, 1: the server */
	xk_host_t *host;
	struct xk_app app;
	struct ipcwire_drv *drv;
};

typedef int (*xk_ipcwire_fn)(struct xk_ipcwire_host *h, void *arg);

/*
 * mode: "thread" or "process" (ipc.h's modes). imp: impairments (NULL:
 * perfect). top, reg: as for xk_testbed_create.
 */
int xk_ipcwire_pair(const char *mode, const struct xk_wire_impair *imp, const char *top,
		    int (*reg)(xk_host_t *h), xk_ipcwire_fn fn, void *arg);

/* Run this host until app->received >= want (0) or 1 s passes (-ETIMEDOUT). */
int xk_ipcwire_wait(void *h, struct xk_app *app, unsigned want);
/* Run this host until the wire stops it. */
int xk_ipcwire_serve(struct xk_ipcwire_host *h);
/* Fill p's app, wait, cycles and drv for a ping over this host. */
void xk_ipcwire_ping_setup(struct xk_ipcwire_host *h, struct xk_ping *p);

#endif
