/*
 * blast_eth_test - the suite straight over ETH (`blast eth/0x88b5`, no IP,
 * no ARP): the client opens with the server's MAC; the server's ETH makes
 * a session for the new peer (BLAST takes the sessions made for it), so
 * replies go back. Null calls, padded by ETH to its minimum frame, come
 * back whole (BLAST cuts the padding). 64 KiB calls on a wire losing 5%
 * (seeded) come back byte-identical, BLAST resending no more fragments
 * than the wire lost. Frames of the type from 300 unknown MACs: ETH makes
 * no more than its 256 sessions, counts the rest as no-memory drops, and
 * calls keep working.
 */
#include <stdio.h>

#include "eth.h"
#include "rpc_test.h"

#define TOP		RPC_GRAPH(RPC_ETH_LOWER) "app select\n"
#define ETH_SESS_MAX	256

static const uint8_t server_mac[XK_ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };	/* testbed host 1 */

static int create(struct rbed *rb, const struct xk_wire_impair *imp)
{
	struct xk_parts parts = { 0 };
	int err = xk_testbed_create(&rb->tb, imp, TOP, rbed_reg);

	rb->cs = NULL;
	if (!err)
		err = rpc_app_open(&rb->tb.app[1], NULL, 0, NULL);
	xk_part_push(&parts.remote, server_mac, XK_ETH_ALEN);
	rpc_part_push_proc(&parts.remote, RPC_APP_PROC);
	return err ? err : xk_app_open(&rb->tb.app[0], "select", &parts, &rb->cs);
}

static void null_calls(void)
{
	struct rbed rb;
	unsigned good = 0;
	int status = 1;
	char buf[16];

	tap_ok(create(&rb, NULL) == 0, "two hosts with the suite over ETH, a client session by MAC");
	for (unsigned i = 0; i < 100; i++) {
		int n = snprintf(buf, sizeof buf, "%u", i);

		good += rbed_call(&rb, buf, (size_t)n, &status) == 0 && status == 0 &&
			rbed_reply_is(&rb, (const uint8_t *)buf, (size_t)n);
	}
	tap_is_int(good, 100, "100 short calls (padded frames) come back with their own bytes");
	tap_is_int((long long)rbed_chan(&rb, 0).retransmits, 0, "none sent twice (no ARP to wait for)");
	tap_is_int((long long)rbed_drops(&rb, 1, "blast").n[XK_DROP_LEN] +
		   (long long)rbed_drops(&rb, 0, "blast").n[XK_DROP_LEN], 0, "no length drop in BLAST");
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
}

static void lossy_big_calls(void)
{
	struct xk_wire_impair imp = { .seed = 11, .drop_pct = 5 };
	struct xk_wire_stats ws;
	struct rbed rb;
	unsigned same = 0;
	uint64_t resent;
	int status = 1;

	tap_ok(create(&rb, &imp) == 0, "the same on a wire losing 5%% of the frames");
	for (unsigned i = 0; i < 10; i++) {
		uint8_t *data = rbed_random(RPC_MAX_MSG, 200 + i);

		same += data && rbed_call(&rb, data, RPC_MAX_MSG, &status) == 0 && status == 0 &&
			rbed_reply_is(&rb, data, RPC_MAX_MSG);
		free(data);
	}
	xk_wire_stats(rb.tb.wire, &ws);
	resent = rbed_blast(&rb, 0).frags_resent + rbed_blast(&rb, 1).frags_resent;
	tap_diag("wire: %llu frames, %llu lost; blast resent %llu fragments",
		 (unsigned long long)ws.sent, (unsigned long long)ws.dropped, (unsigned long long)resent);
	tap_is_int(same, 10, "10 calls of 64 KiB each way come back byte-identical");
	tap_ok(resent > 0 && resent <= ws.dropped, "fragments resent (%llu) no more than frames lost (%llu)",
	       (unsigned long long)resent, (unsigned long long)ws.dropped);
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
}

static void unknown_peers(void)
{
	struct rbed rb;
	int status = 1;
	uint8_t f[XK_ETH_MIN_FRAME] = { 0 };

	tap_ok(create(&rb, NULL) == 0 && rbed_call(&rb, "a", 1, &status) == 0 && status == 0,
	       "a testbed over ETH, a first call");
	memcpy(f, server_mac, XK_ETH_ALEN);
	f[6] = 0x02, f[9] = 0x55;	/* from 02:00:00:55:HI:LO */
	f[12] = 0x88, f[13] = 0xb5;
	f[XK_ETH_HDR_LEN + 3] = 1;	/* BLAST's version byte wrong */
	for (unsigned i = 0; i < 300; i++) {
		f[10] = (uint8_t)(i >> 8), f[11] = (uint8_t)i;
		xk_wire_inject(rb.tb.wire, rb.tb.host[1], f, sizeof f);
	}
	/* 254 new sessions beside the client's: the other 46 frames found none. */
	tap_is_int((long long)rbed_drops(&rb, 1, "eth").n[XK_DROP_NOMEM], 300 - (ETH_SESS_MAX - 1),
		   "ETH made sessions up to its 256 and dropped the other frames as no-memory");
	tap_is_int((long long)rbed_drops(&rb, 1, "blast").n[XK_DROP_VERSION], ETH_SESS_MAX - 1,
		   "BLAST dropped the garbage that got sessions (bad version byte)");
	tap_ok(rbed_call(&rb, "b", 1, &status) == 0 && status == 0 && rbed_reply_is(&rb, (const uint8_t *)"b", 1),
	       "the client's calls keep working");
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
}

int main(void)
{
	tap_plan(14);
	null_calls();
	lossy_big_calls();
	unknown_peers();
	return tap_done();
}
