/*
 * arp_flood_test - ARP requests under a SYN flood from spoofed sources that
 * nobody answers ARP for (issue 17 item 3; bench/xkernel/synflood.sh's
 * numbers on the seeded wire): 5 SYNs a millisecond for 2 s of virtual time
 * from 252 addresses into host 1's listened port. Host 1 may send at most
 * XK_ARP_PROBES requests for a resolution, which lasts XK_ARP_ASK_NS, and have
 * XK_ARP_MAX_ASKING resolutions under way, so the requests are bounded; each
 * is counted on the wire by host 0's ARP, which drops every request that is
 * not for it. IP drops and counts what it held for an address ARP gave up
 * on; the address stays failed for XK_ARP_DOWN_NS, doubled for each failure
 * in a row up to XK_ARP_FAILED_NS, then is asked about again. A real peer
 * that connects halfway through gets its connection and its bytes across.
 */
#include <stdlib.h>
#include <string.h>

#include "eth.h"
#include "tap.h"
#include "tcp_pair.h"
#include "tcp_rtt.h"
#include "tcp_tcb.h"

#define PORT 5004
#define SOURCES 252	/* 10.0.0.3 on, as synflood.sh's 10.77.0.3-254 */
#define PER_MS 5
#define FLOOD_MS 2000
#define SIZE 20000
#define MS 1000000ull
#define SEC 1000000000ull
#define SYNACK_OVER (((1u << TCP_SYNACK_RETRIES) - 1) * TCP_RTO_INIT)	/* 1 + 2 + 4 s of backed-off SYN-ACKs */
/* Slots never answered start a resolution at most every XK_ARP_ASK_NS, each of at most XK_ARP_PROBES requests. */
#define MAX_REQUESTS (XK_ARP_MAX_ASKING * XK_ARP_PROBES * (FLOOD_MS * MS / XK_ARP_ASK_NS + 1))

static unsigned long long drops(struct tcp_pair *p, int host, const char *proto, int reason)
{
	struct xk_drops d;

	if (xk_control(xk_testbed_proto(&p->tb, host, proto), XK_CTL_GET_DROPS, &d, sizeof d) < 0)
		tap_bail("cannot read %s's drops", proto);
	return (unsigned long long)d.n[reason];
}

/* ARP requests host 1 broadcast for addresses other than host 0's, as host 0 saw them. */
static unsigned long long requests(struct tcp_pair *p)
{
	return drops(p, 0, "arp", XK_DROP_ADDR);
}

/* Host 1's ARP asked for ip's MAC: -EAGAIN while under way, -EHOSTUNREACH once failed. */
static int arp_ask(struct tcp_pair *p, uint32_t ip)
{
	uint8_t buf[XK_ETH_ALEN] = { 0 };

	memcpy(buf, &ip, sizeof ip);
	return xk_control(xk_testbed_proto(&p->tb, 1, "arp"), XK_CTL_ARP_RESOLVE, buf, sizeof buf);
}

static void spoofed_syn(struct tcp_pair *p, unsigned i)
{
	struct tcp_hdr h = { .sport = (uint16_t)(1024 + i / SOURCES), .dport = PORT, .seq = (uint32_t)rand(),
			     .flags = TCP_SYN, .win = 65535, .mss = 1460 };

	if (tcp_pair_inject(p, XK_TESTBED_IP(2) + i % SOURCES, &h, 0) < 0)
		tap_bail("cannot inject a SYN");
}

static bool got_all(struct tcp_pair *p)
{
	return p->app[1].rx_len >= SIZE;
}

int main(void)
{
	static uint8_t a[SIZE], ra[SIZE];
	struct xk_wire_impair clean = { .seed = 17 };
	struct tcp_pair p;
	unsigned long long n, held;

	tap_plan(8);
	srand(17);
	for (size_t i = 0; i < SIZE; i++)
		a[i] = (uint8_t)rand();
	if (tcp_pair_create(&p, &clean) < 0)
		tap_bail("cannot make the hosts");
	p.app[0].tx = a;
	p.app[0].tx_len = SIZE;
	p.app[1].rx = ra;
	p.app[1].rx_cap = SIZE;
	if (tcp_app_listen(&p.app[1], PORT) < 0)
		tap_bail("cannot listen");
	for (unsigned ms = 0; ms < FLOOD_MS; ms++) {
		for (unsigned k = 0; k < PER_MS; k++)
			spoofed_syn(&p, ms * PER_MS + k);
		if (ms == FLOOD_MS / 2 && tcp_app_connect(&p.app[0], XK_TESTBED_IP(1), PORT) < 0)
			tap_bail("cannot connect");
		tcp_pair_run(&p, 1 * MS, NULL);
	}
	n = requests(&p);
	held = drops(&p, 1, "ip", XK_DROP_ADDR);
	tap_diag("%u SYNs from %u sources in %u ms: %llu ARP requests (bound %llu), %llu held datagrams dropped",
		 FLOOD_MS * PER_MS, SOURCES, FLOOD_MS, n, (unsigned long long)MAX_REQUESTS, held);
	tap_ok(n > 0, "host 1 asked about the spoofed sources (%llu requests)", n);
	tap_ok(n <= MAX_REQUESTS, "at most %d resolutions of %d requests each every %llu ms: %llu <= %llu",
	       XK_ARP_MAX_ASKING, XK_ARP_PROBES, XK_ARP_ASK_NS / MS, n, (unsigned long long)MAX_REQUESTS);
	tap_ok(held > 0, "IP dropped and counted what it held for the addresses ARP gave up on (%llu)", held);
	tap_is_int(arp_ask(&p, XK_TESTBED_IP(2)), -EHOSTUNREACH,
		   "the first spoofed address has failed: no new request for it");
	tap_is_int(tcp_pair_run(&p, 10 * SEC, got_all), 0,
		   "a real peer that connected during the flood gets its bytes across");
	tap_ok(p.app[1].rx_len == SIZE && memcmp(ra, a, SIZE) == 0, "its %u bytes arrive byte-exact", SIZE);
	/* the flood's SYN-ACKs are retransmitted until SYNACK_OVER after the last SYN, each a new resolution */
	tcp_pair_run(&p, SYNACK_OVER + XK_ARP_ASK_NS + XK_ARP_FAILED_NS, NULL);
	n = requests(&p);
	tap_is_int(arp_ask(&p, XK_TESTBED_IP(2)), -EAGAIN,
		   "%llu s after its last failure the failed address is asked about again",
		   (XK_ARP_ASK_NS + XK_ARP_FAILED_NS) / SEC);
	tcp_pair_run(&p, 1 * MS, NULL);
	tap_ok(requests(&p) == n + 1, "with one request (%llu)", requests(&p) - n);
	tcp_pair_destroy(&p);
	return tap_done();
}
