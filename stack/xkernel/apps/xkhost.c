/*
 * xkhost - one host of the suite on a TAP device, for the interop tests:
 * it answers ping, echoes UDP on a port, and can send UDP to a peer.
 *
 *   xkhost -t TAPIF [-C] [-a OUR_IP] [-u ECHO_PORT] [-T SECONDS]
 *          [-c PEER_IP:PORT -k COUNT]
 *
 * TAPIF must exist (a misspelt name is an error) unless -C asks to create it.
 *
 * With -c it sends COUNT datagrams ("xkhost N") to the peer, one at a time,
 * and waits up to 1 s for each echo; exit status 0 only if every echo came
 * back identical. Otherwise it serves for SECONDS (default 10) or until
 * SIGTERM/SIGINT. It prints a summary line with the drop counters.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "ip.h"
#include "tapdrv.h"
#include "testbed.h"

#define S_NS	(1000ull * 1000 * 1000)

struct opts {
	const char *tap;
	bool create;
	uint32_t ip, peer_ip;
	unsigned long echo_port, peer_port, count, seconds;
};

#define XKHOST_USAGE "usage: xkhost -t TAPIF [-C] [-a IP] [-u PORT] [-T SECONDS] [-c PEER_IP:PORT -k COUNT]\n"

/* 0, 1 when the usage was asked for (printed), or -1. */
static int parse(int argc, char **argv, struct opts *o)
{
	char *colon;
	int c;

	*o = (struct opts){ .seconds = 10 };
	xk_ip_parse("10.77.0.2", &o->ip);
	if (xk_bench_help(argc, argv)) {
		fputs(XKHOST_USAGE, stdout);
		return 1;
	}
	opterr = 0;
	while ((c = getopt(argc, argv, "ht:Ca:u:T:c:k:")) != -1) {
		switch (c) {
		case 'h':
			fputs(XKHOST_USAGE, stdout);
			return 1;
		case 't':
			o->tap = optarg;
			break;
		case 'C':
			o->create = true;
			break;
		case 'a':
			if (xk_ip_parse(optarg, &o->ip)) {
				fprintf(stderr, "xkhost: -a '%s': not an IPv4 address\n", optarg);
				return -1;
			}
			break;
		case 'u':
			if (xk_bench_ulong("xkhost", "-u", optarg, 65535, &o->echo_port))
				return -1;
			break;
		case 'T':
			if (xk_bench_ulong("xkhost", "-T", optarg, 3600, &o->seconds))
				return -1;
			break;
		case 'c':
			colon = strchr(optarg, ':');
			if (!colon || (*colon = '\0', xk_ip_parse(optarg, &o->peer_ip)) ||
			    xk_bench_ulong("xkhost", "-c port", colon + 1, 65535, &o->peer_port) || !o->peer_port) {
				fprintf(stderr, "xkhost: -c: want PEER_IP:PORT\n");
				return -1;
			}
			break;
		case 'k':
			if (xk_bench_ulong("xkhost", "-k", optarg, 1000000, &o->count))
				return -1;
			break;
		default:
			fprintf(stderr, "xkhost: %s option '-%c' (xkhost --help)\n",
				optopt && strchr("tauTck", optopt) ? "a value is missing for" : "unknown", optopt);
			return -1;
		}
	}
	if (!o->tap || optind < argc) {
		fprintf(stderr, "xkhost: %s\n", o->tap ? "unexpected argument" : "-t TAPIF is required");
		return -1;
	}
	return 0;
}

/* Send count datagrams to the peer; returns how many came back identical. */
static unsigned long client(xk_tap_t *t, struct xk_app *app, const struct opts *o)
{
	struct xk_parts parts = { 0 };
	unsigned long good = 0;
	xk_sess_t *s;

	xk_part_push_ip(&parts.remote, o->peer_ip);
	xk_part_push_port(&parts.remote, (uint16_t)o->peer_port);
	xk_part_push_port(&parts.local, 40000);
	if (xk_app_open(app, "udp", &parts, &s))
		return 0;
	for (unsigned long i = 0; i < o->count; i++) {
		char text[32], got[32] = "";
		int n = snprintf(text, sizeof text, "xkhost %lu", i);
		msg_t m;

		if (msg_from(xk_host_pool(s->proto->host), &m, text, (size_t)n) || xk_push(s, &m) ||
		    xk_bench_tap_wait(t, app, app->received + 1))
			continue;
		good += msg_len(&app->last) == (size_t)n &&
			msg_copyout(&app->last, 0, got, (size_t)n) == 0 && memcmp(got, text, (size_t)n) == 0;
	}
	xk_close(s);
	return good;
}

/* The protocols whose drops xkhost reports at the end. */
static const char *const drop_names[] = { "eth", "arp", "ip", "icmp", "udp" };

int main(int argc, char **argv)
{
	struct xk_host_config cfg = { .name = "xkhost", .mac = { 0x02, 0, 0, 0, 0x77, 0x02 } };
	struct xk_app app = { .echo = false };
	struct opts o;
	xk_host_t *h = NULL;
	xk_tap_t *t = NULL;
	int err;

	err = parse(argc, argv, &o);
	if (err)
		return err > 0 ? 0 : 2;
	cfg.ip = o.ip;
	app.echo = o.count == 0;
	err = o.create ? xk_tap_create(&t, o.tap) : xk_tap_open(&t, o.tap);
	if (err) {
		fprintf(stderr, "xkhost: %s: %s\n", o.tap,
			err == -ENODEV ? "no such TAP device (-C creates it)" : xk_strerror(err));
		return 1;
	}
	err = xk_testbed_host(&h, &cfg, &app, "tap", xk_tap_init, t, NULL, NULL);
	if (!err && o.echo_port) {
		struct xk_parts parts = { 0 };

		xk_part_push_port(&parts.local, (uint16_t)o.echo_port);
		err = xk_app_listen(&app, "udp", &parts);
	}
	if (err) {
		fprintf(stderr, "xkhost: setting up the host: %s\n", xk_strerror(err));
	} else if (o.count) {
		unsigned long good = client(t, &app, &o);

		printf("xkhost: %lu of %lu datagrams echoed intact\n", good, o.count);
		err = good == o.count ? 0 : -EIO;
	} else {
		xk_bench_catch_stop();
		xk_tap_run(t, o.seconds * S_NS, xk_bench_stopped, NULL);
		printf("xkhost: served, %u UDP datagrams echoed\n", app.received);
	}
	if (h)
		xk_bench_print_drops(h, "xkhost", drop_names, sizeof drop_names / sizeof drop_names[0]);
	err = xk_testbed_leaks("xkhost", xk_host_destroy(h), err);
	xk_tap_close(t);
	return err ? 1 : 0;
}
