/*
 * tcp_conn_test - connection behaviour on the in-process wire, counted in
 * segments on a virtual clock: the three-way handshake, the MSS option, RST
 * for a closed port, Nagle with and without NODELAY, delayed ACKs, and
 * TIME_WAIT restarted by a repeated FIN. tcp_timer_test has the timers.
 */
#include "tcp_test.h"

static bool client_eof(struct tcp_pair *p)
{
	return p->app[0].eof;
}

static void test_handshake(void)
{
	struct tcp_pair p;
	struct xk_tcp_stats c, s;
	uint32_t mss0 = 0, mss1 = 0;

	connect_pair(&p);
	tcp_pair_stats(&p, 0, &c);
	tcp_pair_stats(&p, 1, &s);
	tap_ok(c.segs_out == 2 && s.segs_out == 1, "handshake: SYN, SYN-ACK, ACK (client sent %llu, server %llu)",
	       (unsigned long long)c.segs_out, (unsigned long long)s.segs_out);
	tap_ok(c.conns_opened == 1 && s.conns_opened == 1, "handshake: both ESTABLISHED");
	xk_sess_control(p.app[0].sess, XK_CTL_GET_MAX_PACKET, &mss0, sizeof mss0);
	xk_sess_control(p.app[1].sess, XK_CTL_GET_MAX_PACKET, &mss1, sizeof mss1);
	tap_ok(mss0 == 1460 && mss1 == 1460, "handshake: MSS option gives 1460 on a 1500-byte MTU (%u, %u)", mss0, mss1);
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
}

/* The server's MTU is 576: its MSS option (536) bounds what the client sends. */
static void test_mss_option(void)
{
	static const uint16_t mtu[2] = { 0, 576 };
	struct tcp_pair p;
	struct xk_tcp_stats c0, c1;
	uint32_t mss0 = 0, mss1 = 0;

	if (tcp_pair_create_mtu(&p, NULL, mtu) < 0 || tcp_pair_connect(&p, PORT) < 0)
		tap_bail("mss: no connection");
	xk_sess_control(p.app[0].sess, XK_CTL_GET_MAX_PACKET, &mss0, sizeof mss0);
	xk_sess_control(p.app[1].sess, XK_CTL_GET_MAX_PACKET, &mss1, sizeof mss1);
	tap_ok(mss0 == 536 && mss1 == 536, "mss: a 576-byte MTU on one side gives both an MSS of 536 (%u, %u)", mss0, mss1);
	tcp_pair_stats(&p, 0, &c0);
	push(p.app[0].sess, 3000);
	p.want_rx = 3000;
	tap_is_int(tcp_pair_run(&p, SEC, tcp_pair_got_rx), 0, "mss: 3000 bytes arrive");
	tcp_pair_stats(&p, 0, &c1);
	tap_is_int((long long)(c1.data_segs_out - c0.data_segs_out), 6, "mss: in six segments of at most 536 bytes");
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
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
	tap_is_int(tcp_pair_state(p.app[0].sess), TCP_CLOSED, "rst: the client's connection is CLOSED");
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
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
	tap_ok(s.rexmit_timeouts + s.tail_probes >= 1, "timewait: the server did retransmit its FIN (a timeout or a tail loss probe)");
	tap_is_int(tcp_pair_run(&p, 10 * SEC, client_gone), 0, "timewait: then the client's TIME_WAIT ends");
	t_client = xk_wire_now(p.tb.wire);
	tap_ok(t_client - t_server + 20000 >= tw, "timewait: a whole TIME_WAIT after the repeated FIN (%llu ms)",
	       (unsigned long long)((t_client - t_server) / MS));
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
}

/* Ten 10-byte pushes in a row; returns the data segments the client sent for them. */
static unsigned small_writes(bool nodelay)
{
	struct tcp_pair p;
	struct xk_tcp_stats before, after;
	int on = nodelay;

	connect_pair(&p);
	xk_sess_control(p.app[0].sess, XK_CTL_SET_NODELAY, &on, sizeof on);
	tcp_pair_stats(&p, 0, &before);
	for (int i = 0; i < 10; i++)
		push(p.app[0].sess, 10);
	p.want_rx = 100;
	if (tcp_pair_run(&p, 10 * SEC, tcp_pair_got_rx) < 0)
		tap_bail("nagle: the small writes did not arrive");
	tcp_pair_stats(&p, 0, &after);
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
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
	connect_pair(&p);
	tcp_pair_stats(&p, 1, &s0);
	push(p.app[0].sess, 100);
	p.want_rx = 100;
	tcp_pair_run(&p, SEC, tcp_pair_got_rx);
	tcp_pair_run(&p, SEC, NULL);		/* let the ACK go */
	tcp_pair_stats(&p, 1, &s1);
	tap_is_int((long long)(s1.delayed_acks - s0.delayed_acks), 1, "delack: one segment is acknowledged by the timer");
	tap_is_int((long long)(s1.segs_out - s0.segs_out), 1, "delack: with one ACK segment");
	push(p.app[0].sess, 1460);
	push(p.app[0].sess, 1460);
	p.want_rx = 100 + 2 * 1460;
	tcp_pair_run(&p, SEC, tcp_pair_got_rx);
	tcp_pair_stats(&p, 1, &s2);
	tap_is_int((long long)(s2.delayed_acks - s1.delayed_acks), 0, "delack: two full segments are acknowledged at once");
	tap_is_int((long long)(s2.segs_out - s1.segs_out), 1, "delack: by one ACK for both");
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
}

int main(void)
{
	tap_plan(30);
	test_handshake();
	test_mss_option();
	test_rst_closed_port();
	test_time_wait();
	test_nagle();
	test_delayed_ack();
	return tap_done();
}
