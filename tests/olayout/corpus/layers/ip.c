#include "layers.h"

#define IP_HLEN 12

static unsigned char ip_ttl = 64;

int ip_push(struct proto *p, struct msg *m)
{
	unsigned char *h = msg_push_header(p, m, IP_HLEN);
	int r;

	for (int i = 0; i < IP_HLEN; i++)
		h[i] = (unsigned char)(i * 17 + p->id);
	h[8] = ip_ttl;
	h[9] = 17;
	r = eth_push(p->below, m);
	p->pushed++;
	return r + IP_HLEN;
}

static int ip_pop(struct proto *p, struct msg *m)
{
	unsigned char *h = msg_pop_header(p, m, IP_HLEN);

	if (h[9] != 17)
		layers_die(p, "not udp");
	if (h[8] == 0)
		layers_die(p, "ttl expired");
	p->popped++;
	return proto_pop(p, m);
}

static int ip_push_ops(struct proto *p, struct msg *m)
{
	unsigned char *h = msg_push_header(p, m, IP_HLEN);

	for (int i = 0; i < IP_HLEN; i++)
		h[i] = (unsigned char)(i * 17 + p->id);
	h[8] = ip_ttl;
	h[9] = 17;
	p->pushed++;
	return proto_push(p, m);
}

const struct proto_ops ip_ops = { "ip", ip_push_ops, ip_pop };
