/*
 * crossing_test - every layer crossing goes through the objects' operation
 * pointers: after a first UDP (then TCP) round trip (ARP, handshake,
 * sessions), each protocol's and each session's operation table on both
 * hosts is replaced by a counting copy; one more round trip must then pass
 * through every copy: push down app -> udp/tcp -> ip -> eth -> wire, demux
 * up wire -> eth -> ip -> udp/tcp -> app, with the sessions' pop between. A
 * layer that called its neighbour directly would leave its counter at zero.
 */
#include <string.h>

#include "tap.h"
#include "testbed.h"

#define MS	(1000ull * 1000)
#define NWRAP	32

#define NPROTO	5	/* wire, eth, ip, the transport, app */
#define NLEVEL	4	/* sessions below the app: transport, ip, eth, wire */
#define PORT	7

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

static void keep_sess(struct xk_app *app, xk_sess_t *lls, const msg_t *m)
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
		xk_wire_run(tb->wire, MS, NULL, NULL);
	return tb->app[0].received == want ? 0 : -1;
}

/* Both ends of a flow over `l4`: the server listens on PORT, the client opens (TCP: NODELAY). */
static int open_flow(struct xk_testbed *tb, const char *l4, xk_sess_t **cs)
{
	struct xk_parts parts = { 0 };
	int one = 1, err;

	xk_part_push_port(&parts.local, PORT);
	if ((err = xk_app_listen(&tb->app[1], l4, &parts)) < 0)
		return err;
	xk_part_init(&parts.local);
	xk_part_push_port(&parts.local, 5000);
	xk_part_push_ip(&parts.remote, XK_TESTBED_IP(1));
	xk_part_push_port(&parts.remote, PORT);
	if ((err = xk_app_open(&tb->app[0], l4, &parts, cs)) < 0)
		return err;
	return strcmp(l4, "tcp") ? 0 : xk_sess_control(*cs, XK_CTL_SET_NODELAY, &one, sizeof one) < 0;
}

static void check_path(const char *l4, const char *top)
{
	const char *protos[NPROTO] = { "wire", "eth", "ip", l4, "app" };
	struct xk_testbed tb;
	struct proto_wrap *p[2][NPROTO];
	struct sess_wrap *s[2][NLEVEL];
	xk_sess_t *cs = NULL;

	npw = nsw = 0;
	server_sess = NULL;
	if (xk_testbed_create(&tb, NULL, top, NULL))
		tap_bail("cannot make the hosts");
	tb.app[1].on_recv = keep_sess;
	tap_ok(open_flow(&tb, l4, &cs) == 0, "%s: the server listens, the client opens", l4);
	tap_ok(round_trip(&tb, cs) == 0 && server_sess, "%s: a first round trip (ARP, server's session)", l4);

	for (int h = 0; h < 2; h++) {
		xk_sess_t *x = h ? server_sess : cs;

		for (unsigned i = 0; i < NPROTO; i++)
			p[h][i] = wrap_proto(xk_testbed_proto(&tb, h, protos[i]));
		for (unsigned l = 0; l < NLEVEL; l++, x = x ? x->down : NULL)
			s[h][l] = x ? wrap_sess(x) : NULL;
		if (!s[h][NLEVEL - 1])
			tap_bail("host %d: fewer than %d sessions under the app", h, NLEVEL);
	}
	tap_ok(round_trip(&tb, cs) == 0, "%s: a round trip through the counting copies", l4);

	for (int h = 0; h < 2; h++) {
		const char *who = h ? "server" : "client";

		/* the wire driver demultiplexes nothing: it calls up into eth */
		for (unsigned i = 1; i < NPROTO; i++)
			tap_is_int(p[h][i]->demux, 1, "%s %s: %s's demux called once, through its pointer", l4, who,
				   protos[i]);
		for (unsigned l = 0; l < NLEVEL; l++)
			tap_is_int(s[h][l]->push, 1, "%s %s: the %s session's push called once, through its pointer",
				   l4, who, protos[NPROTO - 2 - l]);
		for (unsigned l = 0; l < NLEVEL - 1; l++)
			tap_is_int(s[h][l]->pop, 1, "%s %s: the %s session's pop called once, through its pointer",
				   l4, who, protos[NPROTO - 2 - l]);
	}
	xk_close(cs);
	xk_testbed_destroy(&tb);
}

int main(void)
{
	tap_plan(2 * (3 + 2 * (NPROTO - 1 + 2 * NLEVEL - 1)));
	check_path("udp", NULL);
	check_path("tcp", "tcp ip/6\napp udp icmp tcp\n");
	return tap_done();
}
