/*
 * malformed_test - bad messages handed to the server's BLAST as if from IP
 * (from the client's address), while a call is in progress: cut short at
 * every header boundary of every layer, each field made impossible, wrong
 * checksums, random bytes. Each is dropped and counted by the layer and
 * reason expected; the call in progress ends well afterwards.
 */
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "csum.h"
#include "rpc_test.h"

enum { BLAST, BID, CHAN, SELECT, NLAYER };
static const char *const layer[NLAYER] = { "blast", "bid", "chan", "select" };

static struct rbed rb;
static xk_sess_t *ip;		/* the server's IP session to the client */
static struct xk_drops want[NLAYER], before[NLAYER];
static unsigned injected;

/* A valid single-fragment request: blast, bid (client 1 -> server 2), chan REQ, select, payload. */
struct pkt {
	uint8_t b[128];
	size_t len;
};

static void blast_fix(struct pkt *p)
{
	p->b[1] = 1;
	xk_put32(p->b + 8, (uint32_t)(p->len - 16));
	xk_put16(p->b + 14, (uint16_t)(p->len - 16));
	xk_put16(p->b + 12, 0);
	xk_put16(p->b + 12, xk_csum_fold(xk_csum_add(0, p->b, p->len)));
}

static struct pkt request(uint16_t chan, uint32_t seq, uint16_t proc)
{
	struct pkt p = { .len = 16 + 8 + 12 + 4 + 1 };

	p.b[0] = 1;
	xk_put32(p.b + 4, 1000 + chan);		/* blast message id */
	xk_put32(p.b + 16, 1);			/* bid: the client's boot id */
	xk_put32(p.b + 20, 2);			/* the server's */
	p.b[24] = 1;				/* chan REQ */
	xk_put16(p.b + 26, chan);
	xk_put32(p.b + 28, seq);
	xk_put32(p.b + 32, 4 + 1);
	xk_put16(p.b + 36, proc);
	p.b[40] = 'x';
	blast_fix(&p);
	return p;
}

/* Cut to len bytes, BLAST's and CHAN's length fields made to match. */
static struct pkt cut(struct pkt p, size_t len)
{
	p.len = len;
	if (len >= 24 + 12)
		xk_put32(p.b + 32, (uint32_t)(len - 36));
	if (len >= 16)
		blast_fix(&p);
	return p;
}

static void inject(const struct pkt *p, int l, enum xk_drop why)
{
	msg_t m;

	if (msg_from(xk_host_pool(rb.tb.host[1]), &m, p->b, p->len))
		tap_bail("out of memory");
	if (l >= 0)
		want[l].n[why]++;
	injected++;
	xk_demux(xk_testbed_proto(&rb.tb, 1, "blast"), ip, &m);
}

static void boundaries(void)
{
	struct pkt p;
	uint16_t ch = 500;

	for (size_t n = 0; n < 16; n++)
		inject(&(struct pkt){ .len = n }, BLAST, XK_DROP_SHORT);
	for (size_t n = 16; n < 24; n++)
		inject((p = cut(request(ch, 1, RPC_APP_PROC), n), &p), BID, XK_DROP_SHORT);
	for (size_t n = 25; n < 36; n++)	/* 24: an empty BID message is a notice, not an error */
		inject((p = cut(request(ch, 1, RPC_APP_PROC), n), &p), CHAN, XK_DROP_SHORT);
	for (size_t n = 36; n < 40; n++, ch++)
		inject((p = cut(request(ch, 1, RPC_APP_PROC), n), &p), SELECT, XK_DROP_SHORT);

	p = request(ch, 1, 1), p.b[3] = 1, blast_fix(&p), inject(&p, BLAST, XK_DROP_VERSION);
	p = request(ch, 1, 1), p.b[0] = 7, inject(&p, BLAST, XK_DROP_TYPE);
	p = request(ch, 1, 1), p.b[40] ^= 1, inject(&p, BLAST, XK_DROP_CSUM);
	p = request(ch, 1, 1), p.b[1] = 0, xk_put16(p.b + 12, 0),
		xk_put16(p.b + 12, xk_csum_fold(xk_csum_add(0, p.b, p.len))), inject(&p, BLAST, XK_DROP_LEN);
	const uint8_t bad_geometry[][3] = { { 1, 1 }, { 65, 0 }, { 2, 0 } };	/* nfrags, frag */
	for (size_t i = 0; i < sizeof bad_geometry / sizeof bad_geometry[0]; i++) {
		p = request(ch, 1, 1);
		p.b[2] = bad_geometry[i][1];
		blast_fix(&p);
		p.b[1] = bad_geometry[i][0];
		if (i == 0)
			p.b[2] = 1;
		xk_put16(p.b + 12, 0);
		xk_put16(p.b + 12, xk_csum_fold(xk_csum_add(0, p.b, p.len)));
		inject(&p, BLAST, XK_DROP_LEN);
	}
	p = request(ch, 1, 1), xk_put32(p.b + 8, 70000), xk_put16(p.b + 12, 0),
		xk_put16(p.b + 12, xk_csum_fold(xk_csum_add(0, p.b, p.len))), inject(&p, BLAST, XK_DROP_LEN);
	p = request(ch, 1, 1), p.b[0] = 2, xk_put16(p.b + 12, 0),	/* a NACK of 25 bytes */
		xk_put16(p.b + 12, xk_csum_fold(xk_csum_add(0, p.b, p.len))), inject(&p, BLAST, XK_DROP_LEN);
	p = cut(request(ch, 1, 1), 24), p.b[0] = 2, blast_fix(&p), p.b[1] = 1, xk_put16(p.b + 12, 0),
		xk_put16(p.b + 12, xk_csum_fold(xk_csum_add(0, p.b, p.len))), inject(&p, BLAST, XK_DROP_NOSESS);

	p = request(ch, 1, 1), xk_put32(p.b + 16, 0), blast_fix(&p), inject(&p, BID, XK_DROP_VERSION);
	p = request(ch, 1, 1), xk_put32(p.b + 20, 99), blast_fix(&p), inject(&p, BID, XK_DROP_STATE);

	p = request(ch, 1, 1), p.b[25] = 1, blast_fix(&p), inject(&p, CHAN, XK_DROP_VERSION);
	p = request(ch, 1, 1), p.b[24] = 9, blast_fix(&p), inject(&p, CHAN, XK_DROP_TYPE);
	p = request(ch, 1, 1), xk_put32(p.b + 32, 6), blast_fix(&p), inject(&p, CHAN, XK_DROP_LEN);
	p = request(0, 1, 1), blast_fix(&p), inject(&p, CHAN, XK_DROP_NOSESS);
	p = request(ch, 1, 1), p.b[24] = 2, blast_fix(&p), inject(&p, CHAN, XK_DROP_NOSESS);

	p = request(ch++, 1, 1), xk_put16(p.b + 38, 5), blast_fix(&p), inject(&p, SELECT, XK_DROP_VERSION);
	p = request(ch++, 1, 77), inject(&p, SELECT, XK_DROP_NOPROTO);

	/* The first of two fragments (25 of 40 bytes), then the same again: a duplicate. */
	p = request(ch, 1, 1), xk_put32(p.b + 4, 7777), p.b[1] = 2, xk_put32(p.b + 8, 40), xk_put16(p.b + 12, 0),
		xk_put16(p.b + 12, xk_csum_fold(xk_csum_add(0, p.b, p.len)));
	inject(&p, -1, 0);
	inject(&p, BLAST, XK_DROP_STATE);
}

/* Random bytes, then random bytes behind a valid BLAST header: dropped somewhere. */
static void random_bytes(void)
{
	srand(12345);
	for (int i = 0; i < 4000; i++) {
		struct pkt p = { .len = (size_t)rand() % 100 };

		for (size_t k = 0; k < p.len; k++)
			p.b[k] = (uint8_t)rand();
		if (i % 2 && p.len >= 16) {
			p.b[0] = 1;
			p.b[3] = 0;
			blast_fix(&p);
		}
		inject(&p, -1, 0);
	}
}

static uint64_t total(const struct xk_drops *d)
{
	uint64_t n = 0;

	for (int r = 0; r < XK_DROP_NREASONS; r++)
		n += d->n[r];
	return n;
}

static uint64_t dropped_total(void)
{
	uint64_t n = 0;

	for (int l = 0; l < NLAYER; l++) {
		struct xk_drops d = rbed_drops(&rb, 1, layer[l]);

		n += total(&d);
	}
	return n;
}

int main(void)
{
	struct xk_parts parts = { 0 };
	unsigned want_ends;
	int status = 1;
	uint64_t n0;

	tap_plan(9);
	tap_ok(rbed_create(&rb, NULL) == 0 && rbed_call(&rb, "a", 1, &status) == 0 && status == 0,
	       "a testbed, a first call");
	xk_part_push_ip(&parts.remote, XK_TESTBED_IP(0));
	tap_ok(xk_open(xk_testbed_proto(&rb.tb, 1, "ip"), xk_testbed_proto(&rb.tb, 1, "blast"),
		       xk_testbed_proto(&rb.tb, 1, "blast"), &parts, &ip) == 0,
	       "the server's IP session to the client");
	for (int l = 0; l < NLAYER; l++)
		before[l] = rbed_drops(&rb, 1, layer[l]);
	want_ends = rb.tb.app[0].received + 1;
	rbed_start(&rb, rb.cs, "b", 1);	/* a call in progress */
	boundaries();
	for (int l = 0; l < NLAYER; l++) {
		struct xk_drops got = rbed_drops(&rb, 1, layer[l]);
		int same = 1;

		for (int r = 0; r < XK_DROP_NREASONS; r++) {
			if (got.n[r] - before[l].n[r] != want[l].n[r]) {
				tap_diag("%s %s: %llu dropped, want %llu", layer[l], xk_drop_name(r),
					 (unsigned long long)(got.n[r] - before[l].n[r]),
					 (unsigned long long)want[l].n[r]);
				same = 0;
			}
		}
		tap_ok(same, "%s: each bad message dropped and counted by its reason", layer[l]);
	}
	n0 = dropped_total();
	injected = 0;
	random_bytes();
	tap_is_int((long long)(dropped_total() - n0), injected, "%u random messages: each dropped and counted",
		   injected);
	xk_close(ip);
	tap_ok(rbed_run(&rb, want_ends, 1000 * MS) == 0 &&
	       xk_sess_control(rb.cs, RPC_CTL_STATUS, &status, sizeof status) > 0 && status == 0,
	       "the call in progress ends well");
	tap_is_int(rbed_destroy(&rb), 0, "no message block outstanding at teardown");
	return tap_done();
}
