/* drv.c - the single-session driver skeleton (drv.h). */
#include <string.h>

#include "cycles.h"
#include "drv.h"
#include "eth.h"

static int drv_push(xk_sess_t *s, msg_t *m)
{
	struct xk_drv *d = s->proto->state;
	uint64_t t0 = xk_cycles();
	const uint8_t *frame = msg_flatten(m);
	int err = !frame || msg_len(m) < XK_ETH_HDR_LEN ? -EINVAL : d->send(d, frame, msg_len(m));

	msg_free(m);
	d->cyc.tx_wire += xk_cycles() - t0;
	return err;
}

static int drv_close(xk_sess_t *s)
{
	struct xk_drv *d = s->proto->state;

	d->sess = NULL;
	xk_sess_free(s);
	return 0;
}

static const struct xk_sess_ops drv_sess_ops = {
	.push = drv_push,
	.close = drv_close,
};

static int drv_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		    const struct xk_parts *parts, xk_sess_t **out)
{
	struct xk_drv *d = self->state;

	(void)hlp_type;
	(void)parts;
	if (d->sess)
		return -EBUSY;
	d->sess = xk_sess_alloc(self, &drv_sess_ops, hlp, 0);
	if (!d->sess)
		return -ENOMEM;
	*out = d->sess;
	return 0;
}

static int drv_control(xk_proto_t *self, int op, void *buf, size_t len)
{
	if (op != XK_CTL_GET_MY_MAC)
		return -EOPNOTSUPP;
	if (len < XK_ETH_ALEN)
		return -ENOSPC;
	memcpy(buf, xk_host_config(self->host)->mac, XK_ETH_ALEN);
	return XK_ETH_ALEN;
}

static void drv_detach(xk_proto_t *self)
{
	struct xk_drv *d = self->state;

	d->proto = NULL;
	d->sess = NULL;
}

static const struct xk_proto_ops drv_ops = {
	.open = drv_open,
	.control = drv_control,
	.destroy = drv_detach,
};

void xk_drv_init(xk_proto_t *p, struct xk_drv *d, uint64_t now_ns)
{
	d->proto = p;
	d->sess = NULL;
	d->cyc = (struct xk_wire_cycles){ 0 };
	xk_events_advance(xk_host_events(p->host), now_ns);
	p->state = d;
	p->ops = &drv_ops;
}

void xk_drv_deliver(struct xk_drv *d, const void *frame, size_t len)
{
	msg_t m;

	if (d->sess && msg_from(xk_host_pool(d->proto->host), &m, frame, len) == 0) {	/* the driver's copy: not the stack's time */
		uint64_t t0 = xk_cycles(), tx0 = d->cyc.tx_wire;

		xk_deliver(d->sess, &m);
		d->cyc.rx_stack += xk_cycles() - t0 - (d->cyc.tx_wire - tx0);
	}
}
