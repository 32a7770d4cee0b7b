/*
 * tcp_conn_test - connection behaviour on the in-process wire, counted in
 * segments on a virtual clock: the three-way handshake, the MSS option, RST
 * for a closed port, retransmission of a dropped segment, the RTO from the
 * measured round trip, fast retransmit on three duplicate ACKs, exponential
 * backoff until TCP gives up with a RST that resets the peer, TIME_WAIT
 * restarted by a repeated FIN, zero-window probes, Nagle with and without
 * NODELAY, and delayed ACKs.
 */
#include <string.h>

#include "bytes.h"
#include "ip.h"
#include "tap.h"
#include "tcp_hdr.h"
#include "tcp_pair.h"
#include "tcp_rtt.h"

#define PORT 7000
#define MS 1000000ull
#define SEC (1000 * MS)

static size_t want_rx;	/* bytes the server must receive before got_rx holds */

static int state(xk_sess_t *s)
{
	int st = -1;

	xk_sess_control(s, XK_TCP_CTL_GET_STATE, &st, sizeof st);
	return st;
}

static bool established(struct tcp_pair *p)
{
	return p->app[1].sess && state(p->app[0].sess) == TCP_ESTABLISHED;
}

static bool got_rx(struct tcp_pair *p)
{
	return p->app[1].rx_len >= want_rx;
}

static bool client_eof(struct tcp_pair *p)
{
	return p->app[0].eof;
}

/* Two hosts, the server listening, the client connected and established; both apps keep the connection open. */
static void setup(struct tcp_pair *p, const char *name)
{
	if (tcp_pair_create(p, NULL) < 0)
		tap_bail("%s: cannot make the hosts", name);
	p->app[0].keep_open = p->app[1].keep_open = true;
	if (tcp_app_listen(&p->app[1], PORT) < 0 || tcp_app_connect(&p->app[0], XK_TESTBED_IP(1), PORT) < 0 ||
	    tcp_pair_run(p, SEC, established) < 0)
		tap_bail("%s: no connection", name);
}

static void push_bytes(xk_sess_t *s, size_t n)
{
	static const uint8_t zero[4096];
	msg_t m;

	if (msg_from(&m, zero, n) < 0 || xk_push(s, &m) < 0)
		tap_bail("push of %zu bytes failed", n);
}

static void test_handshake(void)
{
	struct tcp_pair p;
	struct xk_tcp_stats c, s;
	uint32_t mss0 = 0, mss1 = 0;

	setup(&p, "handshake");
	tcp_pair_stats(&p, 0, &c);
	tcp_pair_stats(&p, 1, &s);
	tap_ok(c.segs_out == 2 && s.segs_out == 1, "handshake: SYN, SYN-ACK, ACK (client sent %llu, server %llu)",
	       (unsigned long long)c.segs_out, (unsigned long long)s.segs_out);
	tap_ok(c.conns_opened == 1 && s.conns_opened == 1, "handshake: both ESTABLISHED");
	xk_sess_control(p.app[0].sess, XK_CTL_GET_MAX_PACKET, &mss0, sizeof mss0);
	xk_sess_control(p.app[1].sess, XK_CTL_GET_MAX_PACKET, &mss1, sizeof mss1);
	tap_ok(mss0 == 1460 && mss1 == 1460, "handshake: MSS option gives 1460 on a 1500-byte MTU (%u, %u)", mss0, mss1);
	tcp_pair_destroy(&p);
}

/* The server's MTU is 576: its MSS option (536) bounds what the client sends. */
static void test_mss_option(void)
{
	static const uint16_t mtu[2] = { 0, 576 };
	struct tcp_pair p;
	struct xk_tcp_stats c0, c1;
	uint32_t mss0 = 0, mss1 = 0;

	if (tcp_pair_create_mtu(&p, NULL, mtu) < 0)
		tap_bail("mss: cannot make the hosts");
	p.app[0].keep_open = p.app[1].keep_open = true;
	if (tcp_app_listen(&p.app[1], PORT) < 0 || tcp_app_connect(&p.app[0], XK_TESTBED_IP(1), PORT) < 0 ||
	    tcp_pair_run(&p, SEC, established) < 0)
		tap_bail("mss: no connection");
	xk_sess_control(p.app[0].sess, XK_CTL_GET_MAX_PACKET, &mss0, sizeof mss0);
	xk_sess_control(p.app[1].sess, XK_CTL_GET_MAX_PACKET, &mss1, sizeof mss1);
	tap_ok(mss0 == 536 && mss1 == 536, "mss: a 576-byte MTU on one side gives both an MSS of 536 (%u, %u)", mss0, mss1);
	tcp_pair_stats(&p, 0, &c0);
	push_bytes(p.app[0].sess, 3000);
	want_rx = 3000;
	tap_is_int(tcp_pair_run(&p, SEC, got_rx), 0, "mss: 3000 bytes arrive");
	tcp_pair_stats(&p, 0, &c1);
	tap_is_int((long long)(c1.data_segs_out - c0.data_segs_out), 6, "mss: in six segments of at most 536 bytes");
	tcp_pair_destroy(&p);
}

static void test_rst_closed_port(void)
{
	struct tcp_pair p;
	struct xk_tcp_stats c, s;
	struct xk_drops d;

	if (tcp_pair_create(&p, NULL) < 0)
		tap_bail("rst: cannot make the hosts");
	p.app[0].keep_open = true;	/* keep the session to ask its state */
	tap_is_int(tcp_app_connect(&p.app[0], XK_TESTBED_IP(1), 9), 0, "rst: connect to a closed port starts");
	tap_is_int(tcp_pair_run(&p, SEC, client_eof), 0, "rst: the client learns of the reset");
	tcp_pair_stats(&p, 0, &c);
	tcp_pair_stats(&p, 1, &s);
	xk_control(tcp_pair_tcp(&p, 1), XK_CTL_GET_DROPS, &d, sizeof d);
	tap_ok(s.rsts_out == 1 && c.rsts_in == 1, "rst: the server sent one RST, the client took it");
	tap_is_int((long long)d.n[XK_DROP_NOSESS], 1, "rst: the SYN counted as a no-connection drop");
	tap_is_int(state(p.app[0].sess), TCP_CLOSED, "rst: the client's connection is CLOSED");
	tcp_pair_destroy(&p);
}

static void test_retransmit(void)
{
	struct xk_wire_impair drop_all = { .drop_pct = 100 };
	struct tcp_pair p;
	struct xk_tcp_stats c;
	uint64_t t0;

	setup(&p, "rexmit");
	xk_wire_set_impair(p.tb.wire, &drop_all);
	push_bytes(p.app[0].sess, 100);		/* this segment is lost */
	xk_wire_set_impair(p.tb.wire, NULL);
	t0 = xk_wire_now(p.tb.wire);
	want_rx = 100;
	tap_is_int(tcp_pair_run(&p, 10 * SEC, got_rx), 0, "rexmit: the lost segment arrives");
	tcp_pair_stats(&p, 0, &c);
	tap_is_int((long long)c.rexmit_timeouts, 1, "rexmit: by one retransmission timeout");
	tap_ok(xk_wire_now(p.tb.wire) - t0 >= 200 * MS, "rexmit: not before the minimum RTO (virtual time)");
	tcp_pair_destroy(&p);
}

/* On a 300 ms round trip the RTO comes from the handshake's sample (3 x RTT), not the 200 ms floor. */
static void test_rtt_estimate(void)
{
	struct xk_wire_impair slow = { .latency_ns = 150 * MS }, slow_drop = { .latency_ns = 150 * MS, .drop_pct = 100 };
	struct tcp_pair p;
	struct xk_tcp_stats c;
	uint64_t t0;

	if (tcp_pair_create(&p, &slow) < 0)
		tap_bail("rtt: cannot make the hosts");
	p.app[0].keep_open = p.app[1].keep_open = true;
	if (tcp_app_listen(&p.app[1], PORT) < 0 || tcp_app_connect(&p.app[0], XK_TESTBED_IP(1), PORT) < 0 ||
	    tcp_pair_run(&p, 10 * SEC, established) < 0)
		tap_bail("rtt: no connection");
	xk_wire_set_impair(p.tb.wire, &slow_drop);
	push_bytes(p.app[0].sess, 100);		/* lost */
	xk_wire_set_impair(p.tb.wire, &slow);
	t0 = xk_wire_now(p.tb.wire);
	want_rx = 100;
	tap_is_int(tcp_pair_run(&p, 10 * SEC, got_rx), 0, "rtt: the lost segment arrives on a 300 ms round trip");
	tcp_pair_stats(&p, 0, &c);
	tap_is_int((long long)c.rexmit_timeouts, 1, "rtt: after one timeout");
	tap_ok(xk_wire_now(p.tb.wire) - t0 >= 900 * MS + 150 * MS,
	       "rtt: the RTO was at least 3 x 300 ms (first sample R: R + 4 R/2), then 150 ms on the wire (took %llu ms; "
	       "the handshake's sample also holds the ARP exchange)",
	       (unsigned long long)((xk_wire_now(p.tb.wire) - t0) / MS));
	tcp_pair_destroy(&p);
}

static void test_fast_retransmit(void)
{
	struct xk_wire_impair drop_all = { .drop_pct = 100 };
	struct tcp_pair p;
	struct xk_tcp_stats c0, c1;
	uint64_t t0;

	setup(&p, "fastrexmit");
	tcp_pair_stats(&p, 0, &c0);
	xk_wire_set_impair(p.tb.wire, &drop_all);
	push_bytes(p.app[0].sess, 1460);	/* the first of five segments is lost */
	xk_wire_set_impair(p.tb.wire, NULL);
	for (int i = 0; i < 4; i++)
		push_bytes(p.app[0].sess, 1460);
	t0 = xk_wire_now(p.tb.wire);
	want_rx = 5 * 1460;
	tap_is_int(tcp_pair_run(&p, 10 * SEC, got_rx), 0, "fastrexmit: all five segments arrive");
	tcp_pair_stats(&p, 0, &c1);
	tap_ok(c1.dup_acks - c0.dup_acks >= 3, "fastrexmit: the four later segments drew duplicate ACKs (%llu)",
	       (unsigned long long)(c1.dup_acks - c0.dup_acks));
	tap_ok(c1.fast_rexmits - c0.fast_rexmits == 1 && c1.rexmit_timeouts == c0.rexmit_timeouts,
	       "fastrexmit: one fast retransmission, no timeout");
	tap_ok(xk_wire_now(p.tb.wire) - t0 < TCP_RTO_MIN, "fastrexmit: repaired before the minimum RTO (virtual time)");
	tcp_pair_destroy(&p);
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

	setup(&p, "backoff");
	xk_wire_set_impair(p.tb.wire, &drop_all);
	push_bytes(p.app[0].sess, 100);		/* never arrives */
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
	tap_ok(c.rsts_out == 1 && state(p.app[0].sess) == TCP_CLOSED, "backoff: the client sent a RST, its connection CLOSED");
	tap_ok(s.rsts_in == 1 && state(p.app[1].sess) == TCP_CLOSED,
	       "backoff: the RST, in the server's window, reset its established connection");
	tcp_pair_destroy(&p);
}

static bool client_fin_acked(struct tcp_pair *p)
{
	return tcp_pair_nstate(p, 0, TCP_FIN_WAIT_2) == 1 && p->app[1].eof;
}

static bool client_time_wait(struct tcp_pair *p)
{
	return tcp_pair_nstate(p, 0, TCP_TIME_WAIT) == 1;
}

static bool server_gone(struct tcp_pair *p)
{
	struct xk_tcp_stats st;

	tcp_pair_stats(p, 1, &st);
	return st.nstate[TCP_LAST_ACK] + st.nstate[TCP_CLOSED] == 0 && p->app[1].closed;
}

static bool client_gone(struct tcp_pair *p)
{
	return tcp_pair_nstate(p, 0, TCP_TIME_WAIT) == 0;
}

/*
 * The client closes first; its ACK of the server's FIN is lost, so the
 * server retransmits the FIN: the client in TIME_WAIT acknowledges it again
 * and restarts its wait, which therefore ends a full TIME_WAIT after that.
 */
static void test_time_wait(void)
{
	struct xk_wire_impair drop_all = { .drop_pct = 100 };
	uint64_t tw = SEC, t_server, t_client;
	struct xk_tcp_stats s;
	struct tcp_pair p;

	if (tcp_pair_create(&p, NULL) < 0)
		tap_bail("timewait: cannot make the hosts");
	xk_control(tcp_pair_tcp(&p, 0), XK_TCP_CTL_SET_TIME_WAIT, &tw, sizeof tw);
	p.app[1].keep_open = true;	/* the server closes when told */
	if (tcp_app_listen(&p.app[1], PORT) < 0 || tcp_app_connect(&p.app[0], XK_TESTBED_IP(1), PORT) < 0)
		tap_bail("timewait: no connection");
	tap_is_int(tcp_pair_run(&p, SEC, client_fin_acked), 0, "timewait: the client's FIN is acknowledged");
	p.app[1].keep_open = false;
	tcp_app_pump(&p.app[1]);		/* the server's FIN goes out on a clean wire */
	xk_wire_set_impair(p.tb.wire, &drop_all);	/* the client's ACK of it is lost */
	tap_is_int(tcp_pair_run(&p, SEC, client_time_wait), 0, "timewait: the client enters TIME_WAIT");
	xk_wire_set_impair(p.tb.wire, NULL);
	tap_is_int(tcp_pair_run(&p, 10 * SEC, server_gone), 0, "timewait: the server's retransmitted FIN is acknowledged");
	t_server = xk_wire_now(p.tb.wire);
	tcp_pair_stats(&p, 1, &s);
	tap_ok(s.rexmit_timeouts >= 1, "timewait: the server did retransmit its FIN");
	tap_is_int(tcp_pair_run(&p, 10 * SEC, client_gone), 0, "timewait: then the client's TIME_WAIT ends");
	t_client = xk_wire_now(p.tb.wire);
	tap_ok(t_client - t_server + 20000 >= tw, "timewait: a whole TIME_WAIT after the repeated FIN (%llu ms)",
	       (unsigned long long)((t_client - t_server) / MS));
	tcp_pair_destroy(&p);
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

	setup(&p, "zerownd");
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

	push_bytes(p.app[0].sess, 1000);
	want_rx = 1000;
	tcp_pair_run(&p, SEC, got_rx);		/* delivered; then the window closes */
	zw_on = true;
	tcp_pair_run(&p, SEC, NULL);		/* the delayed ACK says window 0 */
	tcp_pair_stats(&p, 0, &c0);
	push_bytes(p.app[0].sess, 4000);
	tcp_pair_run(&p, 60 * SEC, NULL);
	tcp_pair_stats(&p, 0, &c1);
	xk_sess_control(p.app[0].sess, XK_TCP_CTL_GET_UNSENT, &unsent, sizeof unsent);
	tap_ok(p.app[1].rx_len == 1000 && unsent == 4000, "zerownd: for a minute nothing more is delivered (%zu, %u unacked)",
	       p.app[1].rx_len, unsent);
	tap_ok(zw_discarded >= 4 && zw_discarded <= 12 && c1.data_segs_out - c0.data_segs_out == zw_discarded,
	       "zerownd: only window probes were sent, backing off (%u in 60 s)", zw_discarded);
	tap_is_int(state(p.app[0].sess), TCP_ESTABLISHED, "zerownd: and the client did not give up");
	zw_on = false;				/* the window opens: the next probe's ACK says so */
	want_rx = 5000;
	tap_is_int(tcp_pair_run(&p, 120 * SEC, got_rx), 0, "zerownd: once it opens, all 5000 bytes arrive");
	tcp_pair_stats(&p, 0, &c2);
	tap_is_int((long long)(c2.rexmit_timeouts - c0.rexmit_timeouts), 0,
		   "zerownd: probes are not retransmission timeouts");
	ip->ops = zw_ip_orig;
	tcp->ops = zw_tcp_orig;
	tcp_pair_destroy(&p);
}

/* Ten 10-byte pushes in a row; returns the data segments the client sent for them. */
static unsigned small_writes(bool nodelay)
{
	struct tcp_pair p;
	struct xk_tcp_stats before, after;
	int on = nodelay;

	setup(&p, "nagle");
	xk_sess_control(p.app[0].sess, XK_CTL_SET_NODELAY, &on, sizeof on);
	tcp_pair_stats(&p, 0, &before);
	for (int i = 0; i < 10; i++)
		push_bytes(p.app[0].sess, 10);
	want_rx = 100;
	if (tcp_pair_run(&p, 10 * SEC, got_rx) < 0)
		tap_bail("nagle: the small writes did not arrive");
	tcp_pair_stats(&p, 0, &after);
	tcp_pair_destroy(&p);
	return (unsigned)(after.data_segs_out - before.data_segs_out);
}

static void test_nagle(void)
{
	tap_is_int(small_writes(false), 2, "nagle on: the first byte goes, the other nine writes wait for its ACK");
	tap_is_int(small_writes(true), 10, "nagle off (NODELAY): one segment per write");
}

static void test_delayed_ack(void)
{
	struct tcp_pair p;
	struct xk_tcp_stats s0, s1, s2;
	setup(&p, "delack");
	tcp_pair_stats(&p, 1, &s0);
	push_bytes(p.app[0].sess, 100);
	want_rx = 100;
	tcp_pair_run(&p, SEC, got_rx);
	tcp_pair_run(&p, SEC, NULL);		/* let the ACK go */
	tcp_pair_stats(&p, 1, &s1);
	tap_is_int((long long)(s1.delayed_acks - s0.delayed_acks), 1, "delack: one segment is acknowledged by the timer");
	tap_is_int((long long)(s1.segs_out - s0.segs_out), 1, "delack: with one ACK segment");
	push_bytes(p.app[0].sess, 1460);
	push_bytes(p.app[0].sess, 1460);
	want_rx = 100 + 2 * 1460;
	tcp_pair_run(&p, SEC, got_rx);
	tcp_pair_stats(&p, 1, &s2);
	tap_is_int((long long)(s2.delayed_acks - s1.delayed_acks), 0, "delack: two full segments are acknowledged at once");
	tap_is_int((long long)(s2.segs_out - s1.segs_out), 1, "delack: by one ACK for both");
	tcp_pair_destroy(&p);
}

int main(void)
{
	tap_plan(44);
	test_handshake();
	test_mss_option();
	test_rst_closed_port();
	test_retransmit();
	test_rtt_estimate();
	test_fast_retransmit();
	test_backoff();
	test_time_wait();
	test_zero_window();
	test_nagle();
	test_delayed_ack();
	return tap_done();
}
