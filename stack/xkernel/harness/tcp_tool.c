/* tcp_tool.c - what tcpecho and tcpsend share; see tcp_tool.h. */
#define _POSIX_C_SOURCE 200809L

#include "tcp_tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "ip.h"
#include "ipcwire.h"

int tcp_tool_ip(const char *prog, const char *opt, const char *s, uint32_t *ip)
{
	if (xk_ip_parse(s, ip) == 0)
		return 0;
	fprintf(stderr, "%s: %s '%s': not an IPv4 address\n", prog, opt, s);
	return -EINVAL;
}

int tcp_tool_ip_port(const char *prog, const char *opt, const char *s, uint32_t *ip, uint16_t *port)
{
	const char *colon = strchr(s, ':');
	char addr[16];

	if (!colon || (size_t)(colon - s) >= sizeof addr) {
		fprintf(stderr, "%s: %s '%s': want IP:PORT\n", prog, opt, s);
		return -EINVAL;
	}
	memcpy(addr, s, (size_t)(colon - s));
	addr[colon - s] = '\0';
	return tcp_tool_ip(prog, opt, addr, ip) ? -EINVAL : tcp_tool_port(prog, opt, colon + 1, port);
}

int tcp_tool_port(const char *prog, const char *opt, const char *s, uint16_t *port)
{
	unsigned long v;

	if (xk_bench_ulong(prog, opt, s, 65535, &v))
		return -EINVAL;
	if (v == 0) {
		fprintf(stderr, "%s: %s: port 0\n", prog, opt);
		return -EINVAL;
	}
	*port = (uint16_t)v;
	return 0;
}

static struct xk_app tool_app;		/* the testbed's UDP/ICMP app: unused but registered */
static struct tcp_flows *tool_flows;	/* for tool_reg: the next host's user */

static int tool_reg(xk_host_t *h)
{
	return xk_register(h, "tcpflows", xk_tcp_flows_init, tool_flows++);
}

int tcp_tool_tap_host(const char *prog, const char *ifname, uint32_t ip, struct tcp_flows *f,
		      xk_tap_t **t, xk_host_t **h)
{
	struct xk_host_config cfg = { .name = prog, .mac = { 0x02, 0, 0, 0, 0x77, 0x02 }, .ip = ip };
	int err;

	*h = NULL;
	cfg.mac[4] = (uint8_t)(ip >> 8);
	cfg.mac[5] = (uint8_t)ip;	/* two tools on one link need two MACs */
	if ((err = xk_tap_open(t, ifname)) < 0) {
		fprintf(stderr, "%s: %s: %s\n", prog, ifname, xk_strerror(err));
		return err;
	}
	tool_flows = f;
	err = xk_testbed_host(h, &cfg, &tool_app, "tap", xk_tap_init, *t, TCP_TOOL_TOP, tool_reg);
	tool_flows = NULL;
	if (err < 0) {
		fprintf(stderr, "%s: setting up the host: %s\n", prog, xk_strerror(err));
		xk_tap_close(*t);
		*t = NULL;
	}
	return err;
}

int tcp_tool_wire(struct xk_testbed *tb, const struct xk_wire_impair *imp, struct tcp_flows f[2])
{
	int err;

	tool_flows = f;
	err = xk_testbed_create(tb, imp, TCP_TOOL_TOP, tool_reg);
	tool_flows = NULL;
	return err;
}

int tcp_tool_run_tap(void *drv, uint64_t limit_ns, bool (*done)(void *arg), void *arg)
{
	return xk_tap_run(drv, limit_ns, done, arg);
}

int tcp_tool_run_wire(void *drv, uint64_t limit_ns, bool (*done)(void *arg), void *arg)
{
	return xk_wire_run(drv, limit_ns, done, arg);
}

int tcp_tool_run_ipc(void *drv, uint64_t limit_ns, bool (*done)(void *arg), void *arg)
{
	return xk_ipcwire_run(drv, limit_ns, done, arg);
}

struct tool_until {
	struct tcp_flows *f;
	unsigned nf, want;
};

static bool tool_done(void *arg)
{
	struct tool_until *u = arg;
	bool failed = false;

	for (unsigned i = 0; i < u->nf; i++)
		failed |= tcp_flows_pump(&u->f[i]) < 0;
	return xk_bench_stopped(NULL) || failed || (u->want && u->f->finished >= u->want);
}

int tcp_tool_run(tcp_tool_run_fn run, void *drv, struct tcp_flows *f, unsigned nf, unsigned want,
		 uint64_t limit_ns)
{
	struct tool_until u = { f, nf, want };
	int err;

	xk_bench_catch_stop();
	err = run(drv, limit_ns, tool_done, &u);
	for (unsigned i = 0; i < nf; i++)
		if (f[i].err)
			return f[i].err;
	return err;
}

void tcp_tool_report(const char *prog, const struct tcp_flows *f)
{
	struct xk_tcp_stats st;

	tcp_flows_stats(f, &st);
	printf("%s: %u connections, %u finished, %llu bytes in, %llu bytes out; timeouts %llu, "
	       "fast retransmits %llu (undone %llu), tail probes %llu, D-SACKs in %llu, resets in %llu, "
	       "out %llu\n", prog, f->opened,
	       f->finished, (unsigned long long)f->bytes_in, (unsigned long long)f->bytes_out,
	       (unsigned long long)st.rexmit_timeouts, (unsigned long long)st.fast_rexmits,
	       (unsigned long long)st.spurious_undos, (unsigned long long)st.tail_probes,
	       (unsigned long long)st.dsacks_in, (unsigned long long)st.rsts_in,
	       (unsigned long long)st.rsts_out);
}
