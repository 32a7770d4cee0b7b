/*
 * select.c - SELECT: a request names its server procedure by number. Header
 * (4 bytes, big-endian): procedure, status (replies: SELECT_OK, or why the
 * server could not run it). A client session is one channel to one
 * procedure; a server session is one channel's calls of one procedure, made
 * for the protocol enabled at that number. A call that failed below comes up
 * as an empty message, with CHAN's status.
 */

#include "bytes.h"
#include "rpc_impl.h"

#define SELECT_HDR_LEN	4
#define SELECT_MAX	1024	/* sessions per host */

enum { SELECT_OK = 0, SELECT_NOPROC = 1, SELECT_BADREQ = 2 };

struct select_state {
	xk_map_t *clients;	/* struct rpc_key (chan sess) -> xk_sess_t */
	xk_map_t *servers;	/* struct rpc_key (chan sess, procedure) -> xk_sess_t */
	xk_map_t *procs;	/* uint16_t procedure -> enabled hlp */
};

struct select_sess {
	struct rpc_key key;
	uint16_t proc;
	bool client;
	int status;		/* client: how the last call ended */
};

static int select_push(xk_sess_t *s, msg_t *m)
{
	struct select_sess *ss = s->state;
	uint8_t *p = msg_len(m) > RPC_MAX_MSG ? NULL : msg_push(m, SELECT_HDR_LEN);

	if (!p) {
		msg_free(m);
		return -EMSGSIZE;
	}
	xk_put16(p, ss->proc);
	xk_put16(p + 2, SELECT_OK);
	return xk_push(s->down, m);
}

/* The client's end of a call: a reply, or a failure from below. */
static int select_client_end(xk_sess_t *s, xk_sess_t *lls, msg_t *m)
{
	static const int status_err[] = { [SELECT_NOPROC] = -ENOSYS, [SELECT_BADREQ] = -EPROTO };
	struct select_sess *ss = s->state;
	const uint8_t *p;
	unsigned status;

	if (!msg_len(m)) {
		if (xk_sess_control(lls, RPC_CTL_STATUS, &ss->status, sizeof ss->status) < 0 ||
		    !ss->status)
			ss->status = -EPROTO;
		return xk_up(s, m);
	}
	p = msg_peek(m, SELECT_HDR_LEN);
	status = p ? xk_get16(p + 2) : SELECT_BADREQ + 1;
	if (!p || status > SELECT_BADREQ || xk_get16(p) != ss->proc) {
		/* CHAN has ended the call: it still comes up, as failed. */
		xk_drop(s->proto, p ? XK_DROP_VERSION : XK_DROP_SHORT, NULL);
		status = SELECT_BADREQ;
	}
	ss->status = status == SELECT_OK ? 0 : status_err[status];
	if (status != SELECT_OK)
		msg_free(m);
	else
		msg_pop(m, NULL, SELECT_HDR_LEN);
	return xk_up(s, m);
}

static int select_pop(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr)
{
	struct select_sess *ss = s->state;

	(void)hdr;
	if (ss->client)
		return select_client_end(s, lls, m);
	msg_pop(m, NULL, SELECT_HDR_LEN);
	return xk_up(s, m);
}

static int select_sess_control(xk_sess_t *s, int op, void *buf, size_t len)
{
	struct select_sess *ss = s->state;

	if (op == RPC_CTL_STATUS)
		return rpc_ctl_out(buf, len, &ss->status, sizeof ss->status);
	return xk_sess_control(s->down, op, buf, len);
}

static int select_close(xk_sess_t *s)
{
	struct select_state *st = s->proto->state;
	struct select_sess *ss = s->state;

	xk_map_unbind(ss->client ? st->clients : st->servers, &ss->key);
	xk_close(s->down);
	xk_sess_free(s);
	return 0;
}

static const struct xk_sess_ops select_sess_ops = {
	.push = select_push,
	.pop = select_pop,
	.control = select_sess_control,
	.close = select_close,
};

/* A session over chan session lls (one reference taken on it). */
static int select_new(xk_proto_t *self, xk_proto_t *hlp, xk_sess_t *lls, uint16_t proc,
		      bool client, xk_sess_t **out)
{
	struct select_state *st = self->state;
	xk_map_t *map = client ? st->clients : st->servers;
	struct select_sess *ss;
	xk_sess_t *s;

	if (xk_map_count(st->clients) + xk_map_count(st->servers) >= SELECT_MAX)
		return -ENOMEM;
	s = xk_sess_alloc(self, &select_sess_ops, hlp, sizeof *ss);
	if (!s)
		return -ENOMEM;
	ss = s->state;
	ss->key = rpc_key(lls, client ? 0 : proc, 0);
	ss->proc = proc;
	ss->client = client;
	if (xk_map_bind(map, &ss->key, s)) {
		xk_sess_free(s);
		return -ENOMEM;
	}
	xk_sess_ref(lls);
	s->down = lls;
	*out = s;
	return 0;
}

static int select_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		       const struct xk_parts *parts, xk_sess_t **out)
{
	struct xk_parts below = { .remote = parts->remote };
	xk_sess_t *lls;
	uint16_t proc;
	int err;

	(void)hlp_type;
	if (rpc_part_pop_proc(&below.remote, &proc))
		return -EINVAL;
	err = xk_open(self->down[0], self, self, &below, &lls);
	if (err)
		return err;
	err = select_new(self, hlp, lls, proc, true, out);
	xk_close(lls);
	return err;
}

static int select_open_enable(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
			      const struct xk_parts *parts)
{
	struct select_state *st = self->state;
	struct xk_part local = parts->local;
	uint16_t proc;

	(void)hlp_type;
	if (rpc_part_pop_proc(&local, &proc))
		return -EINVAL;
	return xk_map_bind(st->procs, &proc, hlp);
}

static int select_open_disable(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
			       const struct xk_parts *parts)
{
	struct select_state *st = self->state;
	struct xk_part local = parts->local;
	uint16_t proc;

	(void)hlp;
	(void)hlp_type;
	if (rpc_part_pop_proc(&local, &proc))
		return -EINVAL;
	return xk_map_unbind(st->procs, &proc);
}

/* Answer a request that reaches no procedure with a bare status; count the drop. */
static int select_refuse(xk_proto_t *self, xk_sess_t *lls, uint16_t proc, unsigned status,
			 enum xk_drop why, msg_t *m)
{
	uint8_t *p;
	msg_t r;

	xk_drop(self, why, m);
	if (msg_alloc(xk_host_pool(self->host), &r, SELECT_HDR_LEN, (void **)&p))
		return -ENOMEM;
	xk_put16(p, proc);
	xk_put16(p + 2, (uint16_t)status);
	xk_push(lls, &r);
	return -EPROTO;
}

static int select_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	struct select_state *st = self->state;
	struct rpc_key key = rpc_key(lls, 0, 0);
	struct xk_parts parts = { 0 };
	const uint8_t *p;
	void *found, *hlp;
	xk_sess_t *s;
	uint16_t proc;
	uint32_t ip;

	if (xk_map_resolve(st->clients, &key, &found) == 0)
		return xk_pop(found, lls, m, NULL);
	p = msg_peek(m, SELECT_HDR_LEN);
	if (!p)
		return select_refuse(self, lls, 0, SELECT_BADREQ, XK_DROP_SHORT, m);
	proc = xk_get16(p);
	if (xk_get16(p + 2) != SELECT_OK)
		return select_refuse(self, lls, proc, SELECT_BADREQ, XK_DROP_VERSION, m);
	key.id = proc;
	if (xk_map_resolve(st->servers, &key, &found) == 0)
		return xk_pop(found, lls, m, NULL);
	if (xk_map_resolve(st->procs, &proc, &hlp) != 0)
		return select_refuse(self, lls, proc, SELECT_NOPROC, XK_DROP_NOPROTO, m);
	if (select_new(self, hlp, lls, proc, false, &s))
		return select_refuse(self, lls, proc, SELECT_BADREQ, XK_DROP_NOMEM, m);
	if (xk_sess_control(lls, XK_CTL_GET_PEER_HOST, &ip, sizeof ip) == sizeof ip)
		xk_part_push_ip(&parts.remote, ip);
	rpc_part_push_proc(&parts.local, proc);
	xk_open_done(hlp, self, s, &parts);
	return xk_pop(s, lls, m, NULL);
}

static const struct xk_proto_ops select_ops = {
	.open = select_open,
	.open_enable = select_open_enable,
	.open_disable = select_open_disable,
	.demux = select_demux,
};

static const struct xk_map_spec select_maps[] = {
	{ offsetof(struct select_state, clients), sizeof(struct rpc_key), 64, true },
	{ offsetof(struct select_state, servers), sizeof(struct rpc_key), 64, true },
	{ offsetof(struct select_state, procs), sizeof(uint16_t), 16, false },
};

static const struct xk_proto_spec select_spec = {
	.ops = &select_ops, .size = sizeof(struct select_state), .min_down = 1, .max_down = 1,
	.maps = select_maps, .nmaps = 3, .below = XK_BELOW_ENABLE,
};

int rpc_select_init(xk_proto_t *p, void *arg)
{
	return xk_proto_start(p, &select_spec, arg);
}
