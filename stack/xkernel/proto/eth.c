/*
 * eth.c - Ethernet: frames on the driver below, demultiplexed on EtherType.
 * A session is (remote MAC, type); upper protocols enable their type. A
 * frame from a peer without a session goes up on the anonymous session,
 * or, for a protocol that takes the sessions made for it (one with an
 * open_done operation, as BLAST), on a session of its own made then.
 */
#include <string.h>

#include "bytes.h"
#include "eth.h"
#include "host.h"
#include "map.h"
#include "start.h"
#include "suite.h"

#define ETH_SESS_MAX	256	/* sessions per host: passive ones stop here */

const uint8_t xk_eth_broadcast[XK_ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

struct eth_key {
	uint8_t mac[XK_ETH_ALEN];
	uint8_t type[2];
};

struct eth_state {
	uint8_t mac[XK_ETH_ALEN];
	xk_sess_t *driver;	/* our session on the driver */
	xk_map_t *active;	/* eth_key -> xk_sess_t */
	xk_map_t *types;	/* uint16_t type -> enabled hlp */
	xk_sess_t anon;		/* lls for frames with no session */
};

struct eth_sess {
	struct eth_key key;
};

static const struct xk_sess_ops eth_sess_ops;

static int eth_push(xk_sess_t *s, msg_t *m)
{
	struct eth_state *st = s->proto->state;
	struct eth_sess *es = s->state;
	struct xk_eth_hdr *h;
	size_t len = msg_len(m) + XK_ETH_HDR_LEN;

	if (len < XK_ETH_MIN_FRAME) {
		static const uint8_t zero[XK_ETH_MIN_FRAME];

		if (msg_append(m, zero, XK_ETH_MIN_FRAME - len)) {
			msg_free(m);
			return -ENOMEM;
		}
	}
	h = msg_push(m, XK_ETH_HDR_LEN);
	if (!h) {
		msg_free(m);
		return -ENOMEM;
	}
	memcpy(h->dst, es->key.mac, XK_ETH_ALEN);
	memcpy(h->src, st->mac, XK_ETH_ALEN);
	memcpy(h->type, es->key.type, 2);
	return xk_push(st->driver, m);
}

static XK_POP_UP int eth_pop(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr)
{
	(void)lls;
	(void)hdr;
	return xk_up(s, m);
}

static int eth_sess_control(xk_sess_t *s, int op, void *buf, size_t len)
{
	return xk_control(s->proto, op, buf, len);
}

static int eth_close(xk_sess_t *s)
{
	struct eth_state *st = s->proto->state;
	struct eth_sess *es = s->state;

	xk_map_unbind(st->active, &es->key);
	xk_sess_free(s);
	return 0;
}

/* The anonymous session only answers controls: nothing is sent through it. */
static int eth_anon_push(xk_sess_t *s, msg_t *m)
{
	(void)s;
	msg_free(m);
	return -EOPNOTSUPP;
}

static const struct xk_sess_ops eth_anon_ops = {
	.push = eth_anon_push,
	.control = eth_sess_control,
};

static const struct xk_sess_ops eth_sess_ops = {
	.push = eth_push,
	.pop = eth_pop,
	.control = eth_sess_control,
	.close = eth_close,
};

/* A session for key, bound in the active map, its one reference the caller's. */
static int eth_sess_new(xk_proto_t *self, xk_proto_t *hlp, const struct eth_key *key,
			xk_sess_t **out)
{
	struct eth_state *st = self->state;
	xk_sess_t *s = xk_sess_alloc(self, &eth_sess_ops, hlp, sizeof(struct eth_sess));
	int err;

	if (!s)
		return -ENOMEM;
	((struct eth_sess *)s->state)->key = *key;
	s->down = st->driver;
	err = xk_map_bind(st->active, key, s);
	if (err) {
		xk_sess_free(s);
		return err;
	}
	*out = s;
	return 0;
}

static int eth_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		    const struct xk_parts *parts, xk_sess_t **out)
{
	struct eth_state *st = self->state;
	struct xk_part remote = parts->remote;
	struct eth_key key;
	uint32_t type;
	void *found;
	int err;

	if (xk_proto_num(hlp_type, self, &type) || type > 0xffff)
		return -ENOENT;
	err = xk_part_pop(&remote, key.mac, XK_ETH_ALEN);
	if (err)
		return -EINVAL;
	xk_put16(key.type, (uint16_t)type);
	if (xk_map_resolve(st->active, &key, &found) == 0) {
		xk_sess_ref(found);
		*out = found;
		return 0;
	}
	return eth_sess_new(self, hlp, &key, out);
}

static int eth_open_enable(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
			   const struct xk_parts *parts)
{
	struct eth_state *st = self->state;
	uint32_t type;
	uint16_t key;

	(void)parts;
	if (xk_proto_num(hlp_type, self, &type) || type > 0xffff)
		return -ENOENT;
	key = (uint16_t)type;
	return xk_map_bind(st->types, &key, hlp);
}

/*
 * A new peer of hlp, which takes the sessions made for it: the session
 * stays in the map (ETH's own reference) until teardown, as IP's do.
 */
static int eth_passive(xk_proto_t *self, xk_proto_t *hlp, const struct eth_key *key,
		       xk_sess_t *lls, msg_t *m)
{
	struct eth_state *st = self->state;
	struct xk_parts parts = { 0 };
	xk_sess_t *s;

	if (xk_map_count(st->active) >= ETH_SESS_MAX || eth_sess_new(self, hlp, key, &s))
		return xk_drop(self, XK_DROP_NOMEM, m);
	xk_part_push(&parts.remote, key->mac, XK_ETH_ALEN);
	xk_open_done(hlp, self, s, &parts);
	return xk_pop(s, lls, m, NULL);
}

static int eth_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	struct eth_state *st = self->state;
	const struct xk_eth_hdr *h = msg_peek(m, XK_ETH_HDR_LEN);
	struct eth_key key;
	uint16_t type;
	void *found;

	(void)lls;
	if (!h)
		return xk_drop(self, XK_DROP_SHORT, m);
	if (memcmp(h->dst, st->mac, XK_ETH_ALEN) != 0 &&
	    memcmp(h->dst, xk_eth_broadcast, XK_ETH_ALEN) != 0)
		return xk_drop(self, XK_DROP_ADDR, m);
	type = xk_get16(h->type);
	memcpy(key.mac, h->src, XK_ETH_ALEN);
	memcpy(key.type, h->type, 2);
	msg_pop(m, NULL, XK_ETH_HDR_LEN);
	if (xk_map_resolve(st->active, &key, &found) == 0)
		return xk_pop(found, lls, m, NULL);
	if (xk_map_resolve(st->types, &type, &found) != 0)
		return xk_drop(self, XK_DROP_NOPROTO, m);
	if (!((xk_proto_t *)found)->ops->open_done)
		return xk_demux(found, &st->anon, m);
	return eth_passive(self, found, &key, lls, m);
}

static int eth_control(xk_proto_t *self, int op, void *buf, size_t len)
{
	struct eth_state *st = self->state;

	switch (op) {
	case XK_CTL_GET_MY_MAC:
		if (len < XK_ETH_ALEN)
			return -ENOSPC;
		memcpy(buf, st->mac, XK_ETH_ALEN);
		return XK_ETH_ALEN;
	case XK_CTL_GET_MAX_PACKET:
	case XK_CTL_GET_OPT_PACKET:
	case XK_CTL_GET_MIN_PACKET:
		if (len < sizeof(uint32_t))
			return -ENOSPC;
		*(uint32_t *)buf = op == XK_CTL_GET_MIN_PACKET ? XK_ETH_MIN_FRAME - XK_ETH_HDR_LEN
							       : xk_host_config(self->host)->mtu;
		return sizeof(uint32_t);
	default:
		return -EOPNOTSUPP;
	}
}

static const struct xk_proto_ops eth_ops = {
	.open = eth_open,
	.open_enable = eth_open_enable,
	.demux = eth_demux,
	.control = eth_control,
};

static void eth_fill(xk_proto_t *p, void *arg)
{
	struct eth_state *st = p->state;

	(void)arg;
	memcpy(st->mac, xk_host_config(p->host)->mac, XK_ETH_ALEN);
	st->anon.ops = &eth_anon_ops;
	st->anon.proto = p;
	st->anon.refs = 1;
}

static const struct xk_map_spec eth_maps[] = {
	{ offsetof(struct eth_state, active), sizeof(struct eth_key), 64, true },
	{ offsetof(struct eth_state, types), sizeof(uint16_t), 8, false },
};

static const struct xk_proto_spec eth_spec = {
	.ops = &eth_ops, .size = sizeof(struct eth_state), .min_down = 1, .max_down = 1,
	.fill = eth_fill, .maps = eth_maps, .nmaps = 2,
	.below = XK_BELOW_OPEN, .open_at = offsetof(struct eth_state, driver),
};

int xk_eth_init(xk_proto_t *p, void *arg)
{
	return xk_proto_start(p, &eth_spec, arg);
}
