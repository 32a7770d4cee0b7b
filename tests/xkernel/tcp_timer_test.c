/*
 * tcp_timer_test - TCP's timers on the in-process wire's virtual clock:
 * retransmission of a dropped segment, the RTO from the measured round
 * trip, fast retransmit on exactly three duplicate ACKs (before any timer),
 * exponential backoff until TCP gives up with a RST that resets the peer,
 * and zero-window probes that back off and never give up.
 */
#include "bytes.h"
#include "ip.h"
#include "tcp_hdr.h"
#include "tcp_rtt.h"
#include "tcp_test.h"

/* Host 0 sends 100 bytes, which are lost, and nothing after; host 1 is to get them. Returns the time. */
static uint64_t lose_last_segment(struct tcp_pair *p)
{
	struct xk_wire_impair drop_all = { .drop_pct = 100 };

	xk_wire_set_impair(p->tb.wire, &drop_all);
	push(p->app[0].sess, 100);
	xk_wire_set_impair(p->tb.wire, NULL);
	p->want_rx = 100;
	return xk_wire_now(p->tb.wire);
}

/* Without SACK a lost last segment waits for the retransmission timer. */
static void test_retransmit(void)
{
	struct tcp_pair p;
	struct xk_tcp_stats c;
	uint64_t t0;

	connect_pair_nosack(&p);
	t0 = lose_last_segment(&p);
	tap_is_int(tcp_pair_run(&p, 10 * SEC, tcp_pair_got_rx), 0, "rexmit: the lost segment arrives");
	tcp_pair_stats(&p, 0, &c);
	tap_is_int((long long)c.rexmit_timeouts, 1, "rexmit: by one retransmission timeout");
	tap_ok(xk_wire_now(p.tb.wire) - t0 >= 200 * MS, "rexmit: not before the minimum RTO (virtual time)");
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
}

/* On a 300 ms round trip the RTO comes from the handshake's sample (3 x RTT), not the 200 ms floor. */
static void test_rtt_estimate(void)
{
	struct xk_wire_impair slow = { .latency_ns = 150 * MS }, slow_drop = { .latency_ns = 150 * MS, .drop_pct = 100 };
	struct tcp_pair p;
	struct xk_tcp_stats c;
	uint64_t t0;

	if (tcp_pair_create(&p, &slow) < 0)
		tap_bail("rtt: no hosts");
	pair_sack(&p, 0);	/* the RTO, not a tail loss probe */
	if (tcp_pair_connect(&p, PORT) < 0)
		tap_bail("rtt: no connection");
	xk_wire_set_impair(p.tb.wire, &slow_drop);
	push(p.app[0].sess, 100);		/* lost */
	xk_wire_set_impair(p.tb.wire, &slow);
	t0 = xk_wire_now(p.tb.wire);
	p.want_rx = 100;
	tap_is_int(tcp_pair_run(&p, 10 * SEC, tcp_pair_got_rx), 0, "rtt: the lost segment arrives on a 300 ms round trip");
	tcp_pair_stats(&p, 0, &c);
	tap_is_int((long long)c.rexmit_timeouts, 1, "rtt: after one timeout");
	tap_ok(xk_wire_now(p.tb.wire) - t0 >= 900 * MS + 150 * MS,
	       "rtt: the RTO was at least 3 x 300 ms (first sample R: R + 4 R/2), then 150 ms on the wire (took %llu ms; "
	       "the handshake's sample also holds the ARP exchange)",
	       (unsigned long long)((xk_wire_now(p.tb.wire) - t0) / MS));
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
}

/* With SACK the lost last segment goes again after two round trips (a tail loss probe), no timeout. */
static void test_tail_probe(void)
{
	struct tcp_pair p;
	struct xk_tcp_stats c;
	uint64_t t0;

	connect_pair(&p);
	t0 = lose_last_segment(&p);
	tap_is_int(tcp_pair_run(&p, 10 * SEC, tcp_pair_got_rx), 0, "tlp: the lost segment arrives");
	tcp_pair_stats(&p, 0, &c);
	tap_ok(c.tail_probes == 1 && c.rexmit_timeouts == 0, "tlp: by one tail loss probe, no timeout (%llu, %llu)",
	       (unsigned long long)c.tail_probes, (unsigned long long)c.rexmit_timeouts);
	tap_ok(xk_wire_now(p.tb.wire) - t0 < 100 * MS, "tlp: well before the minimum RTO (%llu us; 2 RTT + the delayed ACK)",
	       (unsigned long long)((xk_wire_now(p.tb.wire) - t0) / 1000));
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
}

static void test_fast_retransmit(void)
{
	struct xk_wire_impair drop_all = { .drop_pct = 100 };
	struct tcp_pair p;
	struct xk_tcp_stats c0, c1;
	uint64_t t0;

	connect_pair(&p);
	tcp_pair_stats(&p, 0, &c0);
	xk_wire_set_impair(p.tb.wire, &drop_all);
	push(p.app[0].sess, 1460);	/* the first of four segments is lost */
	xk_wire_set_impair(p.tb.wire, NULL);
	for (int i = 0; i < 3; i++)	/* exactly three duplicate ACKs: the threshold */
		push(p.app[0].sess, 1460);
	t0 = xk_wire_now(p.tb.wire);
	p.want_rx = 4 * 1460;
	tap_is_int(tcp_pair_run(&p, 10 * SEC, tcp_pair_got_rx), 0, "fastrexmit: all four segments arrive");
	tcp_pair_stats(&p, 0, &c1);
	tap_ok(c1.dup_acks - c0.dup_acks >= 3, "fastrexmit: the three later segments drew duplicate ACKs (%llu)",
	       (unsigned long long)(c1.dup_acks - c0.dup_acks));
	tap_ok(c1.fast_rexmits - c0.fast_rexmits == 1 && c1.rexmit_timeouts == c0.rexmit_timeouts,
	       "fastrexmit: one fast retransmission, no timeout");
	tap_ok(xk_wire_now(p.tb.wire) - t0 < TCP_RTO_MIN, "fastrexmit: repaired before the minimum RTO (virtual time)");
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
}

static bool all_retransmitted(struct tcp_pair *p)
{
	struct xk_tcp_stats c;

	tcp_pair_stats(p, 0, &c);
	return c.rexmit_timeouts == TCP_BACKOFF_MAX;
}

static bool both_eof(struct tcp_pair *p)
{
	return p->app[0].eof && p->app[1].eof;
}

static void test_backoff(void)
{
	struct xk_wire_impair drop_all = { .drop_pct = 100 };
	struct tcp_pair p;
	struct xk_tcp_stats c, s;

	connect_pair(&p);
	xk_wire_set_impair(p.tb.wire, &drop_all);
	push(p.app[0].sess, 100);		/* never arrives */
	tcp_pair_run(&p, 10 * SEC, NULL);
	tcp_pair_stats(&p, 0, &c);
	/* RTO 200 ms doubling: timeouts at 0.2, 0.6, 1.4, 3.0 and 6.2 s; without backoff there would be 50 */
	tap_is_int((long long)c.rexmit_timeouts, 5, "backoff: five timeouts in 10 s, the RTO doubling from 200 ms");
	tap_is_int(tcp_pair_run(&p, 1000 * SEC, all_retransmitted), 0, "backoff: TCP_BACKOFF_MAX retransmissions");
	xk_wire_set_impair(p.tb.wire, NULL);	/* the wire heals: the server will hear the give-up */
	tap_is_int(tcp_pair_run(&p, 1000 * SEC, both_eof), 0, "backoff: TCP gives up and tells both users");
	tcp_pair_stats(&p, 0, &c);
	tcp_pair_stats(&p, 1, &s);
	tap_is_int((long long)c.rexmit_timeouts, TCP_BACKOFF_MAX, "backoff: no retransmission after that");
	tap_ok(c.rsts_out == 1 && tcp_pair_state(p.app[0].sess) == TCP_CLOSED, "backoff: the client sent a RST, its connection CLOSED");
	tap_ok(s.rsts_in == 1 && tcp_pair_state(p.app[1].sess) == TCP_CLOSED,
	       "backoff: the RST, in the server's window, reset its established connection");
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
}

/*
 * A zero window at the server, simulated around its TCP: what the server
 * sends says window 0 (its IP session's push rewrites the field), and data
 * arriving is discarded as a full receiver would (its TCP's demux), while
 * pure ACKs pass. zw_on switches both.
 */
static bool zw_on;
static unsigned zw_discarded;
static const struct xk_sess_ops *zw_ip_orig;
static const struct xk_proto_ops *zw_tcp_orig;
static struct xk_sess_ops zw_ip_ops;
static struct xk_proto_ops zw_tcp_ops;

static int zw_push(xk_sess_t *s, msg_t *m)
{
	uint8_t *h = msg_peek(m, TCP_HDR_MIN);
	struct xk_ip_pseudohdr ph;

	if (zw_on && h && xk_sess_control(s, XK_CTL_IP_PSEUDOHDR, &ph, sizeof ph) >= 0) {
		xk_put16(h + 14, 0);
		xk_put16(h + TCP_CSUM_OFF, 0);
		xk_put16(h + TCP_CSUM_OFF, xk_ip_pseudo_csum(&ph, m));
	}
	return zw_ip_orig->push(s, m);
}

static int zw_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	const uint8_t *h = msg_peek(m, TCP_HDR_MIN);

	if (zw_on && h && msg_len(m) > (size_t)(h[12] >> 4) * 4) {
		zw_discarded++;
		msg_free(m);
		return 0;
	}
	return zw_tcp_orig->demux(self, lls, m);
}

/*
 * The server's window closes: the client stops, probes it at backed-off
 * intervals and never gives up; when it opens again the rest follows.
 */
static void test_zero_window(void)
{
	xk_sess_t *ip;
	xk_proto_t *tcp;
	struct tcp_pair p;
	struct xk_tcp_stats c0, c1, c2;
	uint32_t unsent = 0;

	connect_pair(&p);
	ip = p.app[1].sess->down;
	tcp = tcp_pair_tcp(&p, 1);
	zw_ip_orig = ip->ops;
	zw_ip_ops = *ip->ops;
	zw_ip_ops.push = zw_push;
	ip->ops = &zw_ip_ops;
	zw_tcp_orig = tcp->ops;
	zw_tcp_ops = *tcp->ops;
	zw_tcp_ops.demux = zw_demux;
	tcp->ops = &zw_tcp_ops;

	push(p.app[0].sess, 1000);
	p.want_rx = 1000;
	tcp_pair_run(&p, SEC, tcp_pair_got_rx);		/* delivered; then the window closes */
	zw_on = true;
	tcp_pair_run(&p, SEC, NULL);		/* the delayed ACK says window 0 */
	tcp_pair_stats(&p, 0, &c0);
	push(p.app[0].sess, 4000);
	tcp_pair_run(&p, 60 * SEC, NULL);
	tcp_pair_stats(&p, 0, &c1);
	xk_sess_control(p.app[0].sess, XK_TCP_CTL_GET_UNSENT, &unsent, sizeof unsent);
	tap_ok(p.app[1].rx_len == 1000 && unsent == 4000, "zerownd: for a minute nothing more is delivered (%zu, %u unacked)",
	       p.app[1].rx_len, unsent);
	tap_ok(zw_discarded >= 4 && zw_discarded <= 12 && c1.data_segs_out - c0.data_segs_out == zw_discarded,
	       "zerownd: only window probes were sent, backing off (%u in 60 s)", zw_discarded);
	tap_is_int(tcp_pair_state(p.app[0].sess), TCP_ESTABLISHED, "zerownd: and the client did not give up");
	zw_on = false;				/* the window opens: the next probe's ACK says so */
	p.want_rx = 5000;
	tap_is_int(tcp_pair_run(&p, 120 * SEC, tcp_pair_got_rx), 0, "zerownd: once it opens, all 5000 bytes arrive");
	tcp_pair_stats(&p, 0, &c2);
	tap_is_int((long long)(c2.rexmit_timeouts - c0.rexmit_timeouts), 0,
		   "zerownd: probes are not retransmission timeouts");
	ip->ops = zw_ip_orig;
	tcp->ops = zw_tcp_orig;
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
}

int main(void)
{
	tap_plan(30);
	test_retransmit();
	test_rtt_estimate();
	test_tail_probe();
	test_fast_retransmit();
	test_backoff();
	test_zero_window();
	return tap_done();
}
