/*
 * rpc_test.h - what the RPC tests share: two testbed hosts (testbed.h) with
 * the RPC suite over IP, host 1's app enabled at RPC_APP_PROC and echoing
 * (the server procedure), host 0's app holding a client session to it; boot
 * ids 1, 2, 3... in the order hosts are built; a call run to its end on the
 * wire's virtual clock.
 */
#ifndef RPC_TEST_H
#define RPC_TEST_H

#include <stdlib.h>
#include <string.h>

#include "rpc_app.h"
#include "tap.h"
#include "testbed.h"

#define MS	(1000ull * 1000)

struct rbed {
	struct xk_testbed tb;
	xk_sess_t *cs;		/* the client's select session */
};

static uint32_t rbed_boot;	/* the last boot id given */

static inline int rbed_reg(xk_host_t *h)
{
	static struct rpc_config cfg[8];
	struct rpc_config *c = &cfg[rbed_boot % 8];

	c->boot_id = ++rbed_boot;
	return rpc_register(h, c);
}

static inline int rbed_create(struct rbed *rb, const struct xk_wire_impair *imp)
{
	int err = xk_testbed_create(&rb->tb, imp, RPC_APP_TOP, rbed_reg);

	rb->cs = NULL;
	if (!err)
		err = rpc_app_open(&rb->tb.app[1], &rb->tb.app[0], XK_TESTBED_IP(1), &rb->cs);
	return err;
}

struct rbed_wait {
	struct xk_app *app;
	unsigned want;
};

static inline bool rbed_arrived(void *arg)
{
	const struct rbed_wait *w = arg;

	return w->app->received >= w->want;
}

/* Start a call of len bytes on session s (host 0's app gets its end). */
static inline int rbed_start(struct rbed *rb, xk_sess_t *s, const void *data, size_t len)
{
	msg_t m;
	int err = msg_from(xk_host_pool(rb->tb.host[0]), &m, data, len);

	return err ? err : xk_push(s, &m);
}

/* Run the wire until host 0's app has `want` call ends, or limit_ns passes. */
static inline int rbed_run(struct rbed *rb, unsigned want, uint64_t limit_ns)
{
	struct rbed_wait w = { &rb->tb.app[0], want };

	return xk_wire_run(rb->tb.wire, limit_ns, rbed_arrived, &w);
}

/* One call on rb->cs to its end: 0 and *status (RPC_CTL_STATUS), or why it did not end. */
static inline int rbed_call(struct rbed *rb, const void *data, size_t len, int *status)
{
	unsigned want = rb->tb.app[0].received + 1;
	int err = rbed_start(rb, rb->cs, data, len);

	if (!err)
		err = rbed_run(rb, want, 60000 * MS);
	if (!err && xk_sess_control(rb->cs, RPC_CTL_STATUS, status, sizeof *status) != sizeof *status)
		err = -EPROTO;
	return err;
}

/*
 * Put push in place of the push of the client's IP session (below select,
 * chan, bid, blast), in ops; *orig gets the session's own, to call and to
 * put back (ip->ops = *orig). Returns the IP session.
 */
static inline xk_sess_t *rbed_hook_ip(struct rbed *rb, int (*push)(xk_sess_t *, msg_t *),
				      struct xk_sess_ops *ops, const struct xk_sess_ops **orig)
{
	xk_sess_t *ip = rb->cs->down->down->down->down;

	*orig = ip->ops;
	*ops = *ip->ops;
	ops->push = push;
	ip->ops = ops;
	return ip;
}

static inline struct rpc_chan_stats rbed_chan(struct rbed *rb, int host)
{
	struct rpc_chan_stats st = { 0 };

	xk_control(xk_testbed_proto(&rb->tb, host, "chan"), RPC_CTL_CHAN_STATS, &st, sizeof st);
	return st;
}

static inline struct rpc_blast_stats rbed_blast(struct rbed *rb, int host)
{
	struct rpc_blast_stats st = { 0 };

	xk_control(xk_testbed_proto(&rb->tb, host, "blast"), RPC_CTL_BLAST_STATS, &st, sizeof st);
	return st;
}

static inline struct xk_drops rbed_drops(struct rbed *rb, int host, const char *proto)
{
	struct xk_drops d = { 0 };

	xk_control(xk_testbed_proto(&rb->tb, host, proto), XK_CTL_GET_DROPS, &d, sizeof d);
	return d;
}

/* n bytes from rand() seeded with seed (malloc'd), or NULL. */
static inline uint8_t *rbed_random(size_t n, unsigned seed)
{
	uint8_t *p = malloc(n);

	srand(seed);
	for (size_t i = 0; p && i < n; i++)
		p[i] = (uint8_t)rand();
	return p;
}

/* Whether host 0's last call end carried exactly want's n bytes. */
static inline bool rbed_reply_is(struct rbed *rb, const uint8_t *want, size_t n)
{
	uint8_t *got = malloc(n);
	bool same = got && msg_len(&rb->tb.app[0].last) == n &&
		    msg_copyout(&rb->tb.app[0].last, 0, got, n) == 0 && memcmp(got, want, n) == 0;

	free(got);
	return same;
}

/* Close the client session and tear down: the message blocks left outstanding. */
static inline size_t rbed_destroy(struct rbed *rb)
{
	if (rb->cs)
		xk_close(rb->cs);
	rb->cs = NULL;
	return xk_testbed_destroy(&rb->tb);
}

#endif
