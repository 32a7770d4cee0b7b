/*
 * tcp_tool.h - what tcpecho and tcpsend share: their option values, their
 * host on a TAP device, the in-process wire or the IPC wire with the tcp_flows user
 * ("tcp ip/6", "tcpflows tcp"), the loop that runs it, and the report.
 */
#ifndef XK_TCP_TOOL_H
#define XK_TCP_TOOL_H

#include <stdbool.h>
#include <stdint.h>

#include "tapdrv.h"
#include "tcp_flows.h"
#include "testbed.h"

#define TCP_TOOL_TOP	"tcp ip/6\ntcpflows tcp\n"
#define TCP_TOOL_PORT	5001
#define TCP_TOOL_SEC	1000000000ull

/* Option values: one line on stderr naming prog and opt, and -EINVAL, when s is not one
 * (numbers: xk_bench_ulong, bench.h). */
int tcp_tool_ip(const char *prog, const char *opt, const char *s, uint32_t *ip);
int tcp_tool_port(const char *prog, const char *opt, const char *s, uint16_t *port);	/* 1..65535 */
int tcp_tool_ip_port(const char *prog, const char *opt, const char *s, uint32_t *ip, uint16_t *port);

/* One host with IP ip on TAP device ifname, f as its TCP user. -errno, said on stderr. */
int tcp_tool_tap_host(const char *prog, const char *ifname, uint32_t ip, struct tcp_flows *f,
		      xk_tap_t **t, xk_host_t **h);
/* Two testbed hosts on the in-process wire, f[i] the user of host i. */
int tcp_tool_wire(struct xk_testbed *tb, const struct xk_wire_impair *imp, struct tcp_flows f[2]);

/*
 * Run the loop (xk_tap_run or xk_wire_run: run(drv, limit, done, arg))
 * pumping f[0..nf) until want connections of f[0] finished (0: until
 * stopped by SIGINT or SIGTERM, or the limit). 0, -ETIMEDOUT, or an f's error.
 */
typedef int (*tcp_tool_run_fn)(void *drv, uint64_t limit_ns, bool (*done)(void *arg), void *arg);
/* The loops as tcp_tool_run_fn: drv is an xk_tap_t, an xk_wire_t, an xk_ipcwire_t. */
int tcp_tool_run_tap(void *drv, uint64_t limit_ns, bool (*done)(void *arg), void *arg);
int tcp_tool_run_wire(void *drv, uint64_t limit_ns, bool (*done)(void *arg), void *arg);
int tcp_tool_run_ipc(void *drv, uint64_t limit_ns, bool (*done)(void *arg), void *arg);
int tcp_tool_run(tcp_tool_run_fn run, void *drv, struct tcp_flows *f, unsigned nf, unsigned want,
		 uint64_t limit_ns);
/* "PROG: C connections, F finished, ... bytes; timeouts T, fast retransmits R" on stdout. */
void tcp_tool_report(const char *prog, const struct tcp_flows *f);

#endif
