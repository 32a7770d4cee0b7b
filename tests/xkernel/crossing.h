/*
 * crossing.h - the crossing check the x-kernel suites share (crossing_test
 * of tests/xkernel and tests/rpc): after a first round trip between the
 * testbed's hosts, each protocol's and each session's operation table on
 * both hosts is replaced by a counting copy; one more round trip must then
 * pass through every copy once per direction: push down from the app's
 * session to the wire, demux up from eth to the app, with the sessions'
 * pop between. A layer that called its neighbour directly would leave its
 * counter at zero.
 */
#ifndef XK_CROSSING_H
#define XK_CROSSING_H

#include "tap.h"
#include "testbed.h"

#define CROSSING_MS	(1000ull * 1000)
#define NWRAP	32
#define CROSSING_MAX	10	/* protocols in one path */

struct proto_wrap {
	xk_proto_t *p;
	const struct xk_proto_ops *orig;
	struct xk_proto_ops ops;
	unsigned demux;
};

struct sess_wrap {
	xk_sess_t *s;
	const struct xk_sess_ops *orig;
	struct xk_sess_ops ops;
	unsigned push, pop;
};

static struct proto_wrap pw[NWRAP];
static struct sess_wrap sw[NWRAP];
static unsigned npw, nsw;
static xk_sess_t *server_sess;	/* the server's transport session, from its app */

static struct proto_wrap *find_p(const xk_proto_t *p)
{
	for (unsigned i = 0; i < npw; i++)
		if (pw[i].p == p)
			return &pw[i];
	tap_bail("a protocol crossed into was never wrapped");
	return NULL;
}

static struct sess_wrap *find_s(const xk_sess_t *s)
{
	for (unsigned i = 0; i < nsw; i++)
		if (sw[i].s == s)
			return &sw[i];
	tap_bail("a session crossed into was never wrapped");
	return NULL;
}

static int count_demux(xk_proto_t *self, xk_sess_t *lls, msg_t *m)
{
	struct proto_wrap *w = find_p(self);

	w->demux++;
	return w->orig->demux(self, lls, m);
}

static int count_push(xk_sess_t *s, msg_t *m)
{
	struct sess_wrap *w = find_s(s);

	w->push++;
	return w->orig->push(s, m);
}

static int count_pop(xk_sess_t *s, xk_sess_t *lls, msg_t *m, void *hdr)
{
	struct sess_wrap *w = find_s(s);

	w->pop++;
	return w->orig->pop(s, lls, m, hdr);
}

static struct proto_wrap *wrap_proto(xk_proto_t *p)
{
	struct proto_wrap *w = &pw[npw++];

	*w = (struct proto_wrap){ .p = p, .orig = p->ops, .ops = *p->ops };
	if (w->ops.demux)
		w->ops.demux = count_demux;
	p->ops = &w->ops;
	return w;
}

static struct sess_wrap *wrap_sess(xk_sess_t *s)
{
	struct sess_wrap *w = &sw[nsw++];

	*w = (struct sess_wrap){ .s = s, .orig = s->ops, .ops = *s->ops };
	if (w->ops.push)
		w->ops.push = count_push;
	if (w->ops.pop)
		w->ops.pop = count_pop;
	s->ops = &w->ops;
	return w;
}

static inline void keep_sess(struct xk_app *app, xk_sess_t *lls, const msg_t *m)
{
	(void)app;
	(void)m;
	server_sess = lls;
}

static int round_trip(struct xk_testbed *tb, xk_sess_t *s)
{
	unsigned want = tb->app[0].received + 1;
	msg_t m;

	if (msg_from(xk_host_pool(s->proto->host), &m, "ping", 4) || xk_push(s, &m))
		return -1;
	for (int t = 0; t < 100 && tb->app[0].received < want; t++)
		xk_wire_run(tb->wire, CROSSING_MS, NULL, NULL);
	return tb->app[0].received == want ? 0 : -1;
}

/*
 * One path: protos[0..n) from the wire up to the app (the sessions under
 * the app are those of protos[n-2] down to the wire's). open makes the
 * server ready and opens the client's session *cs.
 */
struct crossing_path {
	const char *name;
	const char *const *protos;
	unsigned n;
	const char *top;		/* testbed.h's */
	int (*reg)(xk_host_t *h);	/* testbed.h's */
	int (*open)(struct xk_testbed *tb, xk_sess_t **cs);
};

/* The TAP tests crossing_check runs for path c. */
static inline int crossing_ntests(const struct crossing_path *c)
{
	return 3 + 2 * ((int)c->n - 1 + 2 * ((int)c->n - 1) - 1);
}

static void crossing_check(const struct crossing_path *c)
{
	const char *name = c->name;
	unsigned nlevel = c->n - 1;	/* sessions below the app */
	struct xk_testbed tb;
	struct proto_wrap *p[2][CROSSING_MAX];
	struct sess_wrap *s[2][CROSSING_MAX];
	xk_sess_t *cs = NULL;

	npw = nsw = 0;
	server_sess = NULL;
	if (c->n > CROSSING_MAX || xk_testbed_create(&tb, NULL, c->top, c->reg))
		tap_bail("cannot make the hosts");
	tb.app[1].on_recv = keep_sess;
	tap_ok(c->open(&tb, &cs) == 0, "%s: the server listens, the client opens", name);
	tap_ok(round_trip(&tb, cs) == 0 && server_sess, "%s: a first round trip (ARP, server's session)", name);

	for (int h = 0; h < 2; h++) {
		xk_sess_t *x = h ? server_sess : cs;

		for (unsigned i = 0; i < c->n; i++)
			p[h][i] = wrap_proto(xk_testbed_proto(&tb, h, c->protos[i]));
		for (unsigned l = 0; l < nlevel; l++, x = x ? x->down : NULL)
			s[h][l] = x ? wrap_sess(x) : NULL;
		if (!s[h][nlevel - 1])
			tap_bail("host %d: fewer than %u sessions under the app", h, nlevel);
	}
	tap_ok(round_trip(&tb, cs) == 0, "%s: a round trip through the counting copies", name);

	for (int h = 0; h < 2; h++) {
		const char *who = h ? "server" : "client";

		/* the wire driver demultiplexes nothing: it calls up into eth */
		for (unsigned i = 1; i < c->n; i++)
			tap_is_int(p[h][i]->demux, 1, "%s %s: %s's demux called once, through its pointer", name,
				   who, c->protos[i]);
		for (unsigned l = 0; l < nlevel; l++)
			tap_is_int(s[h][l]->push, 1, "%s %s: the %s session's push called once, through its pointer",
				   name, who, c->protos[c->n - 2 - l]);
		for (unsigned l = 0; l < nlevel - 1; l++)
			tap_is_int(s[h][l]->pop, 1, "%s %s: the %s session's pop called once, through its pointer",
				   name, who, c->protos[c->n - 2 - l]);
	}
	xk_close(cs);
	xk_testbed_destroy(&tb);
}

#endif
