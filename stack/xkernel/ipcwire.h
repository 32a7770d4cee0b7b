/*
 * ipcwire.h - the wire on the IPC kernel: each host is a domain, and hosts
 * exchange Ethernet frames as IPC messages (stack/kernel/ipc.h).
 *
 * Two hosts sending to each other never deadlock: host i sends to a host
 * j > i with a blocking Send, and to j < i with IPC_NONBLOCK; a frame that
 * host j < i cannot take yet (after a short retry), or that the impairments
 * delay, waits in the sender's queue and is retried from the host loop,
 * which waits in ipc_receive with a timeout for the next frame or timer.
 *
 * xk_ipcwire_pair() is the supervisor for the common case: two hosts set up
 * like the testbed's (testbed.h: addresses, suite, app, host 1 echoing),
 * each calling fn in its own domain. When host 0's fn returns, the other
 * hosts are told to stop. The result is host 0's, else host 1's (-EPIPE
 * if a host died).
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

/*
 * Run this host until done(arg) holds (0), limit_ns of real time pass
 * (-ETIMEDOUT), or the wire stops it (-ECANCELED).
 */
int xk_ipcwire_run(struct xk_ipcwire_host *h, uint64_t limit_ns, bool (*done)(void *arg), void *arg);
/* Run this host until app->received >= want (0) or 1 s passes (-ETIMEDOUT). */
int xk_ipcwire_wait(void *h, struct xk_app *app, unsigned want);
/* What this host's side of the wire sent and did to the frames (impairments). */
void xk_ipcwire_stats(const struct xk_ipcwire_host *h, struct xk_wire_stats *st);
/* Run this host until the wire stops it. */
int xk_ipcwire_serve(struct xk_ipcwire_host *h);
/* Fill p's app, wait, cycles and drv for a ping over this host. */
void xk_ipcwire_ping_setup(struct xk_ipcwire_host *h, struct xk_ping *p);

#endif
