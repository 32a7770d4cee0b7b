/*
 * tcp_interop_test - the x-kernel TCP against Linux's over a TAP device in a
 * network namespace. Run with no arguments (by prove), it runs
 * tests/xkernel/tcp_interop.sh, which sets up the namespace and runs this
 * program again in peer mode as our end of each connection:
 *
 *   tcp_interop_test --peer --tap IF --ip A.B.C.D (--listen PORT | --connect A.B.C.D:PORT)
 *                    [--send FILE] [--out FILE] [--timeout SEC]
 *
 * A peer sends FILE's bytes (if any), shuts its sending down, keeps what
 * arrives until the peer's FIN, writes it to --out (through a temporary
 * file and a rename), and closes. Exit status 0 only if all of that
 * happened; one line on stderr says what went wrong otherwise. Last, one
 * line "tcp: ..." on stdout gives our TCP's counters (timeouts, probes...).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "ip.h"
#include "suite.h"
#include "tapdrv.h"
#include "tcp.h"
#include "tcp_app.h"

#define RX_MAX	(64u << 20)
#define SEC	1000000000ull

struct opts {
	const char *tap, *ip, *listen, *connect, *send, *out;
	unsigned timeout;
};

static int usage(void)
{
	fprintf(stderr, "usage: tcp_interop_test [--peer --tap IF --ip A.B.C.D "
			"(--listen PORT | --connect A.B.C.D:PORT) [--send FILE] [--out FILE] [--timeout SEC]]\n");
	return 2;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){ .timeout = 120 };
	for (int i = 2; i < argc; i += 2) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			return -EINVAL;
		if (!strcmp(k, "--tap"))
			o->tap = v;
		else if (!strcmp(k, "--ip"))
			o->ip = v;
		else if (!strcmp(k, "--listen"))
			o->listen = v;
		else if (!strcmp(k, "--connect"))
			o->connect = v;
		else if (!strcmp(k, "--send"))
			o->send = v;
		else if (!strcmp(k, "--out"))
			o->out = v;
		else if (!strcmp(k, "--timeout"))
			o->timeout = (unsigned)strtoul(v, NULL, 10);
		else
			return -EINVAL;
	}
	return o->tap && o->ip && (!o->listen != !o->connect) ? 0 : -EINVAL;
}

static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v == 0 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

static int read_file(const char *path, uint8_t **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0 ||
	    !(*data = malloc(n ? (size_t)n : 1)) || fread(*data, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

static int write_file(const char *path, const uint8_t *data, size_t len)
{
	char tmp[4096];
	FILE *f;

	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp || !(f = fopen(tmp, "wb")))
		return -EIO;
	if (fwrite(data, 1, len, f) != len || fclose(f) != 0 || rename(tmp, path) != 0) {
		remove(tmp);
		return -EIO;
	}
	return 0;
}

static bool done(void *arg)
{
	struct tcp_app *a = arg;

	tcp_app_pump(a);
	return a->closed || a->err;
}

/* Our TCP's counters, for the tests to check what the transfer took. */
static void print_stats(const struct tcp_app *a)
{
	struct xk_tcp_stats st;

	if (!a->proto || xk_control(a->proto->down[0], XK_TCP_CTL_GET_STATS, &st, sizeof st) < 0)
		return;
	printf("tcp: rexmit_timeouts %llu fast_rexmits %llu persist_probes %llu beyond_window %llu "
	       "segs_out %llu syn_cookies_sent %llu syn_cookies_ok %llu half_open_evicted %llu\n",
	       (unsigned long long)st.rexmit_timeouts, (unsigned long long)st.fast_rexmits,
	       (unsigned long long)st.persist_probes, (unsigned long long)st.beyond_window,
	       (unsigned long long)st.segs_out, (unsigned long long)st.syn_cookies_sent,
	       (unsigned long long)st.syn_cookies_ok, (unsigned long long)st.half_open_evicted);
}

/* Build the host on the TAP device and start the connection or the listen. */
static int start(const struct opts *o, xk_tap_t **tap, xk_host_t **h, struct tcp_app *a)
{
	struct xk_host_config cfg = { .name = "tcp_interop", .mac = { 0x02, 0, 0, 0, 0x77, 0x02 } };
	char err[160];
	uint32_t rip;
	uint16_t port;
	const char *colon;
	int rc;

	if ((rc = xk_ip_parse(o->ip, &cfg.ip)) < 0)
		return fprintf(stderr, "tcp_interop_test: --ip %s: not an IPv4 address\n", o->ip), rc;
	if ((rc = xk_tap_open(tap, o->tap)) < 0)
		return fprintf(stderr, "tcp_interop_test: TAP %s: %s\n", o->tap, xk_strerror(rc)), rc;
	if ((rc = xk_host_create(h, &cfg)) < 0 || (rc = xk_register_suite(*h)) < 0 ||
	    (rc = xk_register(*h, "tap", xk_tap_init, *tap)) < 0 ||
	    (rc = xk_register(*h, "tcpapp", xk_tcp_app_init, a)) < 0)
		return fprintf(stderr, "tcp_interop_test: host: %s\n", xk_strerror(rc)), rc;
	if ((rc = xk_graph_build(*h, XK_GRAPH_SUITE("tap") "tcp ip/6\ntcpapp tcp\n", err, sizeof err)) < 0)
		return fprintf(stderr, "tcp_interop_test: graph: %s\n", err), rc;
	if (o->listen) {
		if ((rc = parse_port(o->listen, &port)) < 0)
			return fprintf(stderr, "tcp_interop_test: --listen %s: not a port\n", o->listen), rc;
		rc = tcp_app_listen(a, port);
	} else {
		char ip[32];

		colon = strchr(o->connect, ':');
		if (!colon || (size_t)(colon - o->connect) >= sizeof ip ||
		    (memcpy(ip, o->connect, (size_t)(colon - o->connect)), ip[colon - o->connect] = '\0',
		     xk_ip_parse(ip, &rip) < 0) || parse_port(colon + 1, &port) < 0)
			return fprintf(stderr, "tcp_interop_test: --connect %s: not A.B.C.D:PORT\n", o->connect), -EINVAL;
		rc = tcp_app_connect(a, rip, port);
	}
	if (rc < 0)
		fprintf(stderr, "tcp_interop_test: %s: %s\n", o->listen ? "listen" : "connect", xk_strerror(rc));
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct tcp_app a = { 0 };
	uint8_t *tx = NULL;
	xk_tap_t *tap = NULL;
	xk_host_t *h = NULL;
	int rc;

	if (argc == 1) {
		execl("/bin/bash", "bash", "tests/xkernel/tcp_interop.sh", argv[0], (char *)NULL);
		printf("Bail out! cannot run tests/xkernel/tcp_interop.sh (run from the repository root)\n");
		return 1;
	}
	if (strcmp(argv[1], "--peer") != 0 || parse_opts(argc, argv, &o) < 0)
		return usage();
	if (o.send && (rc = read_file(o.send, &tx, &a.tx_len)) < 0) {
		fprintf(stderr, "tcp_interop_test: --send %s: cannot read: %s\n", o.send, xk_strerror(rc));
		return 1;
	}
	a.tx = tx;
	a.rx_cap = RX_MAX;
	if (!(a.rx = malloc(RX_MAX))) {
		fprintf(stderr, "tcp_interop_test: out of memory\n");
		free(tx);
		return 1;
	}
	rc = start(&o, &tap, &h, &a);
	if (rc == 0) {
		rc = xk_tap_run(tap, o.timeout * SEC, done, &a);
		if (rc < 0 || a.err)
			fprintf(stderr, "tcp_interop_test: transfer: %s (sent %zu of %zu, received %zu%s)\n",
				xk_strerror(a.err ? a.err : rc), a.tx_off, a.tx_len, a.rx_len,
				a.eof ? ", EOF" : "");
		else if (a.rx_len > a.rx_cap)
			rc = -EFBIG, fprintf(stderr, "tcp_interop_test: received %zu bytes, more than %u\n", a.rx_len, RX_MAX);
		else if (o.out && (rc = write_file(o.out, a.rx, a.rx_len)) < 0)
			fprintf(stderr, "tcp_interop_test: --out %s: cannot write\n", o.out);
		else
			printf("tcp_interop_test: sent %zu, received %zu bytes\n", a.tx_off, a.rx_len);
		/* let the last ACKs go (our FIN, theirs) before the host goes */
		if (rc == 0)
			xk_tap_run(tap, SEC / 2, NULL, NULL);
		print_stats(&a);
	}
	if (h && xk_host_destroy(h)) {
		fprintf(stderr, "tcp_interop_test: message buffers outstanding at host teardown (a leak)\n");
		rc = -1;
	}
	if (tap)
		xk_tap_close(tap);
	free(a.rx);
	free(tx);
	return rc == 0 ? 0 : 1;
}
