/*
 * app.h - a small user protocol for the apps and tests: placed on top of UDP
 * and/or ICMP in the graph ("app udp icmp"), it echoes each message back on
 * the session it came from (a server) or keeps the last one and counts (a
 * client). Register with xk_register(h, "app", xk_app_init, &app).
 */
#ifndef XK_APP_H
#define XK_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "xk.h"

struct xk_app {
	bool echo;		/* in: send each message back */
	/* in, optional: sees each message before it is echoed or kept */
	void (*on_recv)(struct xk_app *app, xk_sess_t *lls, const msg_t *m);
	void *arg;		/* in: for on_recv */
	/* in, optional: the paths its sessions are opened for (xk_sess_bind_path) */
	const char *send_path, *recv_path;
	xk_proto_t *proto;	/* out: the app's protocol object */
	unsigned received;	/* out: messages delivered */
	/* out: messages on_recv found wrong (a ping's round trips then fail); in
	 * received's padding, so that the struct (and tcpping's stack) keeps its size */
	unsigned failed;
	size_t bytes;		/* out: their bytes */
	msg_t last;		/* out: the last message (client only) */
};

int xk_app_init(xk_proto_t *p, void *arg);
/*
 * Open a session from the app through lower protocol `lower` (by name). It,
 * and each session a lower protocol opened for the app (a passive open) at
 * its first message, are bound to the app's paths if it names them.
 */
int xk_app_open(struct xk_app *app, const char *lower, const struct xk_parts *parts,
		xk_sess_t **out);
/* Enable passive opens through `lower` for parts->local. */
int xk_app_listen(struct xk_app *app, const char *lower, const struct xk_parts *parts);

#endif
