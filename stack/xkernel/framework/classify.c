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
#define FRAME_PORTS	34
#define FRAME_MIN	38
#define VIHL_PLAIN	0x45	/* version 4, 20-byte header */

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
	memcpy(c->f[c->n].key, key, XK_FLOW_KEY);
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
	uint64_t k[2], w[2];

	if (!f || (f[FRAME_FRAG] & 0x3f) || f[FRAME_FRAG + 1])	/* short, or a fragment */
		return NULL;
	memcpy(k, f + FRAME_TYPE, 2);
	memcpy((uint8_t *)k + 2, f + FRAME_VIHL, 1);
	memcpy((uint8_t *)k + 3, f + FRAME_PROTO, 1);
	memcpy((uint8_t *)k + 4, f + FRAME_SRC, 12);	/* source, destination, ports */
	for (unsigned i = 0; i < c->n; i++) {
		memcpy(w, c->f[i].key, XK_FLOW_KEY);
		if (w[0] == k[0] && w[1] == k[1])
			return c->f[i].root;
	}
	return NULL;
}

int xk_deliver(xk_sess_t *drv, msg_t *m)
{
	const struct xk_flows *c = &drv->proto->host->flows;
	xk_demux_fn root = c->n ? xk_classify(c, m) : NULL;

	return root ? root(drv->up, drv, m) : xk_demux(drv->up, drv, m);
}
