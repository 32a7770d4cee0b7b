/*
 * tcp_output.c - deciding what to send and building segments: the sliding
 * window, the congestion window, Nagle's rule, and RSTs.
 */
#include "bytes.h"
#include "tcp_seq.h"
#include "tcp_tcb.h"

uint16_t tcp_rcv_window(const struct tcb *t)
{
	/* Data is delivered as soon as it is in order, so the whole ring is free. */
	uint32_t w = t->rb.size < TCP_WIN_MAX ? t->rb.size : TCP_WIN_MAX;

	if (t->not_reading)
		w = tcp_seq_gt(t->rcv_edge, t->rb.nxt) ? tcp_seq_min(t->rcv_edge - t->rb.nxt, w) : 0;
	return (uint16_t)w;
}

/* Put h in front of m, checksum the segment and send it on lls; consumes m. */
static int push_segment(struct tcp_proto *tp, xk_sess_t *lls, const struct xk_ip_pseudohdr *ph,
			const struct tcp_hdr *h, msg_t *m)
{
	uint8_t *p = msg_push(m, tcp_hdr_size(h));

	if (!p) {
		msg_free(m);
		return -ENOMEM;
	}
	tcp_hdr_encode(p, h);
	xk_put16(p + TCP_CSUM_OFF, 0);
	xk_put16(p + TCP_CSUM_OFF, xk_ip_pseudo_csum(ph, m));
	tp->st.segs_out++;
	return xk_push(lls, m);
}

int tcp_send_rst(struct tcp_proto *tp, xk_sess_t *lls, const struct xk_ip_pseudohdr *ph,
		 const struct tcp_hdr *in, uint32_t seglen)
{
	struct tcp_hdr h = { .sport = in->dport, .dport = in->sport, .flags = TCP_RST };

	if (in->flags & TCP_RST)
		return 0;
	if (in->flags & TCP_ACK) {
		h.seq = in->ack;
	} else {
		/* RFC 793: acknowledge everything the offending segment occupied */
		h.ack = in->seq + seglen + !!(in->flags & TCP_SYN) + !!(in->flags & TCP_FIN);
		h.flags |= TCP_ACK;
	}
	tp->st.rsts_out++;
	return tcp_send_bare(tp, lls, ph, &h);
}

int tcp_send_bare(struct tcp_proto *tp, xk_sess_t *lls, const struct xk_ip_pseudohdr *ph,
		  const struct tcp_hdr *h)
{
	msg_t m;
	void *p;
	int err;

	if ((err = msg_alloc(xk_host_pool(tp->self->host), &m, 0, &p)) < 0)
		return err;
	return push_segment(tp, lls, ph, h, &m);
}

int tcp_send_segment(struct tcb *t, uint32_t seq, uint32_t len, uint8_t flags)
{
	struct tcp_proto *tp = t->tp;
	struct tcp_hdr h;	/* field by field: the SACK blocks need no zeroing */
	uint32_t end = seq + len + !!(flags & TCP_SYN) + !!(flags & TCP_FIN);
	msg_t m;
	void *p;
	int err;

	h.sport = t->key.lport;
	h.dport = t->key.rport;
	h.seq = seq;
	h.ack = t->rb.nxt;
	h.flags = t->state != TCP_SYN_SENT ? flags | TCP_ACK : flags;
	h.win = tcp_rcv_window(t);
	h.hlen = 0;
	h.csum = h.urp = h.mss = 0;
	h.sack_ok = false;
	h.nsack = 0;
	if (flags & TCP_SYN) {
		h.mss = t->my_mss;
		h.sack_ok = t->state == TCP_SYN_SENT ? tp->sack : t->sack_ok;
	}
	if (t->sack_ok && (t->rb.nivl || t->dsack_pending))
		tcp_sack_fill(t, &h);
	if ((err = msg_alloc(xk_host_pool(tp->self->host), &m, len, &p)) < 0)
		return err;
	if (len) {
		tcp_sbuf_copy(&t->sb, seq, p, len);
		tp->st.data_segs_out++;
		tp->st.bytes_out += len;
		h.flags |= seq + len == tcp_data_end(t) ? TCP_PSH : 0;
	} else if (!(flags & (TCP_SYN | TCP_FIN))) {
		tp->st.pure_acks_out++;
	}
	/* Every segment carries the ACK: nothing is owed any more. */
	t->ack_now = false;
	t->acks_pending = 0;
	xk_event_cancel(tcp_events(t), &t->delack_ev);
	if (end != seq) {
		if (!t->rtt_timing && tcp_seq_ge(seq, t->snd_max)) {
			t->rtt_timing = true;
			t->rtt_seq = seq;
			t->rtt_start = tcp_now(t);
		}
		if (tcp_seq_gt(end, t->snd_max))
			t->snd_max = end;
		if (!t->rexmt_ev.pending)
			tcp_rexmt_arm(t);
	}
	return push_segment(tp, t->s->down, &t->ph, &h, &m);
}

/*
 * How many data bytes to send at seq now, and whether FIN goes with them.
 * Returns false when nothing should go.
 */
static bool next_segment(const struct tcb *t, uint32_t seq, uint32_t *len, uint8_t *flags)
{
	uint32_t end = tcp_data_end(t), avail = 0, usable = 0, wnd, n;
	uint32_t win_end;

	*flags = 0;
	*len = 0;
	if ((t->state == TCP_SYN_SENT || t->state == TCP_SYN_RCVD) && seq == t->iss) {
		*flags = TCP_SYN;
		return true;
	}
	if (!tcp_sends_data(t->state))
		return false;
	wnd = t->snd_wnd < t->cwnd ? t->snd_wnd : t->cwnd;
	win_end = t->snd_una + wnd;
	if (tcp_seq_lt(seq, end))
		avail = end - seq;
	if (tcp_seq_lt(seq, win_end))
		usable = win_end - seq;
	n = avail < usable ? avail : usable;
	if (n > t->mss)
		n = t->mss;
	if (n > 0 && n < t->mss && seq != t->snd_una) {
		/* Nagle: a small last piece waits for the outstanding data's ACK */
		if (n == avail && !t->nodelay && !t->fin_queued)
			n = 0;
		/* sender-side silly window avoidance: no small window-limited pieces in flight */
		if (n < avail)
			n = 0;
	}
	*len = n;
	if (t->fin_queued && seq + n == end && (n > 0 || avail == 0) && tcp_seq_le(seq, end))
		*flags = TCP_FIN;
	return n > 0 || *flags;
}

int tcp_output(struct tcb *t)
{
	bool sacked = t->nsacked != 0;	/* one test on the path where nothing was lost */

	if (sacked && t->in_recovery)
		tcp_sack_output(t);
	for (;;) {
		uint32_t seq = t->snd_nxt, len;
		uint8_t flags;

		if (sacked && tcp_seq_lt(seq, t->snd_max))
			seq = t->snd_nxt = tcp_sack_skip(t, seq);	/* going back: not what the peer holds */
		if (!next_segment(t, seq, &len, &flags)) {
			/*
			 * a pure ACK carries snd_max (after a go-back snd_nxt may be below the
			 * peer's RCV.NXT) but never past the window's right edge: a refused
			 * zero-window probe lies past it, and the peer drops such ACKs.
			 */
			if (t->ack_now && t->state != TCP_SYN_SENT && t->state != TCP_CLOSED &&
			    t->state != TCP_LISTEN)
				return tcp_send_segment(t, tcp_seq_min(t->snd_max, t->snd_una + t->snd_wnd), 0, 0);
			/* a zero window with data waiting: the persist timer probes it */
			if (t->snd_wnd == 0 && tcp_seq_lt(seq, tcp_data_end(t)) && !t->rexmt_ev.pending &&
			    tcp_sends_data(t->state))
				tcp_rexmt_arm(t);
			return 0;
		}
		t->snd_nxt = seq + len + !!(flags & TCP_SYN) + !!(flags & TCP_FIN);
		tcp_send_segment(t, seq, len, flags);
		if (flags & TCP_FIN)
			return 0;
	}
}
