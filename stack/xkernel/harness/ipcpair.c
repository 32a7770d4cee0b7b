/* ipcpair.c - the supervisor of two testbed hosts on the IPC wire (ipcpair.h). */
#include <stdio.h>
#include <string.h>

#include "ipcpair.h"
#include "testbed.h"

/* What the supervisor hands each domain. */
struct ipcpair {
	const struct xk_wire_impair *imp;
	const char *top;
	int (*reg)(xk_host_t *h);
	xk_ipcpair_fn fn;
	void *arg;
};

struct ipcpair_start {
	const struct ipcpair *pair;
	unsigned index;
};

/* IPC errors are not errno values: name them once, return -EPIPE. */
static int ipcpair_err(const char *what, int rc)
{
	fprintf(stderr, "ipcpair: %s: %s\n", what, ipc_strerror(rc));
	return -EPIPE;
}

struct ipcpair_want {
	const struct xk_app *app;
	unsigned want;
};

static bool ipcpair_got(void *arg)
{
	const struct ipcpair_want *w = arg;

	return w->app->received >= w->want;
}

int xk_ipcpair_wait(void *h, struct xk_app *app, unsigned want)
{
	struct ipcpair_want w = { app, want };

	return xk_ipcwire_run(((struct xk_ipcpair_host *)h)->drv, XK_IPCPAIR_WAIT_NS, ipcpair_got, &w);
}

void xk_ipcpair_ping_setup(struct xk_ipcpair_host *h, struct xk_ping *p)
{
	p->app = &h->app;
	p->wait = xk_ipcpair_wait;
	p->cyc = xk_ipcwire_cycles(h->drv);
	p->drv = h;
}

/* A domain: build the host, run the caller's function, and (host 0) stop the others. */
static int ipcpair_domain(ipc_domain_t *self, void *arg)
{
	const struct ipcpair_start *st = arg;
	const struct ipcpair *pair = st->pair;
	struct xk_ipcpair_host h = { .index = st->index };
	uint8_t mac[XK_IPCWIRE_HOSTS][XK_ETH_ALEN];
	struct xk_host_config cfg;
	int rc;

	for (unsigned j = 0; j < XK_IPCWIRE_HOSTS; j++) {
		xk_testbed_config((int)j, &cfg);
		memcpy(mac[j], cfg.mac, XK_ETH_ALEN);
	}
	rc = xk_ipcwire_create(&h.drv, self, st->index, mac, pair->imp);
	if (rc)
		return rc;
	h.app.echo = st->index != 0;
	xk_testbed_config((int)st->index, &cfg);
	rc = xk_testbed_host(&h.host, &cfg, &h.app, "wire", xk_ipcwire_init, h.drv, pair->top, pair->reg);
	if (!rc)
		rc = pair->fn(&h, pair->arg);
	fflush(stdout);
	if (st->index == 0)
		xk_ipcwire_stop_peers(h.drv);
	rc = xk_testbed_leaks(cfg.name, xk_host_destroy(h.host), rc);
	xk_ipcwire_destroy(h.drv);
	return rc;
}

/* The first host's failure (its function's error), or -EPIPE if one died. */
static int ipcpair_status(const ipc_kernel_t *k, const unsigned *dom)
{
	for (unsigned i = 0; i < XK_IPCWIRE_HOSTS; i++) {
		int st = ipc_domain_status(k, dom[i]);

		if (st == -IPC_EDEAD) {
			fprintf(stderr, "ipcpair: host%u died (killed or crashed)\n", i);
			return -EPIPE;
		}
		if (st)
			return st;
	}
	return 0;
}

int xk_ipcpair_run(const char *mode, const struct xk_wire_impair *imp, const char *top,
		   int (*reg)(xk_host_t *h), xk_ipcpair_fn fn, void *arg)
{
	struct ipc_config cfg = { .mode = strcmp(mode, "thread") == 0 ? IPC_MODE_THREAD
								   : IPC_MODE_PROCESS };
	struct ipcpair pair = { imp, top, reg, fn, arg };
	struct ipcpair_start start[XK_IPCWIRE_HOSTS];
	unsigned dom[XK_IPCWIRE_HOSTS], port[XK_IPCWIRE_HOSTS];
	ipc_kernel_t *k;
	int rc = ipc_kernel_create(&k, &cfg);

	if (rc < 0)
		return ipcpair_err("kernel", rc);
	for (unsigned i = 0; i < XK_IPCWIRE_HOSTS && rc == 0; i++) {
		start[i] = (struct ipcpair_start){ &pair, i };
		rc = ipc_domain_create(k, i ? "host1" : "host0", ipcpair_domain, &start[i], &dom[i]);
		if (rc == 0)
			rc = ipc_port_create(k, dom[i], i, &port[i]);
	}
	for (unsigned i = 0; i < XK_IPCWIRE_HOSTS && rc == 0; i++)
		for (unsigned j = 0; j < XK_IPCWIRE_HOSTS && rc == 0; j++)
			if (i != j)
				rc = ipc_grant(k, dom[i], (uint16_t)j, port[j]);
	if (rc == 0)
		rc = ipc_kernel_run(k);
	/* -IPC_EDEAD from the run: a host failed or died; its status says which */
	rc = rc == 0 || rc == -IPC_EDEAD ? ipcpair_status(k, dom) : ipcpair_err("setup", rc);
	ipc_kernel_destroy(k);
	return rc;
}
