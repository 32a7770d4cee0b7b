/*
 * tcp_synflood_test - 10,000 SYNs from 1,000 spoofed sources (no one
 * answers their ARP) injected into host 1's listened port, 100 every
 * millisecond of virtual time (issue 17 item 3): the half-open connections
 * never exceed the backlog (a full backlog answers with SYN cookies), a
 * transfer on an established connection goes on and completes byte-exact, a
 * legitimate new connection opened halfway through succeeds although twice
 * the backlog's spoofed SYNs arrive between its SYN and its ACK, and its data
 * is acknowledged; once the flood stops the half-open ones go after their few SYN-ACK
 * retries. An ACK with a wrong cookie gets a RST; with cookies off a full
 * backlog evicts its oldest. IP and ARP, with tables of 256 peers, keep
 * taking new sources: the idle and the unanswered ones give way.
 */
#include <stdlib.h>
#include <string.h>

#include "eth.h"
#include "tap.h"
#include "tcp_pair.h"
#include "tcp_tcb.h"

#define PORT 5003
#define SYNS 10000
#define SOURCES 1000	/* more than ARP's table holds */
#define BATCH 100
#define SIZE (100u * 1000u)
#define MS 1000000ull
#define SEC 1000000000ull
#define US 1000ull

/* A SYN to host 1's PORT from spoofed address src, port sport. */
static void spoofed_syn(struct tcp_pair *p, uint32_t src, uint16_t sport, uint32_t seq)
{
	struct tcp_hdr h = { .sport = sport, .dport = PORT, .seq = seq, .flags = TCP_SYN,
			     .win = 65535, .mss = 1460 };

	if (tcp_pair_inject(p, src, &h, 0) < 0)
		tap_bail("cannot inject a SYN");
}

/* n spoofed SYNs at once from new sources (past the flood's). */
static void burst(struct tcp_pair *p, unsigned n, uint16_t sport)
{
	for (unsigned i = 0; i < n; i++)
		spoofed_syn(p, XK_TESTBED_IP(2) + SOURCES + 1 + i, sport, (uint32_t)rand());
}

static xk_sess_t *legit;

static bool legit_acked(struct tcp_pair *p)
{
	uint32_t unsent = 1;

	(void)p;
	xk_sess_control(legit, XK_TCP_CTL_GET_UNSENT, &unsent, sizeof unsent);
	return unsent == 0;
}

static bool got_all(struct tcp_pair *p)
{
	return p->app[1].rx_len >= SIZE;
}

static bool no_half_open(struct tcp_pair *p)
{
	return tcp_pair_nstate(p, 1, TCP_SYN_RCVD) == 0;
}

/* Datagrams host 1's IP dropped for want of room (a session for a new peer). */
static unsigned long long ip_nomem(struct tcp_pair *p)
{
	struct xk_drops d;

	if (xk_control(xk_testbed_proto(&p->tb, 1, "ip"), XK_CTL_GET_DROPS, &d, sizeof d) < 0)
		tap_bail("cannot read IP's drops");
	return (unsigned long long)d.n[XK_DROP_NOMEM];
}

/* Host 1's ARP asked for ip's MAC: -EAGAIN once it sent a request. */
static int arp_ask(struct tcp_pair *p, uint32_t ip)
{
	uint8_t buf[XK_ETH_ALEN] = { 0 };

	memcpy(buf, &ip, sizeof ip);
	return xk_control(xk_testbed_proto(&p->tb, 1, "arp"), XK_CTL_ARP_RESOLVE, buf, sizeof buf);
}

int main(void)
{
	static uint8_t a[SIZE], ra[SIZE];
	struct xk_wire_impair clean = { .seed = 5961 };
	struct xk_tcp_stats st;
	struct tcp_pair p;
	struct xk_parts parts;
	unsigned max_half = 0, max_live = 0;
	int legit_state = -1;

	tap_plan(12);
	srand(5961);
	for (size_t i = 0; i < SIZE; i++)
		a[i] = (uint8_t)rand();
	if (tcp_pair_create(&p, &clean) < 0)
		tap_bail("cannot make the hosts");
	p.app[0].proto = xk_testbed_proto(&p.tb, 0, "tcpapp");
	p.app[1].proto = xk_testbed_proto(&p.tb, 1, "tcpapp");
	p.app[1].rx = ra;
	p.app[1].rx_cap = SIZE;
	tap_is_int(tcp_pair_connect(&p, PORT), 0, "connected");
	p.app[0].tx = a;
	p.app[0].tx_len = SIZE;
	p.app[0].chunk = 1000;	/* a slow trickle: the transfer lasts through the flood */
	for (unsigned i = 0; i < SYNS; i++) {
		spoofed_syn(&p, XK_TESTBED_IP(2) + i % SOURCES, (uint16_t)(1024 + i / SOURCES),
			    (uint32_t)rand());
		if (i % BATCH != BATCH - 1)
			continue;
		tcp_pair_run(&p, 1 * MS, NULL);
		tcp_pair_stats(&p, 1, &st);
		if (st.nstate[TCP_SYN_RCVD] > max_half)
			max_half = st.nstate[TCP_SYN_RCVD];
		unsigned live = 0;
		for (int s = 0; s < TCP_NSTATES; s++)
			live += st.nstate[s];
		if (live > max_live)
			max_live = live;
		if (i + 1 == SYNS / 2) {
			memset(&parts, 0, sizeof parts);
			xk_part_push_ip(&parts.remote, XK_TESTBED_IP(1));
			xk_part_push_port(&parts.remote, PORT);
			if (xk_open(tcp_pair_tcp(&p, 0), p.app[0].proto, p.app[0].proto, &parts, &legit) < 0)
				tap_bail("cannot open the legitimate connection");
			tcp_pair_run(&p, 15 * US, NULL);	/* its SYN is in, its ACK not yet */
			burst(&p, 2 * TCP_BACKLOG, 1);
		} else if (i + 1 == SYNS / 2 + BATCH) {
			legit_state = tcp_pair_state(legit);
		}
	}
	tcp_pair_stats(&p, 1, &st);
	tap_diag("host 1 under %u SYNs: at most %u half-open, %u connections live; %llu cookies sent, %llu returned",
		 SYNS, max_half, max_live, (unsigned long long)st.syn_cookies_sent,
		 (unsigned long long)st.syn_cookies_ok);
	tap_ok(max_half <= TCP_BACKLOG, "half-open connections stay within the backlog (%u <= %u)",
	       max_half, TCP_BACKLOG);
	tap_ok(legit_state == TCP_ESTABLISHED || legit_state == TCP_CLOSE_WAIT,
	       "a legitimate connection opened during the flood is established a millisecond later (state %d)",
	       legit_state);
	tap_ok(st.conns_opened == 2, "host 1 accepted both real connections and no spoofed one (%llu)",
	       (unsigned long long)st.conns_opened);
	tap_ok(ip_nomem(&p) == 0, "host 1's IP took every new source: idle peers give way (%llu dropped)",
	       ip_nomem(&p));
	tap_is_int(arp_ask(&p, XK_TESTBED_IP(2) + SOURCES), -EAGAIN,
		   "host 1's ARP still asks about a new address (its table is not full for good)");
	tap_is_int(tcp_pair_run(&p, 10 * SEC, got_all), 0, "the established connection's transfer completes");
	tap_ok(p.app[1].rx_len == SIZE && memcmp(ra, a, SIZE) == 0, "its %u bytes arrive byte-exact", SIZE);
	tap_ok(st.syn_cookies_ok == 1 && tcp_pair_push_zeros(legit, 3000) == 0 &&
	       tcp_pair_run(&p, 10 * SEC, legit_acked) == 0,
	       "the legitimate connection, made from its cookie, has 3000 bytes acknowledged");
	tap_is_int(tcp_pair_run(&p, 60 * SEC, no_half_open), 0,
		   "the half-open connections go after their SYN-ACK retries");
	tcp_pair_stats(&p, 1, &st);
	{
		struct tcp_hdr h = { .sport = 999, .dport = PORT, .seq = 1, .ack = 12345,
				     .flags = TCP_ACK, .win = 1000 };
		struct xk_tcp_stats b;

		if (tcp_pair_inject(&p, XK_TESTBED_IP(2), &h, 0) < 0)
			tap_bail("cannot inject an ACK");
		tcp_pair_stats(&p, 1, &b);
		tap_ok(b.syn_cookies_bad == st.syn_cookies_bad + 1 && b.rsts_out == st.rsts_out + 1 &&
		       b.syn_cookies_ok == st.syn_cookies_ok,
		       "an ACK with a wrong cookie makes no connection and gets a RST");
	}
	{
		int off = 0;

		if (xk_control(tcp_pair_tcp(&p, 1), XK_TCP_CTL_SET_SYN_COOKIES, &off, sizeof off) < 0)
			tap_bail("cannot turn SYN cookies off");
	}
	burst(&p, TCP_BACKLOG + 36, 2);
	tcp_pair_stats(&p, 1, &st);
	tap_ok(st.nstate[TCP_SYN_RCVD] == TCP_BACKLOG && st.half_open_evicted == 36,
	       "cookies off: %u more SYNs than the backlog evict as many (%llu), %u half-open", 36,
	       (unsigned long long)st.half_open_evicted, st.nstate[TCP_SYN_RCVD]);
	xk_close(legit);
	tcp_pair_destroy(&p);
	return tap_done();
}
