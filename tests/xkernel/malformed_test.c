/*
 * malformed_test.c - malformed frames injected into a host while a UDP flow
 * runs: each is dropped and counted once, under the right protocol and
 * reason; random frames (seeded) likewise; the flow keeps working.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "tap.h"
#include "ip_sess.h"
#include "testbed.h"

#define MS		(1000ull * 1000)
#define ETH		14
#define IPH		20
#define UDPH		8

static const char *const protos[] = { "eth", "arp", "ip", "icmp", "udp" };
#define NPROTOS (sizeof protos / sizeof protos[0])

static struct xk_testbed tb;

static uint64_t drops(const char *proto, int why)
{
	struct xk_drops d;
	uint64_t sum = 0;

	for (size_t i = 0; i < NPROTOS; i++) {
		if (proto && strcmp(proto, protos[i]) != 0)
			continue;
		if (xk_control(xk_testbed_proto(&tb, 1, protos[i]), XK_CTL_GET_DROPS, &d, sizeof d) < 0)
			tap_bail("drop counters of %s", protos[i]);
		for (int r = 0; r < XK_DROP_NREASONS; r++)
			if (why < 0 || why == r)
				sum += d.n[r];
	}
	return sum;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static void ip_fix_csum(uint8_t *ip)
{
	put16(ip + 10, 0);
	put16(ip + 10, xk_csum_fold(xk_csum_add(0, ip, (ip[0] & 15u) * 4)));
}

/* UDP checksum over the pseudo-header and udp[0..len). */
static void udp_fix_csum(uint8_t *ip, uint8_t *udp, unsigned len)
{
	uint8_t ph[12];

	memcpy(ph, ip + 12, 8);
	ph[8] = 0;
	ph[9] = 17;
	put16(ph + 10, len);
	put16(udp + 6, 0);
	put16(udp + 6, xk_csum_fold(xk_csum_add(xk_csum_add(0, ph, 12), udp, len)));
}

/* A correct frame host0 -> host1: ETH, IP (proto), then payload bytes. Returns its length. */
static size_t frame_ip(uint8_t *f, uint8_t proto, const uint8_t *payload, unsigned plen)
{
	memcpy(f, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", ETH);
	memset(f + ETH, 0, IPH);
	f[ETH] = 0x45;
	put16(f + ETH + 2, IPH + plen);
	put16(f + ETH + 4, 0x7777);
	f[ETH + 8] = 64;
	f[ETH + 9] = proto;
	put32(f + ETH + 12, XK_TESTBED_IP(0));
	put32(f + ETH + 16, XK_TESTBED_IP(1));
	ip_fix_csum(f + ETH);
	if (plen)
		memcpy(f + ETH + IPH, payload, plen);
	return ETH + IPH + plen;
}

/* A correct UDP frame to port dport with n payload bytes. */
static size_t frame_udp(uint8_t *f, unsigned dport, unsigned n)
{
	uint8_t udp[UDPH + 64] = { 0 };

	put16(udp, 5000);
	put16(udp + 2, dport);
	put16(udp + 4, UDPH + n);
	memset(udp + UDPH, 'x', n);
	frame_ip(f, 17, udp, UDPH + n);
	udp_fix_csum(f + ETH, f + ETH + IPH, UDPH + n);
	return ETH + IPH + UDPH + n;
}

/* Inject one frame; true if it was dropped exactly once, as proto/why, and not delivered. */
static bool dropped_as(const uint8_t *f, size_t len, const char *proto, int why)
{
	uint64_t all = drops(NULL, -1), mine = drops(proto, why);
	unsigned delivered = tb.app[1].received;

	xk_wire_inject(tb.wire, tb.host[1], f, len);
	return drops(NULL, -1) == all + 1 && drops(proto, why) == mine + 1 &&
	       tb.app[1].received == delivered;
}

/* One round trip of n bytes (fragmented past 1472) on the flow in progress. */
static bool flow_alive_n(xk_sess_t *s, size_t n)
{
	static uint8_t ping[4000];
	unsigned before = tb.app[0].received;
	msg_t m;

	memset(ping, 'p', sizeof ping);
	if (n > sizeof ping || msg_from(xk_host_pool(s->proto->host), &m, ping, n) || xk_push(s, &m))
		return false;
	xk_wire_run(tb.wire, 50 * MS, NULL, NULL);
	return tb.app[0].received > before && msg_len(&tb.app[0].last) == n &&
	       memcmp(msg_peek(&tb.app[0].last, n), ping, n) == 0;
}

static bool flow_alive(xk_sess_t *s)
{
	return flow_alive_n(s, 4);
}

/*
 * 400 incomplete datagrams (a first fragment of 1480 bytes each) must not
 * block reassembly: the oldest go, so memory stays within IP_REASM_BYTES,
 * and a fragmented datagram right after them is reassembled.
 */
static void test_reasm_burst(xk_sess_t *flow)
{
	static const uint8_t zero[1480];
	uint8_t g[ETH + IPH + sizeof zero];
	uint64_t before = drops("ip", XK_DROP_FRAG), evicted;
	unsigned n = 400, fit = IP_REASM_BYTES / sizeof zero;

	for (unsigned i = 0; i < n; i++) {
		size_t len = frame_ip(g, 17, zero, sizeof zero);

		put16(g + ETH + 4, 0x1000 + i);
		put16(g + ETH + 6, 0x2000);	/* more fragments, offset 0 */
		ip_fix_csum(g + ETH);
		xk_wire_inject(tb.wire, tb.host[1], g, len);
	}
	evicted = drops("ip", XK_DROP_FRAG) - before;
	tap_ok(evicted >= n - fit, "ip: %u incomplete datagrams: the oldest %llu dropped (memory <= %u bytes)",
	       n, (unsigned long long)evicted, IP_REASM_BYTES);
	tap_ok(flow_alive_n(flow, 4000), "ip: a fragmented datagram right after them is reassembled");
}

static void test_truncations(void)
{
	uint8_t f[128], g[128];
	size_t n = frame_udp(f, 7, 16);
	bool ok = true;

	for (size_t cut = 0; cut < ETH; cut++)
		ok &= dropped_as(f, cut, "eth", XK_DROP_SHORT);
	tap_ok(ok, "eth: every cut inside the Ethernet header: eth/short");
	ok = true;
	for (size_t cut = ETH; cut < ETH + IPH; cut++)
		ok &= dropped_as(f, cut, "ip", XK_DROP_SHORT);
	tap_ok(ok, "ip: every cut inside the IP header: ip/short");
	ok = true;
	for (size_t cut = ETH + IPH; cut < n; cut++)
		ok &= dropped_as(f, cut, "ip", XK_DROP_SHORT);
	tap_ok(ok, "ip: every cut after it, IP length now too long: ip/short");
	ok = true;
	for (unsigned k = 0; k < UDPH; k++) {	/* IP length fixed up: UDP sees the cut */
		memcpy(g, f, n);
		put16(g + ETH + 2, IPH + k);
		ip_fix_csum(g + ETH);
		ok &= dropped_as(g, ETH + IPH + k, "udp", XK_DROP_SHORT);
	}
	tap_ok(ok, "udp: every cut inside the UDP header, IP length consistent: udp/short");
	{
		uint64_t before = drops(NULL, -1);
		unsigned delivered = tb.app[1].received;

		xk_wire_inject(tb.wire, tb.host[1], f, n);
		tap_ok(drops(NULL, -1) == before && tb.app[1].received == delivered + 1,
		       "control: the untouched frame is delivered, not dropped");
	}
}

static void test_fields(void)
{
	uint8_t f[128], g[128], p[64];
	size_t n = frame_udp(f, 7, 16);

#define MUTATE(stmt) (memcpy(g, f, n), (stmt), g)
	tap_ok(dropped_as(MUTATE(g[0] = 0x04), n, "eth", XK_DROP_ADDR), "eth: another host's MAC: eth/address");
	tap_ok(dropped_as(MUTATE(put16(g + 12, 0x86dd)), n, "eth", XK_DROP_NOPROTO), "eth: IPv6 type: eth/no-protocol");
	tap_ok(dropped_as(MUTATE((g[ETH] = 0x65, ip_fix_csum(g + ETH))), n, "ip", XK_DROP_VERSION), "ip: version 6: ip/version");
	tap_ok(dropped_as(MUTATE(g[ETH] = 0x44), n, "ip", XK_DROP_VERSION), "ip: header length 16: ip/version");
	tap_ok(dropped_as(MUTATE(g[ETH + 12] ^= 1), n, "ip", XK_DROP_CSUM), "ip: a flipped address bit: ip/checksum");
	tap_ok(dropped_as(MUTATE((put16(g + ETH + 2, 12), ip_fix_csum(g + ETH))), n, "ip", XK_DROP_LEN),
	       "ip: total length under the header: ip/length");
	tap_ok(dropped_as(MUTATE((put16(g + ETH + 2, 200), ip_fix_csum(g + ETH))), n, "ip", XK_DROP_SHORT),
	       "ip: total length past the frame: ip/short");
	tap_ok(dropped_as(MUTATE((g[ETH] = 0x4f, ip_fix_csum(g + ETH))), n, "ip", XK_DROP_SHORT),
	       "ip: header length 60 in a short frame: ip/short");
	tap_ok(dropped_as(MUTATE((put32(g + ETH + 16, 0x0a000063), ip_fix_csum(g + ETH))), n, "ip", XK_DROP_ADDR),
	       "ip: another host's address: ip/address");
	tap_ok(dropped_as(MUTATE((g[ETH + 9] = 99, ip_fix_csum(g + ETH))), n, "ip", XK_DROP_NOPROTO),
	       "ip: protocol 99: ip/no-protocol");
	tap_ok(dropped_as(MUTATE((put16(g + ETH + 6, 0x1fff), ip_fix_csum(g + ETH))), n, "ip", XK_DROP_LEN),
	       "ip: fragment offset past 64 KiB: ip/length");
	tap_ok(dropped_as(MUTATE((put16(g + ETH + 6, 0x2000), ip_fix_csum(g + ETH))), n - 3, "ip", XK_DROP_SHORT) &&
	       dropped_as(MUTATE((put16(g + ETH + 2, IPH + 21), put16(g + ETH + 6, 0x2000), ip_fix_csum(g + ETH))), n,
			  "ip", XK_DROP_LEN),
	       "ip: a first fragment not a multiple of 8: ip/length");
	{	/* Two overlapping fragments of one datagram: the second is refused. */
		size_t a = frame_ip(g, 17, (const uint8_t *)"0123456789abcdef", 16);

		put16(g + ETH + 6, 0x2000);
		ip_fix_csum(g + ETH);
		xk_wire_inject(tb.wire, tb.host[1], g, a);
		put16(g + ETH + 6, 0x2001);
		ip_fix_csum(g + ETH);
		tap_ok(dropped_as(g, a, "ip", XK_DROP_FRAG), "ip: an overlapping fragment: ip/fragment");
		put16(g + ETH + 6, 0x2000);	/* the first again, at the offset it holds */
		ip_fix_csum(g + ETH);
		tap_ok(dropped_as(g, a, "ip", XK_DROP_FRAG), "ip: a duplicate fragment: ip/fragment");
	}
	tap_ok(dropped_as(MUTATE(put16(g + ETH + IPH + 4, 4)), n, "udp", XK_DROP_LEN), "udp: length under 8: udp/length");
	tap_ok(dropped_as(MUTATE(put16(g + ETH + IPH + 4, 40)), n, "udp", XK_DROP_SHORT), "udp: length past the datagram: udp/short");
	tap_ok(dropped_as(MUTATE(g[n - 1] ^= 0x40), n, "udp", XK_DROP_CSUM), "udp: a flipped payload bit: udp/checksum");
	tap_ok(dropped_as(g, frame_udp(g, 9, 16), "udp", XK_DROP_NOSESS), "udp: a closed port: udp/no-session");

	memset(p, 0, sizeof p);
	p[0] = 8;	/* echo request with a wrong checksum */
	tap_ok(dropped_as(g, frame_ip(g, 1, p, 16), "icmp", XK_DROP_CSUM), "icmp: bad checksum: icmp/checksum");
	p[0] = 13;	/* timestamp: not supported */
	put16(p + 2, xk_csum_fold(xk_csum_add(0, p, 16)));
	tap_ok(dropped_as(g, frame_ip(g, 1, p, 16), "icmp", XK_DROP_TYPE), "icmp: timestamp request: icmp/type");
	tap_ok(dropped_as(g, frame_ip(g, 1, p, 5), "icmp", XK_DROP_SHORT), "icmp: 5 bytes: icmp/short");

	memcpy(g, f, ETH);
	put16(g + 12, 0x0806);
	memset(g + ETH, 0, 28);
	tap_ok(dropped_as(g, ETH + 27, "arp", XK_DROP_SHORT), "arp: 27 bytes: arp/short");
	tap_ok(dropped_as(g, ETH + 28, "arp", XK_DROP_VERSION), "arp: hardware type 0: arp/version");
	memcpy(g + ETH, "\0\x01\x08\0\x06\x04\0\x07", 8);
	tap_ok(dropped_as(g, ETH + 28, "arp", XK_DROP_TYPE), "arp: operation 7: arp/type");
#undef MUTATE
}

/* Random frames: about half start with a valid Ethernet header to reach IP or ARP. */
static void test_random(xk_sess_t *flow, unsigned seed)
{
	uint8_t f[256];
	unsigned n = 3000, miscounted = 0, dead = 0;

	srand(seed);
	tap_diag("random frames: seed %u (XK_SEED repeats it)", seed);
	for (unsigned i = 0; i < n; i++) {
		size_t len = (size_t)rand() % sizeof f;
		uint64_t before = drops(NULL, -1);
		unsigned delivered = tb.app[1].received;

		for (size_t k = 0; k < len; k++)
			f[k] = (uint8_t)rand();
		if (i % 2 && len >= ETH) {
			frame_ip(f, 17, NULL, 0);
			if (i % 4 == 1)
				put16(f + 12, 0x0806);
			else if (len >= ETH + IPH && i % 8 == 3)
				memcpy(f + ETH, "\x45\0", 2);
		}
		xk_wire_inject(tb.wire, tb.host[1], f, len);
		miscounted += drops(NULL, -1) != before + 1 || tb.app[1].received != delivered;
		if (i % 300 == 0)
			dead += !flow_alive(flow);
	}
	tap_is_int(miscounted, 0, "random: each of %u random frames dropped and counted once", n);
	tap_is_int(dead, 0, "random: the UDP flow kept working throughout");
}

int main(void)
{
	struct xk_parts parts = { 0 };
	const char *seed_env = getenv("XK_SEED");
	xk_sess_t *flow;

	tap_plan(37);
	if (xk_testbed_create(&tb, NULL, NULL, NULL))
		tap_bail("testbed");
	xk_part_push_port(&parts.local, 7);
	if (xk_app_listen(&tb.app[1], "udp", &parts))
		tap_bail("listen");
	xk_part_init(&parts.local);
	xk_part_push_ip(&parts.remote, XK_TESTBED_IP(1));
	xk_part_push_port(&parts.remote, 7);
	xk_part_push_port(&parts.local, 5000);
	if (xk_app_open(&tb.app[0], "udp", &parts, &flow))
		tap_bail("open");
	tap_ok(flow_alive(flow), "a UDP flow is running");

	test_truncations();
	test_fields();
	test_reasm_burst(flow);
	tap_ok(flow_alive(flow), "the flow survived the malformed frames");
	test_random(flow, seed_env ? (unsigned)strtoul(seed_env, NULL, 0) : 4242u);
	tap_ok(flow_alive(flow), "the flow is still alive at the end");
	xk_close(flow);
	tap_is_int((long long)xk_testbed_destroy(&tb), 0, "teardown: no message buffer left outstanding");
	return tap_done();
}
