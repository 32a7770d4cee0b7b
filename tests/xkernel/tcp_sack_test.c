/*
 * tcp_sack_test - loss recovery with SACK (RFC 2018, 6675) and NewReno
 * (RFC 6582) on the in-process wire's virtual clock: the SACK options'
 * codec; two holes in one window filled by one recovery, each hole
 * retransmitted once, no timeout; a timeout whose go-back resends the holes,
 * not what the peer SACKed; and ten echo connections through the
 * seeded lossy wire (5% loss, 5% duplication, 25% reordering) where losses
 * cost fast retransmits, not timeouts.
 */
#include <errno.h>
#include <stdlib.h>

#include "tcp_test.h"
#include "tcp_tool.h"

static void test_codec(void)
{
	struct tcp_hdr h = { .seq = 1, .ack = 2, .flags = TCP_ACK, .nsack = 3,
			     .sack = { { 100, 200 }, { 300, 400 }, { 0xfffffff0u, 5 } } }, g;
	uint8_t p[TCP_HDR_MAX];
	size_t n = tcp_hdr_encode(p, &h);

	tap_is_int((long long)n, 20 + 4 + 3 * 8, "codec: three SACK blocks take 28 option bytes");
	tap_ok(tcp_hdr_decode(p, n, n, &g) == 0 && g.nsack == 3 && g.sack[0].start == 100 && g.sack[1].end == 400 &&
	       g.sack[2].start == 0xfffffff0u && g.sack[2].end == 5 && !g.sack_ok, "codec: the blocks come back");
	h = (struct tcp_hdr){ .flags = TCP_SYN, .mss = 1460, .sack_ok = true };
	n = tcp_hdr_encode(p, &h);
	tap_ok(n == 28 && tcp_hdr_decode(p, n, n, &g) == 0 && g.sack_ok && g.mss == 1460 && g.nsack == 0,
	       "codec: a SYN's MSS and SACK-permitted");
	h = (struct tcp_hdr){ .nsack = 1, .sack = { { 1, 2 } } };
	n = tcp_hdr_encode(p, &h);
	p[23] = 9;	/* SACK length not 2 + 8n */
	tap_is_int(tcp_hdr_decode(p, n, n, &g), -EPROTO, "codec: a SACK option of length 9 is malformed");
	h = (struct tcp_hdr){ .nsack = 2, .sack = { { 1, 2 }, { 3, 0x100 } } };
	n = tcp_hdr_encode(p, &h);
	p[23] = 17;	/* 2 + 8 + 7, not 2 + 8n; the byte after it is 0x100's low byte, an EOL */
	tap_is_int(tcp_hdr_decode(p, n, n, &g), -EPROTO, "codec: a SACK option of length 17 is malformed");
}

/* Segments 1 and 3 of eight are lost: one recovery retransmits exactly the two holes. */
static void test_two_holes(void)
{
	struct xk_wire_impair drop_all = { .drop_pct = 100 };
	struct xk_tcp_stats c0, c1;
	struct tcp_pair p;
	uint64_t t0;

	connect_pair(&p);
	tcp_pair_stats(&p, 0, &c0);
	t0 = xk_wire_now(p.tb.wire);
	for (int i = 0; i < 8; i++) {
		xk_wire_set_impair(p.tb.wire, i == 0 || i == 2 ? &drop_all : NULL);
		push(p.app[0].sess, 1460);
	}
	xk_wire_set_impair(p.tb.wire, NULL);
	p.want_rx = 8 * 1460;
	tap_is_int(tcp_pair_run(&p, 10 * SEC, tcp_pair_got_rx), 0, "holes: all eight segments arrive");
	tcp_pair_stats(&p, 0, &c1);
	tap_ok(c1.fast_rexmits - c0.fast_rexmits == 1 && c1.rexmit_timeouts == c0.rexmit_timeouts &&
	       c1.tail_probes == c0.tail_probes, "holes: one fast recovery, no timeout, no probe");
	tap_is_int((long long)(c1.sack_rexmits - c0.sack_rexmits), 2, "holes: the two holes retransmitted, once each");
	tap_is_int((long long)(c1.data_segs_out - c0.data_segs_out), 10, "holes: ten data segments in all");
	tap_ok(xk_wire_now(p.tb.wire) - t0 < 10 * MS, "holes: done in %llu us, far below an RTO",
	       (unsigned long long)((xk_wire_now(p.tb.wire) - t0) / 1000));
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "teardown: no message buffer left outstanding");
}

/*
 * Segments 1 and 4 of eight are lost, and so is everything sent in the next
 * 100 ms once their ACKs are on the wire (the fast retransmits, the tail
 * probe): the timeout's go-back resends only the two holes (cwnd 1, then 2),
 * never the six segments the peer has SACKed.
 */
static void test_timeout_skips_sacked(void)
{
	struct xk_wire_impair drop_all = { .drop_pct = 100 };
	struct xk_tcp_stats c0, c1;
	struct tcp_pair p;

	connect_pair(&p);
	for (int i = 0; i < 8; i++) {
		xk_wire_set_impair(p.tb.wire, i == 0 || i == 3 ? &drop_all : NULL);
		push(p.app[0].sess, 1460);
	}
	xk_wire_set_impair(p.tb.wire, NULL);
	tcp_pair_run(&p, 15000, NULL);	/* the eight segments' ACKs on the wire */
	xk_wire_set_impair(p.tb.wire, &drop_all);
	tcp_pair_run(&p, 100 * MS, NULL);	/* the fast retransmits and probes lost, no timeout yet */
	xk_wire_set_impair(p.tb.wire, NULL);
	tcp_pair_stats(&p, 0, &c0);
	p.want_rx = 8 * 1460;
	tap_is_int(tcp_pair_run(&p, 10 * SEC, tcp_pair_got_rx), 0, "timeout: all eight segments arrive");
	tcp_pair_run(&p, 10 * MS, NULL);	/* the last ACKs */
	tcp_pair_stats(&p, 0, &c1);
	tap_is_int((long long)(c1.rexmit_timeouts - c0.rexmit_timeouts), 1,
		   "timeout: one, the fast retransmits and probe lost");
	tap_ok(c1.data_segs_out - c0.data_segs_out == 2 && c1.bytes_out - c0.bytes_out == 2 * 1460,
	       "timeout: the go-back resends the two holes, not the SACKed segments (%llu segments, %llu bytes)",
	       (unsigned long long)(c1.data_segs_out - c0.data_segs_out),
	       (unsigned long long)(c1.bytes_out - c0.bytes_out));
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "timeout: no message buffer left outstanding");
}

/*
 * The first of eight segments held back (reordered), not lost: the seven
 * after it start a fast retransmit; the receiver gets the segment twice and
 * says so with a D-SACK (RFC 2883), and the sender undoes the recovery.
 */
static void test_reordered(void)
{
	/* 100 us and 1 to 4 more: long after the others' SACKs (10 us each way) */
	struct xk_wire_impair late = { .reorder_pct = 100, .latency_ns = MS / 10 };
	struct xk_tcp_stats c0, c1, s0, s1;
	struct tcp_pair p;

	connect_pair(&p);
	tcp_pair_stats(&p, 0, &c0);
	tcp_pair_stats(&p, 1, &s0);
	for (int i = 0; i < 8; i++) {
		xk_wire_set_impair(p.tb.wire, i == 0 ? &late : NULL);
		push(p.app[0].sess, 1460);
	}
	xk_wire_set_impair(p.tb.wire, NULL);
	p.want_rx = 8 * 1460;
	tap_is_int(tcp_pair_run(&p, 10 * SEC, tcp_pair_got_rx), 0, "reordered: all eight segments arrive");
	tcp_pair_run(&p, 10 * MS, NULL);	/* the last ACKs */
	tcp_pair_stats(&p, 0, &c1);
	tcp_pair_stats(&p, 1, &s1);
	tap_ok(c1.fast_rexmits - c0.fast_rexmits == 1 && c1.rexmit_timeouts == c0.rexmit_timeouts,
	       "reordered: one (needless) fast retransmit, no timeout");
	tap_ok(s1.dsacks_out - s0.dsacks_out == 1 && c1.dsacks_in - c0.dsacks_in == 1,
	       "reordered: the receiver reports the duplicate in a D-SACK, the sender gets it (%llu, %llu)",
	       (unsigned long long)(s1.dsacks_out - s0.dsacks_out), (unsigned long long)(c1.dsacks_in - c0.dsacks_in));
	tap_is_int((long long)(c1.spurious_undos - c0.spurious_undos), 1, "reordered: the recovery is undone");
	tap_is_int((long long)tcp_pair_destroy(&p), 0, "reordered: no message buffer left outstanding");
}

/* Ten connections echo 200 kB each through the seeded lossy wire; the client host's counts. */
static int lossy_echo(bool sack, struct xk_tcp_stats *st)
{
	struct xk_wire_impair imp = { .seed = 7, .drop_pct = 5, .dup_pct = 5, .reorder_pct = 25 };
	struct tcp_flows f[2] = { 0 };
	struct xk_testbed tb;
	size_t len = 200000;
	uint8_t *tx = malloc(len);
	int on = sack, err;

	if (!tx || tcp_tool_wire(&tb, &imp, f) < 0)
		tap_bail("lossy: cannot make the hosts");
	for (size_t i = 0; i < len; i++)
		tx[i] = (uint8_t)(i * 7 + i / 1000);
	f[0] = (struct tcp_flows){ .tx = tx, .tx_len = len, .proto = f[0].proto };
	for (int i = 0; i < 2; i++)
		xk_control(f[i].proto->down[0], XK_TCP_CTL_SET_SACK, &on, sizeof on);
	err = tcp_flows_listen(&f[1], 5001);
	for (int i = 0; i < 10 && !err; i++)
		err = tcp_flows_connect(&f[0], XK_TESTBED_IP(1), 5001);
	if (!err)
		err = tcp_tool_run(tcp_tool_run_wire, tb.wire, f, 2, 10, 600 * SEC);
	tcp_flows_stats(&f[0], st);
	if (!err && (f[0].finished != 10 || f[0].bad))
		err = -EIO;
	if (xk_testbed_destroy(&tb))
		err = -EBUSY;
	free(tx);
	return err;
}

static void test_lossy(void)
{
	struct xk_tcp_stats s, n;

	tap_is_int(lossy_echo(true, &s), 0, "lossy, SACK: ten echoes of 200 kB come back intact, no leak");
	tap_is_int(lossy_echo(false, &n), 0, "lossy, no SACK: the same");
	tap_diag("timeouts, fast recoveries, tail probes: SACK %llu, %llu, %llu; without %llu, %llu, %llu",
		 (unsigned long long)s.rexmit_timeouts, (unsigned long long)s.fast_rexmits,
		 (unsigned long long)s.tail_probes, (unsigned long long)n.rexmit_timeouts,
		 (unsigned long long)n.fast_rexmits, (unsigned long long)n.tail_probes);
	/* the timeouts left are lost SYNs and SYN-ACKs (1 s), a lost retransmission now and then */
	tap_ok(s.rexmit_timeouts * 10 <= s.fast_rexmits,
	       "lossy, SACK: at most one timeout per ten fast recoveries (%llu, %llu)",
	       (unsigned long long)s.rexmit_timeouts, (unsigned long long)s.fast_rexmits);
	tap_ok(s.rexmit_timeouts * 3 <= n.rexmit_timeouts,
	       "lossy: SACK's timeouts at most a third of those without it (%llu, %llu)",
	       (unsigned long long)s.rexmit_timeouts, (unsigned long long)n.rexmit_timeouts);
}

int main(void)
{
	tap_plan(24);
	test_codec();
	test_two_holes();
	test_reordered();
	test_timeout_skips_sacked();
	test_lossy();
	return tap_done();
}
