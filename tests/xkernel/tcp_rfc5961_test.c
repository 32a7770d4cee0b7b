/*
 * tcp_rfc5961_test - blind in-window attacks (RFC 5961, issue 17 item 5)
 * on a connection over the seeded in-process wire: a RST inside the window
 * but not at RCV.NXT, and a SYN inside the window, forged with the
 * client's addresses, are each answered with a challenge ACK and leave the
 * connection ESTABLISHED and working; a RST exactly at RCV.NXT resets it.
 */
#include "tap.h"
#include "tcp_hdr.h"
#include "tcp_pair.h"

#define PORT 5004
#define MS 1000000ull

static struct tcp_hdr forged(struct tcp_pair *p, uint32_t seq, uint8_t flags)
{
	uint16_t cport = 0;

	xk_sess_control(p->app[0].sess, XK_CTL_GET_MY_PORT, &cport, sizeof cport);
	return (struct tcp_hdr){ .sport = cport, .dport = PORT, .seq = seq, .flags = flags, .win = 1000 };
}

static void forge(struct tcp_pair *p, const char *what, uint32_t seq, uint8_t flags)
{
	struct tcp_hdr h = forged(p, seq, flags);

	if (tcp_pair_inject(p, XK_TESTBED_IP(0), &h, 0) < 0)
		tap_bail("%s: cannot inject", what);
	tcp_pair_run(p, 1 * MS, NULL);
}

int main(void)
{
	struct xk_wire_impair clean = { .seed = 5961 };
	struct xk_tcp_stats a, b;
	struct tcp_pair p;
	uint32_t nxt = 0;

	tap_plan(9);
	if (tcp_pair_create(&p, &clean) < 0)
		tap_bail("cannot make the hosts");
	p.app[0].proto = xk_testbed_proto(&p.tb, 0, "tcpapp");
	p.app[1].proto = xk_testbed_proto(&p.tb, 1, "tcpapp");
	tap_is_int(tcp_pair_connect(&p, PORT), 0, "connected");
	tap_ok(xk_sess_control(p.app[1].sess, XK_TCP_CTL_GET_RCV_NXT, &nxt, sizeof nxt) >= 0,
	       "the server's RCV.NXT");
	tcp_pair_stats(&p, 1, &a);
	forge(&p, "RST", nxt + 1000, TCP_RST);
	tcp_pair_stats(&p, 1, &b);
	tap_ok(tcp_pair_state(p.app[1].sess) == TCP_ESTABLISHED && b.rsts_in == a.rsts_in,
	       "an in-window RST not at RCV.NXT does not reset the connection");
	tap_is_int((long long)(b.challenge_acks - a.challenge_acks), 1, "it gets a challenge ACK");
	a = b;
	forge(&p, "SYN", nxt + 2000, TCP_SYN);
	tcp_pair_stats(&p, 1, &b);
	tap_ok(tcp_pair_state(p.app[1].sess) == TCP_ESTABLISHED && b.rsts_out == a.rsts_out,
	       "an in-window SYN does not reset the connection (and sends no RST)");
	tap_is_int((long long)(b.challenge_acks - a.challenge_acks), 1, "it gets a challenge ACK");
	p.want_rx = 1000;
	tap_ok(tcp_pair_push_zeros(p.app[0].sess, 1000) == 0 && tcp_pair_run(&p, 1000 * MS, tcp_pair_got_rx) == 0,
	       "the connection still carries data");
	tap_ok(xk_sess_control(p.app[1].sess, XK_TCP_CTL_GET_RCV_NXT, &nxt, sizeof nxt) >= 0,
	       "the server's RCV.NXT again");
	forge(&p, "exact RST", nxt, TCP_RST);
	tap_ok(p.app[1].eof && tcp_pair_state(p.app[1].sess) == TCP_CLOSED,
	       "a RST exactly at RCV.NXT resets it");
	tcp_pair_destroy(&p);
	return tap_done();
}
