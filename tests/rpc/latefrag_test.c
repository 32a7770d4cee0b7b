/*
 * latefrag_test - a reassembly outlives its NACKs. The client is a sender
 * descheduled mid-message: of its 64 KiB request only the first sending
 * reaches the server, its last fragment 150 ms late (past the client's
 * BLAST_HOLD_NS, so NACKs find nothing to resend), and nothing it sends
 * again (BLAST's resends, CHAN's retransmissions) gets through. The server
 * still completes that message when the fragment comes and the call ends
 * well. BLAST used to free the fragments after its 4 NACKs (~8 ms): no
 * message could complete, and the call ended -ETIMEDOUT (rpcping -e -b 4000
 * -w process failed so on a loaded host).
 */
#include <stdlib.h>

#include "rpc_test.h"

#define BIG	RPC_MAX_MSG
#define NFRAGS	45	/* 64 KiB and 24 bytes of headers in 1464-byte fragments */
#define LATE_NS	(150 * MS)

static const struct xk_sess_ops *ip_ops;
static struct xk_sess_ops away_ops;
static struct {
	xk_sess_t *s;
	msg_t m;
	struct xk_event ev;
	uint32_t id;		/* the one message let through, 0 until seen */
	uint64_t sent;		/* its fragments sent once */
	unsigned passed, dropped;
} late;

static void late_release(void *arg)
{
	(void)arg;
	late.passed++;
	ip_ops->push(late.s, &late.m);
}

/* The client's IP session: the first big message only, its last fragment late. */
static int away_push(xk_sess_t *s, msg_t *m)
{
	const uint8_t *h = msg_peek(m, 16);
	uint32_t id;

	if (!h || h[0] != 1 || h[1] != NFRAGS)
		return ip_ops->push(s, m);
	id = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 | (uint32_t)h[6] << 8 | h[7];
	if (!late.id)
		late.id = id;
	if (id != late.id || late.sent >> h[2] & 1) {
		late.dropped++;		/* sent again: the sender is away */
		msg_free(m);
		return 0;
	}
	late.sent |= 1ull << h[2];
	if (h[2] + 1 < NFRAGS) {
		late.passed++;
		return ip_ops->push(s, m);
	}
	late.s = s;
	msg_move(&late.m, m);
	xk_event_schedule(xk_host_events(s->proto->host), &late.ev, LATE_NS);
	return 0;
}

int main(void)
{
	uint8_t *data = rbed_random(BIG, 7);
	xk_sess_t *ip;
	struct rbed rb;
	int status = 1;

	tap_plan(7);
	msg_init(&late.m);
	xk_event_init(&late.ev, late_release, NULL);
	tap_ok(data && rbed_create(&rb, NULL) == 0, "a testbed");
	tap_ok(rbed_call(&rb, "warm", 4, &status) == 0 && status == 0, "a small call (ARP resolves)");
	ip = rbed_hook_ip(&rb, away_push, &away_ops, &ip_ops);
	tap_ok(rbed_call(&rb, data, BIG, &status) == 0, "the 64 KiB call ends");
	tap_is_int(status, 0, "with its reply (status 0, not -ETIMEDOUT)");
	tap_ok(rbed_reply_is(&rb, data, BIG), "its 64 KiB reply is the request, byte for byte");
	tap_ok(late.passed == NFRAGS && late.dropped > 0,
	       "only the first sending reached the server (%u fragments), %u sent again were lost",
	       late.passed, late.dropped);
	ip->ops = ip_ops;
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
	free(data);
	return tap_done();
}
