/*
 * rpcserver - one host with the RPC suite on a TAP device, serving
 * rpcping's procedure (RPC_APP_PROC: the reply is the request) for
 * rpcping -t on another TAP device or in another namespace.
 *
 *   rpcserver -t TAPIF [-a IP] [-e] [-T SECONDS]
 *
 * -e: blast straight over ETH (rpcping -e), the MAC 02:00:00:00:77 and
 * IP's last byte. Serves for SECONDS (default 10) or until SIGTERM/SIGINT,
 * then prints the calls it served, over which lower protocol, and the drop
 * counters of each protocol.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "ip.h"
#include "rpc_app.h"
#include "tapdrv.h"
#include "testbed.h"

#define USAGE	"usage: rpcserver -t TAPIF [-a IP] [-e] [-T SECONDS]\n"

/* 0, 1 when the usage was asked for (printed), or -1 after one line. */
static int parse(int argc, char **argv, const char **tap, uint32_t *ip, bool *eth,
		 unsigned long *seconds)
{
	char *end;
	int c;

	if (xk_bench_help(argc, argv)) {
		fputs(USAGE, stdout);
		return 1;
	}
	opterr = 0;
	while ((c = getopt(argc, argv, "ht:a:eT:")) != -1) {
		switch (c) {
		case 'h':
			fputs(USAGE, stdout);
			return 1;
		case 't':
			*tap = optarg;
			break;
		case 'a':
			if (xk_ip_parse(optarg, ip)) {
				fprintf(stderr, "rpcserver: -a '%s': not an IPv4 address\n", optarg);
				return -1;
			}
			break;
		case 'e':
			*eth = true;
			break;
		case 'T':
			*seconds = strtoul(optarg, &end, 10);
			if (!*optarg || *end || *seconds == 0 || *seconds > 3600) {
				fprintf(stderr, "rpcserver: -T '%s': want seconds from 1 to 3600\n", optarg);
				return -1;
			}
			break;
		default:
			fprintf(stderr, "rpcserver: %s option '-%c' (rpcserver --help)\n",
				optopt && strchr("taT", optopt) ? "a value is missing for" : "unknown", optopt);
			return -1;
		}
	}
	if (!*tap || optind < argc) {
		fprintf(stderr, "rpcserver: %s\n", *tap ? "unexpected argument" : "-t TAPIF is required");
		return -1;
	}
	return 0;
}

/* The protocols whose drops rpcserver reports at the end. */
static const char *const drop_names[] = { "eth", "ip", "blast", "bid", "chan", "select" };

int main(int argc, char **argv)
{
	struct xk_host_config cfg = { .name = "rpcserver", .mac = { 0x02, 0, 0, 0, 0x77, 0 } };
	struct xk_app app = { .echo = true };
	unsigned long seconds = 10;
	const char *tap = NULL;
	bool eth = false;
	xk_host_t *h = NULL;
	xk_tap_t *t = NULL;
	int err;

	xk_ip_parse("10.77.0.3", &cfg.ip);
	err = parse(argc, argv, &tap, &cfg.ip, &eth, &seconds);
	if (err)
		return err > 0 ? 0 : 2;
	cfg.mac[5] = (uint8_t)cfg.ip;
	err = xk_tap_open(&t, tap);
	if (err) {
		fprintf(stderr, "rpcserver: %s: %s\n", tap, xk_strerror(err));
		return 1;
	}
	err = xk_testbed_host(&h, &cfg, &app, "tap", xk_tap_init, t, eth ? RPC_APP_TOP_ETH : RPC_APP_TOP,
			      rpc_app_reg_clock);
	if (!err)
		err = rpc_app_open(&app, NULL, 0, NULL);
	if (err) {
		fprintf(stderr, "rpcserver: setting up the host: %s\n", xk_strerror(err));
	} else {
		xk_bench_catch_stop();
		xk_tap_run(t, seconds * 1000ull * 1000 * 1000, xk_bench_stopped, NULL);
		printf("rpcserver: served %u calls over %s\n", app.received, eth ? RPC_ETH_LOWER : "ip");
		xk_bench_print_drops(h, "rpcserver", drop_names, sizeof drop_names / sizeof drop_names[0]);
	}
	err = xk_testbed_leaks("rpcserver", xk_host_destroy(h), err);
	xk_tap_close(t);
	return err ? 1 : 0;
}
