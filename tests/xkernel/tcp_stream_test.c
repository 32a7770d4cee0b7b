/*
 * tcp_stream_test - 1 MiB each way over the in-process wire, clean and with
 * 5% loss, 5% duplication and reordering (seeded): the bytes arrive
 * identical and in order, and both sides close cleanly (the closer to
 * TIME_WAIT and then CLOSED, the other to CLOSED).
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tcp_pair.h"

#define SIZE (1u << 20)
#define PORT 5001
#define SEC 1000000000ull

static unsigned live(struct tcp_pair *p, int i)
{
	struct xk_tcp_stats st;
	unsigned n = 0;

	tcp_pair_stats(p, i, &st);
	for (int s = 0; s < TCP_NSTATES; s++)
		n += st.nstate[s];
	return n;
}

/* Both streams ended, both users closed, each connection CLOSED or in TIME_WAIT. */
static bool finished(struct tcp_pair *p)
{
	return p->app[0].closed && p->app[1].closed && p->app[0].eof && p->app[1].eof &&
	       live(p, 0) == tcp_pair_nstate(p, 0, TCP_TIME_WAIT) &&
	       live(p, 1) == tcp_pair_nstate(p, 1, TCP_TIME_WAIT);
}

static bool all_gone(struct tcp_pair *p)
{
	return live(p, 0) == 0 && live(p, 1) == 0;
}

static void transfer(const char *name, const struct xk_wire_impair *imp,
		     const uint8_t *a, const uint8_t *b, uint8_t *ra, uint8_t *rb)
{
	struct tcp_pair p;
	struct xk_tcp_stats st0, st1;
	struct xk_wire_stats ws;
	int rc;

	if (tcp_pair_create(&p, imp) < 0)
		tap_bail("%s: cannot make the hosts", name);
	/* host 0 (client) sends a and closes; host 1 (server) sends b; each shuts down when done and closes at EOF */
	p.app[0] = (struct tcp_app){ .tx = a, .tx_len = SIZE, .rx = rb, .rx_cap = SIZE };
	p.app[1] = (struct tcp_app){ .tx = b, .tx_len = SIZE, .rx = ra, .rx_cap = SIZE };
	p.app[0].proto = xk_testbed_proto(&p.tb, 0, "tcpapp");
	p.app[1].proto = xk_testbed_proto(&p.tb, 1, "tcpapp");
	tap_ok(tcp_app_listen(&p.app[1], PORT) == 0 &&
	       tcp_app_connect(&p.app[0], XK_TESTBED_IP(1), PORT) == 0, "%s: listen and connect", name);
	rc = tcp_pair_run(&p, 600 * SEC, finished);
	tap_is_int(rc, 0, "%s: transfer and close finish", name);
	tap_ok(p.app[1].rx_len == SIZE && memcmp(ra, a, SIZE) == 0,
	       "%s: client to server, %u bytes identical (got %zu)", name, SIZE, p.app[1].rx_len);
	tap_ok(p.app[0].rx_len == SIZE && memcmp(rb, b, SIZE) == 0,
	       "%s: server to client, %u bytes identical (got %zu)", name, SIZE, p.app[0].rx_len);
	/* whoever closed first waits in TIME_WAIT (both, when the FINs crossed); the other is freed */
	tap_ok(live(&p, 0) + live(&p, 1) >= 1, "%s: a side that closed first is in TIME_WAIT (client %u, server %u)",
	       name, live(&p, 0), live(&p, 1));
	tap_ok(live(&p, 0) <= 1 && live(&p, 1) <= 1, "%s: no connection left over", name);
	tcp_pair_stats(&p, 0, &st0);
	tcp_pair_stats(&p, 1, &st1);
	xk_wire_stats(p.tb.wire, &ws);
	tap_diag("%s: wire sent %llu dropped %llu duplicated %llu reordered %llu", name,
		 (unsigned long long)ws.sent, (unsigned long long)ws.dropped,
		 (unsigned long long)ws.duplicated, (unsigned long long)ws.reordered);
	tap_diag("%s: timeouts %llu/%llu fast rexmits %llu/%llu ooo %llu/%llu", name,
		 (unsigned long long)st0.rexmit_timeouts, (unsigned long long)st1.rexmit_timeouts,
		 (unsigned long long)st0.fast_rexmits, (unsigned long long)st1.fast_rexmits,
		 (unsigned long long)st0.ooo_segs, (unsigned long long)st1.ooo_segs);
	if (imp->drop_pct)
		tap_ok(st0.fast_rexmits + st1.fast_rexmits + st0.rexmit_timeouts + st1.rexmit_timeouts > 0,
		       "%s: losses were repaired by retransmission", name);
	rc = tcp_pair_run(&p, 200 * SEC, all_gone);
	tap_ok(rc == 0, "%s: TIME_WAIT ends in CLOSED after 2 MSL", name);
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
}

int main(void)
{
	static uint8_t a[SIZE], b[SIZE], ra[SIZE], rb[SIZE];
	struct xk_wire_impair clean = { .seed = 1 };
	struct xk_wire_impair lossy = { .seed = 20261123, .drop_pct = 5, .dup_pct = 5, .reorder_pct = 5 };
	unsigned seed = 4242;

	tap_plan(17);
	tap_diag("data seed %u, lossy wire seed %llu", seed, (unsigned long long)lossy.seed);
	srand(seed);
	for (size_t i = 0; i < SIZE; i++) {
		a[i] = (uint8_t)rand();
		b[i] = (uint8_t)rand();
	}
	transfer("clean", &clean, a, b, ra, rb);
	memset(ra, 0, SIZE);
	memset(rb, 0, SIZE);
	transfer("lossy", &lossy, a, b, ra, rb);
	return tap_done();
}
