/*
 * icmp.c - ICMP echo: answers echo requests; an app that opens a session
 * (remote: the peer's IP, local: the echo identifier) sends echo requests with
 * push and receives the replies' payload through its demux.
 */
#include <string.h>

#include "bytes.h"
#include "csum.h"
#include "host.h"
#include "map.h"
#include "start.h"
#include "suite.h"

#define ICMP_HDR_LEN		8
#define ICMP_ECHO_REPLY		0
#define ICMP_ECHO_REQUEST	8

struct icmp_state {
	xk_map_t *echo;		/* uint16_t identifier -> xk_sess_t */
};

struct icmp_sess {
	uint16_t id;
	uint16_t seq;		/* next sequence number */
};

static void icmp_set_csum(uint8_t *h, const msg_t *m)
{
	xk_put16(h + 2, 0);
	xk_put16(h + 2, xk_csum_fold(xk_csum_msg(0, m, 0, msg_len(m))));
}

static int icmp_push(xk_sess_t *s, msg_t *m)
{
	struct icmp_sess *is = s->state;
	uint8_t *h = msg_push(m, ICMP_HDR_LEN);

	if (!h) {
		msg_free(m);
		return -ENOMEM;
	}
	h[0] = ICMP_ECHO_REQUEST;
	h[1] = 0;
	xk_put16(h + 4, is->id);
	xk_put16(h + 6, is->seq++);
	icmp_set_csum(h, m);
	return xk_push(s->down, m);
}

static XK_POP_UP int icmp_pop(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr)
{
	(void)lls;
	(void)hdr;
	return xk_up(s, m);
}

static int icmp_close(xk_sess_t *s)
{
	struct icmp_state *st = s->proto->state;
	struct icmp_sess *is = s->state;

	xk_map_unbind(st->echo, &is->id);
	xk_close(s->down);
	xk_sess_free(s);
	return 0;
}

static const struct xk_sess_ops icmp_sess_ops = {
	.push = icmp_push,
	.pop = icmp_pop,
	.close = icmp_close,
};

static int icmp_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		     const struct xk_parts *parts, xk_sess_t **out)
{
	struct icmp_state *st = self->state;
	struct xk_parts ip_parts = { .remote = parts->remote };
	struct xk_part local = parts->local;
	struct icmp_sess *is;
	xk_sess_t *s;
	uint16_t id;
	int err;

	(void)hlp_type;
	if (xk_part_pop_port(&local, &id))
		return -EINVAL;
	s = xk_sess_alloc(self, &icmp_sess_ops, hlp, sizeof *is);
	if (!s)
		return -ENOMEM;
	is = s->state;
	is->id = id;
	err = xk_open(self->down[0], self, self, &ip_parts, &s->down);
	if (!err) {
		err = xk_map_bind(st->echo, &id, s);
		if (err)
			xk_close(s->down);
	}
	if (err) {
		xk_sess_free(s);
		return err;
	}
	*out = s;
	return 0;
}

static int icmp_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	struct icmp_state *st = self->state;
	uint8_t *h = msg_peek(m, ICMP_HDR_LEN);
	uint16_t id;
	void *s;

	if (!h)
		return xk_drop(self, XK_DROP_SHORT, m);
	if (xk_csum_fold(xk_csum_msg(0, m, 0, msg_len(m))) != 0)
		return xk_drop(self, XK_DROP_CSUM, m);
	switch (h[0]) {
	case ICMP_ECHO_REQUEST:
		/* Turn the request around in place: same id, seq and data. */
		h[0] = ICMP_ECHO_REPLY;
		icmp_set_csum(h, m);
		return xk_push(lls, m);
	case ICMP_ECHO_REPLY:
		id = xk_get16(h + 4);
		if (xk_map_resolve(st->echo, &id, &s) != 0)
			return xk_drop(self, XK_DROP_NOSESS, m);
		msg_pop(m, NULL, ICMP_HDR_LEN);
		return xk_pop(s, lls, m, NULL);
	default:
		return xk_drop(self, XK_DROP_TYPE, m);
	}
}

static const struct xk_proto_ops icmp_ops = {
	.open = icmp_open,
	.demux = icmp_demux,
};

static const struct xk_map_spec icmp_maps[] = {
	{ offsetof(struct icmp_state, echo), sizeof(uint16_t), 16, false },
};

static const struct xk_proto_spec icmp_spec = {
	.ops = &icmp_ops, .size = sizeof(struct icmp_state), .min_down = 1, .max_down = 1,
	.maps = icmp_maps, .nmaps = 1, .below = XK_BELOW_ENABLE,
};

int xk_icmp_init(xk_proto_t *p, void *arg)
{
	return xk_proto_start(p, &icmp_spec, arg);
}
