/* peers.c - the per-peer session layer blast and bid share (rpc_impl.h). */

#include "rpc_impl.h"

#define RPC_PEERS_MAX	256

int rpc_ctl_out(void *buf, size_t len, const void *src, size_t size)
{
	if (len < size)
		return -ENOSPC;
	memcpy(buf, src, size);
	return (int)size;
}

void rpc_peers_init(struct rpc_peers *pp, const struct xk_sess_ops *ops, size_t state_size,
		    int (*setup)(xk_sess_t *s), void (*release)(xk_sess_t *s))
{
	*pp = (struct rpc_peers){ .ops = ops, .state_size = state_size, .setup = setup,
				  .release = release };
}

int rpc_open_enable(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		    const struct xk_parts *parts)
{
	xk_proto_t **enabled = self->state;

	(void)hlp_type;
	(void)parts;
	*enabled = hlp;
	return 0;
}

const struct xk_map_spec rpc_peers_map[1] = {
	{ offsetof(struct rpc_peers, active), sizeof(struct rpc_key), 64, true },
};

/* A new session over lls (one reference taken on it), bound in the map. */
static int peers_new(xk_proto_t *self, struct rpc_peers *pp, xk_proto_t *hlp, xk_sess_t *lls,
		     xk_sess_t **out)
{
	struct rpc_key key = rpc_key(lls, 0, 0);
	xk_sess_t *s;
	int err;

	if (xk_map_count(pp->active) >= RPC_PEERS_MAX)
		return -ENOMEM;
	s = xk_sess_alloc(self, pp->ops, hlp, pp->state_size);
	if (!s)
		return -ENOMEM;
	s->down = lls;
	err = pp->setup ? pp->setup(s) : 0;
	if (!err) {
		err = xk_map_bind(pp->active, &key, s);
		if (err && pp->release)
			pp->release(s);
	}
	if (err) {
		xk_sess_free(s);
		return err;
	}
	xk_sess_ref(lls);
	*out = s;
	return 0;
}

int rpc_peers_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		   const struct xk_parts *parts, xk_sess_t **out)
{
	struct rpc_peers *pp = self->state;
	struct rpc_key key;
	xk_sess_t *lls;
	void *found;
	int err = xk_open(self->down[0], self, self, parts, &lls);

	(void)hlp_type;
	if (err)
		return err;
	key = rpc_key(lls, 0, 0);
	if (xk_map_resolve(pp->active, &key, &found) == 0) {
		xk_sess_ref(found);
		*out = found;
	} else {
		err = peers_new(self, pp, hlp, lls, out);
	}
	xk_close(lls);
	return err;
}

xk_sess_t *rpc_peers_find(xk_proto_t *self, xk_sess_t *lls)
{
	struct rpc_peers *pp = self->state;
	struct rpc_key key = rpc_key(lls, 0, 0);
	struct xk_parts parts = { 0 };
	uint32_t ip;
	void *found;
	xk_sess_t *s;

	if (xk_map_resolve(pp->active, &key, &found) == 0)
		return found;
	if (!pp->hlp || peers_new(self, pp, pp->hlp, lls, &s))
		return NULL;
	if (xk_sess_control(lls, XK_CTL_GET_PEER_HOST, &ip, sizeof ip) == sizeof ip)
		xk_part_push_ip(&parts.remote, ip);
	xk_open_done(pp->hlp, self, s, &parts);
	return s;
}

int rpc_peers_open_done(xk_proto_t *self, xk_proto_t *llp, xk_sess_t *lls,
			const struct xk_parts *parts)
{
	(void)llp;
	(void)parts;
	return rpc_peers_find(self, lls) ? 0 : -ENOMEM;
}

int rpc_peers_close(xk_sess_t *s)
{
	struct rpc_peers *pp = s->proto->state;
	struct rpc_key key = rpc_key(s->down, 0, 0);

	xk_map_unbind(pp->active, &key);
	if (pp->release)
		pp->release(s);
	xk_close(s->down);
	xk_sess_free(s);
	return 0;
}
