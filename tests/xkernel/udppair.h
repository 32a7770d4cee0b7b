/*
 * udppair.h - udpping's flow on two hosts of the IPC wire, for the wire's
 * tests: host 1 listens on UDP port UDPPAIR_PORT and echoes (its app's
 * on_recv, if the test gives one, sees each datagram first); host 0 opens a
 * session to it and runs the test's client:
 *   struct udppair u = { client, server_recv };
 *   xk_ipcpair_run("thread", NULL, NULL, NULL, udppair_host, &u);
 */
#ifndef UDPPAIR_H
#define UDPPAIR_H

#include "ipcpair.h"
#include "testbed.h"

#define UDPPAIR_PORT	7

struct udppair {
	int (*client)(struct xk_ipcpair_host *h, xk_sess_t *s);
	void (*server_recv)(struct xk_app *app, xk_sess_t *lls, const msg_t *m);	/* or NULL */
};

static inline int udppair_push_byte(xk_sess_t *s, xk_host_t *h)
{
	msg_t m;
	int err = msg_from(xk_host_pool(h), &m, "x", 1);

	return err ? err : xk_push(s, &m);
}

static inline int udppair_host(struct xk_ipcpair_host *h, void *arg)
{
	const struct udppair *u = arg;
	struct xk_parts parts = { 0 };
	xk_sess_t *s;
	int err;

	xk_part_push_port(&parts.local, UDPPAIR_PORT);
	if (h->index == 1) {
		h->app.on_recv = u->server_recv;
		err = xk_app_listen(&h->app, "udp", &parts);
		return err ? err : xk_ipcwire_serve(h->drv);
	}
	xk_part_push_ip(&parts.remote, XK_TESTBED_IP(1));
	xk_part_push_port(&parts.remote, UDPPAIR_PORT);
	err = xk_app_open(&h->app, "udp", &parts, &s);
	if (err)
		return err;
	err = u->client(h, s);
	xk_close(s);
	return err;
}

#endif
