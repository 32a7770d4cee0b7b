/*
 * tcp_pair.c - two TCP hosts on the wire; see tcp_pair.h.
 */
#include "tcp_pair.h"

#include <string.h>

#include "bytes.h"
#include "csum.h"
#include "tcp_hdr.h"

/* xk_testbed's registration callback takes only the host: the apps wait here. */
static struct tcp_app *pair_apps;

static int pair_reg(xk_host_t *h)
{
	int i = xk_host_config(h)->ip == XK_TESTBED_IP(1);

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

size_t tcp_pair_destroy(struct tcp_pair *p)
{
	return xk_testbed_destroy(&p->tb);
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

int tcp_pair_state(xk_sess_t *s)
{
	int st = -1;

	xk_sess_control(s, XK_TCP_CTL_GET_STATE, &st, sizeof st);
	return st;
}

static bool pair_established(struct tcp_pair *p)
{
	return p->app[1].sess && tcp_pair_state(p->app[0].sess) == TCP_ESTABLISHED;
}

int tcp_pair_connect(struct tcp_pair *p, uint16_t port)
{
	int err;

	p->app[0].keep_open = p->app[1].keep_open = true;
	if ((err = tcp_app_listen(&p->app[1], port)) < 0 ||
	    (err = tcp_app_connect(&p->app[0], XK_TESTBED_IP(1), port)) < 0)
		return err;
	return tcp_pair_run(p, 10000000000ull, pair_established);
}

bool tcp_pair_got_rx(struct tcp_pair *p)
{
	return p->app[1].rx_len >= p->want_rx;
}

int tcp_pair_push_zeros(xk_sess_t *s, size_t n)
{
	static const uint8_t zero[4096];
	msg_t m;
	int err;

	if (n > sizeof zero)
		return -EINVAL;
	err = msg_from(xk_host_pool(s->proto->host), &m, zero, n);
	return err ? err : xk_push(s, &m);
}

int tcp_pair_inject(struct tcp_pair *p, uint32_t src, const struct tcp_hdr *h, size_t payload)
{
	enum { ETH = 14, IPH = 20 };
	uint8_t f[ETH + IPH + TCP_HDR_MAX + 1460] = { 0 }, ph[12];
	uint8_t *ip = f + ETH, *seg = ip + IPH;
	size_t n;

	if (payload > 1460)
		return -EINVAL;
	n = tcp_hdr_encode(seg, h) + payload;
	/* to host 1's MAC from host 0's, IPv4 */
	memcpy(f, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", ETH);
	ip[0] = 0x45;
	xk_put16(ip + 2, (uint16_t)(IPH + n));
	ip[8] = 64;
	ip[9] = 6;
	xk_put32(ip + 12, src);
	xk_put32(ip + 16, XK_TESTBED_IP(1));
	xk_put16(ip + 10, xk_csum_fold(xk_csum_add(0, ip, IPH)));
	memcpy(ph, ip + 12, 8);
	ph[8] = 0;
	ph[9] = 6;
	xk_put16(ph + 10, (uint16_t)n);
	xk_put16(seg + TCP_CSUM_OFF, xk_csum_fold(xk_csum_add(xk_csum_add(0, ph, 12), seg, n)));
	return xk_wire_inject(p->tb.wire, p->tb.host[1], f, ETH + IPH + n);
}
