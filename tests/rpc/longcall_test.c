/*
 * longcall_test - CHAN's server timers on a perfect wire. A call whose
 * procedure runs 300 ms gets an ACK unasked after CHAN_ACK_NS, before the
 * client's first retransmission: the client then only probes every
 * CHAN_PROBE_NS (one request sent again in 300 ms, not two). The reply,
 * pushed late, ends the call. The saved reply that no next call
 * acknowledges is kept longer than a client retries (8 s), then freed
 * (CHAN_SAVED_NS): its blocks go back to the server's pool.
 */
#include "chan.h"
#include "msg_pool.h"
#include "rpc_test.h"

static xk_sess_t *running;	/* the server's session of the call in progress */

static void keep_call(struct xk_app *app, xk_sess_t *lls, const msg_t *m)
{
	(void)app;
	(void)m;
	running = lls;
}

static uint64_t outstanding(struct rbed *rb, int host)
{
	struct msg_pool_stats ps;

	msg_pool_stats(xk_host_pool(rb->tb.host[host]), &ps);
	return ps.outstanding;
}

int main(void)
{
	struct rbed rb;
	struct rpc_chan_stats c0, s0;
	uint64_t held;
	int status = 1;
	msg_t rep;

	tap_plan(11);
	tap_ok(rbed_create(&rb, NULL) == 0, "a testbed");
	tap_ok(rbed_call(&rb, "a", 1, &status) == 0 && status == 0, "a first call (ARP resolved)");
	rbed_run(&rb, ~0u, 20 * MS);	/* the first call's retransmission timer, if any, has fired */

	rb.tb.app[1].echo = false;
	rb.tb.app[1].on_recv = keep_call;
	c0 = rbed_chan(&rb, 0);
	s0 = rbed_chan(&rb, 1);
	rbed_start(&rb, rb.cs, "long", 4);
	rbed_run(&rb, ~0u, 300 * MS);
	tap_ok(running && rb.tb.app[0].received == 1, "the call runs on the server after 300 ms");
	tap_is_int((long long)(rbed_chan(&rb, 1).long_acks - s0.long_acks), 1,
		   "the server sent one ACK unasked");
	tap_is_int((long long)(rbed_chan(&rb, 0).retransmits - c0.retransmits), 1,
		   "the client sent its request again once in 300 ms (a probe after %llu ms), not at its RTO",
		   (unsigned long long)(CHAN_PROBE_NS / MS));
	tap_is_int((long long)(rbed_chan(&rb, 1).acks_sent - s0.acks_sent), 1, "the probe was ACKed too");

	tap_ok(msg_from(xk_host_pool(rb.tb.host[1]), &rep, "done", 4) == 0 && xk_push(running, &rep) == 0,
	       "the procedure replies");
	rbed_run(&rb, 2, 100 * MS);
	xk_sess_control(rb.cs, RPC_CTL_STATUS, &status, sizeof status);
	tap_ok(rb.tb.app[0].received == 2 && status == 0 && msg_len(&rb.tb.app[0].last) == 4,
	       "and the call ends with its reply");

	held = outstanding(&rb, 1);
	rbed_run(&rb, ~0u, 8000 * MS);
	tap_is_int((long long)(rbed_chan(&rb, 1).saved_expired - s0.saved_expired), 0,
		   "the saved reply is kept 8 s, longer than a client retries");
	rbed_run(&rb, ~0u, CHAN_SAVED_NS - 8000 * MS + 500 * MS);
	tap_ok(rbed_chan(&rb, 1).saved_expired - s0.saved_expired == 1 && outstanding(&rb, 1) < held,
	       "then freed: blocks outstanding on the server %llu -> %llu", (unsigned long long)held,
	       (unsigned long long)outstanding(&rb, 1));
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
	return tap_done();
}
