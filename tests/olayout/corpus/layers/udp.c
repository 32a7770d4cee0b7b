#include "layers.h"

#define UDP_HLEN 8

int udp_push(struct proto *p, struct msg *m)
{
	unsigned sum = msg_sum(m);
	unsigned char *h = msg_push_header(p, m, UDP_HLEN);
	int r;

	h[0] = 0x12; h[1] = 0x34; h[2] = 0x00; h[3] = 0x35;
	h[4] = (unsigned char)(m->end - m->off); h[5] = 0;
	h[6] = (unsigned char)(sum >> 8); h[7] = (unsigned char)sum;
	r = ip_push(p->below, m);
	p->pushed++;
	return r + UDP_HLEN;
}

static int udp_pop(struct proto *p, struct msg *m)
{
	unsigned char *h = msg_pop_header(p, m, UDP_HLEN);
	unsigned sum = msg_sum(m);

	if (h[6] != (unsigned char)(sum >> 8) || h[7] != (unsigned char)sum)
		layers_die(p, "bad checksum");
	p->popped++;
	return proto_pop(p, m);
}

static int udp_push_ops(struct proto *p, struct msg *m)
{
	unsigned char *h = msg_push_header(p, m, UDP_HLEN);
	unsigned sum;

	m->off += UDP_HLEN;
	sum = msg_sum(m);
	m->off -= UDP_HLEN;
	h[0] = 0x12; h[1] = 0x34; h[2] = 0x00; h[3] = 0x35;
	h[4] = (unsigned char)(m->end - m->off); h[5] = 0;
	h[6] = (unsigned char)(sum >> 8); h[7] = (unsigned char)sum;
	p->pushed++;
	return proto_push(p, m);
}

const struct proto_ops udp_ops = { "udp", udp_push_ops, udp_pop };
