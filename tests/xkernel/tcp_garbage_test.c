/*
 * tcp_garbage_test - malformed TCP segments (in well-formed IP frames)
 * injected into the server while a transfer runs: each is dropped and
 * counted once under its reason (short, bad offset, bad option, bad
 * checksum, no connection -> RST, outside the window), seeded random
 * segments likewise, and the transfer still arrives byte-identical.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "csum.h"
#include "tap.h"
#include "tcp_hdr.h"
#include "tcp_pair.h"

#define SIZE (256u * 1024)
#define PORT 5002
#define SEC 1000000000ull
#define ETH 14
#define IPH 20
#define NRANDOM 2000

static struct tcp_pair p;
static size_t want_rx;

static bool got_rx(struct tcp_pair *q)
{
	return q->app[1].rx_len >= want_rx;
}

static bool finished(struct tcp_pair *q)
{
	return q->app[0].closed && q->app[1].closed;
}

static struct xk_drops tcp_drops(void)
{
	struct xk_drops d;

	xk_control(tcp_pair_tcp(&p, 1), XK_CTL_GET_DROPS, &d, sizeof d);
	return d;
}

static uint64_t total(const struct xk_drops *d)
{
	uint64_t n = 0;

	for (int r = 0; r < XK_DROP_NREASONS; r++)
		n += d->n[r];
	return n;
}

/* Send seg[0..n) from host 0 to host 1 in a correct ETH + IP frame; fix the TCP checksum if asked. */
static void inject(uint8_t *seg, size_t n, bool fix_csum)
{
	uint8_t f[ETH + IPH + 1500], ph[12];

	memcpy(f, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", ETH);
	memset(f + ETH, 0, IPH);
	f[ETH] = 0x45;
	xk_put16(f + ETH + 2, (uint16_t)(IPH + n));
	f[ETH + 8] = 64;
	f[ETH + 9] = 6;
	xk_put32(f + ETH + 12, XK_TESTBED_IP(0));
	xk_put32(f + ETH + 16, XK_TESTBED_IP(1));
	xk_put16(f + ETH + 10, xk_csum_fold(xk_csum_add(0, f + ETH, IPH)));
	if (fix_csum && n >= TCP_HDR_MIN) {
		memcpy(ph, f + ETH + 12, 8);
		ph[8] = 0;
		ph[9] = 6;
		xk_put16(ph + 10, (uint16_t)n);
		xk_put16(seg + TCP_CSUM_OFF, 0);
		xk_put16(seg + TCP_CSUM_OFF, xk_csum_fold(xk_csum_add(xk_csum_add(0, ph, 12), seg, n)));
	}
	memcpy(f + ETH + IPH, seg, n);
	xk_wire_inject(p.tb.wire, p.tb.host[1], f, ETH + IPH + n);
}

/* A segment of the live connection (client port -> PORT) with the given fields. */
static size_t segment(uint8_t *s, uint32_t seq, uint8_t flags, size_t payload)
{
	uint16_t cport = 0;
	struct tcp_hdr h = { .dport = PORT, .seq = seq, .flags = flags, .win = 1000 };

	xk_sess_control(p.app[0].sess, XK_CTL_GET_MY_PORT, &cport, sizeof cport);
	h.sport = cport;
	memset(s, 0x5a, TCP_HDR_MIN + payload);
	return tcp_hdr_encode(s, &h) + payload;
}

/* Inject, then check that exactly one drop was counted, under reason why. */
static void expect_drop(const char *what, uint8_t *s, size_t n, bool fix_csum, enum xk_drop why)
{
	struct xk_drops a = tcp_drops(), b;

	inject(s, n, fix_csum);
	b = tcp_drops();
	tap_ok(total(&b) - total(&a) == 1 && b.n[why] - a.n[why] == 1, "%s: dropped once as %s",
	       what, xk_drop_name(why));
}

static void shaped_garbage(void)
{
	uint8_t s[1500];
	struct xk_tcp_stats st0, st1;
	struct xk_drops a, b;
	size_t n;
	int all = 1;

	/* every truncation of the header */
	a = tcp_drops();
	for (size_t cut = 0; cut < TCP_HDR_MIN; cut++) {
		segment(s, 1, TCP_ACK, 0);
		inject(s, cut, false);
	}
	b = tcp_drops();
	tap_ok(b.n[XK_DROP_SHORT] - a.n[XK_DROP_SHORT] == TCP_HDR_MIN && total(&b) - total(&a) == TCP_HDR_MIN,
	       "truncated at each of 0..19 bytes: each dropped as %s", xk_drop_name(XK_DROP_SHORT));

	n = segment(s, 1, TCP_ACK, 10);
	s[12] = 4 << 4;
	expect_drop("data offset 4", s, n, true, XK_DROP_LEN);
	n = segment(s, 1, TCP_ACK, 10);
	s[12] = 15 << 4;
	expect_drop("data offset past the end", s, n, true, XK_DROP_LEN);
	n = segment(s, 1, TCP_ACK, 10);
	s[12] = 6 << 4;
	s[20] = 2, s[21] = 1;
	expect_drop("option of length 1", s, n, true, XK_DROP_OPTION);
	n = segment(s, 1, TCP_ACK, 10);
	expect_drop("bad checksum", s, n, false, XK_DROP_CSUM);

	tcp_pair_stats(&p, 1, &st0);
	n = segment(s, 1, TCP_ACK, 0);
	xk_put16(s + 2, 9);	/* a port nobody listens on */
	expect_drop("no connection", s, n, true, XK_DROP_NOSESS);
	tcp_pair_stats(&p, 1, &st1);
	tap_is_int((long long)(st1.rsts_out - st0.rsts_out), 1, "no connection: answered with one RST");

	/* the live connection's ports, but far outside the window: even a RST must not kill it */
	for (uint8_t f = 0; f < 2 && all; f++) {
		n = segment(s, 0x12345678u, f ? TCP_RST : TCP_ACK, f ? 0 : 100);
		a = tcp_drops();
		inject(s, n, true);
		b = tcp_drops();
		all = b.n[XK_DROP_STATE] - a.n[XK_DROP_STATE] == 1 && total(&b) - total(&a) == 1;
	}
	tap_ok(all, "outside the window (data, then RST): dropped as %s", xk_drop_name(XK_DROP_STATE));
}

static void random_garbage(unsigned seed)
{
	struct xk_drops a = tcp_drops(), b;
	uint8_t s[200];
	unsigned dropped_ok = 1;

	tap_diag("random segments: seed %u", seed);
	srand(seed);
	for (int i = 0; i < NRANDOM; i++) {
		size_t n = (size_t)(rand() % (int)sizeof s);

		for (size_t j = 0; j < n; j++)
			s[j] = (uint8_t)rand();
		if (n >= 4)
			xk_put16(s + 2, (uint16_t)(20000 + rand() % 20000));	/* nobody listens there */
		inject(s, n, i % 2 == 0);
	}
	b = tcp_drops();
	dropped_ok = total(&b) - total(&a) == NRANDOM;
	tap_ok(dropped_ok, "%d random segments (half with a correct checksum): each dropped and counted once", NRANDOM);
	tap_diag("short %llu, offset %llu, option %llu, csum %llu, no connection %llu",
		 (unsigned long long)(b.n[XK_DROP_SHORT] - a.n[XK_DROP_SHORT]),
		 (unsigned long long)(b.n[XK_DROP_LEN] - a.n[XK_DROP_LEN]),
		 (unsigned long long)(b.n[XK_DROP_OPTION] - a.n[XK_DROP_OPTION]),
		 (unsigned long long)(b.n[XK_DROP_CSUM] - a.n[XK_DROP_CSUM]),
		 (unsigned long long)(b.n[XK_DROP_NOSESS] - a.n[XK_DROP_NOSESS]));
}

int main(void)
{
	static uint8_t tx[SIZE], rx[SIZE];
	unsigned seed = 777;

	tap_plan(13);
	for (size_t i = 0; i < SIZE; i++)
		tx[i] = (uint8_t)(i * 31 + (i >> 9));
	if (tcp_pair_create(&p, NULL) < 0)
		tap_bail("cannot make the hosts");
	p.app[0] = (struct tcp_app){ .proto = p.app[0].proto, .tx = tx, .tx_len = SIZE };
	p.app[1] = (struct tcp_app){ .proto = p.app[1].proto, .rx = rx, .rx_cap = SIZE };
	if (tcp_app_listen(&p.app[1], PORT) < 0 || tcp_app_connect(&p.app[0], XK_TESTBED_IP(1), PORT) < 0)
		tap_bail("cannot connect");
	want_rx = SIZE / 4;
	tap_is_int(tcp_pair_run(&p, 10 * SEC, got_rx), 0, "a quarter of the transfer is through");
	shaped_garbage();
	random_garbage(seed);
	tap_is_int(tcp_pair_run(&p, 60 * SEC, finished), 0, "the transfer goes on and both sides close");
	tap_ok(p.app[1].rx_len == SIZE && memcmp(rx, tx, SIZE) == 0, "%u bytes arrived identical", SIZE);
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
	return tap_done();
}
