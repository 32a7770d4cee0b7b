/*
 * bind.c - sessions bound to a path's clones: when olayout rewrote the
 * program with clones of a path's functions (FN.clone.PATH, its clone table),
 * a session opened for that path takes the clones of its operations, so the
 * path's code runs where olayout placed it. In a program not rewritten,
 * ol_clone_lookup returns each function itself: the bound sessions take the
 * same ways (the classifier, the straight delivery up) through the
 * originals, so a training run sees the crossings the clones will make.
 */
#define _GNU_SOURCE
#include <string.h>

#include "host.h"
#include "olayout_clone.h"

/* fn's clone for path, or fn (no path, no clone, or not rewritten). */
static void *clone_of(void *fn, const char *path)
{
	return fn && path ? ol_clone_lookup(fn, path) : fn;
}

/*
 * s's push takes the send path's clone; its pop the receive path's, and its
 * delivery up (xk_up) goes straight to up's demux, or its clone, not
 * through xk_demux.
 */
static void bind_ops(xk_sess_t *s, const char *send, const char *recv)
{
	struct xk_sess_ops ops = *s->ops;

	s->path_send = send;
	s->path_recv = recv;
	ops.push = (int (*)(xk_sess_t *, msg_t *))clone_of((void *)ops.push, send);
	ops.pop = (int (*)(xk_sess_t *, xk_sess_t *, msg_t *, void *))clone_of((void *)ops.pop, recv);
	if (memcmp(&ops, s->ops, sizeof ops) != 0) {
		s->bound = ops;
		s->ops = &s->bound;
	}
	if (recv && s->up)
		s->up_demux = (xk_demux_fn)clone_of((void *)s->up->ops->demux, recv);
}

/*
 * The classifier's flow for s's connection, when s's protocol runs over IP
 * over the protocol right above the driver (ETH): frames from its peer to it
 * enter that protocol's demux (its clone where there is one). None when s
 * has no addresses and ports (XK_CTL_GET_*).
 */
static int bind_flow(xk_sess_t *s, const char *recv)
{
	xk_proto_t *net = s->proto->ndown ? s->proto->down[0] : NULL;
	xk_proto_t *link = net && net->ndown ? net->down[0] : NULL;
	xk_demux_fn root;
	uint32_t me, peer, proto, type;
	uint16_t my_port, peer_port;
	uint8_t key[XK_FLOW_KEY];

	if (!link || link->ndown != 1 || link->down[0]->ndown != 0)
		return 0;
	root = (xk_demux_fn)clone_of((void *)link->ops->demux, recv);
	if (!root || xk_proto_num(s->proto, net, &proto) < 0 || xk_proto_num(net, link, &type) < 0 ||
	    xk_sess_control(s, XK_CTL_GET_MY_HOST, &me, sizeof me) < 0 ||
	    xk_sess_control(s, XK_CTL_GET_PEER_HOST, &peer, sizeof peer) < 0 ||
	    xk_sess_control(s, XK_CTL_GET_MY_PORT, &my_port, sizeof my_port) < 0 ||
	    xk_sess_control(s, XK_CTL_GET_PEER_PORT, &peer_port, sizeof peer_port) < 0)
		return 0;
	xk_flow_key(key, (uint16_t)type, (uint8_t)proto, peer, me, peer_port, my_port);
	return xk_flows_bind(&s->proto->host->flows, s, key, root);
}

int xk_sess_bind_path(xk_sess_t *s, const char *send, const char *recv)
{
	for (xk_sess_t *t = s; t; t = t->down)
		bind_ops(t, send, recv);
	return recv && !s->classified ? bind_flow(s, recv) : 0;
}

void xk_sess_bind_down(xk_sess_t *s)
{
	if (s->path_send || s->path_recv)
		for (xk_sess_t *t = s->down; t; t = t->down)
			bind_ops(t, s->path_send, s->path_recv);
}
