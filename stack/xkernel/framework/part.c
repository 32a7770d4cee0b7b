/* part.c - participant addresses: a stack of per-layer address components. */
#include <string.h>

#include "xk.h"

void xk_part_init(struct xk_part *p)
{
	memset(p, 0, sizeof *p);
}

int xk_part_push(struct xk_part *p, const void *addr, size_t len)
{
	if (len == 0 || len > XK_PART_ADDR)
		return -EINVAL;
	if (p->n >= XK_PART_DEPTH)
		return -ENOSPC;
	p->c[p->n].len = (uint8_t)len;
	memcpy(p->c[p->n].addr, addr, len);
	p->n++;
	return 0;
}

int xk_part_pop(struct xk_part *p, void *addr, size_t len)
{
	if (p->n == 0)
		return -ENOENT;
	if (p->c[p->n - 1].len != len)
		return -EINVAL;
	p->n--;
	memcpy(addr, p->c[p->n].addr, len);
	return 0;
}

int xk_part_push_ip(struct xk_part *p, uint32_t ip)
{
	return xk_part_push(p, &ip, sizeof ip);
}

int xk_part_pop_ip(struct xk_part *p, uint32_t *ip)
{
	int err = xk_part_pop(p, ip, sizeof *ip);

	if (err == -ENOENT) {
		*ip = 0;
		return 0;
	}
	return err;
}

int xk_part_push_port(struct xk_part *p, uint16_t port)
{
	return xk_part_push(p, &port, sizeof port);
}

int xk_part_pop_port(struct xk_part *p, uint16_t *port)
{
	int err = xk_part_pop(p, port, sizeof *port);

	if (err == -ENOENT) {
		*port = 0;
		return 0;
	}
	return err;
}
