/*
 * tcp_zerowin_test - a slow reader (issue 17, items 1 and 2) on the seeded
 * in-process wire: host 1 stops reading, so its window closes while host 0
 * still has 200 kB to send; during the pause host 1 sends host 0 data of
 * its own (so host 0 must ACK into the zero window); after 2 s of virtual
 * time host 1 reads again. Both streams arrive byte-exact, host 0 never
 * sends past the window host 1 advertised (host 1's beyond_window count:
 * data past the right edge other than a 1-byte probe, or an ACK whose
 * sequence number is past it), and the transfer drains after the window
 * reopens in far less virtual time than the 200 ms minimum RTO, with
 * nothing to repair (no probe byte skipped, no fast retransmit on the
 * ACKs of refused probes).
 */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tcp_pair.h"
#include "tcp_rtt.h"

#define SIZE (200u * 1000u)
#define BACK 20000u
#define PORT 5002
#define MS 1000000ull
#define SEC 1000000000ull

static bool all_arrived(struct tcp_pair *p)
{
	return p->app[1].rx_len >= SIZE && p->app[0].rx_len >= BACK;
}

static int set_reading(struct tcp_pair *p, int on)
{
	return xk_sess_control(p->app[1].sess, XK_TCP_CTL_SET_READING, &on, sizeof on);
}

int main(void)
{
	static uint8_t a[SIZE], b[BACK], ra[SIZE], rb[BACK];
	struct xk_wire_impair clean = { .seed = 17 };
	struct xk_tcp_stats st0, st1;
	struct tcp_pair p;
	uint64_t t_open, drain;
	int rc;

	tap_plan(9);
	srand(17);
	for (size_t i = 0; i < SIZE; i++)
		a[i] = (uint8_t)rand();
	for (size_t i = 0; i < BACK; i++)
		b[i] = (uint8_t)rand();
	if (tcp_pair_create(&p, &clean) < 0)
		tap_bail("cannot make the hosts");
	p.app[0].proto = xk_testbed_proto(&p.tb, 0, "tcpapp");
	p.app[1].proto = xk_testbed_proto(&p.tb, 1, "tcpapp");
	p.app[0].rx = rb;
	p.app[0].rx_cap = BACK;
	p.app[1].rx = ra;
	p.app[1].rx_cap = SIZE;
	tap_is_int(tcp_pair_connect(&p, PORT), 0, "connected");
	tap_is_int(set_reading(&p, 0), 0, "host 1 stops reading");
	p.app[0].tx = a;
	p.app[0].tx_len = SIZE;
	/* the pause: host 0 fills the window, then may only probe */
	tcp_pair_run(&p, 1 * SEC, NULL);
	p.app[1].tx = b;
	p.app[1].tx_len = BACK;
	tcp_pair_run(&p, 1 * SEC, NULL);
	tcp_pair_stats(&p, 0, &st0);
	tap_diag("during the pause: host 1 got %zu bytes, host 0 got %zu", p.app[1].rx_len, p.app[0].rx_len);
	tap_ok(p.app[0].rx_len == BACK, "host 0 took host 1's %u bytes while its own were blocked (got %zu)",
	       BACK, p.app[0].rx_len);
	t_open = xk_wire_now(p.tb.wire);
	tap_is_int(set_reading(&p, 1), 0, "host 1 reads again");
	rc = tcp_pair_run(&p, 60 * SEC, all_arrived);
	drain = xk_wire_now(p.tb.wire) - t_open;
	tap_is_int(rc, 0, "both streams complete");
	tap_ok(p.app[1].rx_len == SIZE && memcmp(ra, a, SIZE) == 0 &&
	       p.app[0].rx_len == BACK && memcmp(rb, b, BACK) == 0,
	       "both streams byte-exact (%zu of %u, %zu of %u)", p.app[1].rx_len, SIZE, p.app[0].rx_len, BACK);
	tcp_pair_stats(&p, 0, &st0);
	tcp_pair_stats(&p, 1, &st1);
	tap_diag("host 0: timeouts %llu fast rexmits %llu; host 1: timeouts %llu",
		 (unsigned long long)st0.rexmit_timeouts, (unsigned long long)st0.fast_rexmits,
		 (unsigned long long)st1.rexmit_timeouts);
	tap_is_int((long long)st1.beyond_window, 0, "no segment past host 1's advertised window");
	/* a skipped probe byte, or a fast retransmit on the probes' ACKs, shows as a repair */
	tap_ok(st0.fast_rexmits + st0.rexmit_timeouts + st1.rexmit_timeouts == 0 && st1.ooo_segs == 0,
	       "nothing lost to repair: no retransmission, nothing out of order (fast %llu, timeouts %llu/%llu, ooo %llu)",
	       (unsigned long long)st0.fast_rexmits, (unsigned long long)st0.rexmit_timeouts,
	       (unsigned long long)st1.rexmit_timeouts, (unsigned long long)st1.ooo_segs);
	tap_diag("virtual time to drain after the window reopened: %llu us", (unsigned long long)(drain / 1000));
	tap_ok(drain < TCP_RTO_MIN / 10, "sending resumes at the window update: drained in %llu us (< %llu us)",
	       (unsigned long long)(drain / 1000), (unsigned long long)(TCP_RTO_MIN / 10 / 1000));
	tcp_pair_destroy(&p);
	return tap_done();
}
