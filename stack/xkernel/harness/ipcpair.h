/*
 * ipcpair.h - two testbed hosts (testbed.h: addresses, suite, app, host 1
 * echoing) on the IPC wire (ipcwire.h), each in a domain of its own on the
 * IPC kernel, each calling fn there. When host 0's fn returns, the other
 * hosts are told to stop. The result is host 0's, else host 1's (-EPIPE if
 * a host died).
 */
#ifndef XK_IPCPAIR_H
#define XK_IPCPAIR_H

#include "app.h"
#include "bench.h"
#include "ipcwire.h"

struct xk_ipcpair_host {
	unsigned index;			/* 0: the client, 1: the server */
	xk_host_t *host;
	struct xk_app app;
	xk_ipcwire_t *drv;
};

typedef int (*xk_ipcpair_fn)(struct xk_ipcpair_host *h, void *arg);

/*
 * mode: "thread" or "process" (ipc.h's modes). imp: impairments (NULL:
 * perfect). top, reg: as for xk_testbed_create.
 */
int xk_ipcpair_run(const char *mode, const struct xk_wire_impair *imp, const char *top,
		   int (*reg)(xk_host_t *h), xk_ipcpair_fn fn, void *arg);

/*
 * A reply's longest wait, real time. Longer than any suite's own give-up
 * (CHAN's retries end within 8 s and end the call with its status), so the
 * protocol, not the harness, decides that a call failed; on a loaded host
 * a peer descheduled for over a second must not fail the run (it did with
 * 1 s). It only ends a run whose peer hangs.
 */
#define XK_IPCPAIR_WAIT_NS	(30ull * 1000 * 1000 * 1000)

/* Run host h until app->received >= want (0) or XK_IPCPAIR_WAIT_NS pass (-ETIMEDOUT). */
int xk_ipcpair_wait(void *h, struct xk_app *app, unsigned want);
/* Fill p's app, wait, cyc and drv for a ping over host h. */
void xk_ipcpair_ping_setup(struct xk_ipcpair_host *h, struct xk_ping *p);

#endif
