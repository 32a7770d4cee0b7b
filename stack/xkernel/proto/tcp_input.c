/*
 * tcp_input.c - segments arriving: demux (validate, checksum, find the
 * connection or a listener) and pop (RFC 793 "SEGMENT ARRIVES": window
 * check, RST, ACK with fast retransmit, data with reassembly, FIN).
 */
#include "tcp_seq.h"
#include "tcp_tcb.h"

static enum xk_drop decode_drop(int err)
{
	return err == -EBADMSG ? XK_DROP_LEN : err == -EPROTO ? XK_DROP_OPTION : XK_DROP_SHORT;
}

/* Half-open (SYN_RCVD) connections on lport; the oldest in *oldest. */
static unsigned half_open(const struct tcp_proto *tp, uint16_t lport, struct tcb **oldest)
{
	unsigned n = 0;

	for (struct tcb *t = tp->all; t; t = t->next)	/* newest first */
		if (t->passive && t->state == TCP_SYN_RCVD && t->key.lport == lport) {
			n++;
			*oldest = t;
		}
	return n;
}

/* A new connection for a listened port, in LISTEN: pop moves it on. */
static int new_passive(struct tcp_proto *tp, xk_proto_t *hlp, xk_sess_t *lls,
		       const struct tcp_key *key, struct tcb **out)
{
	int err;

	xk_sess_ref(lls);
	if ((err = tcp_tcb_new(tp, hlp, lls, key, out)) < 0) {
		xk_close(lls);
		return err;
	}
	(*out)->passive = true;
	(*out)->user_closed = true;	/* no user until open_done */
	tcp_event(*out, TCP_EV_PASSIVE_OPEN);
	return 0;
}

static void take_syn(struct tcb *t, const struct tcp_hdr *h);

/*
 * The ACK of a SYN-ACK that carried a cookie: the connection in SYN_RCVD as
 * if we had kept it, its ISS and the peer's ISN from the ACK, the MSS from
 * the cookie; pop then takes the ACK as usual.
 */
static int cookie_passive(struct tcp_proto *tp, xk_proto_t *hlp, xk_sess_t *lls,
			  const struct tcp_key *key, const struct tcp_hdr *h, struct tcb **out)
{
	uint16_t mss = tcp_cookie_check(tp, key, h, xk_now(tp->self->host));
	struct tcp_hdr syn = { .seq = h->seq - 1, .ack = h->ack, .win = h->win, .mss = mss };
	struct tcb *t;
	int err;

	if (!mss) {
		tp->st.syn_cookies_bad++;
		return -ENOENT;
	}
	if ((err = new_passive(tp, hlp, lls, key, &t)) < 0)
		return err;
	t->iss = t->snd_una = h->ack - 1;
	t->snd_nxt = t->snd_max = t->sb.una = h->ack;	/* the ring is empty: any start */
	take_syn(t, &syn);
	tcp_event(t, TCP_EV_RCV_SYN);
	tcp_rexmt_arm(t);	/* as after our own SYN-ACK */
	tp->st.syn_cookies_ok++;
	*out = t;
	return 0;
}

/*
 * A segment for no connection: a SYN for a listened port makes one, the ACK
 * of a cookie too; anything else gets a RST. A full backlog answers a SYN
 * with a SYN cookie, or (cookies off) drops its oldest half-open connection:
 * then the newest SYNs get their round trip's time, and a burst of more than
 * the backlog evicts a real handshake. Returns 0 with the session in *v, 1
 * for a SYN answered with a cookie, or -1 to drop it for *why. Out of
 * tcp_demux's way but not cold: a passive open runs it (once per connection).
 */
__attribute__((noinline)) static int no_conn(struct tcp_proto *tp, xk_sess_t *lls,
					     const struct xk_ip_pseudohdr *ph,
					     const struct tcp_key *key, const struct tcp_hdr *h,
					     uint32_t len, void **v, enum xk_drop *why)
{
	uint8_t kind = h->flags & (TCP_SYN | TCP_ACK | TCP_RST);
	struct tcb *t = NULL, *oldest = NULL;
	void *hlp;
	int err = -ENOENT;

	if (xk_map_resolve(tp->listen, &key->lport, &hlp) != 0 || (kind != TCP_SYN && kind != TCP_ACK)) {
		tcp_send_rst(tp, lls, ph, h, len);
		*why = XK_DROP_NOSESS;
		return -1;
	}
	if (kind == TCP_ACK) {
		if (!tp->syn_cookies || (err = cookie_passive(tp, hlp, lls, key, h, &t)) == -ENOENT)
			tcp_send_rst(tp, lls, ph, h, len);
	} else if (half_open(tp, key->lport, &oldest) < TCP_BACKLOG) {
		err = new_passive(tp, hlp, lls, key, &t);
	} else if (tp->syn_cookies) {
		tcp_cookie_synack(tp, lls, ph, key, h);
		return 1;
	} else {
		tp->st.half_open_evicted++;
		tcp_event(oldest, TCP_EV_TIMEOUT);
		tcp_maybe_free(oldest);
		err = new_passive(tp, hlp, lls, key, &t);
	}
	if (err < 0) {
		*why = err == -ENOENT ? XK_DROP_NOSESS : XK_DROP_NOMEM;
		return -1;
	}
	*v = t->s;
	return 0;
}

int tcp_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	struct tcp_proto *tp = self->state;
	size_t len = msg_len(m);
	struct xk_ip_pseudohdr ph;
	struct tcp_key key;
	struct tcp_hdr h;
	enum xk_drop why;
	const uint8_t *p;
	void *v;
	int err;

	p = msg_peek(m, len < TCP_HDR_MAX ? len : TCP_HDR_MAX);
	if (!p)
		return xk_drop(self, XK_DROP_SHORT, m);
	if ((err = tcp_hdr_decode(p, len < TCP_HDR_MAX ? len : TCP_HDR_MAX, len, &h)) < 0)
		return xk_drop(self, decode_drop(err), m);
	if (xk_sess_control(lls, XK_CTL_IP_PSEUDOHDR, &ph, sizeof ph) < 0)
		return xk_drop(self, XK_DROP_NOSESS, m);
	if (xk_ip_pseudo_csum(&ph, m) != 0)
		return xk_drop(self, XK_DROP_CSUM, m);
	key = (struct tcp_key){ .lip = ph.src, .rip = ph.dst, .lport = h.dport, .rport = h.sport };
	if (xk_map_resolve(tp->conns, &key, &v) != 0 &&
	    (err = no_conn(tp, lls, &ph, &key, &h, (uint32_t)(len - h.hlen), &v, &why)) != 0) {
		if (err < 0)
			return xk_drop(self, why, m);
		msg_free(m);	/* a SYN answered with a cookie */
		return 0;
	}
	msg_pop(m, NULL, h.hlen);
	tp->st.segs_in++;
	return xk_pop(v, lls, m, &h);
}

static uint16_t peer_mss(const struct tcb *t, const struct tcp_hdr *h)
{
	uint16_t mss = h->mss ? h->mss : TCP_MSS_DEFAULT;

	return mss < t->my_mss ? mss : t->my_mss;
}

/* The peer's SYN: its sequence numbers, MSS and window. */
static void take_syn(struct tcb *t, const struct tcp_hdr *h)
{
	t->irs = h->seq;
	t->rb.nxt = h->seq + 1;
	t->mss = peer_mss(t, h);
	t->cwnd = TCP_INIT_CWND * t->mss;
	t->snd_wnd = h->win;
	t->snd_wl1 = h->seq;
	t->snd_wl2 = h->ack;
	t->sack_ok = h->sack_ok && t->tp->sack;
	t->tlp = t->sack_ok;	/* TCP_TLP_ON with SACK */
}

static void input_listen(struct tcb *t, const struct tcp_hdr *h)
{
	take_syn(t, h);
	tcp_event(t, TCP_EV_RCV_SYN);
	tcp_output(t);		/* SYN-ACK */
}

static void reset(struct tcb *t)
{
	msg_t eof;

	t->tp->st.rsts_in++;
	tcp_event(t, TCP_EV_RCV_RST);
	msg_init(&eof);
	tcp_deliver(t, &eof);
}

static void input_syn_sent(struct tcb *t, const struct tcp_hdr *h, uint32_t len)
{
	bool ack_ok = (h->flags & TCP_ACK) && tcp_seq_gt(h->ack, t->iss) &&
		      tcp_seq_le(h->ack, t->snd_max);

	if ((h->flags & TCP_ACK) && !ack_ok) {
		tcp_send_rst(t->tp, t->s->down, &t->ph, h, len);
		return;
	}
	if (h->flags & TCP_RST) {
		if (ack_ok)
			reset(t);
		return;
	}
	if (!(h->flags & TCP_SYN))
		return;
	take_syn(t, h);
	if (!ack_ok) {
		/* simultaneous open: answer with SYN-ACK */
		tcp_event(t, TCP_EV_RCV_SYN);
		t->snd_nxt = t->iss;
		tcp_output(t);
		return;
	}
	t->snd_una = h->ack;
	if (t->rtt_timing) {
		tcp_rtt_sample(&t->rtt, tcp_now(t) - t->rtt_start);
		t->rtt_timing = false;
	}
	xk_event_cancel(tcp_events(t), &t->rexmt_ev);
	tcp_event(t, TCP_EV_RCV_SYNACK);
	if (t->fin_queued)
		tcp_event(t, TCP_EV_CLOSE);	/* shut down while in SYN_SENT */
	t->ack_now = true;
	tcp_output(t);
}

static bool acceptable(const struct tcb *t, const struct tcp_hdr *h, uint32_t len)
{
	uint32_t nxt = t->rb.nxt, wnd = tcp_rcv_window(t);
	uint32_t slen = len + !!(h->flags & TCP_SYN) + !!(h->flags & TCP_FIN);

	if (slen == 0)
		return wnd == 0 ? h->seq == nxt : tcp_seq_in(h->seq, nxt, nxt + wnd);
	return wnd > 0 && (tcp_seq_in(h->seq, nxt, nxt + wnd) ||
			   tcp_seq_in(h->seq + slen - 1, nxt, nxt + wnd));
}

static void retransmit_first(struct tcb *t)
{
	uint32_t end = tcp_data_end(t), n = 0;
	uint8_t flags = 0;

	if (tcp_seq_lt(t->snd_una, end))
		n = end - t->snd_una < t->mss ? end - t->snd_una : t->mss;
	if (n > t->snd_wnd)
		n = t->snd_wnd;	/* never past the window: a zero one gets only the persist probe */
	if (t->fin_queued && t->snd_una + n == end && tcp_seq_gt(t->snd_max, end))
		flags = TCP_FIN;
	if (n || flags)
		tcp_send_segment(t, t->snd_una, n, flags);
}

/* Fast retransmit and fast recovery: NewReno (RFC 6582), or by the pipe with SACK (RFC 6675). */
void tcp_enter_recovery(struct tcb *t)
{
	uint32_t flight = t->snd_max - t->snd_una;

	t->tp->st.fast_rexmits++;
	t->undo_ok = true;
	t->undo_marker = t->snd_una;
	t->undo_retrans = 0;
	t->prior_cwnd = t->cwnd;
	t->prior_ssthresh = t->ssthresh;
	t->ssthresh = flight / 2 > 2u * t->mss ? flight / 2 : 2u * t->mss;
	t->recover = t->snd_max;
	t->in_recovery = true;
	t->rtt_timing = false;
	if (t->sack_ok) {
		t->cwnd = t->ssthresh;
		t->rexmt_hi = t->snd_una;
		t->rexmt_round = t->snd_max;
		t->snd_nxt = t->snd_max;	/* no going back after a timeout: the holes are known */
		tcp_sack_rexmit(t);	/* the first hole at once, whatever the pipe */
	} else {
		t->cwnd = t->ssthresh + TCP_DUPACK_THRESH * t->mss;
		retransmit_first(t);
	}
}

/*
 * A duplicate ACK, or (SACK) an ACK that SACKs more. Without SACK, after a
 * timeout the duplicates of what went out before it start no recovery (RFC
 * 6582 4.1); SACKs tell those apart (they SACK nothing new).
 */
static void dup_ack(struct tcb *t)
{
	t->tp->st.dup_acks++;
	if (++t->dupacks >= TCP_DUPACK_THRESH && !t->in_recovery &&
	    (t->sack_ok || tcp_seq_ge(t->snd_una, t->recover))) {
		tcp_enter_recovery(t);
	} else if (t->dupacks < TCP_DUPACK_THRESH && !t->in_recovery) {
		tcp_send_new(t);	/* limited transmit (RFC 3042): keeps the ACKs coming */
	} else if (t->dupacks > TCP_DUPACK_THRESH && t->in_recovery && !t->sack_ok)
		t->cwnd += t->mss;	/* each dup ACK is a segment that left the network */
}

static void new_ack(struct tcb *t, uint32_t ack)
{
	uint32_t acked = ack - t->snd_una;

	if (t->rtt_timing && tcp_seq_gt(ack, t->rtt_seq)) {
		tcp_rtt_sample(&t->rtt, tcp_now(t) - t->rtt_start);
		t->rtt_timing = false;
	}
	t->rtt.backoff = 0;	/* the peer is alive: back to the estimated RTO (as BSD) */
	t->tlp = t->sack_ok;	/* TCP_TLP_ON with SACK */
	tcp_sbuf_ack(&t->sb, ack);
	t->snd_una = ack;
	if (tcp_seq_lt(t->snd_nxt, ack))
		t->snd_nxt = ack;
	t->dupacks = 0;
	if (t->nsacked)
		tcp_sack_acked(t);
	if (t->in_recovery) {
		if (tcp_seq_ge(ack, t->recover)) {
			t->in_recovery = false;
			t->cwnd = t->ssthresh;
		} else if (!t->sack_ok) {
			/* partial ACK: the next hole is lost too (with SACK, output fills the holes) */
			retransmit_first(t);
		}
	} else if (t->cwnd < TCP_CWND_MAX) {
		if (t->cwnd < t->ssthresh)
			t->cwnd += acked < t->mss ? acked : t->mss;
		else
			t->cwnd += (uint32_t)t->mss * t->mss / t->cwnd + 1;
	}
	if (t->snd_una == t->snd_max)
		xk_event_cancel(tcp_events(t), &t->rexmt_ev);
	else
		tcp_rexmt_arm(t);
}

/* Returns false when the segment must go no further. */
static bool input_ack(struct tcb *t, const struct tcp_hdr *h, uint32_t len)
{
	uint32_t ack = h->ack;
	bool fin_sent = t->fin_queued && tcp_seq_gt(t->snd_max, tcp_data_end(t)), more_sacked;

	if (t->state == TCP_SYN_RCVD) {
		if (!tcp_seq_gt(ack, t->snd_una) || tcp_seq_gt(ack, t->snd_max)) {
			tcp_send_rst(t->tp, t->s->down, &t->ph, h, len);
			return false;
		}
		tcp_event(t, TCP_EV_SYN_ACKED);
		t->snd_wnd = h->win;
		t->snd_wl1 = h->seq;
		t->snd_wl2 = ack;
	}
	if (tcp_seq_gt(ack, t->snd_max)) {
		tcp_challenge_ack(t);	/* acknowledges what we never sent (RFC 5961 5.2) */
		return false;
	}
	more_sacked = h->nsack && tcp_sack_input(t, h);
	if (tcp_seq_gt(ack, t->snd_una))
		new_ack(t, ack);
	else if (ack == t->snd_una && t->snd_max != t->snd_una &&
		 (t->sack_ok ? more_sacked :
		  len == 0 && !(h->flags & (TCP_SYN | TCP_FIN)) && h->win == t->snd_wnd && t->snd_wnd != 0))
		/*
		 * with SACK, an ACK that SACKs more (data on it or not, RFC 6675); without, a
		 * pure ACK changing nothing (RFC 5681): not a refused zero-window probe's
		 */
		dup_ack(t);
	if (more_sacked && !t->in_recovery && tcp_sack_lost(t))
		tcp_enter_recovery(t);
	if (tcp_seq_lt(t->snd_wl1, h->seq) || (t->snd_wl1 == h->seq && tcp_seq_le(t->snd_wl2, ack))) {
		t->snd_wnd = h->win;
		t->snd_wl1 = h->seq;
		t->snd_wl2 = ack;
	}
	if (fin_sent && ack == tcp_data_end(t) + 1)
		tcp_event(t, TCP_EV_FIN_ACKED);
	return t->state != TCP_CLOSED;
}

struct store_ctx {
	struct tcb *t;
	uint32_t seq, ready;
};

static int walk_store(const uint8_t *p, size_t n, void *arg)
{
	struct store_ctx *c = arg;

	c->ready += tcp_rbuf_store(&c->t->rb, c->seq, p, n);
	c->seq += (uint32_t)n;
	return 0;
}

static bool receives_data(enum tcp_state s)
{
	return s == TCP_ESTABLISHED || s == TCP_FIN_WAIT_1 || s == TCP_FIN_WAIT_2;
}

/* Data and FIN of an acceptable segment; consumes m. */
static void input_data(struct tcb *t, const struct tcp_hdr *h, msg_t *m)
{
	uint32_t seq = h->seq, len = (uint32_t)msg_len(m), nxt = t->rb.nxt;
	uint32_t wnd_end = nxt + tcp_rcv_window(t);
	bool fin = h->flags & TCP_FIN;

	if (!receives_data(t->state)) {
		msg_free(m);
		return;
	}
	if (tcp_seq_lt(seq, nxt)) {
		uint32_t d = nxt - seq < len ? nxt - seq : len;

		msg_pop(m, NULL, d);
		seq += d;
		len -= d;
	}
	if (tcp_seq_gt(seq + len, wnd_end)) {
		len = tcp_seq_gt(wnd_end, seq) ? wnd_end - seq : 0;
		msg_truncate(m, len);
		fin = false;
	}
	if (len && seq == nxt && t->rb.nivl == 0) {
		/* in order with no hole: the fast path, no copy */
		tcp_rbuf_skip(&t->rb, len);
		t->acks_pending++;
		tcp_deliver(t, m);
	} else if (len) {
		struct store_ctx c = { t, seq, 0 };

		if (seq != nxt) {
			t->tp->st.ooo_segs++;
			t->sack_last = seq;
		}
		msg_walk(m, 0, len, walk_store, &c);
		msg_free(m);
		t->ack_now = true;	/* a hole, or one just filled: tell the sender now */
		if (c.ready) {
			msg_t r;
			void *p;

			if (msg_alloc(xk_host_pool(t->s->proto->host), &r, c.ready, &p) == 0) {
				tcp_rbuf_copy(&t->rb, nxt, p, c.ready);
				tcp_deliver(t, &r);
			}
		}
	} else {
		msg_free(m);
	}
	if (fin && seq + len == t->rb.nxt && t->rb.nivl == 0 && receives_data(t->state)) {
		msg_t eof;

		tcp_rbuf_skip(&t->rb, 1);
		t->fin_rcvd = true;
		t->ack_now = true;
		tcp_event(t, TCP_EV_RCV_FIN);
		msg_init(&eof);
		tcp_deliver(t, &eof);
		if (t->auto_close) {
			t->auto_close = false;
			xk_close(t->s);
		}
	}
	if (t->acks_pending >= 2)
		t->ack_now = true;
	else if (t->acks_pending)
		tcp_delack_arm(t);
}

/* Past the right edge we advertised: a sender's bug (Linux counts them as TcpExtBeyondWindow). */
static bool beyond_window(const struct tcb *t, const struct tcp_hdr *h, uint32_t len)
{
	uint32_t wnd = tcp_rcv_window(t), edge = t->rb.nxt + wnd;

	if (len == 0)
		return tcp_seq_gt(h->seq, edge);
	/* a zero window's probe (RFC 9293 3.8.6.1) */
	if (wnd == 0 && len == 1 && h->seq == t->rb.nxt)
		return false;
	return tcp_seq_gt(h->seq + len, edge);
}

static void input_sync(struct tcb *t, const struct tcp_hdr *h, msg_t *m)
{
	uint32_t len = (uint32_t)msg_len(m);

	if (beyond_window(t, h, len))
		t->tp->st.beyond_window++;
	if (!acceptable(t, h, len)) {
		/* old duplicate or beyond the window: re-acknowledge (RFC 793) */
		if (!(h->flags & TCP_RST))
			t->ack_now = true;
		if (len && tcp_seq_le(h->seq + len, t->rb.nxt))
			tcp_dsack_note(t, h->seq, h->seq + len);
		if (t->state == TCP_TIME_WAIT && (h->flags & TCP_FIN))
			tcp_timewait_start(t);	/* the peer lost our last ACK: wait 2 MSL again (RFC 793) */
		xk_drop(t->tp->self, XK_DROP_STATE, m);
		return;
	}
	/*
	 * RFC 5961: only a RST exactly at RCV.NXT resets; another in-window RST,
	 * or any SYN, may be a blind attacker's: a challenge ACK tells the real
	 * peer where we are, and it answers with a RST that matches.
	 */
	if ((h->flags & TCP_RST) && h->seq == t->rb.nxt) {
		reset(t);
		msg_free(m);
		return;
	}
	if (h->flags & (TCP_RST | TCP_SYN)) {
		tcp_challenge_ack(t);
		msg_free(m);
		return;
	}
	if (!(h->flags & TCP_ACK) || !input_ack(t, h, len)) {
		msg_free(m);
		return;
	}
	if (t->state == TCP_ESTABLISHED && t->fin_queued)
		tcp_event(t, TCP_EV_CLOSE);	/* shut down while in SYN_RCVD */
	if (t->passive && t->state == TCP_ESTABLISHED)
		tcp_passive_established(t);
	input_data(t, h, m);
}

int tcp_pop(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr)
{
	struct tcb *t = tcp_tcb(s);
	const struct tcp_hdr *h = hdr;

	(void)lls;
	t->busy = true;
	switch (t->state) {
	case TCP_LISTEN:
		input_listen(t, h);
		msg_free(m);
		break;
	case TCP_SYN_SENT:
		input_syn_sent(t, h, (uint32_t)msg_len(m));
		msg_free(m);
		break;
	case TCP_CLOSED:
		msg_free(m);
		break;
	default:
		input_sync(t, h, m);
		break;
	}
	if (t->state != TCP_CLOSED)
		tcp_output(t);
	t->busy = false;
	tcp_maybe_free(t);
	return 0;
}
