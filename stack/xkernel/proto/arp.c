/*
 * arp.c - ARP for IPv4 over Ethernet: answers requests for our address,
 * learns from what it hears, and resolves addresses for IP through
 * XK_CTL_ARP_RESOLVE (which sends a request and says -EAGAIN until a reply
 * arrives; IP retries). An address unanswered XK_ARP_ASK_NS after its first
 * request has failed: -EHOSTUNREACH for XK_ARP_DOWN_NS, doubled per failure
 * in a row up to XK_ARP_FAILED_NS; at most
 * XK_ARP_MAX_ASKING resolutions are under way, a new one waits for a slot (eth.h).
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "eth.h"
#include "host.h"
#include "map.h"
#include "start.h"
#include "suite.h"

#define ARP_LEN		28
#define ARP_OP_REQUEST	1
#define ARP_OP_REPLY	2
#define ARP_MAX_ENTRIES	256

struct arp_entry {
	uint8_t mac[XK_ETH_ALEN];
	int resolved;
	uint64_t first;		/* when its resolution began (0: none) */
	uint64_t asked;		/* when we last sent a request */
	unsigned probes;	/* requests sent since first */
	unsigned failures;	/* resolutions before this one that went unanswered */
};

/* A resolution under way: its slot is taken until it is answered or XK_ARP_ASK_NS pass. */
struct arp_asking {
	uint32_t ip;
	uint64_t since;		/* 0: free */
};

struct arp_state {
	uint32_t ip;
	uint8_t mac[XK_ETH_ALEN];
	xk_map_t *table;	/* uint32_t ip -> struct arp_entry */
	struct arp_asking asking[XK_ARP_MAX_ASKING];
};

enum arp_phase { ARP_IDLE, ARP_ASKING, ARP_FAILED };

static xk_proto_t *arp_eth(xk_proto_t *self)
{
	return self->down[0];
}

/* Send one ARP packet to dst_mac (broadcast for requests). */
static int arp_send(xk_proto_t *self, int op, const uint8_t *dst_mac,
		    const uint8_t *target_mac, uint32_t target_ip)
{
	struct arp_state *st = self->state;
	struct xk_parts parts = { 0 };
	uint8_t *p;
	xk_sess_t *s;
	msg_t m;
	int err;

	xk_part_push(&parts.remote, dst_mac, XK_ETH_ALEN);
	err = xk_open(arp_eth(self), self, self, &parts, &s);
	if (err)
		return err;
	err = msg_alloc(xk_host_pool(self->host), &m, ARP_LEN, (void **)&p);
	if (err) {
		xk_close(s);
		return err;
	}
	xk_put16(p, 1);			/* hardware: Ethernet */
	xk_put16(p + 2, 0x0800);	/* protocol: IPv4 */
	p[4] = XK_ETH_ALEN;
	p[5] = 4;
	xk_put16(p + 6, (uint16_t)op);
	memcpy(p + 8, st->mac, XK_ETH_ALEN);
	xk_put32(p + 14, st->ip);
	memcpy(p + 18, target_mac, XK_ETH_ALEN);
	xk_put32(p + 24, target_ip);
	err = xk_push(s, &m);
	xk_close(s);
	return err;
}

static struct arp_entry *arp_lookup(struct arp_state *st, uint32_t ip)
{
	void *e;

	return xk_map_resolve(st->table, &ip, &e) == 0 ? e : NULL;
}

struct stalest {
	uint32_t ip;
	struct arp_entry *e;
};

static int find_stalest(const void *key, void *val, void *arg)
{
	struct arp_entry *e = val;
	struct stalest *s = arg;

	if (!e->resolved && (!s->e || e->asked < s->e->asked)) {
		memcpy(&s->ip, key, sizeof s->ip);
		s->e = e;
	}
	return 0;
}

/*
 * A full table gives up the unanswered entry asked longest ago: SYN-ACKs to
 * spoofed sources must not fill it for good and lock out new neighbours.
 */
static int make_room(struct arp_state *st)
{
	struct stalest s = { 0 };

	if (xk_map_count(st->table) < ARP_MAX_ENTRIES)
		return 0;
	xk_map_foreach(st->table, find_stalest, &s);
	if (!s.e)
		return -ENOMEM;	/* every entry is a neighbour that answered */
	xk_map_unbind(st->table, &s.ip);
	free(s.e);
	return 0;
}

static struct arp_entry *arp_insert(struct arp_state *st, uint32_t ip)
{
	struct arp_entry *e = arp_lookup(st, ip);

	if (e)
		return e;
	if (make_room(st) < 0)
		return NULL;
	e = calloc(1, sizeof *e);
	if (e && xk_map_bind(st->table, &ip, e)) {
		free(e);
		e = NULL;
	}
	return e;
}

static void arp_learn(struct arp_state *st, uint32_t ip, const uint8_t *mac)
{
	struct arp_entry *e = arp_insert(st, ip);

	if (e) {
		memcpy(e->mac, mac, XK_ETH_ALEN);
		e->resolved = 1;
	}
}

static int arp_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	struct arp_state *st = self->state;
	const uint8_t *p = msg_peek(m, ARP_LEN);
	uint8_t sender_mac[XK_ETH_ALEN];
	uint32_t sender_ip, target_ip;
	uint16_t op;

	(void)lls;
	if (!p)
		return xk_drop(self, XK_DROP_SHORT, m);
	if (xk_get16(p) != 1 || xk_get16(p + 2) != 0x0800 || p[4] != XK_ETH_ALEN || p[5] != 4)
		return xk_drop(self, XK_DROP_VERSION, m);
	op = xk_get16(p + 6);
	if (op != ARP_OP_REQUEST && op != ARP_OP_REPLY)
		return xk_drop(self, XK_DROP_TYPE, m);
	memcpy(sender_mac, p + 8, XK_ETH_ALEN);
	sender_ip = xk_get32(p + 14);
	target_ip = xk_get32(p + 24);
	msg_free(m);
	if (target_ip != st->ip) {
		/* Not for us: only refresh an entry we already have (RFC 826). */
		struct arp_entry *e = arp_lookup(st, sender_ip);

		if (e && e->resolved)
			memcpy(e->mac, sender_mac, XK_ETH_ALEN);
		self->drops.n[XK_DROP_ADDR]++;
		return 0;
	}
	arp_learn(st, sender_ip, sender_mac);
	if (op == ARP_OP_REQUEST)
		return arp_send(self, ARP_OP_REPLY, sender_mac, sender_mac, sender_ip);
	return 0;
}

/* How long a failed resolution keeps the address failed: doubling, so one lost exchange costs little. */
static uint64_t arp_down_ns(const struct arp_entry *e)
{
	uint64_t down = XK_ARP_DOWN_NS;

	for (unsigned i = 0; i < e->failures && down < XK_ARP_FAILED_NS; i++)
		down *= 2;
	return down < XK_ARP_FAILED_NS ? down : XK_ARP_FAILED_NS;
}

/* Where an unresolved entry's resolution stands at now. */
static enum arp_phase arp_phase(const struct arp_entry *e, uint64_t now)
{
	uint64_t age = now - e->first;

	if (!e->first || age >= XK_ARP_ASK_NS + arp_down_ns(e))
		return ARP_IDLE;
	return age < XK_ARP_ASK_NS ? ARP_ASKING : ARP_FAILED;
}

static void arp_request(xk_proto_t *self, struct arp_entry *e, uint32_t ip, uint64_t now)
{
	static const uint8_t unknown[XK_ETH_ALEN];

	e->asked = now;
	e->probes++;
	arp_send(self, ARP_OP_REQUEST, xk_eth_broadcast, unknown, ip);
}

/* A slot for a new resolution (free, timed out or answered), or NULL: all are under way. */
static struct arp_asking *arp_slot(struct arp_state *st, uint64_t now)
{
	for (unsigned i = 0; i < XK_ARP_MAX_ASKING; i++) {
		struct arp_asking *a = &st->asking[i];
		struct arp_entry *e;

		if (!a->since || now - a->since >= XK_ARP_ASK_NS)
			return a;
		e = arp_lookup(st, a->ip);
		if (e && e->resolved)
			return a;
	}
	return NULL;
}

/* Begin resolving ip if a slot is free (else it waits: IP asks again); -EAGAIN. */
static int arp_begin(xk_proto_t *self, struct arp_entry *e, uint32_t ip, uint64_t now)
{
	struct arp_asking *a = arp_slot(self->state, now);

	if (a) {
		e->failures += e->first != 0;	/* the one before was not answered */
		a->ip = ip;
		a->since = e->first = now;
		e->probes = 0;
		arp_request(self, e, ip, now);
	}
	return -EAGAIN;
}

static int arp_resolve(xk_proto_t *self, uint32_t ip, uint8_t *mac)
{
	struct arp_state *st = self->state;
	uint64_t now = xk_now(self->host) | 1;	/* never 0: 0 means "none" */
	struct arp_entry *e;

	if (ip == 0xffffffffu) {
		memcpy(mac, xk_eth_broadcast, XK_ETH_ALEN);
		return XK_ETH_ALEN;
	}
	e = arp_insert(st, ip);
	if (!e)
		return -ENOMEM;
	if (e->resolved) {
		memcpy(mac, e->mac, XK_ETH_ALEN);
		return XK_ETH_ALEN;
	}
	switch (arp_phase(e, now)) {
	case ARP_IDLE:
		return arp_begin(self, e, ip, now);
	case ARP_FAILED:
		return -EHOSTUNREACH;
	default:
		if (e->probes < XK_ARP_PROBES && now - e->asked >= XK_ARP_RETRY_NS)
			arp_request(self, e, ip, now);
		return -EAGAIN;
	}
}

static int arp_control(xk_proto_t *self, int op, void *buf, size_t len)
{
	uint32_t ip;

	if (op != XK_CTL_ARP_RESOLVE)
		return -EOPNOTSUPP;
	if (len < XK_ETH_ALEN)
		return -ENOSPC;
	memcpy(&ip, buf, sizeof ip);
	return arp_resolve(self, ip, buf);
}

static int arp_free_entry(const void *key, void *val, void *arg)
{
	(void)key;
	(void)arg;
	free(val);
	return 0;
}

static void arp_destroy(xk_proto_t *self)
{
	struct arp_state *st = self->state;

	xk_map_foreach(st->table, arp_free_entry, NULL);
}

static const struct xk_proto_ops arp_ops = {
	.demux = arp_demux,
	.control = arp_control,
	.destroy = arp_destroy,
};

static void arp_fill(xk_proto_t *p, void *arg)
{
	const struct xk_host_config *cfg = xk_host_config(p->host);
	struct arp_state *st = p->state;

	(void)arg;
	st->ip = cfg->ip;
	memcpy(st->mac, cfg->mac, XK_ETH_ALEN);
}

static const struct xk_map_spec arp_maps[] = {
	{ offsetof(struct arp_state, table), sizeof(uint32_t), 64, false },
};

static const struct xk_proto_spec arp_spec = {
	.ops = &arp_ops, .size = sizeof(struct arp_state), .min_down = 1, .max_down = 1,
	.fill = arp_fill, .maps = arp_maps, .nmaps = 1, .below = XK_BELOW_ENABLE,
};

int xk_arp_init(xk_proto_t *p, void *arg)
{
	return xk_proto_start(p, &arp_spec, arg);
}
