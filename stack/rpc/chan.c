/*
 * chan.c - CHAN: request/reply channels with at-most-once semantics (the
 * calls themselves are in chan_call.c). A client's open makes a channel to
 * one server; a request on a channel the server has not seen makes the
 * server's end of it, for the protocol enabled above. When BID reports that
 * a peer restarted, the client calls outstanding to it fail with
 * -ECONNRESET and the server ends of its channels forget their calls.
 */

#include "bytes.h"
#include "chan.h"

static int chan_push(xk_sess_t *s, msg_t *m)
{
	struct chan_sess *cs = s->state;

	return cs->key.role == CHAN_CLIENT ? chan_client_push(s, m) : chan_server_push(s, m);
}

static int chan_pop(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr)
{
	struct chan_sess *cs = s->state;

	(void)lls;
	return cs->key.role == CHAN_CLIENT ? chan_client_pop(s, hdr, m) : chan_server_pop(s, hdr, m);
}

static int chan_sess_control(xk_sess_t *s, int op, void *buf, size_t len)
{
	struct chan_sess *cs = s->state;

	if (op == RPC_CTL_STATUS)
		return rpc_ctl_out(buf, len, &cs->status, sizeof cs->status);
	return xk_sess_control(s->down, op, buf, len);
}

static int chan_close(xk_sess_t *s)
{
	struct chan_state *st = s->proto->state;
	struct chan_sess *cs = s->state;

	xk_event_cancel(xk_host_events(s->proto->host), &cs->timer);
	msg_free(&cs->saved);
	xk_map_unbind(st->chans, &cs->key);
	xk_close(s->down);
	xk_sess_free(s);
	return 0;
}

static const struct xk_sess_ops chan_sess_ops = {
	.push = chan_push,
	.pop = chan_pop,
	.control = chan_sess_control,
	.close = chan_close,
};

/* A channel end over bid session lls (one reference taken on it). */
static int chan_new(xk_proto_t *self, xk_proto_t *hlp, const struct rpc_key *key, xk_sess_t *lls,
		    xk_sess_t **out)
{
	struct chan_state *st = self->state;
	struct chan_sess *cs;
	xk_sess_t *s;

	if (xk_map_count(st->chans) >= CHAN_MAX)
		return -ENOMEM;
	s = xk_sess_alloc(self, &chan_sess_ops, hlp, sizeof *cs);
	if (!s)
		return -ENOMEM;
	cs = s->state;
	cs->key = *key;
	msg_init(&cs->saved);
	xk_event_init(&cs->timer, chan_client_timeout, s);
	if (xk_map_bind(st->chans, key, s)) {
		xk_sess_free(s);
		return -ENOMEM;
	}
	xk_sess_ref(lls);
	s->down = lls;
	st->stats.opened++;
	*out = s;
	return 0;
}

static int chan_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		     const struct xk_parts *parts, xk_sess_t **out)
{
	struct chan_state *st = self->state;
	struct rpc_key key;
	xk_sess_t *lls;
	void *found;
	int err;

	(void)hlp_type;
	err = xk_open(self->down[0], self, self, parts, &lls);
	if (err)
		return err;
	for (unsigned tries = 0; tries < CHAN_MAX; tries++) {	/* a channel number not in use */
		if (!++st->next_chan)
			st->next_chan = 1;
		key = rpc_key(lls, st->next_chan, CHAN_CLIENT);
		if (xk_map_resolve(st->chans, &key, &found) != 0)
			break;
	}
	err = chan_new(self, hlp, &key, lls, out);
	xk_close(lls);
	return err;
}

static int chan_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	struct chan_state *st = self->state;
	const uint8_t *p = msg_peek(m, CHAN_HDR_LEN);
	struct xk_parts parts = { 0 };
	struct chan_hdr h;
	struct rpc_key key;
	void *found;
	xk_sess_t *s;
	uint32_t ip;

	if (!p)
		return xk_drop(self, XK_DROP_SHORT, m);
	if (p[1] != 0)
		return xk_drop(self, XK_DROP_VERSION, m);
	if (p[0] < CHAN_REQ || p[0] > CHAN_ACK)
		return xk_drop(self, XK_DROP_TYPE, m);
	if (xk_get32(p + 8) != msg_len(m) - CHAN_HDR_LEN)
		return xk_drop(self, XK_DROP_LEN, m);
	h = (struct chan_hdr){ p[0], xk_get16(p + 2), xk_get32(p + 4) };
	if (!h.chan)
		return xk_drop(self, XK_DROP_NOSESS, m);
	key = rpc_key(lls, h.chan, h.type == CHAN_REQ ? CHAN_SERVER : CHAN_CLIENT);
	msg_pop(m, NULL, CHAN_HDR_LEN);
	if (xk_map_resolve(st->chans, &key, &found) == 0)
		return xk_pop(found, lls, m, &h);
	if (key.role == CHAN_CLIENT || !st->hlp)
		return xk_drop(self, XK_DROP_NOSESS, m);
	if (chan_new(self, st->hlp, &key, lls, &s))
		return xk_drop(self, XK_DROP_NOMEM, m);
	if (xk_sess_control(lls, XK_CTL_GET_PEER_HOST, &ip, sizeof ip) == sizeof ip)
		xk_part_push_ip(&parts.remote, ip);
	xk_open_done(st->hlp, self, s, &parts);
	return xk_pop(s, lls, m, &h);
}

/* BID says the peer behind bid session arg restarted: end what we had with it. */
static int chan_peer_rebooted(const void *key, void *val, void *arg)
{
	const struct rpc_key *k = key;
	xk_sess_t *s = val;
	struct chan_sess *cs = s->state;

	if (k->lls != (uintptr_t)arg)
		return 0;
	if (k->role == CHAN_CLIENT) {
		if (cs->busy)
			chan_client_fail(s, -ECONNRESET);
	} else {
		msg_free(&cs->saved);
		cs->have_seq = false;
		cs->busy = false;
	}
	return 0;
}

static int chan_control(xk_proto_t *self, int op, void *buf, size_t len)
{
	struct chan_state *st = self->state;
	xk_sess_t *bid;

	switch (op) {
	case RPC_CTL_CHAN_STATS:
		return rpc_ctl_out(buf, len, &st->stats, sizeof st->stats);
	case RPC_CTL_PEER_REBOOTED:
		if (len != sizeof bid)
			return -EINVAL;
		memcpy(&bid, buf, sizeof bid);
		return xk_map_foreach(st->chans, chan_peer_rebooted, bid);
	default:
		return xk_control(self->down[0], op, buf, len);
	}
}

static const struct xk_proto_ops chan_ops = {
	.open = chan_open,
	.open_enable = rpc_open_enable,
	.demux = chan_demux,
	.control = chan_control,
};

static const struct xk_map_spec chan_maps[] = {
	{ offsetof(struct chan_state, chans), sizeof(struct rpc_key), 64, true },
};

static const struct xk_proto_spec chan_spec = {
	.ops = &chan_ops, .size = sizeof(struct chan_state), .min_down = 1, .max_down = 1,
	.maps = chan_maps, .nmaps = 1, .below = XK_BELOW_ENABLE,
};

int rpc_chan_init(xk_proto_t *p, void *arg)
{
	return xk_proto_start(p, &chan_spec, arg);
}
