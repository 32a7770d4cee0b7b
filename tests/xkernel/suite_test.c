/*
 * suite_test.c - the suite between two hosts on the in-process wire: graph
 * errors, UDP both ways, open_disable, ICMP echo, IP fragmentation and
 * reassembly on a perfect and on a lossy wire (seeded), drop counters via
 * control, call without a call operation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"
#include "tap.h"
#include "testbed.h"

#define MS	(1000ull * 1000)

/* Run the wire until the client app has `want` messages. */
static int run_until(struct xk_testbed *tb, unsigned want, uint64_t limit)
{
	for (uint64_t t = 0; t < limit && tb->app[0].received < want; t += MS)
		if (xk_wire_run(tb->wire, MS, NULL, NULL) == -EAGAIN)
			break;
	return tb->app[0].received >= want ? 0 : -ETIMEDOUT;
}

static void fill(uint8_t *p, size_t n, uint32_t seq)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seq * 31 + i * 7);
	if (n >= 4)
		memcpy(p, &seq, 4);
}

static bool msg_is(const msg_t *m, const uint8_t *want, size_t n)
{
	uint8_t *got = malloc(n ? n : 1);
	bool same = got && msg_len(m) == n && msg_copyout(m, 0, got, n) == 0 &&
		    memcmp(got, want, n) == 0;

	free(got);
	return same;
}

/* on_recv for the lossy run: every reply must be a well-formed pattern. */
static void check_pattern(struct xk_app *app, xk_sess_t *lls, const msg_t *m)
{
	unsigned *bad = app->arg;
	uint8_t *buf = malloc(msg_len(m) + 1), *want = malloc(msg_len(m) + 1);
	uint32_t seq;

	(void)lls;
	if (!buf || !want || msg_len(m) < 4 || msg_copyout(m, 0, buf, msg_len(m))) {
		++*bad;
	} else {
		memcpy(&seq, buf, 4);
		fill(want, msg_len(m), seq);
		*bad += memcmp(buf, want, msg_len(m)) != 0;
	}
	free(buf);
	free(want);
}

static int udp_client(struct xk_testbed *tb, uint16_t lport, uint16_t rport, xk_sess_t **s)
{
	struct xk_parts parts = { 0 };

	xk_part_push_ip(&parts.remote, XK_TESTBED_IP(1));
	xk_part_push_port(&parts.remote, rport);
	xk_part_push_port(&parts.local, lport);
	return xk_app_open(&tb->app[0], "udp", &parts, s);
}

static int udp_server(struct xk_testbed *tb, uint16_t port)
{
	struct xk_parts parts = { 0 };

	xk_part_push_port(&parts.local, port);
	return xk_app_listen(&tb->app[1], "udp", &parts);
}

static int send_bytes(xk_sess_t *s, const uint8_t *p, size_t n)
{
	msg_t m;
	int err = msg_from(xk_host_pool(s->proto->host), &m, p, n);

	return err ? err : xk_push(s, &m);
}

static uint64_t drops_of(struct xk_testbed *tb, int host, const char *proto, enum xk_drop why)
{
	struct xk_drops d;

	if (xk_control(xk_testbed_proto(tb, host, proto), XK_CTL_GET_DROPS, &d, sizeof d) < 0)
		return UINT64_MAX;
	return d.n[why];
}

static void test_graph_errors(void)
{
	struct xk_host_config cfg = { .name = "g", .ip = 1 };
	xk_host_t *h;
	char err[160];

	xk_host_create(&h, &cfg);
	xk_register_suite(h);
	tap_is_int(xk_graph_build(h, "eth wire\n", err, sizeof err), -ENOENT, "graph: unregistered protocol");
	tap_ok(strstr(err, "line 1") && strstr(err, "wire"), "graph: the message names the line and name (%s)", err);
	tap_is_int(xk_graph_build(h, "# nothing\n\nudp ip/17\n", err, sizeof err), -ENOENT,
		   "graph: lower protocol must be above");
	tap_ok(strstr(err, "line 3") != NULL, "graph: counts lines past comments (%s)", err);
	xk_host_destroy(h);
}

int main(void)
{
	struct xk_wire_impair lossy = { .drop_pct = 5, .dup_pct = 5, .reorder_pct = 5 };
	static uint8_t big[65600];
	uint8_t small[56];
	struct xk_testbed tb;
	struct xk_wire_stats ws;
	xk_sess_t *s, *ping;
	unsigned bad = 0, sent, ok;
	const char *seed_env = getenv("XK_SEED");

	lossy.seed = seed_env ? strtoull(seed_env, NULL, 0) : 20261123;
	tap_plan(24);
	test_graph_errors();

	if (xk_testbed_create(&tb, NULL, NULL, NULL))
		tap_bail("testbed");
	tap_is_int(udp_server(&tb, 7), 0, "udp: server listens on port 7");
	tap_is_int(udp_client(&tb, 5000, 7, &s), 0, "udp: client opens 10.0.0.2:7");
	fill(small, sizeof small, 1);
	send_bytes(s, small, 5);
	tap_ok(run_until(&tb, 1, 100 * MS) == 0 && msg_is(&tb.app[0].last, small, 5),
	       "udp: 5 bytes echoed back (ARP resolved on the way)");
	fill(big, 4000, 2);
	send_bytes(s, big, 4000);
	tap_ok(run_until(&tb, 2, 100 * MS) == 0 && msg_is(&tb.app[0].last, big, 4000),
	       "ip: 4000 bytes fragmented into 3 and reassembled, both ways");
	fill(big, 65507, 3);
	send_bytes(s, big, 65507);
	tap_ok(run_until(&tb, 3, 100 * MS) == 0 && msg_is(&tb.app[0].last, big, 65507),
	       "ip: the largest UDP datagram (65507 bytes, 45 fragments) survives");
	tap_is_int(send_bytes(s, big, 65508), -EMSGSIZE, "ip: one byte more is refused");
	tap_is_int(drops_of(&tb, 1, "ip", XK_DROP_FRAG) + drops_of(&tb, 0, "ip", XK_DROP_FRAG), 0,
		   "ip: no fragment dropped on a perfect wire");

	{
		struct xk_parts parts = { 0 };

		xk_part_push_ip(&parts.remote, XK_TESTBED_IP(1));
		xk_part_push_port(&parts.local, 0x4242);
		tap_is_int(xk_app_open(&tb.app[0], "icmp", &parts, &ping), 0, "icmp: open an echo session");
		fill(small, sizeof small, 9);
		send_bytes(ping, small, sizeof small);
		tap_ok(run_until(&tb, 4, 100 * MS) == 0 && msg_is(&tb.app[0].last, small, sizeof small),
		       "icmp: echo reply carries the request's 56 bytes");
		xk_close(ping);
	}
	tap_is_int(drops_of(&tb, 1, "udp", XK_DROP_NOSESS), 0, "udp: nothing unmatched so far");
	{
		xk_sess_t *s2;

		udp_client(&tb, 5001, 9, &s2);	/* nobody listens on 9 */
		send_bytes(s2, small, 8);
		xk_wire_run(tb.wire, 10 * MS, NULL, NULL);
		tap_is_int(drops_of(&tb, 1, "udp", XK_DROP_NOSESS), 1, "udp: a datagram to a closed port is counted");
		xk_close(s2);
	}
	{
		struct xk_parts parts = { 0 };
		xk_sess_t *s3;
		msg_t req, rep;

		xk_part_push_port(&parts.local, 7);
		tap_is_int(xk_open_disable(xk_testbed_proto(&tb, 1, "udp"), tb.app[1].proto, tb.app[1].proto, &parts), 0,
			   "udp: open_disable ends the listening on port 7");
		udp_client(&tb, 5002, 7, &s3);	/* a new flow: no session yet on the server */
		send_bytes(s3, small, 8);
		xk_wire_run(tb.wire, 10 * MS, NULL, NULL);
		tap_is_int(drops_of(&tb, 1, "udp", XK_DROP_NOSESS), 2, "udp: a new flow to port 7 is then unmatched");
		msg_init(&rep);
		tap_ok(msg_from(xk_host_pool(s3->proto->host), &req, small, 8) == 0 && xk_call(s3, &req, &rep) == -EOPNOTSUPP && msg_len(&rep) == 0,
		       "call on a session without a call operation: -EOPNOTSUPP, the request freed");
		xk_close(s3);
	}
	xk_close(s);
	tap_is_int((long long)xk_testbed_destroy(&tb), 0, "teardown: no message buffer left outstanding");

	/* Lossy wire: every datagram that arrives is intact; most arrive. */
	tap_diag("lossy wire seed %llu (set XK_SEED to repeat)", (unsigned long long)lossy.seed);
	if (xk_testbed_create(&tb, &lossy, NULL, NULL))
		tap_bail("testbed");
	tb.app[0].on_recv = check_pattern;
	tb.app[0].arg = &bad;
	udp_server(&tb, 7);
	udp_client(&tb, 5000, 7, &s);
	sent = 300;
	for (uint32_t i = 0; i < sent; i++) {
		size_t n = 100 + (i * 997) % 5000;

		fill(big, n, i);
		send_bytes(s, big, n);
		run_until(&tb, tb.app[0].received + 1, 50 * MS);
	}
	xk_wire_run(tb.wire, 10000 * MS, NULL, NULL);	/* let reassembly timers expire */
	ok = tb.app[0].received;
	xk_wire_stats(tb.wire, &ws);
	tap_diag("lossy: %u sent, %u replies, wire: %llu frames, %llu dropped, %llu duplicated, %llu delayed",
		 sent, ok, (unsigned long long)ws.sent, (unsigned long long)ws.dropped,
		 (unsigned long long)ws.duplicated, (unsigned long long)ws.reordered);
	tap_ok(ws.dropped > 0 && ws.duplicated > 0 && ws.reordered > 0, "lossy: the wire did drop, duplicate and delay");
	tap_is_int(bad, 0, "lossy: every reply is byte-identical to its request");
	tap_ok(ok > sent / 2, "lossy: most datagrams made the round trip (%u of %u)", ok, sent);
	tap_ok(drops_of(&tb, 0, "ip", XK_DROP_FRAG) + drops_of(&tb, 1, "ip", XK_DROP_FRAG) > 0,
	       "lossy: incomplete or duplicate fragments were dropped and counted");
	xk_close(s);
	tap_is_int((long long)xk_testbed_destroy(&tb), 0, "teardown: no message buffer left outstanding");
	return tap_done();
}
