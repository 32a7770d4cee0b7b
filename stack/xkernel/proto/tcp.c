/*
 * tcp.c - TCP's protocol and session operations and the TCB's life:
 * open, open_enable, push, close, control, and freeing at CLOSED.
 * Segment processing is in tcp_input.c, sending in tcp_output.c, timers
 * in tcp_timer.c.
 */
#include <string.h>

#include "start.h"
#include "tcp_tcb.h"

static int tcp_sess_push(xk_sess_t *s, msg_t *m);
static int tcp_sess_control(xk_sess_t *s, int op, void *buf, size_t len);
static int tcp_sess_close(xk_sess_t *s);

static const struct xk_sess_ops tcp_sess_ops = {
	.push = tcp_sess_push,
	.pop = tcp_pop,
	.control = tcp_sess_control,
	.close = tcp_sess_close,
};

void tcp_set_state(struct tcb *t, enum tcp_state next)
{
	struct tcp_proto *tp = t->tp;

	tp->st.nstate[t->state]--;
	tp->st.nstate[next]++;
	t->state = next;
	if (next == TCP_ESTABLISHED)
		tp->st.conns_opened++;
	if (next == TCP_TIME_WAIT)
		tcp_timewait_start(t);
	if (next == TCP_CLOSED) {
		tcp_timers_cancel(t);
		if (t->in_map)
			xk_map_unbind(tp->conns, &t->key);
		t->in_map = false;
	}
}

int tcp_event(struct tcb *t, enum tcp_event ev)
{
	enum tcp_state next = tcp_fsm_next(t->state, ev);

	if (next == TCP_FSM_INVALID)
		return -EPROTO;
	tcp_set_state(t, next);
	return 0;
}

void tcp_deliver(struct tcb *t, msg_t *m)
{
	if (t->user_closed || !t->s->up) {
		msg_free(m);
		return;
	}
	xk_up(t->s, m);
}

static void tcb_free(struct tcb *t)
{
	struct tcp_proto *tp = t->tp;

	tcp_timers_cancel(t);
	if (t->in_map)
		xk_map_unbind(tp->conns, &t->key);
	tp->st.nstate[t->state]--;
	if (t->prev)
		t->prev->next = t->next;
	else
		tp->all = t->next;
	if (t->next)
		t->next->prev = t->prev;
	tcp_sbuf_fini(&t->sb);
	tcp_rbuf_fini(&t->rb);
	if (t->s->down)
		xk_close(t->s->down);
	xk_sess_free(t->s);
}

void tcp_maybe_free(struct tcb *t)
{
	if (t->user_closed && t->state == TCP_CLOSED && !t->busy)
		tcb_free(t);
}

/* A deterministic initial sequence number: the clock (4 us ticks, RFC 793) plus a per-connection step. */
static uint32_t choose_iss(struct tcp_proto *tp, const struct tcp_key *k)
{
	uint32_t x = (uint32_t)(xk_now(tp->self->host) / 4000) + tp->iss_count++ * 0x10000u;

	return x ^ (k->lport * 0x9e3779b1u) ^ (k->rport * 0x85ebca6bu) ^ k->rip;
}

int tcp_tcb_new(struct tcp_proto *tp, xk_proto_t *hlp, xk_sess_t *lls,
		const struct tcp_key *key, struct tcb **out)
{
	xk_sess_t *s = xk_sess_alloc(tp->self, &tcp_sess_ops, hlp, sizeof(struct tcb));
	struct tcb *t;
	uint32_t opt = 0;
	int err;

	if (!s)
		return -ENOMEM;
	t = s->state;
	t->s = s;
	t->tp = tp;
	t->key = *key;
	t->state = TCP_CLOSED;
	tp->st.nstate[TCP_CLOSED]++;
	t->next = tp->all;
	if (tp->all)
		tp->all->prev = t;
	tp->all = t;
	tcp_timers_init(t);
	tcp_rtt_init(&t->rtt);
	t->iss = choose_iss(tp, key);
	t->snd_una = t->snd_nxt = t->snd_max = t->recover = t->iss;
	if ((err = xk_sess_control(lls, XK_CTL_IP_PSEUDOHDR, &t->ph, sizeof t->ph)) < 0 ||
	    (err = tcp_sbuf_init(&t->sb, TCP_BUF_SIZE, t->iss + 1)) < 0 ||
	    (err = tcp_rbuf_init(&t->rb, TCP_BUF_SIZE, 0)) < 0 ||
	    (err = xk_map_bind(tp->conns, key, s)) < 0) {
		t->user_closed = true;
		tcb_free(t);	/* the caller still owns lls */
		return err;
	}
	s->down = lls;
	t->in_map = true;
	xk_sess_control(lls, XK_CTL_GET_OPT_PACKET, &opt, sizeof opt);
	t->my_mss = opt > TCP_HDR_MIN + TCP_MSS_DEFAULT ? (uint16_t)(opt - TCP_HDR_MIN) : TCP_MSS_DEFAULT;
	t->mss = TCP_MSS_DEFAULT < t->my_mss ? TCP_MSS_DEFAULT : t->my_mss;
	t->cwnd = TCP_INIT_CWND * t->mss;
	t->ssthresh = UINT32_MAX;
	*out = t;
	return 0;
}

/* ---- protocol operations ---------------------------------------------- */

static uint16_t ephemeral_port(struct tcp_proto *tp)
{
	void *v;

	do {
		if (tp->next_port < TCP_EPHEMERAL)
			tp->next_port = TCP_EPHEMERAL;
		tp->next_port++;
	} while (xk_map_resolve(tp->listen, &tp->next_port, &v) == 0);
	return tp->next_port;
}

static int tcp_open(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
		    const struct xk_parts *parts, xk_sess_t **out)
{
	struct tcp_proto *tp = self->state;
	struct xk_parts ip = *parts;
	struct tcp_key key = { 0 };
	xk_sess_t *lls;
	struct tcb *t;
	int err;

	(void)hlp_type;
	if ((err = xk_part_pop_port(&ip.remote, &key.rport)) < 0 ||
	    (err = xk_part_pop_port(&ip.local, &key.lport)) < 0)
		return err;
	if (key.rport == 0)
		return -EINVAL;
	if (key.lport == 0)
		key.lport = ephemeral_port(tp);
	if ((err = xk_open(self->down[0], self, self, &ip, &lls)) < 0)
		return err;
	{
		struct xk_ip_pseudohdr ph;

		if ((err = xk_sess_control(lls, XK_CTL_IP_PSEUDOHDR, &ph, sizeof ph)) < 0) {
			xk_close(lls);
			return err;
		}
		key.lip = ph.src;
		key.rip = ph.dst;
	}
	if ((err = tcp_tcb_new(tp, hlp, lls, &key, &t)) < 0) {
		xk_close(lls);
		return err == -EEXIST ? -EADDRINUSE : err;
	}
	tcp_event(t, TCP_EV_ACTIVE_OPEN);
	tcp_output(t);
	*out = t->s;
	return 0;
}

/* The port to listen on: the top of parts->local, not 0. */
static int listen_port(const struct xk_parts *parts, uint16_t *port)
{
	struct xk_part local = parts->local;
	int err = xk_part_pop_port(&local, port);

	return err < 0 ? err : *port == 0 ? -EINVAL : 0;
}

static int tcp_open_enable(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
			   const struct xk_parts *parts)
{
	struct tcp_proto *tp = self->state;
	uint16_t port;
	int err;

	(void)hlp_type;
	if ((err = listen_port(parts, &port)) < 0)
		return err;
	return xk_map_bind(tp->listen, &port, hlp);
}

static int tcp_open_disable(xk_proto_t *self, xk_proto_t *hlp, xk_proto_t *hlp_type,
			    const struct xk_parts *parts)
{
	struct tcp_proto *tp = self->state;
	uint16_t port;
	int err;

	(void)hlp;
	(void)hlp_type;
	if ((err = listen_port(parts, &port)) < 0)
		return err;
	return xk_map_unbind(tp->listen, &port);
}

/* IP made a session for a new peer: TCP takes it only when a connection does (tcp_input.c). */
static int tcp_open_done(xk_proto_t *self, xk_proto_t *llp, xk_sess_t *lls,
			 const struct xk_parts *parts)
{
	(void)self;
	(void)llp;
	(void)lls;
	(void)parts;
	return 0;
}

static int copy_out(void *buf, size_t len, const void *val, size_t n)
{
	if (len < n)
		return -ENOSPC;
	memcpy(buf, val, n);
	return (int)n;
}

static int tcp_proto_control(xk_proto_t *self, int op, void *buf, size_t len)
{
	struct tcp_proto *tp = self->state;

	switch (op) {
	case XK_TCP_CTL_GET_STATS:
		return copy_out(buf, len, &tp->st, sizeof tp->st);
	case XK_TCP_CTL_SET_TIME_WAIT:
		if (len != sizeof tp->time_wait_ns)
			return -EINVAL;
		memcpy(&tp->time_wait_ns, buf, len);
		return 0;
	case XK_TCP_CTL_SET_SACK:
		if (len != sizeof(int))
			return -EINVAL;
		tp->sack = *(const int *)buf != 0;
		return 0;
	case XK_CTL_GET_MAX_PACKET:
	case XK_CTL_GET_OPT_PACKET:
		return xk_control(self->down[0], op, buf, len);
	default:
		return -EOPNOTSUPP;
	}
}

static void tcp_destroy(xk_proto_t *self)
{
	struct tcp_proto *tp = self->state;

	while (tp->all)
		tcb_free(tp->all);
}

static const struct xk_proto_ops tcp_proto_ops = {
	.open = tcp_open,
	.open_enable = tcp_open_enable,
	.open_disable = tcp_open_disable,
	.open_done = tcp_open_done,
	.demux = tcp_demux,
	.control = tcp_proto_control,
	.destroy = tcp_destroy,
};

static void tcp_fill(xk_proto_t *p, void *arg)
{
	struct tcp_proto *tp = p->state;

	(void)arg;
	tp->self = p;
	tp->time_wait_ns = 2 * TCP_MSL_NS;
	tp->sack = true;
	/*
	 * ephemeral ports from a point the clock picks: a program run again at
	 * once does not meet its last run's connections (a peer still in
	 * LAST_ACK); on the virtual clock, from 0, the same every run
	 */
	tp->next_port = (uint16_t)(TCP_EPHEMERAL + xk_now(p->host) / 1000 % (65536 - TCP_EPHEMERAL - 1024));
}

/* conns holds sessions, but TCBs are freed through tp->all (tcp_destroy). */
static const struct xk_map_spec tcp_maps[] = {
	{ offsetof(struct tcp_proto, conns), sizeof(struct tcp_key), 64, false },
	{ offsetof(struct tcp_proto, listen), sizeof(uint16_t), 16, false },
};

static const struct xk_proto_spec tcp_spec = {
	.ops = &tcp_proto_ops, .size = sizeof(struct tcp_proto), .min_down = 1,
	.fill = tcp_fill, .maps = tcp_maps, .nmaps = 2, .below = XK_BELOW_ENABLE,
};

int xk_tcp_init(xk_proto_t *p, void *arg)
{
	return xk_proto_start(p, &tcp_spec, arg);
}

/* ---- session operations ----------------------------------------------- */

static bool can_send(enum tcp_state s)
{
	return s == TCP_SYN_SENT || s == TCP_SYN_RCVD || s == TCP_ESTABLISHED || s == TCP_CLOSE_WAIT;
}

static int walk_append(const uint8_t *p, size_t n, void *arg)
{
	return tcp_sbuf_append(arg, p, n);
}

static int tcp_sess_push(xk_sess_t *s, msg_t *m)
{
	struct tcb *t = tcp_tcb(s);
	int err = 0;

	if (!can_send(t->state) || t->fin_queued)
		err = -EPIPE;
	else if (msg_len(m) > tcp_sbuf_space(&t->sb))
		err = -ENOBUFS;
	else
		err = msg_walk(m, 0, msg_len(m), walk_append, &t->sb);
	msg_free(m);
	if (err == 0)
		tcp_output(t);
	return err;
}

/* No more data from the user: FIN follows the queued data (once established). */
static void shutdown_send(struct tcb *t)
{
	if (t->fin_queued)
		return;
	switch (t->state) {
	case TCP_SYN_SENT:
	case TCP_SYN_RCVD:
		t->fin_queued = true;	/* sent once established (tcp_input.c) */
		break;
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
		t->fin_queued = true;
		tcp_event(t, TCP_EV_CLOSE);
		tcp_output(t);
		break;
	default:
		break;
	}
}

/* The user is done: FIN after the queued data, or end at once where nothing was said yet. */
static void user_close(struct tcb *t)
{
	t->user_closed = true;
	if (t->state == TCP_SYN_SENT)
		tcp_event(t, TCP_EV_CLOSE);
	else
		shutdown_send(t);
	tcp_maybe_free(t);
}

void tcp_passive_established(struct tcb *t)
{
	struct xk_parts parts;
	xk_sess_t *s = t->s;

	memset(&parts, 0, sizeof parts);
	xk_part_push_ip(&parts.remote, t->key.rip);
	xk_part_push_port(&parts.remote, t->key.rport);
	xk_part_push_ip(&parts.local, t->key.lip);
	xk_part_push_port(&parts.local, t->key.lport);
	t->passive = false;
	t->user_closed = false;
	/* s->refs is TCP's 1 from allocation: the user keeps s only if it took its own. */
	if (!s->up->ops->open_done) {
		/* a user that tracks no sessions: TCP keeps s until the peer closes */
		t->auto_close = true;
		return;
	}
	xk_open_done(s->up, t->tp->self, s, &parts);
	if (--s->refs == 0)
		user_close(t);
}

static int tcp_sess_close(xk_sess_t *s)
{
	user_close(tcp_tcb(s));
	return 0;
}

static int tcp_sess_control(xk_sess_t *s, int op, void *buf, size_t len)
{
	struct tcb *t = tcp_tcb(s);
	uint32_t v;
	int st;

	switch (op) {
	case XK_CTL_SET_NODELAY:
		if (len != sizeof(int))
			return -EINVAL;
		memcpy(&st, buf, sizeof st);
		t->nodelay = st != 0;
		if (t->nodelay)
			tcp_output(t);
		return 0;
	case XK_TCP_CTL_SET_READING:
		if (len != sizeof(int))
			return -EINVAL;
		memcpy(&st, buf, sizeof st);
		t->rcv_edge = t->rb.nxt + tcp_rcv_window(t);
		t->not_reading = st == 0;
		if (st) {
			t->ack_now = true;	/* the window update */
			tcp_output(t);
		}
		return 0;
	case XK_TCP_CTL_SHUTDOWN:
		shutdown_send(t);
		return 0;
	case XK_TCP_CTL_GET_STATE:
		st = t->state;
		return copy_out(buf, len, &st, sizeof st);
	case XK_TCP_CTL_GET_SNDSPACE:
		v = can_send(t->state) && !t->fin_queued ? tcp_sbuf_space(&t->sb) : 0;
		return copy_out(buf, len, &v, sizeof v);
	case XK_TCP_CTL_GET_RCV_NXT:
		return copy_out(buf, len, &t->rb.nxt, sizeof t->rb.nxt);
	case XK_TCP_CTL_GET_UNSENT:
		return copy_out(buf, len, &t->sb.len, sizeof t->sb.len);
	case XK_CTL_GET_MY_HOST:
		return copy_out(buf, len, &t->key.lip, sizeof t->key.lip);
	case XK_CTL_GET_PEER_HOST:
		return copy_out(buf, len, &t->key.rip, sizeof t->key.rip);
	case XK_CTL_GET_MY_PORT:
		return copy_out(buf, len, &t->key.lport, sizeof t->key.lport);
	case XK_CTL_GET_PEER_PORT:
		return copy_out(buf, len, &t->key.rport, sizeof t->key.rport);
	case XK_CTL_GET_MAX_PACKET:
	case XK_CTL_GET_OPT_PACKET:
		v = t->mss;
		return copy_out(buf, len, &v, sizeof v);
	default:
		return -EOPNOTSUPP;
	}
}
