/*
 * bid_test - boot ids. The server host is restarted (a new incarnation on
 * the same addresses) while a call runs there: the call fails with
 * -ECONNRESET within a bounded time instead of hanging, and new calls
 * succeed on the new server. The client host is restarted: its new
 * channel 1, sequence 1 runs on the server as a new call instead of being
 * taken for a duplicate of the old incarnation's.
 */
#include <string.h>

#include "rpc_test.h"

static int rebuild(struct rbed *rb, int i)
{
	struct xk_host_config cfg;

	xk_host_destroy(rb->tb.host[i]);
	xk_testbed_config(i, &cfg);
	return xk_testbed_host(&rb->tb.host[i], &cfg, &rb->tb.app[i], "wire", xk_wire_init,
			       rb->tb.wire, RPC_APP_TOP, rbed_reg);
}

static void server_restart(void)
{
	struct rbed rb;
	struct rpc_bid_stats bs = { 0 };
	uint64_t t0;
	int status = 0, good = 0;

	tap_ok(rbed_create(&rb, NULL) == 0, "a testbed");
	tap_ok(rbed_call(&rb, "a", 1, &status) == 0 && status == 0, "a first call succeeds");
	rb.tb.app[1].echo = false;	/* the next call runs long: no reply */
	rbed_start(&rb, rb.cs, "b", 1);
	rbed_run(&rb, ~0u, 500 * MS);
	tap_is_int((long long)rbed_chan(&rb, 1).served, 2, "the server got the long call");
	tap_is_int(rb.tb.app[0].received, 1, "which has not ended after 500 ms (the server ACKs the probes)");
	rb.tb.app[1].echo = true;
	tap_ok(rebuild(&rb, 1) == 0 && rpc_app_open(&rb.tb.app[1], NULL, 0, NULL) == 0,
	       "the server host restarts with a new boot id");
	t0 = xk_wire_now(rb.tb.wire);
	rbed_run(&rb, 2, 5000 * MS);
	xk_sess_control(rb.cs, RPC_CTL_STATUS, &status, sizeof status);
	tap_is_int(status, -ECONNRESET, "the outstanding call fails with -ECONNRESET");
	tap_ok(xk_wire_now(rb.tb.wire) - t0 <= 500 * MS, "within 500 ms of the restart (took %llu ms)",
	       (unsigned long long)((xk_wire_now(rb.tb.wire) - t0) / MS));
	for (int i = 0; i < 10; i++)
		good += rbed_call(&rb, "c", 1, &status) == 0 && status == 0;
	tap_is_int(good, 10, "new calls succeed on the new incarnation");
	tap_is_int((long long)rbed_chan(&rb, 1).served, 10, "and run there");
	xk_control(xk_testbed_proto(&rb.tb, 1, "bid"), RPC_CTL_BID_STATS, &bs, sizeof bs);
	tap_ok(bs.stale_dropped >= 1 && bs.notices_sent >= 1,
	       "the new server dropped the request meant for the old one and said so (%llu, %llu)",
	       (unsigned long long)bs.stale_dropped, (unsigned long long)bs.notices_sent);
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
}

static void client_restart(void)
{
	struct rbed rb;
	int status = 1;
	char got[8] = "";

	tap_ok(rbed_create(&rb, NULL) == 0, "a testbed");
	for (int i = 0; i < 3; i++)
		rbed_call(&rb, "old", 3, &status);
	xk_close(rb.cs);
	rb.cs = NULL;
	tap_ok(rebuild(&rb, 0) == 0 &&
	       rpc_app_open(NULL, &rb.tb.app[0], XK_TESTBED_IP(1), &rb.cs) == 0,
	       "the client host restarts and opens channel 1 again");
	tap_ok(rbed_call(&rb, "new", 3, &status) == 0 && status == 0, "its first call succeeds");
	msg_copyout(&rb.tb.app[0].last, 0, got, 3);
	tap_is_str(got, "new", "with its own reply, not the old incarnation's saved one");
	tap_is_int((long long)rbed_chan(&rb, 1).served, 4, "the server ran it as a new call");
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
}

int main(void)
{
	tap_plan(17);
	server_restart();
	client_restart();
	return tap_done();
}
