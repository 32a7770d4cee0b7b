/* tcp.c - the transport layer on the path. */
#include "layers.h"

struct tcp_hdr {
	unsigned short sport, dport;
	unsigned seq, ack;
	unsigned short win, sum;
};

int tcp_push(struct layer *self, struct msg *m)
{
	static unsigned seq = 1000;
	struct tcp_hdr h = {.sport = 4000, .dport = 80, .seq = seq, .ack = 7, .win = 512};
	seq += (unsigned)m->len;
	h.sum = (unsigned short)(cksum(m, 0) ^ h.seq ^ h.dport);
	if (msg_push(m, &h, (int)sizeof h) < 0)
		return -1;
	self->sent++;
	return self->down->push(self->down, m);
}
