/* ip.c - the network layer on the path; ip_forward calls it directly. */
#include "layers.h"

struct ip_hdr {
	unsigned char vhl, tos;
	unsigned short len, id, off;
	unsigned char ttl, proto;
	unsigned short sum;
	unsigned src, dst;
};

int ip_push(struct layer *self, struct msg *m)
{
	static unsigned short id = 1;
	struct ip_hdr h = {.vhl = 0x45, .ttl = 64, .src = 0x0a000001, .dst = 0x0a000002};
	h.len = (unsigned short)(m->len + (int)sizeof h);
	h.id = id++;
	h.proto = (unsigned char)(self->id & 0xff);
	h.sum = (unsigned short)(cksum(m, 0) ^ h.len ^ h.id);
	if (msg_push(m, &h, (int)sizeof h) < 0)
		return -1;
	self->sent++;
	return self->down->push(self->down, m);
}

int ip_forward(struct layer *ip, const char *payload)
{
	struct msg m;
	msg_init(&m, payload);
	int rc = ip_push(ip, &m);
	return rc < 0 ? rc : m.len + 1;
}
