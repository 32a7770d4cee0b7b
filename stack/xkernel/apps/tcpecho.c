/*
 * tcpecho - a TCP server on a TAP device: it takes any number of
 * connections on a port and echoes what arrives (or, with -s, discards it),
 * closing each connection when its peer has finished and the echo is out.
 *
 *   tcpecho -t TAPIF [-a IP] [-l PORT] [-s] [-T SECONDS]
 *
 * It serves for SECONDS (default: until SIGINT or SIGTERM), then prints
 * one line: connections taken and finished, bytes, and TCP's timeouts and
 * fast retransmits. On the in-process wire tcpsend runs this same server
 * (tcp_flows.h) as its peer host.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "ip.h"
#include "tcp_tool.h"

#define TCPECHO_USAGE \
	"usage: tcpecho -t TAPIF [-a IP] [-l PORT] [-s] [-T SECONDS]\n" \
	"  serve TCP on TAPIF as IP (default 10.77.0.2), port PORT (default 5001):\n" \
	"  echo every connection's bytes back, or with -s discard them (a sink);\n" \
	"  stop after SECONDS (default: at SIGINT/SIGTERM) and print a summary\n"

struct opts {
	const char *tap;
	uint32_t ip;
	uint16_t port;
	unsigned long seconds;
	bool sink;
};

/* 0, 1 when the usage was asked for (printed), or -1. */
static int parse(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){ .port = TCP_TOOL_PORT };
	xk_ip_parse("10.77.0.2", &o->ip);
	if (xk_bench_help(argc, argv)) {
		fputs(TCPECHO_USAGE, stdout);
		return 1;
	}
	opterr = 0;
	while ((c = getopt(argc, argv, "ht:a:l:sT:")) != -1) {
		switch (c) {
		case 'h':
			fputs(TCPECHO_USAGE, stdout);
			return 1;
		case 't':
			o->tap = optarg;
			break;
		case 'a':
			if (tcp_tool_ip("tcpecho", "-a", optarg, &o->ip))
				return -1;
			break;
		case 'l':
			if (tcp_tool_port("tcpecho", "-l", optarg, &o->port))
				return -1;
			break;
		case 's':
			o->sink = true;
			break;
		case 'T':
			if (xk_bench_ulong("tcpecho", "-T", optarg, 31u * 24 * 3600, &o->seconds))
				return -1;
			break;
		default:
			fprintf(stderr, "tcpecho: %s option '-%c' (tcpecho --help)\n",
				optopt && strchr("talT", optopt) ? "a value is missing for" : "unknown", optopt);
			return -1;
		}
	}
	if (!o->tap || optind < argc) {
		fprintf(stderr, "tcpecho: %s\n", o->tap ? "unexpected argument" : "-t TAPIF is required");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct tcp_flows f = { 0 };
	struct opts o;
	xk_host_t *h;
	xk_tap_t *t;
	int err = parse(argc, argv, &o);

	if (err)
		return err > 0 ? 0 : 2;
	f.sink = o.sink;
	if (tcp_tool_tap_host("tcpecho", o.tap, o.ip, &f, &t, &h) < 0)
		return 1;
	err = tcp_flows_listen(&f, o.port);
	if (err < 0)
		fprintf(stderr, "tcpecho: listening on %u: %s\n", o.port, xk_strerror(err));
	else
		err = tcp_tool_run(tcp_tool_run_tap, t, &f, 1, 0,
				   (o.seconds ? o.seconds : 31u * 24 * 3600) * TCP_TOOL_SEC);
	if (err == -ETIMEDOUT)
		err = 0;	/* served its time */
	else if (err < 0)
		fprintf(stderr, "tcpecho: %s\n", xk_strerror(err));
	tcp_tool_report("tcpecho", &f);
	err = xk_testbed_leaks("tcpecho", xk_host_destroy(h), err);
	xk_tap_close(t);
	return err ? 1 : 0;
}
