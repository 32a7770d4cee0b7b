/* udp.c - a second transport, not on the path: also calls ip_push. */
#include "layers.h"

struct udp_hdr {
	unsigned short sport, dport, len, sum;
};

int udp_push(struct layer *self, struct msg *m)
{
	struct udp_hdr h = {.sport = 5353, .dport = 53, .len = (unsigned short)m->len};
	h.sum = (unsigned short)(cksum(m, 0) + h.len);
	if (msg_push(m, &h, (int)sizeof h) < 0)
		return -1;
	self->sent++;
	return self->down->push(self->down, m);
}
