/*
 * blast_test - BLAST carries 64 KiB requests and replies. With fragments 3,
 * 7 and the last of a request lost on their first sending (the client's IP
 * session drops them), the server's NACKs have exactly those three sent
 * again, CHAN never resends the whole request, and the reply comes back
 * byte-identical. On a wire losing 5% of the frames (seeded), 64 KiB calls
 * all come back byte-identical, and BLAST resends no more fragments than
 * the wire lost. Counts start after a first small call, which waits for
 * ARP (IP holds only a few messages meanwhile, and chan sends it again).
 */
#include <stdlib.h>

#include "rpc_test.h"

#define BIG	RPC_MAX_MSG
#define NFRAGS	45	/* 64 KiB and 24 bytes of headers in 1464-byte fragments */

static const struct xk_sess_ops *ip_ops;
static struct xk_sess_ops lossy_ops;
static unsigned dropped;

/* The client's IP session: drop DATA fragments 3, 7 and 44 the first time they go. */
static int lossy_push(xk_sess_t *s, msg_t *m)
{
	const uint8_t *h = msg_peek(m, 16);
	static uint64_t gone;

	if (h && h[0] == 1 && h[1] == NFRAGS && (h[2] == 3 || h[2] == 7 || h[2] == 44) &&
	    !(gone >> h[2] & 1)) {
		gone |= 1ull << h[2];
		dropped++;
		msg_free(m);
		return 0;
	}
	return ip_ops->push(s, m);
}

static void selective(void)
{
	uint8_t *data = rbed_random(BIG, 1);
	struct rpc_blast_stats b0;
	struct rpc_chan_stats c0;
	xk_sess_t *ip;
	struct rbed rb;
	int status = 1;

	tap_ok(data && rbed_create(&rb, NULL) == 0, "a testbed");
	tap_ok(rbed_call(&rb, "warm", 4, &status) == 0 && status == 0, "a small call (ARP resolves)");
	b0 = rbed_blast(&rb, 0);
	c0 = rbed_chan(&rb, 0);
	ip = rb.cs->down->down->down->down;	/* select, chan, bid, blast, ip */
	ip_ops = ip->ops;
	lossy_ops = *ip->ops;
	lossy_ops.push = lossy_push;
	ip->ops = &lossy_ops;
	tap_ok(rbed_call(&rb, data, BIG, &status) == 0 && status == 0, "a 64 KiB call ends well");
	tap_ok(rbed_reply_is(&rb, data, BIG), "its 64 KiB reply is the request, byte for byte");
	tap_is_int(dropped, 3, "three of the request's fragments were lost");
	tap_is_int((long long)(rbed_blast(&rb, 0).frags_sent - b0.frags_sent), NFRAGS,
		   "the request went as %d fragments", NFRAGS);
	tap_is_int((long long)(rbed_blast(&rb, 0).frags_resent - b0.frags_resent), 3,
		   "exactly the three lost ones were resent");
	tap_ok(rbed_blast(&rb, 1).nacks_sent >= 1, "asked for by the server's NACKs (%llu)",
	       (unsigned long long)rbed_blast(&rb, 1).nacks_sent);
	tap_is_int((long long)(rbed_chan(&rb, 0).retransmits - c0.retransmits), 0,
		   "chan never resent the whole request");
	ip->ops = ip_ops;
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
	free(data);
}

static void lossy_wire(void)
{
	struct xk_wire_impair imp = { .seed = 5, .drop_pct = 5 };
	struct xk_wire_stats ws;
	struct rbed rb;
	unsigned same = 0;
	uint64_t resent, lost;
	int status = 1;

	tap_ok(rbed_create(&rb, &imp) == 0 && rbed_call(&rb, "warm", 4, &status) == 0 && status == 0,
	       "a testbed on a wire losing 5%% of the frames, a first small call");
	xk_wire_stats(rb.tb.wire, &ws);
	lost = ws.dropped;
	resent = rbed_blast(&rb, 0).frags_resent + rbed_blast(&rb, 1).frags_resent;
	for (unsigned i = 0; i < 20; i++) {
		uint8_t *data = rbed_random(BIG, 100 + i);

		same += data && rbed_call(&rb, data, BIG, &status) == 0 && status == 0 &&
			rbed_reply_is(&rb, data, BIG);
		free(data);
	}
	xk_wire_stats(rb.tb.wire, &ws);
	resent = rbed_blast(&rb, 0).frags_resent + rbed_blast(&rb, 1).frags_resent - resent;
	lost = ws.dropped - lost;
	tap_diag("wire: %llu frames, %llu lost; blast resent %llu fragments; chan resent %llu requests",
		 (unsigned long long)ws.sent, (unsigned long long)lost, (unsigned long long)resent,
		 (unsigned long long)rbed_chan(&rb, 0).retransmits);
	tap_is_int(same, 20, "20 calls of 64 KiB each way come back byte-identical");
	tap_ok(resent > 0 && resent <= lost, "fragments resent (%llu) no more than frames lost (%llu)",
	       (unsigned long long)resent, (unsigned long long)lost);
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
}

int main(void)
{
	tap_plan(14);
	selective();
	lossy_wire();
	return tap_done();
}
