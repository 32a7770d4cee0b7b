/*
 * null_test - null calls (no argument, no result: SELECT's header is all a
 * request and a reply carry above CHAN) through select, chan, bid and blast
 * over IP. On a perfect wire each call succeeds with an empty reply and the
 * server procedure runs once per call, seeing 0 bytes (call_test runs them
 * with every frame duplicated); on a wire losing, duplicating and
 * reordering 10% requests are retransmitted, every call ends, runs =
 * successes, and the client's check
 * of each call's end (rpc_app.h) counts exactly the calls that failed. The
 * ping harness's round trips (xk_bench_run, rpcping's loop) of null calls
 * succeed; to a procedure nobody enabled they fail (-EPROTO), although each
 * failed call's end comes up as empty as a null reply: its status says
 * -ENOSYS.
 */
#include "bench.h"
#include "rpc_test.h"

#define CALLS	200
#define LOSSY_CALLS	5000

static unsigned runs, nonempty;

/* The server's procedure: counts its runs and what it was given, replies with nothing. */
static void procedure(struct xk_app *app, xk_sess_t *lls, const msg_t *m)
{
	runs++;
	nonempty += msg_len(m) != 0;
	rpc_app_serve_null(app, lls, m);
}

/* A testbed whose server runs procedure(); counts reset. */
static int null_bed(struct rbed *rb, const struct xk_wire_impair *imp)
{
	int err = rbed_create(rb, imp);

	rb->tb.app[1].on_recv = procedure;
	runs = nonempty = 0;
	return err;
}

/* One null call to its end: whether it succeeded with an empty reply. */
static bool null_call(struct rbed *rb, bool *ended)
{
	int status = 1;
	bool end = rbed_call(rb, NULL, 0, &status) == 0;

	if (ended)
		*ended = end;
	return end && status == 0 && msg_len(&rb->tb.app[0].last) == 0;
}

static void perfect_wire(void)
{
	struct rbed rb;
	unsigned good = 0;

	tap_ok(null_bed(&rb, NULL) == 0, "two hosts with the RPC suite, a client session");
	for (unsigned i = 0; i < CALLS; i++)
		good += null_call(&rb, NULL);
	tap_is_int(good, CALLS, "%d null calls succeed, each reply empty", CALLS);
	tap_is_int(runs, CALLS, "the server procedure ran once per call");
	tap_is_int(nonempty, 0, "the server procedure saw 0 bytes each time");
	tap_is_int((long long)rbed_chan(&rb, 1).served, CALLS, "chan served %d calls", CALLS);
	tap_ok(rb.tb.app[0].failed == 0 && rb.tb.app[1].failed == 0,
	       "every null reply was sent, every call's end checked good");
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
}

static void lossy_wire(void)
{
	struct xk_wire_impair imp = { .seed = 42, .drop_pct = 10, .dup_pct = 10, .reorder_pct = 10 };
	struct rbed rb;
	unsigned ended = 0, good = 0;

	tap_ok(null_bed(&rb, &imp) == 0, "a wire losing, duplicating, reordering 10%%");
	for (unsigned i = 0; i < LOSSY_CALLS; i++) {
		bool end;

		good += null_call(&rb, &end);
		ended += end;
	}
	tap_diag("null calls on the lossy wire: %u ended, %u succeeded; chan: %llu retransmits, "
		 "%llu duplicates answered from the saved reply", ended, good,
		 (unsigned long long)rbed_chan(&rb, 0).retransmits,
		 (unsigned long long)rbed_chan(&rb, 1).dup_replies);
	tap_is_int(ended, LOSSY_CALLS, "every call ends");
	tap_ok(good > LOSSY_CALLS / 2 && runs == good,
	       "the procedure ran once per successful call (%u runs, %u successes)", runs, good);
	tap_is_int(rb.tb.app[0].failed, ended - good, "the client's check counted exactly the failed calls");
	tap_ok(rbed_chan(&rb, 0).retransmits > 0 && rbed_chan(&rb, 1).dup_replies > 0,
	       "the wire did cause retransmissions and duplicates");
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
}

/* The ping harness's round trips; the report line is a TAP comment. */
static int bench(struct rbed *rb, xk_sess_t *s)
{
	const struct xk_bench_opts o = { .n = 100, .samples = 2, .wire = "inproc", .bytes = 0 };
	struct xk_bench_inproc in = { rb->tb.wire, rb->tb.host[0] };
	struct xk_ping p = {
		.sess = s, .app = &rb->tb.app[0], .wait = xk_bench_inproc_wait,
		.cyc = xk_wire_cycles(rb->tb.wire, rb->tb.host[0]), .drv = &in,
	};

	return xk_bench_run("# null calls", &o, &p);
}

static void ping_harness(void)
{
	struct xk_parts parts = { 0 };
	struct rbed rb;
	xk_sess_t *s = NULL;
	int err = -ENOENT, status = 0;

	tap_ok(null_bed(&rb, NULL) == 0, "a testbed");
	tap_is_int(bench(&rb, rb.cs), 0, "the ping harness's round trips of null calls succeed");
	tap_is_int(runs, 2 * 100 + 100 / 10 + 1, "the procedure ran once per round trip (warm-up included)");
	xk_part_push_ip(&parts.remote, XK_TESTBED_IP(1));
	rpc_part_push_proc(&parts.remote, 99);
	tap_ok(xk_app_open(&rb.tb.app[0], "select", &parts, &s) == 0, "a session to procedure 99");
	if (s) {
		err = bench(&rb, s);
		xk_sess_control(s, RPC_CTL_STATUS, &status, sizeof status);
		xk_close(s);
	}
	tap_ok(err == -EPROTO && status == -ENOSYS && msg_len(&rb.tb.app[0].last) == 0,
	       "its round trips to a procedure nobody enabled: -EPROTO; the last call's end empty, "
	       "its status -ENOSYS (%d, %d)", err, status);
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
}

int main(void)
{
	tap_plan(19);
	perfect_wire();
	lossy_wire();
	ping_harness();
	return tap_done();
}
