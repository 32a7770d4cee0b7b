/*
 * ip.c - IPv4: one session per (remote address, upper protocol), header
 * checksum, fragmentation on output, next hop resolved through ARP.
 * Reassembly is in ip_frag.c.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "csum.h"
#include "eth.h"
#include "ip_sess.h"
#include "start.h"
#include "suite.h"

/*
 * Messages held per session while ARP resolves: as many as the SYNs of
 * connections opened at once (with 8, the ninth and tenth of ten were lost
 * and waited out TCP's 1 s initial timeout). The room grows with what is held.
 */
#define IP_PENDING	64
#define IP_ARP_RETRY_NS	(10 * 1000 * 1000ull)
#define IP_ARP_TRIES	300		/* 3 s, then the held messages are dropped */
#define IP_MAX_SESS	256
#define IP_MAX_LEN	65535
#define IP_TTL		64
#define IP_MF		0x2000

struct ip_key {
	uint32_t remote;
	uint32_t proto;
};

struct ip_sess {
	struct ip_key key;
	xk_sess_t *self;
	msg_t *pending;		/* npending held while ARP resolves, room for cap (NULL: 0) */
	unsigned npending, cap;
	unsigned tries;
	struct xk_event retry;
	bool passive;		/* made for a new peer: the map holds IP's own reference */
};

static xk_proto_t *ip_eth(xk_proto_t *self)
{
	return self->down[0];
}

static xk_proto_t *ip_arp(xk_proto_t *self)
{
	return self->ndown > 1 ? self->down[1] : NULL;
}

/* Open the ETH session to the next hop if ARP knows its MAC; 0, -EAGAIN or an error. */
static int ip_resolve(xk_sess_t *s)
{
	xk_proto_t *self = s->proto;
	struct ip_state *st = self->state;
	struct ip_sess *is = s->state;
	struct xk_parts parts = { 0 };
	uint32_t hop = is->key.remote;
	uint8_t mac[XK_ETH_ALEN];
	int rc;

	if (hop == (st->ip | ~st->mask))
		hop = 0xffffffffu;
	memcpy(mac, &hop, sizeof hop);
	rc = ip_arp(self) ? xk_control(ip_arp(self), XK_CTL_ARP_RESOLVE, mac, sizeof mac)
			  : -EOPNOTSUPP;
	if (rc < 0)
		return rc;
	xk_part_push(&parts.remote, mac, XK_ETH_ALEN);
	rc = xk_open(ip_eth(self), self, self, &parts, &s->down);
	if (rc == 0)
		xk_sess_bind_down(s);	/* a session bound to a path binds the new one too */
	return rc;
}

static void ip_flush_pending(struct ip_sess *is)
{
	for (unsigned i = 0; i < is->npending; i++) {
		if (is->self->down)
			xk_push(is->self->down, &is->pending[i]);
		else
			msg_free(&is->pending[i]);
	}
	free(is->pending);
	is->pending = NULL;
	is->npending = is->cap = 0;
	is->tries = 0;
}

static void ip_retry(void *arg)
{
	xk_sess_t *s = arg;
	struct ip_sess *is = s->state;

	if (ip_resolve(s) == -EAGAIN && ++is->tries < IP_ARP_TRIES) {
		xk_event_schedule(xk_host_events(s->proto->host), &is->retry, IP_ARP_RETRY_NS);
		return;
	}
	s->proto->drops.n[XK_DROP_ADDR] += s->down ? 0 : is->npending;
	ip_flush_pending(is);
}

/* Room for one more held message: false when IP_PENDING are held (or no memory). */
static bool ip_hold_room(struct ip_sess *is)
{
	unsigned cap = is->cap ? 2 * is->cap : 4;
	msg_t *p;

	if (is->npending < is->cap)
		return true;
	if (is->cap >= IP_PENDING || !(p = realloc(is->pending, cap * sizeof *p)))
		return false;
	is->pending = p;
	is->cap = cap;
	return true;
}

static int ip_output(xk_sess_t *s, msg_t *m)
{
	struct ip_sess *is = s->state;
	int rc;

	if (s->down)
		return xk_push(s->down, m);
	rc = is->npending ? -EAGAIN : ip_resolve(s);
	if (rc == 0)
		return xk_push(s->down, m);
	if (rc != -EAGAIN || !ip_hold_room(is)) {
		s->proto->drops.n[XK_DROP_ADDR] += rc == -EHOSTUNREACH;	/* ARP gave up on it */
		msg_free(m);
		return rc == -EAGAIN ? -ENOBUFS : rc;
	}
	msg_move(&is->pending[is->npending++], m);
	if (!is->retry.pending)
		xk_event_schedule(xk_host_events(s->proto->host), &is->retry, IP_ARP_RETRY_NS);
	return 0;
}

static int ip_send_one(xk_sess_t *s, msg_t *m, uint16_t id, uint32_t off, int more)
{
	struct ip_state *st = s->proto->state;
	struct ip_sess *is = s->state;
	uint8_t *h = msg_push(m, XK_IP_HDR_LEN);

	if (!h) {
		msg_free(m);
		return -ENOMEM;
	}
	h[0] = 0x45;
	h[1] = 0;
	xk_put16(h + 2, (uint16_t)msg_len(m));
	xk_put16(h + 4, id);
	xk_put16(h + 6, (uint16_t)((more ? IP_MF : 0) | off / 8));
	h[8] = IP_TTL;
	h[9] = (uint8_t)is->key.proto;
	xk_put16(h + 10, 0);
	xk_put32(h + 12, st->ip);
	xk_put32(h + 16, is->key.remote);
	xk_put16(h + 10, xk_csum_fold(xk_csum_add(0, h, XK_IP_HDR_LEN)));
	return ip_output(s, m);
}

static int ip_push(xk_sess_t *s, msg_t *m)
{
	struct ip_state *st = s->proto->state;
	uint32_t per_frag = (uint32_t)(st->mtu - XK_IP_HDR_LEN) & ~7u;
	uint16_t id = st->ident++;
	uint32_t off = 0;

	if (msg_len(m) > IP_MAX_LEN - XK_IP_HDR_LEN) {
		msg_free(m);
		return -EMSGSIZE;
	}
	while (msg_len(m) + XK_IP_HDR_LEN > st->mtu) {
		msg_t frag;
		int err = msg_break(m, &frag, per_frag);

		if (!err)
			err = ip_send_one(s, &frag, id, off, 1);
		if (err) {
			msg_free(m);
			return err;
		}
		off += per_frag;
	}
	return ip_send_one(s, m, id, off, 0);
}

static XK_POP_UP int ip_pop(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr)
{
	(void)lls;
	(void)hdr;
	return xk_up(s, m);
}

static int ctl_u32(void *buf, size_t len, uint32_t v)
{
	if (len < sizeof v)
		return -ENOSPC;
	memcpy(buf, &v, sizeof v);
	return sizeof v;
}

static int ip_proto_control(xk_proto_t *self, int op, void *buf, size_t len)
{
	struct ip_state *st = self->state;

	switch (op) {
	case XK_CTL_GET_MY_HOST:
		return ctl_u32(buf, len, st->ip);
	case XK_CTL_GET_MAX_PACKET:
		return ctl_u32(buf, len, IP_MAX_LEN - XK_IP_HDR_LEN);
	case XK_CTL_GET_OPT_PACKET:
		return ctl_u32(buf, len, st->mtu - XK_IP_HDR_LEN);
	default:
		return -EOPNOTSUPP;
	}
}

static int ip_sess_control(xk_sess_t *s, int op, void *buf, size_t len)
{
	struct ip_state *st = s->proto->state;
	struct ip_sess *is = s->state;

	switch (op) {
	case XK_CTL_GET_PEER_HOST:
		return ctl_u32(buf, len, is->key.remote);
	case XK_CTL_IP_PSEUDOHDR: {
		struct xk_ip_pseudohdr ph = { st->ip, is->key.remote, (uint8_t)is->key.proto };

		if (len < sizeof ph)
			return -ENOSPC;
		memcpy(buf, &ph, sizeof ph);
		return sizeof ph;
	}
	default:
		return ip_proto_control(s->proto, op, buf, len);
	}
}

static void ip_sess_release(xk_sess_t *s)
{
	struct ip_sess *is = s->state;

	xk_event_cancel(xk_host_events(s->proto->host), &is->retry);
	for (unsigned i = 0; i < is->npending; i++)
		msg_free(&is->pending[i]);
	free(is->pending);
	if (s->down)
		xk_close(s->down);
	xk_sess_free(s);
}

static int ip_close(xk_sess_t *s)
{
	struct ip_state *st = s->proto->state;
	struct ip_sess *is = s->state;

	xk_map_unbind(st->active, &is->key);
	ip_sess_release(s);
	return 0;
}

static const struct xk_sess_ops ip_sess_ops = {
	.push = ip_push,
	.pop = ip_pop,
	.control = ip_sess_control,
	.close = ip_close,
};

static int find_idle(const void *key, void *val, void *arg)
{
	xk_sess_t *s = val, **idle = arg;
	struct ip_sess *is = s->state;

	(void)key;
	if (!is->passive || s->refs != 1)
		return 0;
	*idle = s;
	return 1;
}

/*
 * A full table gives up a peer that only IP itself still holds (one that
 * sent a spoofed SYN, say): a flood must not lock out new peers for good.
 */
static int make_room(struct ip_state *st)
{
	xk_sess_t *idle = NULL;

	if (xk_map_count(st->active) < IP_MAX_SESS)
		return 0;
	xk_map_foreach(st->active, find_idle, &idle);
	if (!idle)
		return -ENOMEM;
	xk_close(idle);
	return 0;
}

static xk_sess_t *ip_sess_new(xk_proto_t *self, xk_proto_t *hlp, const struct ip_key *key)
{
	struct ip_state *st = self->state;
	struct ip_sess *is;
	xk_sess_t *s;

	if (make_room(st) < 0)
		return NULL;
	s = xk_sess_alloc(self, &ip_sess_ops, hlp, sizeof *is);
	if (!s)
		return NULL;
	is = s->state;
	is->key = *key;
	is->self = s;
	xk_event_init(&is->retry, ip_retry, s);
	if (xk_map_bind(st->active, key, s)) {
		xk_sess_free(s);
		return NULL;
	}
	return s;
}

static int ip_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		   const struct xk_parts *parts, xk_sess_t **out)
{
	struct ip_state *st = self->state;
	struct xk_part remote = parts->remote;
	struct ip_key key = { 0 };
	void *found;

	if (xk_proto_num(hlp_type, self, &key.proto) || key.proto > 0xff)
		return -ENOENT;
	if (xk_part_pop_ip(&remote, &key.remote) || key.remote == 0)
		return -EINVAL;
	if (xk_map_resolve(st->active, &key, &found) == 0) {
		xk_sess_ref(found);
		*out = found;
		return 0;
	}
	*out = ip_sess_new(self, hlp, &key);
	return *out ? 0 : -ENOMEM;
}

static int ip_open_enable(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
			  const struct xk_parts *parts)
{
	struct ip_state *st = self->state;
	uint32_t proto;
	void *found;

	(void)parts;
	if (xk_proto_num(hlp_type, self, &proto) || proto > 0xff)
		return -ENOENT;
	if (xk_map_resolve(st->enabled, &proto, &found) == 0)
		return found == hlp ? 0 : -EEXIST;
	return xk_map_bind(st->enabled, &proto, hlp);
}

static int ip_open_disable(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
			   const struct xk_parts *parts)
{
	struct ip_state *st = self->state;
	uint32_t proto;

	(void)hlp;
	(void)parts;
	if (xk_proto_num(hlp_type, self, &proto))
		return -ENOENT;
	return xk_map_unbind(st->enabled, &proto);
}

int ip_deliver(xk_proto_t *self, const struct ip_info *info, msg_t *m)
{
	struct ip_state *st = self->state;
	struct ip_key key = { info->src, info->proto };
	struct xk_parts parts = { 0 };
	void *found, *hlp;
	xk_sess_t *s;

	if (xk_map_resolve(st->active, &key, &found) == 0)
		return xk_pop(found, NULL, m, (void *)info);
	if (xk_map_resolve(st->enabled, &key.proto, &hlp) != 0)
		return xk_drop(self, XK_DROP_NOPROTO, m);
	/* A new peer: the session stays in the map (IP's own reference) until teardown. */
	s = ip_sess_new(self, hlp, &key);
	if (!s)
		return xk_drop(self, XK_DROP_NOMEM, m);
	((struct ip_sess *)s->state)->passive = true;
	xk_part_push_ip(&parts.remote, info->src);
	xk_open_done(hlp, self, s, &parts);
	return xk_pop(s, NULL, m, (void *)info);
}

static int ip_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	struct ip_state *st = self->state;
	const uint8_t *h = msg_peek(m, XK_IP_HDR_LEN);
	struct ip_info info;
	unsigned hl, total, frag;

	(void)lls;
	if (!h)
		return xk_drop(self, XK_DROP_SHORT, m);
	hl = (h[0] & 15u) * 4;
	if (h[0] >> 4 != 4 || hl < XK_IP_HDR_LEN)
		return xk_drop(self, XK_DROP_VERSION, m);
	h = msg_peek(m, hl);
	if (!h)
		return xk_drop(self, XK_DROP_SHORT, m);
	if (xk_csum_fold(xk_csum_add(0, h, hl)) != 0)
		return xk_drop(self, XK_DROP_CSUM, m);
	total = xk_get16(h + 2);
	if (total < hl)
		return xk_drop(self, XK_DROP_LEN, m);
	if (total > msg_len(m))
		return xk_drop(self, XK_DROP_SHORT, m);
	info.src = xk_get32(h + 12);
	info.dst = xk_get32(h + 16);
	info.id = xk_get16(h + 4);
	info.proto = h[9];
	frag = xk_get16(h + 6);
	if (info.dst != st->ip && info.dst != 0xffffffffu && info.dst != (st->ip | ~st->mask))
		return xk_drop(self, XK_DROP_ADDR, m);
	msg_truncate(m, total);	/* Ethernet padding */
	msg_pop(m, NULL, hl);
	if (frag & (IP_MF | 0x1fff))
		return ip_reassemble(self, &info, (frag & 0x1fffu) * 8, !!(frag & IP_MF), m);
	return ip_deliver(self, &info, m);
}

static const struct xk_proto_ops ip_ops = {
	.open = ip_open,
	.open_enable = ip_open_enable,
	.open_disable = ip_open_disable,
	.demux = ip_demux,
	.control = ip_proto_control,
	.destroy = ip_reasm_destroy,
};

static void ip_fill(xk_proto_t *p, void *arg)
{
	const struct xk_host_config *cfg = xk_host_config(p->host);
	struct ip_state *st = p->state;

	(void)arg;
	st->ip = cfg->ip;
	st->mask = cfg->netmask;
	st->mtu = cfg->mtu;
	st->ident = 1;
}

static const struct xk_map_spec ip_maps[] = {
	{ offsetof(struct ip_state, active), sizeof(struct ip_key), 64, true },
	{ offsetof(struct ip_state, enabled), sizeof(uint32_t), 16, false },
};

/* Enabled on ip_eth(p), down[0]. */
static const struct xk_proto_spec ip_spec = {
	.ops = &ip_ops, .size = sizeof(struct ip_state), .min_down = 1,
	.fill = ip_fill, .maps = ip_maps, .nmaps = 2, .below = XK_BELOW_ENABLE,
};

int xk_ip_init(xk_proto_t *p, void *arg)
{
	uint16_t mtu = xk_host_config(p->host)->mtu;

	if (mtu < 68 || mtu > XK_ETH_MAX_FRAME - XK_ETH_HDR_LEN)
		return -EINVAL;
	return xk_proto_start(p, &ip_spec, arg);
}

uint16_t xk_ip_pseudo_csum(const struct xk_ip_pseudohdr *ph, const msg_t *m)
{
	uint8_t p[12];

	xk_put32(p, ph->src);
	xk_put32(p + 4, ph->dst);
	p[8] = 0;
	p[9] = ph->proto;
	xk_put16(p + 10, (uint16_t)msg_len(m));
	return xk_csum_fold(xk_csum_msg(xk_csum_add(0, p, sizeof p), m, 0, msg_len(m)));
}

int xk_ip_parse(const char *s, uint32_t *ip)
{
	unsigned a[4];
	char tail;

	if (sscanf(s, "%u.%u.%u.%u%c", &a[0], &a[1], &a[2], &a[3], &tail) != 4 ||
	    a[0] > 255 || a[1] > 255 || a[2] > 255 || a[3] > 255)
		return -EINVAL;
	*ip = a[0] << 24 | a[1] << 16 | a[2] << 8 | a[3];
	return 0;
}
