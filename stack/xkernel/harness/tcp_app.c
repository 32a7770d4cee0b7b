/*
 * tcp_app.c - a byte-stream user of TCP; see tcp_app.h.
 */
#include "tcp_app.h"

#include <string.h>

#include "tcp.h"

static void app_close(struct tcp_app *a)
{
	if (a->sess && !a->closed) {
		a->closed = true;
		xk_close(a->sess);
		a->sess = NULL;
	}
}

int tcp_app_pump(struct tcp_app *a)
{
	size_t chunk = a->chunk ? a->chunk : 16384;

	while (a->sess && !a->closed && a->tx_off < a->tx_len) {
		uint32_t space = 0;
		size_t n = a->tx_len - a->tx_off;
		msg_t m;
		int err;

		xk_sess_control(a->sess, XK_TCP_CTL_GET_SNDSPACE, &space, sizeof space);
		if (n > chunk)
			n = chunk;
		if (n > space)
			n = space;
		if (n == 0)
			return 0;
		if ((err = msg_from(xk_host_pool(a->proto->host), &m, a->tx + a->tx_off, n)) < 0)
			return err;
		if ((err = xk_push(a->sess, &m)) < 0) {
			if (!a->err)
				a->err = err;
			return err;
		}
		a->tx_off += n;
	}
	if (a->sess && a->tx_off == a->tx_len && !a->keep_open && !a->shut) {
		a->shut = true;
		xk_sess_control(a->sess, XK_TCP_CTL_SHUTDOWN, NULL, 0);
	}
	if (a->shut && a->eof)
		app_close(a);
	return 0;
}

static int app_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	struct tcp_app *a = self->state;
	size_t n = msg_len(m);

	if (n == 0) {
		a->eof = true;
		msg_free(m);
		return tcp_app_pump(a);
	}
	a->deliveries++;
	if (a->rx && a->rx_len < a->rx_cap)
		msg_copyout(m, 0, a->rx + a->rx_len, n < a->rx_cap - a->rx_len ? n : a->rx_cap - a->rx_len);
	a->rx_len += n;
	if (a->echo)
		return xk_push(lls, m);
	msg_free(m);
	return 0;
}

static int app_open_done(xk_proto_t *self, xk_proto_t *llp, xk_sess_t *lls,
			 const struct xk_parts *parts)
{
	struct tcp_app *a = self->state;

	(void)llp;
	(void)parts;
	if (a->sess || a->closed)
		return 0;	/* one connection only: not keeping it closes it */
	xk_sess_ref(lls);
	a->sess = lls;
	return tcp_app_pump(a);
}

/* Host teardown is not a close: TCP, destroyed next, frees the connection without a word. */
static void app_destroy(xk_proto_t *self)
{
	struct tcp_app *a = self->state;

	a->sess = NULL;
}

static const struct xk_proto_ops app_ops = {
	.open_done = app_open_done,
	.demux = app_demux,
	.destroy = app_destroy,
};

int xk_tcp_app_init(xk_proto_t *p, void *arg)
{
	struct tcp_app *a = arg;

	if (!a || p->ndown != 1)
		return -EINVAL;
	a->proto = p;
	p->state = a;
	p->ops = &app_ops;
	return 0;
}

int tcp_app_connect(struct tcp_app *a, uint32_t ip, uint16_t port)
{
	struct xk_parts parts;
	int err;

	memset(&parts, 0, sizeof parts);
	xk_part_push_ip(&parts.remote, ip);
	xk_part_push_port(&parts.remote, port);
	if ((err = xk_open(a->proto->down[0], a->proto, a->proto, &parts, &a->sess)) < 0)
		return err;
	return tcp_app_pump(a);
}

int tcp_app_listen(struct tcp_app *a, uint16_t port)
{
	struct xk_parts parts;

	memset(&parts, 0, sizeof parts);
	xk_part_push_port(&parts.local, port);
	return xk_open_enable(a->proto->down[0], a->proto, a->proto, &parts);
}
