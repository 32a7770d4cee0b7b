/* classify.c - frames matched to bound connections, straight to the receive path's clone. */
#include <string.h>

#include "bytes.h"
#include "host.h"

/* Where the key's bytes lie in an Ethernet frame carrying IPv4 without options. */
#define FRAME_TYPE	12
#define FRAME_VIHL	14
#define FRAME_FRAG	20
#define FRAME_PROTO	23
#define FRAME_SRC	26
#define FRAME_DST	30
#define FRAME_MIN	38
#define VIHL_PLAIN	0x45	/* version 4, 20-byte header */

/*
 * The key's first 8 bytes as one word, the same from a frame's scattered
 * fields as from a key's bytes: built in registers, since byte stores read
 * back as one word stall the load until the stores retire (no store
 * forwarding), twice a frame.
 */
static inline uint64_t key_word(const uint8_t *type, uint8_t vihl, uint8_t proto, const uint8_t *src)
{
	uint16_t t;
	uint32_t a;

	memcpy(&t, type, sizeof t);
	memcpy(&a, src, sizeof a);
	return (uint64_t)t | (uint64_t)vihl << 16 | (uint64_t)proto << 24 | (uint64_t)a << 32;
}

void xk_flow_key(uint8_t key[XK_FLOW_KEY], uint16_t type, uint8_t proto, uint32_t src, uint32_t dst,
		 uint16_t sport, uint16_t dport)
{
	xk_put16(key, type);
	key[2] = VIHL_PLAIN;
	key[3] = proto;
	xk_put32(key + 4, src);
	xk_put32(key + 8, dst);
	xk_put16(key + 12, sport);
	xk_put16(key + 14, dport);
}

int xk_flows_bind(struct xk_flows *c, xk_sess_t *owner, const uint8_t key[XK_FLOW_KEY], xk_demux_fn root)
{
	if (c->n == XK_FLOWS_MAX)
		return -ENOSPC;
	c->f[c->n].w[0] = key_word(key, key[2], key[3], key + 4);
	memcpy(&c->f[c->n].w[1], key + 8, sizeof c->f[c->n].w[1]);
	c->f[c->n].root = root;
	c->f[c->n].owner = owner;
	c->n++;
	owner->classified = true;
	return 0;
}

void xk_flows_unbind(struct xk_flows *c, xk_sess_t *owner)
{
	for (unsigned i = 0; i < c->n;) {
		if (c->f[i].owner == owner)
			c->f[i] = c->f[--c->n];
		else
			i++;
	}
	owner->classified = false;
}

xk_demux_fn xk_classify(const struct xk_flows *c, const msg_t *m)
{
	const uint8_t *f = msg_span(m, 0, FRAME_MIN);
	uint64_t k0, k1;

	if (!f || (f[FRAME_FRAG] & 0x3f) || f[FRAME_FRAG + 1])	/* short, or a fragment */
		return NULL;
	k0 = key_word(f + FRAME_TYPE, f[FRAME_VIHL], f[FRAME_PROTO], f + FRAME_SRC);
	memcpy(&k1, f + FRAME_DST, sizeof k1);	/* destination, ports */
	for (unsigned i = 0; i < c->n; i++)
		if (c->f[i].w[0] == k0 && c->f[i].w[1] == k1)
			return c->f[i].root;
	return NULL;
}

int xk_deliver(xk_sess_t *drv, msg_t *m)
{
	const struct xk_flows *c = &drv->proto->host->flows;
	xk_demux_fn root = c->n ? xk_classify(c, m) : NULL;

	return root ? root(drv->up, drv, m) : xk_demux(drv->up, drv, m);
}
