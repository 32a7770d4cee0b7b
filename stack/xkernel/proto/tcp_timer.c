/*
 * tcp_timer.c - TCP's timers on the host's event manager: retransmission
 * (with backoff, and as the persist timer for a zero window), delayed ACK,
 * and TIME_WAIT.
 */
#include "tcp_seq.h"
#include "tcp_tcb.h"

/*
 * Tail loss probe (RFC 8985 7): no ACK for two round trips. One new segment
 * if the window takes it, else the last one again: its ACK (with SACKs)
 * shows what is lost, for a fast retransmit instead of a timeout. In
 * recovery (beyond RFC 8985, for lack of RACK) the first hole again.
 */
static void tail_probe(struct tcb *t)
{
	uint32_t end = tcp_data_end(t), sent = tcp_seq_min(t->snd_max, end), wend = t->snd_una + t->snd_wnd;
	uint32_t n;

	t->tlp = TCP_TLP_OFF;
	t->tp->st.tail_probes++;
	if (t->nsacked && !t->in_recovery) {
		tcp_enter_recovery(t);	/* SACKed above a hole two round trips old: it is lost (as RACK) */
	} else if (t->nsacked && tcp_seq_lt(t->snd_una, t->sacked[0].start)) {
		/* in recovery a hole's retransmission got lost: the holes again, from the first */
		t->rexmt_hi = t->snd_una;
		t->rexmt_round = t->snd_max;
		tcp_sack_rexmit(t);
	} else if (t->snd_nxt == t->snd_max && tcp_seq_lt(t->snd_max, end) && tcp_seq_lt(t->snd_max, wend)) {
		n = tcp_seq_min(tcp_seq_min(end, wend) - t->snd_max, t->mss);
		tcp_send_segment(t, t->snd_max, n, 0);
		t->snd_nxt = t->snd_max;
	} else {
		n = tcp_seq_min(sent - t->snd_una, t->mss);
		tcp_send_segment(t, sent - n, n, tcp_seq_gt(t->snd_max, end) ? TCP_FIN : 0);
	}
	tcp_rexmt_arm(t);
}

/* Nothing acknowledged for too long: go back to snd_una with a one-segment window. */
static void rexmt_fire(void *arg)
{
	struct tcb *t = arg;
	uint32_t flight = t->snd_max - t->snd_una;

	if (t->tlp_armed) {
		t->tlp_armed = false;
		if (flight && flight <= t->mss && t->tlp == TCP_TLP_ON) {
			/* the peer may be delaying its ACK of a lone segment (RFC 8985 7.2) */
			t->tlp = TCP_TLP_WAITED;
			t->tlp_armed = true;
			xk_event_schedule(tcp_events(t), &t->rexmt_ev, TCP_DELACK_NS);
			return;
		}
		if (flight && t->snd_wnd && tcp_sends_data(t->state)) {
			tail_probe(t);
			return;
		}
		t->tlp = TCP_TLP_OFF;	/* no time for a probe (a zero window, a handshake): the timeout */
		tcp_rexmt_arm(t);
		return;
	}

	if (t->snd_wnd == 0 && tcp_sends_data(t->state) && tcp_seq_lt(t->snd_una, tcp_data_end(t))) {
		/* persist: probe the zero window with its first byte, backing off but never giving up */
		/* snd_nxt stays: once the window opens the byte goes again unless its ACK came */
		t->tp->st.persist_probes++;
		tcp_send_segment(t, t->snd_una, 1, 0);
		if (t->rtt.backoff < TCP_BACKOFF_MAX)
			t->rtt.backoff++;
		tcp_rexmt_arm(t);
		return;
	}
	if (flight == 0)
		return;
	/* a half-open connection (maybe a spoofed SYN's) gets few retries */
	if ((t->state == TCP_SYN_RCVD && t->rtt.backoff >= TCP_SYNACK_RETRIES) ||
	    !tcp_rtt_backoff(&t->rtt)) {
		/* at snd_una, the peer's RCV.NXT unless it got more: exact, not challenged (RFC 5961) */
		struct tcp_hdr h = { .sport = t->key.rport, .dport = t->key.lport,
				     .ack = t->snd_una, .flags = TCP_ACK };

		tcp_send_rst(t->tp, t->s->down, &t->ph, &h, 0);
		tcp_event(t, TCP_EV_TIMEOUT);
		if (!t->user_closed) {
			msg_t eof;

			msg_init(&eof);
			tcp_deliver(t, &eof);
		}
		tcp_maybe_free(t);
		return;
	}
	t->tp->st.rexmit_timeouts++;
	t->tlp = TCP_TLP_OFF;	/* no probe until an ACK: the backoff rules */
	t->ssthresh = flight / 2 > 2u * t->mss ? flight / 2 : 2u * t->mss;
	t->cwnd = t->mss;
	t->in_recovery = false;
	t->undo_ok = false;	/* a timeout's losses are not undone */
	t->recover = t->snd_max;	/* no fast retransmit for duplicates of what went before (RFC 6582 4.1) */
	t->dupacks = 0;
	t->rtt_timing = false;	/* Karn: no sample from a retransmitted segment */
	t->snd_nxt = t->snd_una;
	tcp_output(t);
}

static void delack_fire(void *arg)
{
	struct tcb *t = arg;

	t->tp->st.delayed_acks++;
	t->ack_now = true;
	tcp_output(t);
}

static void timewait_fire(void *arg)
{
	struct tcb *t = arg;

	tcp_event(t, TCP_EV_TIMEOUT);
	tcp_maybe_free(t);
}

void tcp_timers_init(struct tcb *t)
{
	xk_event_init(&t->rexmt_ev, rexmt_fire, t);
	xk_event_init(&t->delack_ev, delack_fire, t);
	xk_event_init(&t->timewait_ev, timewait_fire, t);
}

void tcp_timers_cancel(struct tcb *t)
{
	xk_events_t *ev = tcp_events(t);

	xk_event_cancel(ev, &t->rexmt_ev);
	xk_event_cancel(ev, &t->delack_ev);
	xk_event_cancel(ev, &t->timewait_ev);
}

void tcp_rexmt_arm(struct tcb *t)
{
	uint64_t to = tcp_rtt_timeout(&t->rtt);

	/* the tail loss probe's time when sooner: cheap here, the rest is checked when it fires */
	t->tlp_armed = t->tlp != TCP_TLP_OFF && t->rtt.pto < to;
	xk_event_schedule(tcp_events(t), &t->rexmt_ev, t->tlp_armed ? t->rtt.pto : to);
}

void tcp_delack_arm(struct tcb *t)
{
	if (!t->delack_ev.pending)
		xk_event_schedule(tcp_events(t), &t->delack_ev, TCP_DELACK_NS);
}

void tcp_timewait_start(struct tcb *t)
{
	xk_events_t *ev = tcp_events(t);

	xk_event_cancel(ev, &t->rexmt_ev);
	xk_event_cancel(ev, &t->delack_ev);
	xk_event_schedule(ev, &t->timewait_ev, t->tp->time_wait_ns);
}
