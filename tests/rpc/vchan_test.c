/*
 * vchan_test - VCHAN (`select vchan`, `vchan chan`): 16 sessions from one
 * client each start a call at once, over a pool of 4 channels: every call
 * ends with its own reply, the calls finish in the order they were made
 * (the pool's queue is first come, first served), the client opened no
 * more than 4 channels. The same 16 at a time for 200 rounds on a wire
 * losing, duplicating and reordering 10%: every call ends, the procedure
 * runs exactly once per successful call.
 */
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "rpc_test.h"

#define NCALLS	16
#define VCHAN_TOP	RPC_GRAPH_VCHAN("ip/253") "app select\n"

static xk_sess_t *sess[NCALLS];
static unsigned order[NCALLS], nended, runs;
static unsigned bad_reply;

static void client_end(struct xk_app *app, xk_sess_t *lls, const msg_t *m)
{
	uint8_t b[4];

	(void)app;
	for (unsigned i = 0; i < NCALLS; i++) {
		if (sess[i] != lls)
			continue;
		order[nended++ % NCALLS] = i;
		if (msg_len(m) && (msg_copyout(m, 0, b, 4) || xk_get32(b) % NCALLS != i))
			bad_reply++;
	}
}

static void count_run(struct xk_app *app, xk_sess_t *lls, const msg_t *m)
{
	(void)app;
	(void)lls;
	(void)m;
	runs++;
}

static int create(struct rbed *rb, const struct xk_wire_impair *imp)
{
	struct xk_testbed *tb = &rb->tb;
	struct xk_parts parts = { 0 };
	int err = xk_testbed_create(tb, imp, VCHAN_TOP, rbed_reg);

	if (!err)
		err = rpc_app_open(&tb->app[1], NULL, 0, NULL);
	xk_part_push_ip(&parts.remote, XK_TESTBED_IP(1));
	rpc_part_push_proc(&parts.remote, RPC_APP_PROC);
	for (unsigned i = 0; i < NCALLS && !err; i++)
		err = xk_app_open(&tb->app[0], "select", &parts, &sess[i]);
	tb->app[0].on_recv = client_end;
	tb->app[1].on_recv = count_run;
	return err;
}

/* Start call `round * NCALLS + i` on every session; run until all end. */
static int round_of_calls(struct rbed *rb, unsigned round, unsigned *ok)
{
	struct xk_testbed *tb = &rb->tb;
	unsigned want = tb->app[0].received + NCALLS;
	int err = 0;

	for (unsigned i = 0; i < NCALLS && !err; i++) {
		uint8_t b[4];
		msg_t m;

		xk_put32(b, round * NCALLS + i);
		err = msg_from(xk_host_pool(tb->host[0]), &m, b, 4);
		if (!err)
			err = xk_push(sess[i], &m);
	}
	if (!err)
		err = rbed_run(rb, want, 60000 * MS);
	for (unsigned i = 0; i < NCALLS && !err; i++) {
		int status = 1;

		xk_sess_control(sess[i], RPC_CTL_STATUS, &status, sizeof status);
		*ok += status == 0;
	}
	return err;
}

static size_t destroy(struct rbed *rb)
{
	for (unsigned i = 0; i < NCALLS; i++)
		if (sess[i])
			xk_close(sess[i]);
	memset(sess, 0, sizeof sess);
	return rbed_destroy(rb);
}

int main(void)
{
	struct xk_wire_impair imp = { .seed = 9, .drop_pct = 10, .dup_pct = 10, .reorder_pct = 10 };
	struct rpc_chan_stats cs;
	unsigned ok = 0, fifo = 1;
	struct rbed rb = { .cs = NULL };

	tap_plan(12);
	tap_ok(create(&rb, NULL) == 0, "%d client sessions over vchan to one server", NCALLS);
	tap_ok(round_of_calls(&rb, 0, &ok) == 0, "one round trip: %d calls at once all end", NCALLS);
	tap_is_int(ok, NCALLS, "all succeed");
	tap_is_int(bad_reply, 0, "each with its own reply");
	ok = 0;
	tap_ok(round_of_calls(&rb, 1, &ok) == 0 && ok == NCALLS, "a second round, ARP resolved");
	for (unsigned i = 0; i < NCALLS; i++)
		fifo &= order[i] == i;
	tap_ok(fifo, "the calls ended in the order they were made (first come, first served)");
	cs = rbed_chan(&rb, 0);
	tap_is_int((long long)cs.calls, 2 * NCALLS, "chan carried every call once");
	tap_is_int((long long)cs.opened, 4, "over 4 channels (the pool), not one per session");
	tap_is_int(destroy(&rb), 0, "no message block outstanding at teardown");

	runs = 0;
	nended = 0;
	ok = 0;
	tap_ok(create(&rb, &imp) == 0, "the same on a wire losing, duplicating, reordering 10%%");
	for (unsigned r = 0; r < 200; r++)
		if (round_of_calls(&rb, r, &ok))
			break;
	tap_diag("%u of %u calls succeeded, the procedure ran %u times", ok, 200 * NCALLS, runs);
	tap_ok(nended == 200 * NCALLS && runs == ok && bad_reply == 0,
	       "every call ended, the procedure ran once per successful call, replies their own");
	tap_is_int(destroy(&rb), 0, "no message block outstanding at teardown");
	return tap_done();
}
