/*
 * vchan.c - VCHAN: many concurrent calls from one client over a bounded pool
 * of CHAN channels per server. Graph: `vchan chan`, `select vchan`.
 *
 * A client session is cheap (no channel of its own): its call takes an idle
 * channel of the server's pool, opens a new one while the pool has fewer
 * than VCHAN_POOL, or waits in the pool's FIFO queue; a reply frees the
 * channel for the call that waited longest before it goes up. On the server
 * VCHAN only passes requests up and replies down, one session per channel.
 */

#include "rpc_impl.h"

#define VCHAN_POOL	4	/* channels per server */
#define VCHAN_SERVERS	64	/* pools per host */

struct vchan_pool {
	uint32_t ip;
	xk_sess_t *chan[VCHAN_POOL];
	xk_sess_t *owner[VCHAN_POOL];	/* the client session whose call a channel carries */
	xk_sess_t *head, *tail;		/* calls waiting for a channel */
};

struct vchan_state {
	xk_proto_t *hlp;	/* first (rpc_open_enable): enabled for requests */
	xk_map_t *clients;	/* struct rpc_key (session) -> xk_sess_t: every client session */
	xk_map_t *servers;	/* struct rpc_key (chan sess) -> xk_sess_t */
	unsigned npools;
	struct vchan_pool pool[VCHAN_SERVERS];
};

struct vchan_sess {
	struct vchan_pool *pool;	/* client; NULL on a server session */
	bool busy;
	int status;			/* client: how the last call ended */
	msg_t waiting;			/* client: the call while it waits for a channel */
	xk_sess_t *next;		/* in the pool's queue */
};

/* Send s's call on channel i of its pool. */
static int vchan_start(xk_sess_t *s, unsigned i, msg_t *m)
{
	struct vchan_sess *vs = s->state;

	vs->pool->owner[i] = s;
	return xk_push(vs->pool->chan[i], m);
}

static int vchan_push(xk_sess_t *s, msg_t *m)
{
	struct vchan_sess *vs = s->state;
	struct vchan_pool *pl = vs->pool;
	struct xk_parts parts = { 0 };

	if (!pl)
		return xk_push(s->down, m);
	if (vs->busy) {
		msg_free(m);
		return -EBUSY;
	}
	for (unsigned i = 0; i < VCHAN_POOL; i++) {
		if (!pl->chan[i]) {
			xk_part_push_ip(&parts.remote, pl->ip);
			if (xk_open(s->proto->down[0], s->proto, s->proto, &parts, &pl->chan[i]))
				break;	/* no new channel: wait for one of the others */
		}
		if (!pl->owner[i]) {
			vs->busy = true;
			return vchan_start(s, i, m);
		}
	}
	if (!pl->chan[0]) {
		msg_free(m);
		return -ENOMEM;
	}
	vs->busy = true;
	msg_move(&vs->waiting, m);
	if (pl->tail)
		((struct vchan_sess *)pl->tail->state)->next = s;
	else
		pl->head = s;
	pl->tail = s;
	return 0;
}

/* Channel i is free: the call that waited longest takes it. */
static void vchan_next(struct vchan_pool *pl, unsigned i)
{
	xk_sess_t *s = pl->head;
	struct vchan_sess *vs;

	pl->owner[i] = NULL;
	if (!s)
		return;
	vs = s->state;
	pl->head = vs->next;
	if (!pl->head)
		pl->tail = NULL;
	vs->next = NULL;
	vchan_start(s, i, &vs->waiting);
}

static int vchan_pop(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr)
{
	struct vchan_sess *vs = s->state;

	(void)hdr;
	if (vs->pool) {
		vs->busy = false;
		if (xk_sess_control(lls, RPC_CTL_STATUS, &vs->status, sizeof vs->status) < 0)
			vs->status = -EPROTO;
	}
	return xk_up(s, m);
}

static int vchan_sess_control(xk_sess_t *s, int op, void *buf, size_t len)
{
	struct vchan_sess *vs = s->state;

	if (vs->pool && op == RPC_CTL_STATUS)
		return rpc_ctl_out(buf, len, &vs->status, sizeof vs->status);
	if (vs->pool)
		return vs->pool->chan[0] ? xk_sess_control(vs->pool->chan[0], op, buf, len) : -EOPNOTSUPP;
	return xk_sess_control(s->down, op, buf, len);
}

/* Take a client session out of its pool: its queued call, its channel's reply. */
static void vchan_unlink(xk_sess_t *s)
{
	struct vchan_sess *vs = s->state;
	struct vchan_pool *pl = vs->pool;
	xk_sess_t **pp = &pl->head, *prev = NULL;

	for (unsigned i = 0; i < VCHAN_POOL; i++)
		if (pl->owner[i] == s)
			pl->owner[i] = NULL;	/* its reply will find no owner and be dropped */
	while (*pp && *pp != s) {
		prev = *pp;
		pp = &((struct vchan_sess *)prev->state)->next;
	}
	if (*pp) {
		*pp = vs->next;
		if (pl->tail == s)
			pl->tail = prev;
	}
	msg_free(&vs->waiting);
}

static int vchan_close(xk_sess_t *s)
{
	struct vchan_state *st = s->proto->state;
	struct vchan_sess *vs = s->state;
	struct rpc_key key = rpc_key(vs->pool ? s : s->down, 0, 0);

	if (vs->pool) {
		vchan_unlink(s);
		xk_map_unbind(st->clients, &key);
	} else {
		xk_map_unbind(st->servers, &key);
		xk_close(s->down);
	}
	xk_sess_free(s);
	return 0;
}

static const struct xk_sess_ops vchan_sess_ops = {
	.push = vchan_push,
	.pop = vchan_pop,
	.control = vchan_sess_control,
	.close = vchan_close,
};

static struct vchan_pool *vchan_pool(struct vchan_state *st, uint32_t ip)
{
	for (unsigned k = 0; k < st->npools; k++)
		if (st->pool[k].ip == ip)
			return &st->pool[k];
	if (st->npools == VCHAN_SERVERS)
		return NULL;
	st->pool[st->npools].ip = ip;
	return &st->pool[st->npools++];
}

/* A session keyed by lls (server: the chan session under it) or, client, by itself. */
static xk_sess_t *vchan_new(xk_proto_t *self, xk_proto_t *hlp, xk_map_t *map, xk_sess_t *lls)
{
	xk_sess_t *s = xk_sess_alloc(self, &vchan_sess_ops, hlp, sizeof(struct vchan_sess));
	struct rpc_key key = rpc_key(lls ? lls : s, 0, 0);

	if (!s)
		return NULL;
	msg_init(&((struct vchan_sess *)s->state)->waiting);
	if (xk_map_bind(map, &key, s)) {
		xk_sess_free(s);
		return NULL;
	}
	return s;
}

static int vchan_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		      const struct xk_parts *parts, xk_sess_t **out)
{
	struct vchan_state *st = self->state;
	struct xk_part remote = parts->remote;
	struct vchan_pool *pl;
	uint32_t ip;
	xk_sess_t *s;

	(void)hlp_type;
	if (xk_part_pop_ip(&remote, &ip) || !ip || remote.n)
		return -EINVAL;
	pl = vchan_pool(st, ip);
	s = pl ? vchan_new(self, hlp, st->clients, NULL) : NULL;
	if (!s)
		return -ENOMEM;
	((struct vchan_sess *)s->state)->pool = pl;
	*out = s;
	return 0;
}

/*
 * Whether lls is one of our pools' channels; if so, *owner gets the client
 * session whose call it carried (NULL if that session closed meanwhile) and
 * the channel goes to the call that waited longest.
 */
static bool vchan_reply_owner(struct vchan_state *st, xk_sess_t *lls, xk_sess_t **owner)
{
	for (unsigned k = 0; k < st->npools; k++) {
		struct vchan_pool *pl = &st->pool[k];

		for (unsigned i = 0; i < VCHAN_POOL; i++) {
			if (pl->chan[i] != lls)
				continue;
			*owner = pl->owner[i];
			vchan_next(pl, i);
			return true;
		}
	}
	return false;
}

static int vchan_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	struct vchan_state *st = self->state;
	struct rpc_key key = rpc_key(lls, 0, 0);
	struct xk_parts parts = { 0 };
	void *found;
	xk_sess_t *s;
	uint32_t ip;

	if (xk_map_resolve(st->servers, &key, &found) == 0)
		return xk_pop(found, lls, m, NULL);
	if (vchan_reply_owner(st, lls, &s))
		return s ? xk_pop(s, lls, m, NULL) : xk_drop(self, XK_DROP_STATE, m);
	if (!st->hlp)
		return xk_drop(self, XK_DROP_NOSESS, m);
	s = vchan_new(self, st->hlp, st->servers, lls);
	if (!s)
		return xk_drop(self, XK_DROP_NOMEM, m);
	xk_sess_ref(lls);
	s->down = lls;
	if (xk_sess_control(lls, XK_CTL_GET_PEER_HOST, &ip, sizeof ip) == sizeof ip)
		xk_part_push_ip(&parts.remote, ip);
	xk_open_done(st->hlp, self, s, &parts);
	return xk_pop(s, lls, m, NULL);
}

/* The pools' channels; the client sessions that use them close after (xk_proto_stop). */
static void vchan_destroy(xk_proto_t *self)
{
	struct vchan_state *st = self->state;

	for (unsigned k = 0; k < st->npools; k++)
		for (unsigned i = 0; i < VCHAN_POOL; i++)
			if (st->pool[k].chan[i])
				xk_close(st->pool[k].chan[i]);
}

static int vchan_control(xk_proto_t *self, int op, void *buf, size_t len)
{
	return xk_control(self->down[0], op, buf, len);
}

static const struct xk_proto_ops vchan_ops = {
	.open = vchan_open,
	.open_enable = rpc_open_enable,
	.demux = vchan_demux,
	.control = vchan_control,
	.destroy = vchan_destroy,
};

static const struct xk_map_spec vchan_maps[] = {
	{ offsetof(struct vchan_state, clients), sizeof(struct rpc_key), 64, true },
	{ offsetof(struct vchan_state, servers), sizeof(struct rpc_key), 64, true },
};

static const struct xk_proto_spec vchan_spec = {
	.ops = &vchan_ops, .size = sizeof(struct vchan_state), .min_down = 1, .max_down = 1,
	.maps = vchan_maps, .nmaps = 2, .below = XK_BELOW_ENABLE,
};

int rpc_vchan_init(xk_proto_t *p, void *arg)
{
	return xk_proto_start(p, &vchan_spec, arg);
}
