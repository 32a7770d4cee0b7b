/*
 * tcp_sack.c - selective acknowledgments (RFC 2018) and the loss recovery
 * that uses them (RFC 6675, simplified): the receiver reports the
 * out-of-order ranges it holds; the sender keeps the ranges reported (its
 * scoreboard), treats every hole below the highest SACKed byte as lost, and
 * during recovery sends, while the data in the network (the pipe) is below
 * cwnd, first the holes not yet retransmitted, then new data.
 */
#include <string.h>

#include "tcp_seq.h"
#include "tcp_tcb.h"

static uint32_t sack_high(const struct tcb *t)
{
	return t->nsacked ? t->sacked[t->nsacked - 1].end : t->snd_una;
}

/*
 * A D-SACK (RFC 2883: the first block below the ACK, or inside the second)
 * for what the last recovery retransmitted: the peer had it already, it was
 * reordered, not lost. Once every retransmission is so reported, the
 * recovery is undone (RFC 3708: cwnd and ssthresh as before).
 */
static void dsack_input(struct tcb *t, const struct tcp_hdr *h)
{
	const struct tcp_sack_blk *b = &h->sack[0];

	if (!tcp_seq_lt(b->start, h->ack) &&
	    !(h->nsack > 1 && tcp_seq_ge(b->start, h->sack[1].start) && tcp_seq_le(b->end, h->sack[1].end)))
		return;
	t->tp->st.dsacks_in++;
	if (!t->undo_ok || !t->undo_retrans || tcp_seq_lt(b->start, t->undo_marker) ||
	    !tcp_seq_lt(b->start, t->recover))
		return;
	if (--t->undo_retrans)
		return;
	t->undo_ok = false;
	t->tp->st.spurious_undos++;
	if (t->cwnd < t->prior_cwnd)
		t->cwnd = t->prior_cwnd;
	if (t->ssthresh < t->prior_ssthresh)
		t->ssthresh = t->prior_ssthresh;
}

bool tcp_sack_input(struct tcb *t, const struct tcp_hdr *h)
{
	uint32_t before = tcp_sack_bytes(t);

	if (!t->sack_ok)
		return false;	/* not agreed in the handshake: ignored */
	dsack_input(t, h);
	for (unsigned i = 0; i < h->nsack; i++) {
		uint32_t s = h->sack[i].start, e = h->sack[i].end;

		/* only what we sent and is not yet cumulatively acknowledged (not a D-SACK) */
		if (tcp_seq_lt(s, h->ack))
			s = h->ack;
		if (tcp_seq_gt(e, t->snd_max))
			e = t->snd_max;
		if (tcp_seq_lt(s, e) && tcp_seq_gt(s, t->snd_una))
			tcp_ivl_add(t->sacked, &t->nsacked, TCP_SACKED_MAX, s, e);
	}
	if (t->in_recovery && tcp_seq_gt(t->rexmt_hi, t->snd_una) &&
	    tcp_seq_gt(sack_high(t), t->rexmt_round + 2u * t->mss)) {
		/* data sent after this round's retransmissions arrived, holes stay: retransmit them again */
		t->rexmt_hi = t->snd_una;
		t->rexmt_round = t->snd_max;
	}
	return tcp_sack_bytes(t) > before;
}

bool tcp_sack_lost(const struct tcb *t)
{
	uint32_t sacked = tcp_sack_bytes(t), flight = tcp_seq_min(t->snd_max, tcp_data_end(t)) - t->snd_una;

	/* DupThresh segments SACKed above the hole (RFC 6675), or, with nothing new to send,
	 * all but the first segment of a short flight (early retransmit, RFC 5827) */
	return sacked > (TCP_DUPACK_THRESH - 1) * t->mss ||
	       (!tcp_seq_lt(t->snd_max, tcp_data_end(t)) && sacked && sacked + t->mss >= flight);
}

void tcp_sack_acked(struct tcb *t)
{
	unsigned i = 0;

	while (i < t->nsacked && tcp_seq_le(t->sacked[i].end, t->snd_una))
		i++;
	if (i) {
		t->nsacked -= i;
		memmove(&t->sacked[0], &t->sacked[i], t->nsacked * sizeof t->sacked[0]);
	}
	if (t->nsacked && tcp_seq_lt(t->sacked[0].start, t->snd_una))
		t->sacked[0].start = t->snd_una;
}

uint32_t tcp_sack_bytes(const struct tcb *t)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < t->nsacked; i++)
		n += t->sacked[i].end - t->sacked[i].start;
	return n;
}

uint32_t tcp_sack_skip(const struct tcb *t, uint32_t seq)
{
	for (unsigned i = 0; i < t->nsacked; i++)
		if (tcp_seq_ge(seq, t->sacked[i].start) && tcp_seq_lt(seq, t->sacked[i].end))
			return t->sacked[i].end;
	return seq;
}

void tcp_dsack_note(struct tcb *t, uint32_t seq, uint32_t end)
{
	t->dsack = (struct tcp_ivl){ seq, end };
	t->dsack_pending = true;
}

void tcp_sack_fill(struct tcb *t, struct tcp_hdr *h)
{
	const struct tcp_rbuf *rb = &t->rb;
	unsigned first = rb->nivl;

	/* the range holding the newest segment first (RFC 2018 4), then the others, highest first */
	for (unsigned i = 0; i < rb->nivl; i++)
		if (tcp_seq_ge(t->sack_last, rb->ivl[i].start) && tcp_seq_lt(t->sack_last, rb->ivl[i].end))
			first = i;
	h->nsack = 0;
	if (t->dsack_pending) {
		/* a duplicate first (RFC 2883), once */
		h->sack[h->nsack++] = (struct tcp_sack_blk){ t->dsack.start, t->dsack.end };
		t->dsack_pending = false;
		t->tp->st.dsacks_out++;
	}
	if (first < rb->nivl)
		h->sack[h->nsack++] = (struct tcp_sack_blk){ rb->ivl[first].start, rb->ivl[first].end };
	for (unsigned i = rb->nivl; i-- > 0 && h->nsack < TCP_SACK_MAX;)
		if (i != first)
			h->sack[h->nsack++] = (struct tcp_sack_blk){ rb->ivl[i].start, rb->ivl[i].end };
}

/* SACKed bytes in [snd_una, x) */
static uint32_t sacked_below(const struct tcb *t, uint32_t x)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < t->nsacked && tcp_seq_lt(t->sacked[i].start, x); i++)
		n += tcp_seq_min(t->sacked[i].end, x) - t->sacked[i].start;
	return n;
}

/*
 * The pipe: what was sent beyond the highest SACK (not known lost) plus the
 * retransmissions of holes still unacknowledged. A hole not yet
 * retransmitted is lost and counts nothing.
 */
static uint32_t sack_pipe(const struct tcb *t)
{
	uint32_t high = sack_high(t), r = tcp_seq_min(tcp_seq_max(t->rexmt_hi, t->snd_una), high);

	return (t->snd_max - high) + (r - t->snd_una) - sacked_below(t, r);
}

/* The first hole at or after rexmt_hi, below the highest SACK: [*s, *e). */
static bool next_hole(const struct tcb *t, uint32_t *s, uint32_t *e)
{
	uint32_t x = tcp_seq_max(t->rexmt_hi, t->snd_una);

	for (unsigned i = 0; i < t->nsacked; i++) {
		if (tcp_seq_lt(x, t->sacked[i].start)) {
			*s = x;
			*e = t->sacked[i].start;
			return true;
		}
		x = tcp_seq_max(x, t->sacked[i].end);
	}
	return false;
}

void tcp_sack_rexmit(struct tcb *t)
{
	uint32_t s, e, n;

	if (!next_hole(t, &s, &e))
		return;
	n = e - s < t->mss ? e - s : t->mss;
	t->rexmt_hi = s + n;
	t->tp->st.sack_rexmits++;
	t->undo_retrans++;
	tcp_send_segment(t, s, n, 0);
}

bool tcp_send_new(struct tcb *t)
{
	uint32_t end = tcp_data_end(t), wend = t->snd_una + t->snd_wnd, avail, n;

	if (t->snd_nxt != t->snd_max || !tcp_seq_lt(t->snd_max, end) || !tcp_seq_lt(t->snd_max, wend))
		return false;
	avail = end - t->snd_max;
	n = tcp_seq_min(avail, wend - t->snd_max);
	if (n > t->mss)
		n = t->mss;
	if (n < t->mss && n < avail)
		return false;	/* no small window-limited pieces */
	tcp_send_segment(t, t->snd_max, n, 0);
	t->snd_nxt = t->snd_max;
	return true;
}

void tcp_sack_output(struct tcb *t)
{
	uint32_t s, e;

	while (sack_pipe(t) + t->mss <= t->cwnd) {
		if (next_hole(t, &s, &e))
			tcp_sack_rexmit(t);
		else if (!tcp_send_new(t))
			return;
	}
}
