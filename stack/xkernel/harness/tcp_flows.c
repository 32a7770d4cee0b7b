/*
 * tcp_flows.c - many TCP connections under one user; see tcp_flows.h.
 */
#include "tcp_flows.h"

#include <stdlib.h>
#include <string.h>

#define FLOW_CHUNK	16384	/* bytes per push */

struct tcp_flow {
	struct tcp_flow *next;
	xk_sess_t *s;
	size_t tx_off, rx_len;	/* client: bytes pushed, echoed bytes received */
	uint8_t *pend;		/* server: echo waiting for send space */
	size_t plen, pcap;
	bool reading;		/* server: the window is open */
	bool eof, shut;
};

static struct tcp_flow *flow_find(struct tcp_flows *f, const xk_sess_t *s)
{
	struct tcp_flow *c = f->live;

	while (c && c->s != s)
		c = c->next;
	return c;
}

static void flow_note_err(struct tcp_flows *f, int err)
{
	if (err < 0 && err != -ENOBUFS && !f->err)
		f->err = err;
}

static void flow_set_reading(struct tcp_flow *c, bool on)
{
	int v = on;

	c->reading = on;
	xk_sess_control(c->s, XK_TCP_CTL_SET_READING, &v, sizeof v);
}

static uint32_t flow_space(const struct tcp_flow *c)
{
	uint32_t space = 0;

	xk_sess_control(c->s, XK_TCP_CTL_GET_SNDSPACE, &space, sizeof space);
	return space;
}

/* Push up to n bytes of p (what fits); returns how many went, or -errno. */
static long flow_push(struct tcp_flows *f, struct tcp_flow *c, const uint8_t *p, size_t n)
{
	uint32_t space = flow_space(c);
	msg_t m;
	int err;

	if (n > space)
		n = space;
	if (n > FLOW_CHUNK)
		n = FLOW_CHUNK;
	if (n == 0)
		return 0;
	if ((err = msg_from(xk_host_pool(f->proto->host), &m, p, n)) < 0 || (err = xk_push(c->s, &m)) < 0)
		return err;
	f->bytes_out += n;
	return (long)n;
}

/* The connection is over for us: close our end (TCP finishes it) and forget it. */
static void flow_finish(struct tcp_flows *f, struct tcp_flow *c)
{
	struct tcp_flow **pp = &f->live;

	while (*pp != c)
		pp = &(*pp)->next;
	*pp = c->next;
	if (f->tx && (c->tx_off != f->tx_len || (!f->sink && c->rx_len != f->tx_len)))
		f->bad++;
	f->finished++;
	xk_close(c->s);
	free(c->pend);
	free(c);
}

/* Send what waits (a client's data, a server's echo); finish a connection that is done. */
static int flow_pump(struct tcp_flows *f, struct tcp_flow *c)
{
	long n = 0;

	if (f->tx) {
		while (c->tx_off < f->tx_len && (n = flow_push(f, c, f->tx + c->tx_off, f->tx_len - c->tx_off)) > 0)
			c->tx_off += (size_t)n;
		if (c->tx_off == f->tx_len && !c->shut) {
			c->shut = true;
			xk_sess_control(c->s, XK_TCP_CTL_SHUTDOWN, NULL, 0);
		}
	} else {
		while (c->plen && (n = flow_push(f, c, c->pend, c->plen)) > 0) {
			c->plen -= (size_t)n;
			memmove(c->pend, c->pend + n, c->plen);
		}
		if (c->plen == 0 && !c->reading)
			flow_set_reading(c, true);
	}
	if (n < 0) {
		flow_note_err(f, (int)n);
		return (int)n;
	}
	if (c->eof && c->plen == 0)
		flow_finish(f, c);	/* a client's data all went unless the peer reset */
	return 0;
}

int tcp_flows_pump(struct tcp_flows *f)
{
	struct tcp_flow *c = f->live, *next;

	for (; c; c = next) {
		next = c->next;
		flow_pump(f, c);
	}
	return f->err;
}

/* A server keeps an echo that does not fit now, and stops reading until it went. */
static int flow_keep(struct tcp_flow *c, const msg_t *m, size_t n)
{
	if (c->plen + n > c->pcap) {
		size_t cap = c->pcap ? 2 * c->pcap : 2 * FLOW_CHUNK;
		uint8_t *p;

		while (cap < c->plen + n)
			cap *= 2;
		if (!(p = realloc(c->pend, cap)))
			return -ENOMEM;
		c->pend = p;
		c->pcap = cap;
	}
	msg_copyout(m, 0, c->pend + c->plen, n);
	c->plen += n;
	if (c->reading)
		flow_set_reading(c, false);
	return 0;
}

/* A client checks the echo against what it sent. */
static void flow_check(struct tcp_flows *f, struct tcp_flow *c, const msg_t *m, size_t n)
{
	uint8_t buf[2048];

	for (size_t off = 0; off < n && !f->sink; off += sizeof buf) {
		size_t k = n - off < sizeof buf ? n - off : sizeof buf;

		if (c->rx_len + off + k > f->tx_len || msg_copyout(m, off, buf, k) < 0 ||
		    memcmp(buf, f->tx + c->rx_len + off, k) != 0) {
			c->rx_len = f->tx_len + 1;	/* never matches again */
			return;
		}
	}
	c->rx_len += n;
}

static int flows_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	struct tcp_flows *f = self->state;
	struct tcp_flow *c = flow_find(f, lls);
	size_t n = msg_len(m);
	int err = 0;

	if (!c) {
		msg_free(m);
		return 0;
	}
	f->bytes_in += n;
	if (n == 0)
		c->eof = true;
	else if (f->tx)
		flow_check(f, c, m, n);
	else if (!f->sink && c->plen == 0 && flow_space(c) >= n) {
		f->bytes_out += n;
		err = xk_push(lls, m);	/* echo at once, no copy */
		m = NULL;
	} else if (!f->sink) {
		err = flow_keep(c, m, n);
	}
	if (m)
		msg_free(m);
	flow_note_err(f, err);
	return flow_pump(f, c);
}

static int flow_add(struct tcp_flows *f, xk_sess_t *s)
{
	struct tcp_flow *c = calloc(1, sizeof *c);

	if (!c)
		return -ENOMEM;
	c->s = s;
	c->reading = true;
	c->next = f->live;
	f->live = c;
	f->opened++;
	return flow_pump(f, c);
}

static int flows_open_done(xk_proto_t *self, xk_proto_t *llp, xk_sess_t *lls,
			   const struct xk_parts *parts)
{
	(void)llp;
	(void)parts;
	xk_sess_ref(lls);
	return flow_add(self->state, lls);
}

/* Host teardown is not a close: TCP, destroyed next, frees the connections. */
static void flows_destroy(xk_proto_t *self)
{
	struct tcp_flows *f = self->state;

	while (f->live) {
		struct tcp_flow *c = f->live;

		f->live = c->next;
		free(c->pend);
		free(c);
	}
}

static const struct xk_proto_ops flows_ops = {
	.open_done = flows_open_done,
	.demux = flows_demux,
	.destroy = flows_destroy,
};

int xk_tcp_flows_init(xk_proto_t *p, void *arg)
{
	struct tcp_flows *f = arg;

	if (!f || p->ndown != 1)
		return -EINVAL;
	f->proto = p;
	p->state = f;
	p->ops = &flows_ops;
	return 0;
}

int tcp_flows_listen(struct tcp_flows *f, uint16_t port)
{
	struct xk_parts parts;

	memset(&parts, 0, sizeof parts);
	xk_part_push_port(&parts.local, port);
	return xk_open_enable(f->proto->down[0], f->proto, f->proto, &parts);
}

int tcp_flows_connect(struct tcp_flows *f, uint32_t ip, uint16_t port)
{
	struct xk_parts parts;
	xk_sess_t *s;
	int err;

	memset(&parts, 0, sizeof parts);
	xk_part_push_ip(&parts.remote, ip);
	xk_part_push_port(&parts.remote, port);
	if ((err = xk_open(f->proto->down[0], f->proto, f->proto, &parts, &s)) < 0)
		return err;
	if ((err = flow_add(f, s)) == -ENOMEM)
		xk_close(s);
	return err;
}

void tcp_flows_stats(const struct tcp_flows *f, struct xk_tcp_stats *st)
{
	memset(st, 0, sizeof *st);
	xk_control(f->proto->down[0], XK_TCP_CTL_GET_STATS, st, sizeof *st);
}
