#include "layers.h"

#define ETH_HLEN 14

/* The frame type picks the upper layer; a dense switch (jump table). */
static int eth_type_ok(unsigned type)
{
	switch (type) {
	case 0x800: return 1;
	case 0x801: return 0;
	case 0x802: return 0;
	case 0x803: return 2;
	case 0x804: return 0;
	case 0x805: return 3;
	case 0x806: return 4;
	case 0x807: return 0;
	default: return -1;
	}
}

int eth_push(struct proto *p, struct msg *m)
{
	unsigned char *h = msg_push_header(p, m, ETH_HLEN);
	int r;

	for (int i = 0; i < 12; i++)
		h[i] = (unsigned char)(0xa0 + i);
	h[12] = 0x08;
	h[13] = 0x00;
	r = wire_xmit(p->below, m);
	p->pushed++;
	return r + ETH_HLEN;
}

static int eth_pop(struct proto *p, struct msg *m)
{
	unsigned char *h = msg_pop_header(p, m, ETH_HLEN);

	if (eth_type_ok((unsigned)(h[12] << 8 | h[13])) != 1)
		layers_die(p, "unknown type");
	p->popped++;
	return proto_pop(p, m);
}

static int eth_push_ops(struct proto *p, struct msg *m)
{
	unsigned char *h = msg_push_header(p, m, ETH_HLEN);

	for (int i = 0; i < 12; i++)
		h[i] = (unsigned char)(0xa0 + i);
	h[12] = 0x08;
	h[13] = 0x00;
	p->pushed++;
	return proto_push(p, m);
}

const struct proto_ops eth_ops = { "eth", eth_push_ops, eth_pop };
