/*
 * udp.c - UDP: sessions keyed by (local port, remote port, remote address);
 * an upper protocol enables a local port to accept new peers there.
 * Checksums are always sent and verified when present.
 */
#include <string.h>

#include "bytes.h"
#include "csum.h"
#include "host.h"
#include "ip.h"
#include "map.h"
#include "start.h"
#include "suite.h"

#define UDP_HDR_LEN	8
#define UDP_MAX_SESS	1024

struct udp_key {
	uint32_t remote_ip;
	uint16_t local_port;
	uint16_t remote_port;
};

struct udp_state {
	xk_map_t *active;	/* struct udp_key -> xk_sess_t */
	xk_map_t *enabled;	/* uint16_t local port -> hlp */
};

struct udp_sess {
	struct udp_key key;
};

static int udp_push(xk_sess_t *s, msg_t *m)
{
	struct udp_sess *us = s->state;
	struct xk_ip_pseudohdr ph;
	uint16_t sum;
	uint8_t *h;

	if (msg_len(m) > 0xffff - UDP_HDR_LEN ||
	    xk_sess_control(s->down, XK_CTL_IP_PSEUDOHDR, &ph, sizeof ph) < 0 ||
	    !(h = msg_push(m, UDP_HDR_LEN))) {
		msg_free(m);
		return -EINVAL;
	}
	xk_put16(h, us->key.local_port);
	xk_put16(h + 2, us->key.remote_port);
	xk_put16(h + 4, (uint16_t)msg_len(m));
	xk_put16(h + 6, 0);
	sum = xk_ip_pseudo_csum(&ph, m);
	xk_put16(h + 6, sum ? sum : 0xffff);
	return xk_push(s->down, m);
}

static XK_POP_UP int udp_pop(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr)
{
	(void)lls;
	(void)hdr;
	return xk_up(s, m);
}

static int udp_control(xk_sess_t *s, int op, void *buf, size_t len)
{
	struct udp_sess *us = s->state;
	uint16_t port;

	switch (op) {
	case XK_CTL_GET_MY_PORT:
	case XK_CTL_GET_PEER_PORT:
		if (len < sizeof port)
			return -ENOSPC;
		port = op == XK_CTL_GET_MY_PORT ? us->key.local_port : us->key.remote_port;
		memcpy(buf, &port, sizeof port);
		return sizeof port;
	default:
		return xk_sess_control(s->down, op, buf, len);
	}
}

static int udp_close(xk_sess_t *s)
{
	struct udp_state *st = s->proto->state;
	struct udp_sess *us = s->state;

	xk_map_unbind(st->active, &us->key);
	xk_close(s->down);
	xk_sess_free(s);
	return 0;
}

static const struct xk_sess_ops udp_sess_ops = {
	.push = udp_push,
	.pop = udp_pop,
	.control = udp_control,
	.close = udp_close,
};

/* A session over IP session lls (one reference taken on it). */
static int udp_sess_new(xk_proto_t *self, xk_proto_t *hlp, const struct udp_key *key,
			xk_sess_t *lls, xk_sess_t **out)
{
	struct udp_state *st = self->state;
	xk_sess_t *s;
	int err;

	if (xk_map_count(st->active) >= UDP_MAX_SESS)
		return -ENOMEM;
	s = xk_sess_alloc(self, &udp_sess_ops, hlp, sizeof(struct udp_sess));
	if (!s)
		return -ENOMEM;
	((struct udp_sess *)s->state)->key = *key;
	err = xk_map_bind(st->active, key, s);
	if (err) {
		xk_sess_free(s);
		return err;
	}
	xk_sess_ref(lls);
	s->down = lls;
	*out = s;
	return 0;
}

static int udp_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		    const struct xk_parts *parts, xk_sess_t **out)
{
	struct udp_state *st = self->state;
	struct xk_parts ip_parts = { .remote = parts->remote };
	struct xk_part local = parts->local;
	struct udp_key key = { 0 };
	xk_sess_t *lls;
	void *found;
	int err;

	(void)hlp_type;
	if (xk_part_pop_port(&ip_parts.remote, &key.remote_port) ||
	    xk_part_pop_port(&local, &key.local_port) || !key.remote_port || !key.local_port)
		return -EINVAL;
	if (xk_part_pop_ip(&ip_parts.remote, &key.remote_ip))
		return -EINVAL;
	xk_part_push_ip(&ip_parts.remote, key.remote_ip);
	if (xk_map_resolve(st->active, &key, &found) == 0)
		return -EEXIST;
	err = xk_open(self->down[0], self, self, &ip_parts, &lls);
	if (err)
		return err;
	err = udp_sess_new(self, hlp, &key, lls, out);
	xk_close(lls);
	return err;
}

static int udp_open_enable(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
			   const struct xk_parts *parts)
{
	struct udp_state *st = self->state;
	struct xk_part local = parts->local;
	uint16_t port;

	(void)hlp_type;
	if (xk_part_pop_port(&local, &port) || !port)
		return -EINVAL;
	return xk_map_bind(st->enabled, &port, hlp);
}

static int udp_open_disable(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
			    const struct xk_parts *parts)
{
	struct udp_state *st = self->state;
	struct xk_part local = parts->local;
	uint16_t port;

	(void)hlp;
	(void)hlp_type;
	if (xk_part_pop_port(&local, &port))
		return -EINVAL;
	return xk_map_unbind(st->enabled, &port);
}

static int udp_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	struct udp_state *st = self->state;
	const uint8_t *h = msg_peek(m, UDP_HDR_LEN);
	struct xk_ip_pseudohdr ph;
	struct xk_parts parts = { 0 };
	struct udp_key key = { 0 };
	void *found, *hlp;
	unsigned len;
	xk_sess_t *s;

	if (!h)
		return xk_drop(self, XK_DROP_SHORT, m);
	len = xk_get16(h + 4);
	if (len < UDP_HDR_LEN)
		return xk_drop(self, XK_DROP_LEN, m);
	if (len > msg_len(m))
		return xk_drop(self, XK_DROP_SHORT, m);
	msg_truncate(m, len);
	if (xk_get16(h + 6) != 0 &&
	    (xk_sess_control(lls, XK_CTL_IP_PSEUDOHDR, &ph, sizeof ph) < 0 ||
	     xk_ip_pseudo_csum(&ph, m) != 0))
		return xk_drop(self, XK_DROP_CSUM, m);
	key.local_port = xk_get16(h + 2);
	key.remote_port = xk_get16(h);
	if (xk_sess_control(lls, XK_CTL_GET_PEER_HOST, &key.remote_ip, sizeof key.remote_ip) < 0)
		return xk_drop(self, XK_DROP_NOSESS, m);
	msg_pop(m, NULL, UDP_HDR_LEN);
	if (xk_map_resolve(st->active, &key, &found) == 0)
		return xk_pop(found, lls, m, NULL);
	if (!key.remote_port || xk_map_resolve(st->enabled, &key.local_port, &hlp) != 0)
		return xk_drop(self, XK_DROP_NOSESS, m);
	if (udp_sess_new(self, hlp, &key, lls, &s))
		return xk_drop(self, XK_DROP_NOMEM, m);
	xk_part_push_ip(&parts.remote, key.remote_ip);
	xk_part_push_port(&parts.remote, key.remote_port);
	xk_part_push_port(&parts.local, key.local_port);
	xk_open_done(hlp, self, s, &parts);
	return xk_pop(s, lls, m, NULL);
}

static const struct xk_proto_ops udp_ops = {
	.open = udp_open,
	.open_enable = udp_open_enable,
	.open_disable = udp_open_disable,
	.demux = udp_demux,
};

static const struct xk_map_spec udp_maps[] = {
	{ offsetof(struct udp_state, active), sizeof(struct udp_key), 64, true },
	{ offsetof(struct udp_state, enabled), sizeof(uint16_t), 16, false },
};

static const struct xk_proto_spec udp_spec = {
	.ops = &udp_ops, .size = sizeof(struct udp_state), .min_down = 1, .max_down = 1,
	.maps = udp_maps, .nmaps = 2, .below = XK_BELOW_ENABLE,
};

int xk_udp_init(xk_proto_t *p, void *arg)
{
	return xk_proto_start(p, &udp_spec, arg);
}
