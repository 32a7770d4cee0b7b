/*
 * tcpsend - a TCP client: it opens CONNS connections at once, sends the
 * same bytes (BYTES seeded pseudo-random ones, or FILE's) on each, reads
 * the echo back and checks it byte for byte (with -s the peer is a sink:
 * nothing comes back), then reports the time and the throughput.
 *
 *   tcpsend -t TAPIF [-a IP] -c IP:PORT [options]    to a peer on a TAP device
 *   tcpsend [-w inproc|thread|process] [-i DROP,DUP,REORDER] [options]
 *
 * On the in-process wire (the default; virtual clock, deterministic) or the
 * IPC wire (-w thread or process: each host a domain on the IPC kernel, real
 * time) the peer is host 1 running tcpecho's server; -i impairs the wire
 * (percent of frames lost, duplicated, delayed), seeded with -S. Exit status
 * 0 only if every connection finished with its echo intact.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "ip.h"
#include "ipcpair.h"
#include "cycles.h"
#include "tcp_tool.h"

#define TCPSEND_USAGE \
	"usage: tcpsend [-b BYTES | -f FILE] [-P CONNS] [-s] [-S SEED] [-T SECONDS]\n" \
	"               (-t TAPIF [-a IP] -c IP:PORT | [-w inproc|thread|process] [-i DROP,DUP,REORDER])\n" \
	"  send BYTES (default 1048576) seeded bytes, or FILE, on each of CONNS (default 1)\n" \
	"  connections at once and check the echo (-s: the peer is a sink); over TAP to\n" \
	"  IP:PORT as IP (default 10.77.0.3), else to tcpecho's server on the in-process\n" \
	"  wire (-w inproc, the default, virtual time) or on the IPC kernel's (-w thread,\n" \
	"  process: each host a domain, real time) (-i: percent of frames dropped,\n" \
	"  duplicated, reordered, seeded by -S); give up after SECONDS (default 60)\n"

#define TCPSEND_CONNS_MAX 1000

struct opts {
	const char *tap, *file, *wire;
	uint32_t ip, peer;
	uint16_t port;
	unsigned long bytes, conns, seed, seconds;
	bool sink;
	struct xk_wire_impair imp;
};

static int parse_impair(const char *s, struct xk_wire_impair *imp)
{
	unsigned long v[3];
	char *end;

	for (int i = 0; i < 3; i++) {
		v[i] = strtoul(s, &end, 10);
		if (end == s || *s == '-' || v[i] > 100 || *end != (i < 2 ? ',' : '\0')) {
			fprintf(stderr, "tcpsend: -i: want DROP,DUP,REORDER (percent)\n");
			return -1;
		}
		s = end + 1;
	}
	imp->drop_pct = (unsigned)v[0];
	imp->dup_pct = (unsigned)v[1];
	imp->reorder_pct = (unsigned)v[2];
	return 0;
}

/* One option; 0 or -1. */
static int parse_opt(int c, struct opts *o)
{
	switch (c) {
	case 't':
		o->tap = optarg;
		return 0;
	case 'f':
		o->file = optarg;
		return 0;
	case 's':
		o->sink = true;
		return 0;
	case 'a':
		return tcp_tool_ip("tcpsend", "-a", optarg, &o->ip);
	case 'c':
		return tcp_tool_ip_port("tcpsend", "-c", optarg, &o->peer, &o->port);
	case 'b':
		return xk_bench_ulong("tcpsend", "-b", optarg, 1ul << 30, &o->bytes);
	case 'P':
		return xk_bench_ulong("tcpsend", "-P", optarg, TCPSEND_CONNS_MAX, &o->conns) || !o->conns ?
		       (o->conns ? -1 : (fputs("tcpsend: -P 0: no connections\n", stderr), -1)) : 0;
	case 'S':
		return xk_bench_ulong("tcpsend", "-S", optarg, ~0ul, &o->seed);
	case 'T':
		return xk_bench_ulong("tcpsend", "-T", optarg, 24 * 3600, &o->seconds);
	case 'i':
		return parse_impair(optarg, &o->imp);
	case 'w':
		o->wire = optarg;
		return xk_bench_wire_check("tcpsend", optarg) ? -1 : 0;
	default:
		fprintf(stderr, "tcpsend: %s option '-%c' (tcpsend --help)\n",
			optopt && strchr("tfacbPSTiw", optopt) ? "a value is missing for" : "unknown", optopt);
		return -1;
	}
}

/* 0, 1 when the usage was asked for (printed), or -1. */
static int parse(int argc, char **argv, struct opts *o)
{
	int c;

	*o = (struct opts){ .bytes = 1u << 20, .conns = 1, .seed = 1, .seconds = 60, .wire = "inproc" };
	xk_ip_parse("10.77.0.3", &o->ip);
	if (xk_bench_help(argc, argv)) {
		fputs(TCPSEND_USAGE, stdout);
		return 1;
	}
	opterr = 0;
	while ((c = getopt(argc, argv, "ht:a:c:b:f:P:sS:T:i:w:")) != -1) {
		if (c == 'h') {
			fputs(TCPSEND_USAGE, stdout);
			return 1;
		}
		if (parse_opt(c, o))
			return -1;
	}
	o->imp.seed = o->seed;
	if (optind < argc)
		return fputs("tcpsend: unexpected argument\n", stderr), -1;
	if (!o->tap != !o->peer)
		return fputs("tcpsend: -t TAPIF and -c IP:PORT go together\n", stderr), -1;
	if (o->tap && (o->imp.drop_pct || o->imp.dup_pct || o->imp.reorder_pct))
		return fputs("tcpsend: -i is for the in-process wire (over TAP use tapimpair)\n", stderr), -1;
	if (o->tap && strcmp(o->wire, "inproc"))
		return fputs("tcpsend: -w and -t exclude each other (a TAP device is the wire)\n", stderr), -1;
	return 0;
}

/* FILE's bytes, or o->bytes from a PRNG seeded with o->seed; NULL after one line on stderr. */
static uint8_t *load_data(const struct opts *o, size_t *len)
{
	uint64_t x = o->seed * 0x9e3779b97f4a7c15ull + 1;
	uint8_t *p;
	FILE *f;
	long n;

	if (!o->file) {
		if (!(p = malloc(o->bytes ? o->bytes : 1)))
			return fputs("tcpsend: out of memory\n", stderr), NULL;
		for (size_t i = 0; i < o->bytes; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;	/* xorshift64 */
			p[i] = (uint8_t)(x >> 24);
		}
		*len = o->bytes;
		return p;
	}
	if (!(f = fopen(o->file, "rb")))
		return fprintf(stderr, "tcpsend: -f %s: cannot open\n", o->file), NULL;
	p = NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (p = malloc(n ? (size_t)n : 1)) && fread(p, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		fprintf(stderr, "tcpsend: -f %s: cannot read\n", o->file);
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

/*
 * Open f[0]'s connections, run until they finish, report (the hosts still
 * up; note says on what). On the in-process wire (nf 2) f[1] serves in the
 * same loop.
 */
static int transfer(const struct opts *o, struct tcp_flows *f, unsigned nf, tcp_tool_run_fn run,
		    void *drv, uint32_t peer, uint16_t port, uint64_t (*now)(void *drv), const char *note)
{
	uint64_t start = now(drv);
	double s;
	int err = 0;

	for (unsigned long i = 0; i < o->conns && !err; i++)
		err = tcp_flows_connect(f, peer, port);
	if (!err)
		err = tcp_tool_run(run, drv, f, nf, (unsigned)o->conns, o->seconds * TCP_TOOL_SEC);
	s = (double)(now(drv) - start) / 1e9;
	if (err)
		fprintf(stderr, "tcpsend: %s\n", xk_strerror(err));
	printf("tcpsend: %lu x %zu bytes%s, %u of %lu intact, in %.3f s: %.1f Mbit/s (%s)\n",
	       o->conns, f->tx_len, o->sink ? " (sink)" : " and back", f->finished - f->bad, o->conns, s,
	       s > 0 ? (double)o->conns * (double)f->tx_len * 8 / s / 1e6 : 0.0,
	       note);
	tcp_tool_report("tcpsend", f);
	return err;
}

static uint64_t real_now(void *drv)
{
	(void)drv;
	return xk_clock_ns();
}

static uint64_t wire_now(void *drv)
{
	return xk_wire_now(drv);
}

static int over_tap(const struct opts *o, struct tcp_flows *f)
{
	xk_host_t *h;
	xk_tap_t *t;
	int err;

	if (tcp_tool_tap_host("tcpsend", o->tap, o->ip, f, &t, &h) < 0)
		return -ENODEV;
	err = transfer(o, f, 1, tcp_tool_run_tap, t, o->peer, o->port, real_now, "TAP");
	if (!err)
		xk_tap_run(t, TCP_TOOL_SEC / 2, NULL, NULL);	/* the last ACKs go out */
	err = xk_testbed_leaks("tcpsend", xk_host_destroy(h), err);
	xk_tap_close(t);
	return err;
}

static int on_wire(const struct opts *o, struct tcp_flows f[2])
{
	struct xk_testbed tb;
	int err;

	f[1].sink = f[0].sink;
	if ((err = tcp_tool_wire(&tb, &o->imp, f)) < 0)
		return err;
	err = tcp_flows_listen(&f[1], TCP_TOOL_PORT);
	if (!err)
		err = transfer(o, &f[0], 2, tcp_tool_run_wire, tb.wire, XK_TESTBED_IP(1), TCP_TOOL_PORT,
			       wire_now, "in-process wire, virtual time");
	return xk_testbed_leaks("tcpsend", xk_testbed_destroy(&tb), err);
}

static struct tcp_flows *ipc_flows;	/* f[2]: each domain uses its own (in process mode, copy) */

static int ipc_reg(xk_host_t *h)
{
	return xk_register(h, "tcpflows", xk_tcp_flows_init,
			   &ipc_flows[xk_host_config(h)->ip == XK_TESTBED_IP(1)]);
}

/* A domain: host 0 is the client (its status is the run's), host 1 serves until stopped. */
static int ipc_host(struct xk_ipcpair_host *h, void *arg)
{
	const struct opts *o = arg;
	struct tcp_flows *f = &ipc_flows[h->index];
	int err;

	if (h->index) {
		err = tcp_flows_listen(f, TCP_TOOL_PORT);
		if (!err)
			err = tcp_tool_run(tcp_tool_run_ipc, h->drv, f, 1, 0,
					   (o->seconds + 10) * TCP_TOOL_SEC);
		return err == -ECANCELED ? 0 : err;	/* the client is done */
	}
	err = transfer(o, f, 1, tcp_tool_run_ipc, h->drv, XK_TESTBED_IP(1), TCP_TOOL_PORT, real_now,
		       strcmp(o->wire, "thread") ? "IPC wire, processes" : "IPC wire, threads");
	return err || f->finished != o->conns || f->bad ? (err ? err : -EIO) : 0;
}

static int on_ipc(const struct opts *o, struct tcp_flows f[2])
{
	f[1].sink = f[0].sink;
	ipc_flows = f;
	return xk_ipcpair_run(o->wire, &o->imp, TCP_TOOL_TOP, ipc_reg, ipc_host, (void *)o);
}

int main(int argc, char **argv)
{
	struct tcp_flows f[2] = { 0 };
	struct opts o;
	uint8_t *data;
	size_t len;
	int err = parse(argc, argv, &o);

	if (err)
		return err > 0 ? 0 : 2;
	if (!(data = load_data(&o, &len)))
		return 1;
	f[0].tx = data;
	f[0].tx_len = len;
	f[0].sink = o.sink;
	if (o.tap)
		err = over_tap(&o, &f[0]);
	else if (strcmp(o.wire, "inproc"))
		err = on_ipc(&o, f);	/* the client's domain checks its connections */
	else
		err = on_wire(&o, f) || f[0].finished != o.conns || f[0].bad;
	free(data);
	return err || (o.tap && (f[0].finished != o.conns || f[0].bad)) ? 1 : 0;
}
