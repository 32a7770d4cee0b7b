/*
 * tcp_pair.c - two TCP hosts on the wire; see tcp_pair.h.
 */
#include "tcp_pair.h"

#include <string.h>

/* xk_testbed's registration callback takes only the host: the apps wait here. */
static struct tcp_app *pair_apps;

static int pair_reg(xk_host_t *h)
{
	int i = xk_host_config(h)->ip == XK_TESTBED_IP(1);
	int err = xk_register(h, "tcp", xk_tcp_init, NULL);

	if (err < 0 && err != -EEXIST)
		return err;
	return xk_register(h, "tcpapp", xk_tcp_app_init, &pair_apps[i]);
}

int tcp_pair_create(struct tcp_pair *p, const struct xk_wire_impair *imp)
{
	return tcp_pair_create_mtu(p, imp, NULL);
}

int tcp_pair_create_mtu(struct tcp_pair *p, const struct xk_wire_impair *imp, const uint16_t mtu[2])
{
	int err;

	memset(p, 0, sizeof *p);
	pair_apps = p->app;
	err = xk_testbed_create_mtu(&p->tb, imp, "tcp ip/6\ntcpapp tcp\n", pair_reg, mtu);
	pair_apps = NULL;
	return err;
}

void tcp_pair_destroy(struct tcp_pair *p)
{
	xk_testbed_destroy(&p->tb);
}

static bool pair_done(void *arg)
{
	struct tcp_pair *p = arg;

	tcp_app_pump(&p->app[0]);
	tcp_app_pump(&p->app[1]);
	return p->until && p->until(p);
}

int tcp_pair_run(struct tcp_pair *p, uint64_t limit_ns, bool (*until)(struct tcp_pair *p))
{
	p->until = until;
	return xk_wire_run(p->tb.wire, limit_ns, pair_done, p);
}

xk_proto_t *tcp_pair_tcp(struct tcp_pair *p, int i)
{
	return xk_testbed_proto(&p->tb, i, "tcp");
}

void tcp_pair_stats(struct tcp_pair *p, int i, struct xk_tcp_stats *st)
{
	memset(st, 0, sizeof *st);
	xk_control(tcp_pair_tcp(p, i), XK_TCP_CTL_GET_STATS, st, sizeof *st);
}

unsigned tcp_pair_nstate(struct tcp_pair *p, int i, enum tcp_state s)
{
	struct xk_tcp_stats st;

	tcp_pair_stats(p, i, &st);
	return st.nstate[s];
}
