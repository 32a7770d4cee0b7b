/* bench.c - the measured round-trip loop and the ping apps' report. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

#include "bench.h"
#include "cycles.h"
#include "ip.h"
#include "tapdrv.h"

__attribute__((noinline)) int xk_ping_round_trips(struct xk_ping *p, unsigned long n)
{
	msg_pool_t *pool = xk_host_pool(p->sess->proto->host);
	const uint64_t *tx_wire = &p->cyc->tx_wire;
	int err = 0;

	CALLGRIND_START_INSTRUMENTATION;
	for (unsigned long i = 0; i < n && !err; i++) {
		unsigned want = p->app->received + 1;
		uint64_t t0, tx0;
		msg_t m;

		err = msg_from(pool, &m, p->data, p->bytes);
		if (err)
			break;
		t0 = xk_cycles();
		tx0 = *tx_wire;
		err = xk_push(p->sess, &m);
		/* Less this push's own sends only: a timer's (a retransmission) are no push's. */
		p->push_cycles += xk_cycles() - t0 - (*tx_wire - tx0);
		if (!err)
			err = p->wait(p->drv, p->app, want);
	}
	CALLGRIND_STOP_INSTRUMENTATION;
	return err;
}

struct reply_wait {
	struct xk_app *app;
	unsigned want;
};

static bool reply_arrived(void *arg)
{
	const struct reply_wait *rw = arg;

	return rw->app->received >= rw->want;
}

int xk_bench_inproc_wait(void *drv, struct xk_app *app, unsigned want)
{
	struct xk_bench_inproc *in = drv;
	struct reply_wait rw = { app, want };

	return xk_wire_run(in->wire, 1000ull * 1000 * 1000, reply_arrived, &rw) == 0 ? 0 : -ETIMEDOUT;
}

int xk_bench_tap_wait(void *drv, struct xk_app *app, unsigned want)
{
	struct reply_wait rw = { app, want };

	return xk_tap_run(drv, 1000ull * 1000 * 1000, reply_arrived, &rw);
}

static int parse_count(const char *prog, const char *opt, const char *s, unsigned long min,
		       unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v < min || v > max) {
		fprintf(stderr, "%s: %s '%s': want a count from %lu to %lu\n", prog, opt, s, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

bool xk_bench_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (strcmp(argv[i], "--help") == 0)
			return true;
	return false;
}

static void usage(const char *prog, const struct xk_bench_caps *caps)
{
	printf("usage: %s [-n ROUND_TRIPS] [-s SAMPLES] [-w inproc|thread|process]%s%s%s\n", prog,
	       caps->max_bytes ? " [-b BYTES]" : "", caps->eth ? " [-e]" : "",
	       caps->tap ? " [-t TAPIF -p PEER_IP]" : "");
}

int xk_bench_parse(int argc, char **argv, const char *prog, const struct xk_bench_caps *caps,
		   struct xk_bench_opts *o)
{
	unsigned long v;
	int c;

	*o = (struct xk_bench_opts){ .n = 100000, .samples = 10, .wire = "process", .bytes = !caps->null };
	if (xk_bench_help(argc, argv)) {
		usage(prog, caps);
		return 1;
	}
	opterr = 0;
	while ((c = getopt(argc, argv, "hn:s:w:t:p:b:e")) != -1) {
		if ((c == 't' || c == 'p') && !caps->tap) {
			fprintf(stderr, "%s: -%c: TAP is for icmpping and xkhost\n", prog, c);
			return -EINVAL;
		}
		if (c == 'b' && !caps->max_bytes) {
			fprintf(stderr, "%s: -b: its round trips carry 1 byte (rpcping takes -b)\n", prog);
			return -EINVAL;
		}
		if (c == 'e' && !caps->eth) {
			fprintf(stderr, "%s: -e: it runs over IP only (rpcping takes -e)\n", prog);
			return -EINVAL;
		}
		switch (c) {
		case 'h':
			usage(prog, caps);
			return 1;
		case 'b':
			if (parse_count(prog, "-b", optarg, !caps->null, caps->max_bytes, &v))
				return -EINVAL;
			o->bytes = v;
			break;
		case 'e':
			o->eth = true;
			break;
		case 'n':
			if (parse_count(prog, "-n", optarg, 1, 1000000000ul, &o->n))
				return -EINVAL;
			break;
		case 's':
			if (parse_count(prog, "-s", optarg, 1, 1000, &v))
				return -EINVAL;
			o->samples = (unsigned)v;
			break;
		case 'w':
			if (xk_bench_wire_check(prog, optarg))
				return -EINVAL;
			o->wire = optarg;
			break;
		case 't':
			o->tap = optarg;
			break;
		case 'p':
			if (xk_ip_parse(optarg, &o->peer)) {
				fprintf(stderr, "%s: -p '%s': want an IPv4 address\n", prog, optarg);
				return -EINVAL;
			}
			break;
		default:
			fprintf(stderr, "%s: %s option '-%c' (%s --help)\n", prog,
				optopt && strchr("ntswpb", optopt) ? "a value is missing for" : "unknown", optopt, prog);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog, argv[optind]);
		return -EINVAL;
	}
	if (!o->tap != !o->peer) {
		fprintf(stderr, "%s: -t TAPIF and -p PEER_IP go together\n", prog);
		return -EINVAL;
	}
	return 0;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void mean_std(const double *v, unsigned n, double *mean, double *std)
{
	double sum = 0, sq = 0;

	for (unsigned i = 0; i < n; i++)
		sum += v[i];
	*mean = sum / n;
	for (unsigned i = 0; i < n; i++)
		sq += (v[i] - *mean) * (v[i] - *mean);
	*std = n > 1 ? sqrt(sq / (n - 1)) : 0;
}

/*
 * Client protocol-processing cycles so far: the pushes and the deliveries,
 * each less its own sends (drv.h). Modulo 2^64: a difference of two is the
 * signed count between them.
 */
static uint64_t proc_cycles(const struct xk_ping *p)
{
	return p->push_cycles + p->cyc->rx_stack;
}

int xk_bench_measure(const struct xk_bench_opts *o, struct xk_ping *p, struct xk_bench_figures *f)
{
	static uint8_t payload[XK_BENCH_MAX_BYTES];
	double *rt = calloc(o->samples, sizeof *rt), *proc = calloc(o->samples, sizeof *proc);
	int err;

	*f = (struct xk_bench_figures){ .cycles_per_us = xk_cycles_per_us() };
	memset(payload, 'x', o->bytes);
	p->data = payload;
	p->bytes = o->bytes;
	err = rt && proc ? xk_ping_round_trips(p, o->n / 10 + 1) : -ENOMEM;
	for (unsigned s = 0; s < o->samples && !err; s++) {
		uint64_t c0 = proc_cycles(p);
		size_t b0 = p->app->bytes;
		double t0 = now_us();
		int64_t c;

		err = xk_ping_round_trips(p, o->n);
		rt[s] = (now_us() - t0) / (double)o->n;
		if (!err && (p->app->bytes - b0 != o->n * o->bytes || p->app->failed))
			err = -EPROTO;	/* the replies did not carry the payload back, or one was wrong */
		c = (int64_t)(proc_cycles(p) - c0);
		f->negative += c < 0;
		proc[s] = (double)c / f->cycles_per_us / (double)o->n;
	}
	if (!err) {
		mean_std(rt, o->samples, &f->rt_mean, &f->rt_std);
		mean_std(proc, o->samples, &f->proc_mean, &f->proc_std);
		err = f->negative ? -ERANGE : 0;
	}
	free(rt);
	free(proc);
	return err;
}

int xk_bench_run(const char *prog, const struct xk_bench_opts *o, struct xk_ping *p)
{
	struct xk_bench_figures f;
	int err = xk_bench_measure(o, p, &f);

	if (err == -ERANGE)
		fprintf(stderr, "%s: client protocol processing below 0 in %u of %u samples (%.3f us per "
			"round trip): sends taken off a push or a delivery that did not make them\n",
			prog, f.negative, o->samples, f.proc_mean);
	if (!err)
		printf("%s: %u samples x %lu round trips (%zu byte%s), wire %s: round trip %.3f ± %.3f us; "
		       "client protocol processing %.3f ± %.3f us per round trip (%.0f cycles, %.0f MHz counter)\n",
		       prog, o->samples, o->n, o->bytes, o->bytes == 1 ? "" : "s", o->tap ? o->tap : o->wire,
		       f.rt_mean, f.rt_std, f.proc_mean, f.proc_std, f.proc_mean * f.cycles_per_us,
		       f.cycles_per_us);
	return err;
}

int xk_bench_wire_check(const char *prog, const char *name)
{
	if (!strcmp(name, "inproc") || !strcmp(name, "thread") || !strcmp(name, "process"))
		return 0;
	fprintf(stderr, "%s: -w '%s': want inproc, thread or process\n", prog, name);
	return -EINVAL;
}

int xk_bench_ulong(const char *prog, const char *opt, const char *s, unsigned long max,
		   unsigned long *v)
{
	char *end;

	*v = strtoul(s, &end, 10);
	if (!*s || *s == '-' || *end || *v > max) {
		fprintf(stderr, "%s: %s '%s': want a number up to %lu\n", prog, opt, s, max);
		return -EINVAL;
	}
	return 0;
}

void xk_bench_print_drops(xk_host_t *h, const char *prog, const char *const names[], size_t n)
{
	printf("%s: drops:", prog);
	for (size_t i = 0; i < n; i++) {
		struct xk_drops d;

		if (xk_control(xk_proto_find(h, names[i]), XK_CTL_GET_DROPS, &d, sizeof d) < 0)
			continue;
		for (int r = 0; r < XK_DROP_NREASONS; r++)
			if (d.n[r])
				printf(" %s/%s=%llu", names[i], xk_drop_name(r), (unsigned long long)d.n[r]);
	}
	printf("\n");
}

/* Set by the handler only; the one flag of every program's stop. */
static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

void xk_bench_catch_stop(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

bool xk_bench_stopped(void *arg)
{
	(void)arg;
	return stop_requested;
}
