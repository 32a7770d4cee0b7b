/*
 * timeout_test - CHAN's retransmission backoff, on a perfect wire whose
 * server goes silent: after a first call, everything the client's IP
 * session sends is dropped (and its time noted). The request goes again
 * CHAN_TRIES times, the first after CHAN_RTO_NS, each wait twice the last
 * up to CHAN_RTO_MAX_NS; one more wait without an answer and the call ends
 * with -ETIMEDOUT, in bounded time, instead of hanging. With the path back,
 * the next call on the same session succeeds.
 */
#include "chan.h"
#include "rpc_test.h"

#define SENDS	(CHAN_TRIES + 1)	/* the request and its retransmissions */

static const struct xk_sess_ops *ip_ops;
static struct xk_sess_ops silent_ops;
static struct rbed rb;
static uint64_t at[SENDS + 1];	/* virtual time of each message dropped, then of the call's end */
static unsigned nsent;

/* The client's IP session while the server is silent: note and drop. */
static int silent_push(xk_sess_t *s, msg_t *m)
{
	(void)s;
	if (nsent < SENDS)
		at[nsent] = xk_wire_now(rb.tb.wire);
	nsent++;
	msg_free(m);
	return 0;
}

/* Whether each wait, from a send to the next or to the end, is the backoff's: CHAN_RTO_NS doubling up to its cap. */
static bool waits_double(void)
{
	uint64_t rto = CHAN_RTO_NS;

	for (unsigned i = 1; i <= SENDS; i++) {
		if (at[i] - at[i - 1] != rto) {
			tap_diag("wait %u: %llu ns, want %llu", i, (unsigned long long)(at[i] - at[i - 1]),
				 (unsigned long long)rto);
			return false;
		}
		rto = rto * 2 > CHAN_RTO_MAX_NS ? CHAN_RTO_MAX_NS : rto * 2;
	}
	return true;
}

int main(void)
{
	struct rpc_chan_stats c0;
	uint64_t rexmits;
	xk_sess_t *ip;
	int err, status = 1;

	tap_plan(7);
	tap_ok(rbed_create(&rb, NULL) == 0, "a testbed");
	tap_ok(rbed_call(&rb, "a", 1, &status) == 0 && status == 0, "a first call (ARP resolved)");

	ip = rb.cs->down->down->down->down;	/* select, chan, bid, blast, ip */
	ip_ops = ip->ops;
	silent_ops = *ip->ops;
	silent_ops.push = silent_push;
	ip->ops = &silent_ops;
	c0 = rbed_chan(&rb, 0);
	err = rbed_call(&rb, "b", 1, &status);
	at[SENDS] = xk_wire_now(rb.tb.wire);
	tap_ok(err == 0 && status == -ETIMEDOUT, "a call to the silent server ends, with -ETIMEDOUT (%d, %d)",
	       err, status);
	rexmits = rbed_chan(&rb, 0).retransmits - c0.retransmits;
	tap_ok(nsent == SENDS && rexmits == CHAN_TRIES, "the request went %u times, %llu of them retransmissions",
	       nsent, (unsigned long long)rexmits);
	tap_ok(nsent == SENDS && waits_double(),
	       "waits of %llu ms doubling up to %llu ms, the last one's too, then the end (after %llu ms)",
	       (unsigned long long)(CHAN_RTO_NS / MS), (unsigned long long)(CHAN_RTO_MAX_NS / MS),
	       (unsigned long long)((at[SENDS] - at[0]) / MS));

	ip->ops = ip_ops;
	tap_ok(rbed_call(&rb, "c", 1, &status) == 0 && status == 0 && rbed_reply_is(&rb, (const uint8_t *)"c", 1),
	       "with the path back, the next call succeeds with its reply");
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
	return tap_done();
}
