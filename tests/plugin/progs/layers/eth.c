/* eth.c - the link layer on the path, and the driver it calls directly. */
#include <stdio.h>
#include "layers.h"

unsigned long drv_bytes, drv_sum;

struct eth_hdr {
	unsigned char dst[6], src[6];
	unsigned short type;
};

int drv_send(struct msg *m)
{
	drv_bytes += (unsigned long)m->len;
	drv_sum = drv_sum * 31 + cksum(m, 0);
	return m->len;
}

int eth_push(struct layer *self, struct msg *m)
{
	struct eth_hdr h = {.dst = {2, 0, 0, 0, 0, 2}, .src = {2, 0, 0, 0, 0, 1}, .type = 0x0008};
	h.dst[5] = (unsigned char)(m->len & 0xff);
	if (msg_push(m, &h, (int)sizeof h) < 0)
		return -1;
	self->sent++;
	if (m->len > 1514) {
		fprintf(stderr, "eth: frame of %d bytes too long\n", m->len);
		return -1;
	}
	return drv_send(m);
}
