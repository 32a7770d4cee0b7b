/*
 * tcp_timer.c - TCP's timers on the host's event manager: retransmission
 * (with backoff, and as the persist timer for a zero window), delayed ACK,
 * and TIME_WAIT.
 */
#include "tcp_seq.h"
#include "tcp_tcb.h"

/* Nothing acknowledged for too long: go back to snd_una with a one-segment window. */
static void rexmt_fire(void *arg)
{
	struct tcb *t = arg;
	uint32_t flight = t->snd_max - t->snd_una;

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
	t->ssthresh = flight / 2 > 2u * t->mss ? flight / 2 : 2u * t->mss;
	t->cwnd = t->mss;
	t->in_recovery = false;
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
	xk_event_schedule(tcp_events(t), &t->rexmt_ev, tcp_rtt_timeout(&t->rtt));
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
