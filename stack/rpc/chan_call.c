/*
 * chan_call.c - CHAN's two halves of a call. The client keeps its request
 * until the reply comes, sending it again with doubling timeouts; an ACK
 * (the server got it and is still working) resets the count and slows the
 * probing down. The server runs each sequence number once: a duplicate of
 * the current call is answered from the saved reply (or with an ACK while
 * the procedure runs), and the next request implicitly acknowledges (frees)
 * the saved reply. A call still running after CHAN_ACK_NS gets an ACK
 * unasked, so the client probes slowly instead of retransmitting; a saved
 * reply no next call acknowledged goes after CHAN_SAVED_NS.
 */
#include "bytes.h"
#include "chan.h"

/* Put header h in front of m; keep a copy in *saved if not NULL. m is freed on failure. */
static int chan_hdr_put(const struct chan_hdr *h, msg_t *m, msg_t *saved)
{
	uint8_t *p;

	if (msg_len(m) > RPC_WIRE_MAX - CHAN_HDR_LEN || !(p = msg_push(m, CHAN_HDR_LEN))) {
		msg_free(m);
		return -EMSGSIZE;
	}
	p[0] = h->type;
	p[1] = 0;
	xk_put16(p + 2, h->chan);
	xk_put32(p + 4, h->seq);
	xk_put32(p + 8, (uint32_t)(msg_len(m) - CHAN_HDR_LEN));
	if (saved && msg_dup(saved, m)) {
		msg_free(m);
		return -ENOMEM;
	}
	return 0;
}

int chan_send(xk_sess_t *s, const struct chan_hdr *h, msg_t *m)
{
	int err = chan_hdr_put(h, m, NULL);

	return err ? err : xk_push(s->down, m);
}

/* Send the saved message again (a copy sharing its bytes, header included). */
static int chan_resend(xk_sess_t *s)
{
	struct chan_sess *cs = s->state;
	msg_t copy;

	if (msg_dup(&copy, &cs->saved))
		return -ENOMEM;
	return xk_push(s->down, &copy);
}

static void chan_arm(xk_sess_t *s, uint64_t ns)
{
	struct chan_sess *cs = s->state;

	xk_event_schedule(xk_host_events(s->proto->host), &cs->timer, ns);
}

static void chan_end_call(xk_sess_t *s, int status)
{
	struct chan_sess *cs = s->state;

	xk_event_cancel(xk_host_events(s->proto->host), &cs->timer);
	msg_free(&cs->saved);
	cs->busy = false;
	cs->status = status;
}

int chan_client_push(xk_sess_t *s, msg_t *m)
{
	struct chan_state *st = s->proto->state;
	struct chan_sess *cs = s->state;
	struct chan_hdr h = { CHAN_REQ, (uint16_t)cs->key.id, cs->seq + 1 };
	int err;

	if (cs->busy) {
		msg_free(m);
		return -EBUSY;
	}
	err = chan_hdr_put(&h, m, &cs->saved);
	if (err)
		return err;
	cs->seq++;
	cs->busy = true;
	cs->tries = 0;
	cs->rto = CHAN_RTO_NS;
	st->stats.calls++;
	chan_arm(s, cs->rto);
	/* A request the layers below refused now is sent again on the timer. */
	xk_push(s->down, m);
	return 0;
}

void chan_client_fail(xk_sess_t *s, int err)
{
	struct chan_state *st = s->proto->state;
	msg_t none;

	chan_end_call(s, err);
	st->stats.failures++;
	msg_init(&none);
	xk_up(s, &none);
}

void chan_client_timeout(void *arg)
{
	xk_sess_t *s = arg;
	struct chan_state *st = s->proto->state;
	struct chan_sess *cs = s->state;

	if (!cs->busy)
		return;
	if (cs->tries++ == CHAN_TRIES) {
		chan_client_fail(s, -ETIMEDOUT);
		return;
	}
	st->stats.retransmits++;
	cs->rto = cs->rto * 2 > CHAN_RTO_MAX_NS ? CHAN_RTO_MAX_NS : cs->rto * 2;
	chan_arm(s, cs->rto);
	chan_resend(s);
}

int chan_client_pop(xk_sess_t *s, const struct chan_hdr *h, msg_t *m)
{
	struct chan_state *st = s->proto->state;
	struct chan_sess *cs = s->state;

	if (!cs->busy || h->seq != cs->seq)
		return xk_drop(s->proto, XK_DROP_STATE, m);
	if (h->type == CHAN_ACK) {
		msg_free(m);
		cs->tries = 0;
		cs->rto = CHAN_PROBE_NS;
		chan_arm(s, cs->rto);
		return 0;
	}
	chan_end_call(s, 0);
	st->stats.replies++;
	return xk_up(s, m);
}

/* Tell the client its current call arrived and still runs. */
static int chan_server_ack(xk_sess_t *s)
{
	struct chan_sess *cs = s->state;
	struct chan_hdr ack = { CHAN_ACK, (uint16_t)cs->key.id, cs->seq };
	msg_t a;
	void *none;

	return msg_alloc(xk_host_pool(s->proto->host), &a, 0, &none) ? -ENOMEM : chan_send(s, &ack, &a);
}

void chan_server_timeout(void *arg)
{
	xk_sess_t *s = arg;
	struct chan_state *st = s->proto->state;
	struct chan_sess *cs = s->state;

	if (cs->busy) {
		st->stats.long_acks++;
		chan_server_ack(s);
	} else if (msg_len(&cs->saved)) {
		st->stats.saved_expired++;
		msg_free(&cs->saved);
	}
}

int chan_server_push(xk_sess_t *s, msg_t *m)
{
	struct chan_sess *cs = s->state;
	struct chan_hdr h = { CHAN_REP, (uint16_t)cs->key.id, cs->seq };
	int err;

	if (!cs->busy) {
		msg_free(m);
		return -EINVAL;
	}
	msg_free(&cs->saved);
	err = chan_hdr_put(&h, m, &cs->saved);
	if (err)
		return err;
	cs->busy = false;
	chan_arm(s, CHAN_SAVED_NS);
	return xk_push(s->down, m);
}

int chan_server_pop(xk_sess_t *s, const struct chan_hdr *h, msg_t *m)
{
	struct chan_state *st = s->proto->state;
	struct chan_sess *cs = s->state;

	if (h->type != CHAN_REQ)
		return xk_drop(s->proto, XK_DROP_TYPE, m);
	if (cs->have_seq && h->seq == cs->seq) {
		msg_free(m);
		if (cs->busy) {
			st->stats.acks_sent++;
			return chan_server_ack(s);
		}
		st->stats.dup_replies++;
		return msg_len(&cs->saved) ? chan_resend(s) : 0;
	}
	if (cs->have_seq && !rpc_after(h->seq, cs->seq))
		return xk_drop(s->proto, XK_DROP_STATE, m);
	msg_free(&cs->saved);	/* the next call acknowledges the last reply */
	cs->seq = h->seq;
	cs->have_seq = true;
	cs->busy = true;
	st->stats.served++;
	chan_arm(s, CHAN_ACK_NS);
	return xk_up(s, m);
}
