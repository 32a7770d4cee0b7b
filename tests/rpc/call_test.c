/*
 * call_test - request and reply through select, chan, bid and blast over IP
 * on a perfect wire: replies carry the request back, the server procedure
 * runs once per call, and when it runs for the next call the last saved
 * reply is gone (the next request acknowledges it implicitly: the server
 * holds no more blocks than at the first call); a duplicated request
 * (every frame sent twice) is answered from the saved reply, never run
 * again, for a call of 1 byte and for a null call (0 bytes each way: the
 * saved reply holds CHAN's and SELECT's headers only); a second call while one is out is refused (-EBUSY); a call to a
 * procedure nobody enabled fails with -ENOSYS; no message block is left at
 * teardown.
 */
#include <stdio.h>
#include <string.h>

#include "msg_pool.h"
#include "rpc_test.h"

#define CALLS	200

static unsigned runs;
static uint64_t held[2];	/* the server's blocks out when the first two calls run */

/* The procedure (on_recv): counts its runs; the app echoes a request, rpc_app_serve_null a null one. */
static void count_run(struct xk_app *app, xk_sess_t *lls, const msg_t *m)
{
	struct msg_pool_stats ps;

	msg_pool_stats(xk_host_pool(app->proto->host), &ps);
	if (runs < 2)
		held[runs] = ps.outstanding;
	runs++;
	rpc_app_serve_null(app, lls, m);
}

static void perfect_wire(void)
{
	struct rbed rb;
	unsigned good = 0;
	uint64_t rexmit = 0;
	int status = 1;
	char buf[32];

	tap_ok(rbed_create(&rb, NULL) == 0, "two hosts with the RPC suite, a client session");
	rb.tb.app[1].on_recv = count_run;
	for (unsigned i = 0; i < CALLS; i++) {
		int n = snprintf(buf, sizeof buf, "call %u", i);

		if (i == 1)	/* the first call waited for ARP, and was sent again */
			rexmit = rbed_chan(&rb, 0).retransmits;
		if (rbed_call(&rb, buf, (size_t)n, &status) == 0 && status == 0 &&
		    msg_len(&rb.tb.app[0].last) == (size_t)n) {
			char got[32];

			msg_copyout(&rb.tb.app[0].last, 0, got, (size_t)n);
			good += memcmp(got, buf, (size_t)n) == 0;
		}
	}
	tap_is_int(good, CALLS, "%d calls: each reply carries its request's bytes", CALLS);
	tap_is_int(runs, CALLS, "the server procedure ran once per call");
	tap_is_int((long long)rbed_chan(&rb, 1).served, CALLS, "chan counts the calls it served");
	tap_ok(held[0] > 0 && held[1] == held[0],
	       "the next request acknowledges the saved reply: the server holds %llu blocks when call 1 runs, "
	       "as when call 0 ran (none saved then)", (unsigned long long)held[1]);
	tap_is_int((long long)(rbed_chan(&rb, 0).retransmits - rexmit), 0,
		   "no retransmission on a perfect wire once ARP has resolved");

	tap_ok(rbed_start(&rb, rb.cs, "a", 1) == 0, "a call starts");
	tap_is_int(rbed_start(&rb, rb.cs, "b", 1), -EBUSY, "a second call on the session meanwhile: -EBUSY");
	tap_ok(rbed_run(&rb, rb.tb.app[0].received + 1, 1000 * MS) == 0, "the first call ends");
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
}

/* CALLS calls of len bytes (0: null calls) on a wire delivering every frame twice. */
static void duplicated_wire(const char *data, size_t len)
{
	struct xk_wire_impair imp = { .seed = 7, .dup_pct = 100 };
	struct rbed rb;
	unsigned good = 0;
	int status;

	runs = 0;
	tap_ok(rbed_create(&rb, &imp) == 0, "every frame delivered twice (calls of %zu bytes)", len);
	rb.tb.app[1].on_recv = count_run;
	for (unsigned i = 0; i < CALLS; i++)
		good += rbed_call(&rb, data, len, &status) == 0 && status == 0 &&
			msg_len(&rb.tb.app[0].last) == len;
	rbed_run(&rb, ~0u, 100 * MS);	/* let the last duplicates arrive */
	tap_is_int(good, CALLS, "%d calls succeed, each reply %zu bytes", CALLS, len);
	tap_is_int(runs, CALLS, "the procedure ran once per call, not once per copy");
	tap_ok(rbed_chan(&rb, 1).dup_replies >= CALLS, "duplicates answered from the saved reply (%llu)",
	       (unsigned long long)rbed_chan(&rb, 1).dup_replies);
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
}

static void no_procedure(void)
{
	struct xk_parts parts = { 0 };
	struct rbed rb;
	xk_sess_t *s = NULL;
	int status = 0;

	tap_ok(rbed_create(&rb, NULL) == 0, "a testbed");
	xk_part_push_ip(&parts.remote, XK_TESTBED_IP(1));
	rpc_part_push_proc(&parts.remote, 99);
	tap_ok(xk_app_open(&rb.tb.app[0], "select", &parts, &s) == 0, "a session to procedure 99");
	if (s) {
		unsigned want = rb.tb.app[0].received + 1;

		rbed_start(&rb, s, "q", 1);
		rbed_run(&rb, want, 1000 * MS);
		xk_sess_control(s, RPC_CTL_STATUS, &status, sizeof status);
		xk_close(s);
	}
	tap_is_int(status, -ENOSYS, "a call to a procedure nobody enabled ends with -ENOSYS");
	tap_is_int((long long)rbed_drops(&rb, 1, "select").n[XK_DROP_NOPROTO], 1,
		   "the server's select counts it (no-protocol)");
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
}

int main(void)
{
	tap_plan(25);
	perfect_wire();
	duplicated_wire("x", 1);
	duplicated_wire(NULL, 0);
	no_procedure();
	return tap_done();
}
