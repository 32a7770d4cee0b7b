/*
 * tcp_rfc5961_test - blind in-window attacks (RFC 5961, issue 17 item 5)
 * on a connection over the seeded in-process wire: a RST inside the window
 * but not at RCV.NXT, and a SYN inside the window, forged with the
 * client's addresses, are each answered with a challenge ACK and leave the
 * connection ESTABLISHED and working; a RST exactly at RCV.NXT resets it.
 * An ACK of data never sent gets one too. Challenge ACKs are limited per
 * second and host (section 7): floods of forged RSTs at one instant get at
 * most 1.5 times the limit (default 1000, then a set one), the rest counted
 * as limited; the next second has a new budget; a limit of 0 lifts it.
 */
#include "tap.h"
#include "tcp_hdr.h"
#include "tcp_pair.h"

#define PORT 5004
#define MS 1000000ull

/* n forged in-window RSTs at one instant; returns the challenge ACKs they got, *limited the others. */
static long long flood(struct tcp_pair *p, uint32_t seq, unsigned n, long long *limited)
{
	struct xk_tcp_stats a, b;
	struct tcp_hdr h;
	uint16_t cport = 0;

	xk_sess_control(p->app[0].sess, XK_CTL_GET_MY_PORT, &cport, sizeof cport);
	h = (struct tcp_hdr){ .sport = cport, .dport = PORT, .seq = seq, .flags = TCP_RST, .win = 1000 };
	tcp_pair_stats(p, 1, &a);
	for (unsigned i = 0; i < n; i++)
		if (tcp_pair_inject(p, XK_TESTBED_IP(0), &h, 0) < 0)
			tap_bail("flood: cannot inject");
	tcp_pair_stats(p, 1, &b);
	*limited = (long long)(b.challenge_acks_limited - a.challenge_acks_limited);
	if (b.pure_acks_out - a.pure_acks_out != b.challenge_acks - a.challenge_acks)
		tap_bail("flood: %llu ACKs sent for %llu challenges", (unsigned long long)(b.pure_acks_out - a.pure_acks_out),
			 (unsigned long long)(b.challenge_acks - a.challenge_acks));
	return (long long)(b.challenge_acks - a.challenge_acks);
}

static void set_limit(struct tcp_pair *p, uint32_t limit)
{
	if (xk_control(tcp_pair_tcp(p, 1), XK_TCP_CTL_SET_CHALLENGE_LIMIT, &limit, sizeof limit) < 0)
		tap_bail("cannot set the challenge ACK limit");
}

static struct tcp_hdr forged(struct tcp_pair *p, uint32_t seq, uint8_t flags)
{
	uint16_t cport = 0;

	xk_sess_control(p->app[0].sess, XK_CTL_GET_MY_PORT, &cport, sizeof cport);
	return (struct tcp_hdr){ .sport = cport, .dport = PORT, .seq = seq, .flags = flags, .win = 1000 };
}

/* A forged in-order ACK of 100000 bytes the server never sent (RFC 5961 5.2). */
static long long ack_unsent(struct tcp_pair *p, uint32_t nxt)
{
	struct tcp_hdr h = forged(p, nxt, TCP_ACK);
	struct xk_tcp_stats a, b;
	uint32_t snd_max = 0;

	xk_sess_control(p->app[0].sess, XK_TCP_CTL_GET_RCV_NXT, &snd_max, sizeof snd_max);
	h.ack = snd_max + 100000;
	tcp_pair_stats(p, 1, &a);
	if (tcp_pair_inject(p, XK_TESTBED_IP(0), &h, 0) < 0)
		tap_bail("ACK: cannot inject");
	tcp_pair_stats(p, 1, &b);
	return (long long)(b.challenge_acks - a.challenge_acks);
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
	long long sent, limited;

	tap_plan(17);
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
	sent = flood(&p, nxt + 1000, 3000, &limited);
	tap_ok(sent >= 500 && sent < 1500 && sent + limited == 3000,
	       "3000 forged RSTs at once: %lld challenge ACKs (500 to 1499 by default), %lld limited", sent, limited);
	tcp_pair_stats(&p, 1, &a);
	tap_ok(tcp_pair_state(p.app[1].sess) == TCP_ESTABLISHED && a.rsts_in == b.rsts_in,
	       "the flood leaves the connection ESTABLISHED");
	xk_wire_wait(p.tb.wire, 1000 * MS);
	forge(&p, "SYN a second later", nxt + 2000, TCP_SYN);
	tcp_pair_stats(&p, 1, &b);
	tap_ok(b.challenge_acks - a.challenge_acks == 1 && b.challenge_acks_limited == a.challenge_acks_limited,
	       "a second later a SYN gets its challenge ACK again");
	tap_is_int(ack_unsent(&p, nxt), 1, "an ACK of data never sent gets a challenge ACK");
	set_limit(&p, 10);
	sent = flood(&p, nxt + 1000, 40, &limited);
	tap_ok(sent >= 5 && sent < 15 && sent + limited == 40,
	       "limit 10: 40 forged RSTs get %lld challenge ACKs (5 to 14), %lld limited", sent, limited);
	xk_wire_wait(p.tb.wire, 1000 * MS);
	sent = flood(&p, nxt + 1000, 40, &limited);
	tap_ok(sent >= 5 && sent < 15 && sent + limited == 40, "and again a second later (%lld)", sent);
	set_limit(&p, 0);
	sent = flood(&p, nxt + 1000, 40, &limited);
	tap_is_int(sent, 40, "limit 0: every one gets its challenge ACK");
	tap_ok(xk_control(tcp_pair_tcp(&p, 1), XK_TCP_CTL_SET_CHALLENGE_LIMIT, &nxt, 2) == -EINVAL,
	       "a limit of the wrong size is refused");
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
