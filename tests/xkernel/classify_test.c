/*
 * classify_test.c - the receive side's packet classifier (classify.h): a
 * frame of a bound flow finds the flow's root, and a frame differing in any
 * one byte of the key, a fragment, or a frame too short for the key does not.
 */
#include <stdint.h>
#include <string.h>

#include "classify.h"
#include "msg.h"
#include "msg_pool.h"
#include "tap.h"

#define SRC	0x0a000001u
#define DST	0x0a000002u
#define SPORT	4321
#define DPORT	7

/* The key's bytes in the frame (classify.c): type, version/IHL, protocol, addresses, ports. */
static const unsigned key_at[] = { 12, 13, 14, 23, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37 };

static int root_a(xk_proto_t *hlp, xk_sess_t *lls, msg_t *m)
{
	(void)hlp, (void)lls, (void)m;
	return 1;
}

static int root_b(xk_proto_t *hlp, xk_sess_t *lls, msg_t *m)
{
	(void)hlp, (void)lls, (void)m;
	return 2;
}

/* classify's answer when it could not make the message: a root no flow has. */
static int no_msg(xk_proto_t *hlp, xk_sess_t *lls, msg_t *m)
{
	(void)hlp, (void)lls, (void)m;
	return -1;
}

/* An Ethernet frame of IPv4 (no options) TCP from SRC:sport to DST:DPORT, 60 bytes. */
static void frame(uint8_t f[60], uint16_t sport)
{
	memset(f, 0, 60);
	f[12] = 0x08;
	f[14] = 0x45;
	f[23] = 6;
	f[26] = 10, f[29] = 1;
	f[30] = 10, f[33] = 2;
	f[34] = sport >> 8, f[35] = sport & 0xff;
	f[37] = DPORT;
}

/* xk_classify's root for the first len bytes of f. */
static xk_demux_fn classify(msg_pool_t *pool, const struct xk_flows *c, const uint8_t *f, size_t len)
{
	xk_demux_fn root;
	msg_t m;

	if (msg_from(pool, &m, f, len) != 0)
		return no_msg;
	root = xk_classify(c, &m);
	msg_free(&m);
	return root;
}

int main(void)
{
	struct xk_flows c = { 0 };
	xk_sess_t a = { 0 }, b = { 0 };
	uint8_t key[XK_FLOW_KEY], f[60];
	msg_pool_t *pool;
	unsigned missed = 0;

	tap_plan(9);
	if (msg_pool_create(&pool) != 0)
		tap_bail("no message pool");
	frame(f, SPORT);
	tap_ok(classify(pool, &c, f, sizeof f) == NULL, "no flow bound: the general way");

	xk_flow_key(key, 0x0800, 6, SRC, DST, SPORT, DPORT);
	tap_ok(xk_flows_bind(&c, &a, key, root_a) == 0 && a.classified, "a flow binds and marks its session");
	xk_flow_key(key, 0x0800, 6, SRC, DST, SPORT + 1, DPORT);
	tap_ok(xk_flows_bind(&c, &b, key, root_b) == 0, "a second flow, another source port");
	tap_ok(classify(pool, &c, f, sizeof f) == root_a, "the first flow's frame enters its root");
	frame(f, SPORT + 1);
	tap_ok(classify(pool, &c, f, sizeof f) == root_b, "the second flow's frame enters its root");

	for (unsigned i = 0; i < sizeof key_at / sizeof key_at[0]; i++) {
		frame(f, SPORT);
		f[key_at[i]] ^= 0x40;
		if (classify(pool, &c, f, sizeof f) != NULL)
			tap_diag("frame byte %u changed, still classified", key_at[i]), missed++;
	}
	tap_ok(missed == 0, "a frame differing in any one of the key's 16 bytes matches no flow");

	frame(f, SPORT);
	f[20] = 0x20;	/* more fragments */
	tap_ok(classify(pool, &c, f, sizeof f) == NULL, "a first fragment goes the general way");
	frame(f, SPORT);
	tap_ok(classify(pool, &c, f, 37) == NULL, "a frame too short for the ports goes the general way");

	xk_flows_unbind(&c, &a);
	tap_ok(classify(pool, &c, f, sizeof f) == NULL && !a.classified && c.n == 1,
	   "after unbinding, the first flow's frames go the general way");
	msg_pool_destroy(pool);
	return tap_done();
}
