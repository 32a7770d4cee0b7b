/*
 * lossy_test - at most once on a bad wire: 10% of the frames lost, 10%
 * duplicated, 10% held back (reordered), seeded. CALLS calls of a procedure
 * that counts its runs and records each call's number: every call ends, the
 * count equals the calls that returned success, no call's number runs
 * twice, each reply carries its own call's number back.
 */
#include <stdlib.h>

#include "bytes.h"
#include "rpc_test.h"

#define CALLS	100000

static uint8_t *seen;
static unsigned runs, twice;

static void procedure(struct xk_app *app, xk_sess_t *lls, const msg_t *m)
{
	uint8_t b[4];

	(void)app;
	(void)lls;
	runs++;
	if (msg_len(m) != 4 || msg_copyout(m, 0, b, 4) || xk_get32(b) >= CALLS)
		return;
	twice += seen[xk_get32(b)]++ != 0;
}

int main(void)
{
	struct xk_wire_impair imp = { .seed = 42, .drop_pct = 10, .dup_pct = 10, .reorder_pct = 10 };
	struct xk_wire_stats ws;
	struct rbed rb;
	unsigned ended = 0, ok = 0, own = 0;

	tap_plan(7);
	seen = calloc(CALLS, 1);
	if (!seen)
		tap_bail("out of memory");
	tap_ok(rbed_create(&rb, &imp) == 0, "a testbed on a wire losing, duplicating, reordering 10%%");
	rb.tb.app[1].on_recv = procedure;
	for (uint32_t i = 0; i < CALLS; i++) {
		uint8_t b[4], r[4];
		int status;

		xk_put32(b, i);
		if (rbed_call(&rb, b, 4, &status) != 0)
			continue;
		ended++;
		if (status)
			continue;
		ok++;
		own += msg_copyout(&rb.tb.app[0].last, 0, r, 4) == 0 && xk_get32(r) == i;
	}
	xk_wire_stats(rb.tb.wire, &ws);
	tap_diag("wire: %llu sent, %llu dropped, %llu duplicated, %llu reordered; chan: %llu retransmits, "
		 "%llu duplicates answered from the saved reply",
		 (unsigned long long)ws.sent, (unsigned long long)ws.dropped,
		 (unsigned long long)ws.duplicated, (unsigned long long)ws.reordered,
		 (unsigned long long)rbed_chan(&rb, 0).retransmits,
		 (unsigned long long)rbed_chan(&rb, 1).dup_replies);
	tap_is_int(ended, CALLS, "every call ends");
	tap_is_int(runs, ok, "the server's count equals the calls that returned success (%u)", ok);
	tap_is_int(twice, 0, "no call ran twice");
	tap_is_int(own, ok, "each successful call's reply carries its own number");
	tap_ok(rbed_chan(&rb, 1).dup_replies > 0 && rbed_chan(&rb, 0).retransmits > 0,
	       "the wire did cause retransmissions and duplicates");
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
	free(seen);
	return tap_done();
}
