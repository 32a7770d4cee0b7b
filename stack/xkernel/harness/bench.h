/*
 * bench.h - the ping apps' shared parts: the round-trip loop, options, and
 * the report (mean ± standard deviation over samples).
 *
 * xk_ping_round_trips is THE measured loop of every ping app (udpping,
 * tcpping, icmpping), one named function for tools that select by name. It
 * is bracketed by CALLGRIND_START/STOP_INSTRUMENTATION: run callgrind with
 * --instr-atstart=no to count exactly the loop (bench/xkernel/callgrind.sh).
 * Not with --toggle-collect=xk_ping_round_trips as well: the start request
 * inside the function loses the toggle, and most of the loop goes uncounted.
 */
#ifndef XK_BENCH_H
#define XK_BENCH_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "wire.h"

/* The largest payload a round trip may carry (-b, for apps that allow it). */
#define XK_BENCH_MAX_BYTES	65536

struct xk_ping {
	xk_sess_t *sess;		/* the client's session: each round trip pushes `bytes` bytes */
	struct xk_app *app;		/* the client's app: counts the replies */
	/* Run the client host until app->received >= want; 0 or -ETIMEDOUT. */
	int (*wait)(void *drv, struct xk_app *app, unsigned want);
	void *drv;
	/* The client driver's cycle accounting (drv.h): each push takes off its own sends. */
	const struct xk_wire_cycles *cyc;
	/* out: cycles inside xk_push less the driver's sends each push made (their wire time) */
	uint64_t push_cycles;
	const void *data;		/* what each round trip pushes (xk_bench_run sets both) */
	size_t bytes;
};

int xk_ping_round_trips(struct xk_ping *p, unsigned long n);

/* wait for the in-process wire: drv is a struct xk_bench_inproc (cyc: xk_wire_cycles). */
struct xk_bench_inproc {
	xk_wire_t *wire;
	xk_host_t *client;
};
int xk_bench_inproc_wait(void *drv, struct xk_app *app, unsigned want);
/* wait for a host on a TAP device: drv is the xk_tap_t (cyc: xk_tap_cycles). */
int xk_bench_tap_wait(void *drv, struct xk_app *app, unsigned want);

struct xk_bench_opts {
	unsigned long n;		/* round trips per sample (-n) */
	unsigned samples;		/* (-s) */
	const char *wire;		/* -w: inproc, thread, process (IPC kernel) */
	const char *tap;		/* -t IFNAME: over a TAP device instead */
	uint32_t peer;			/* -p ADDR: the peer's IPv4 address on TAP (with -t) */
	size_t bytes;			/* -b: bytes each way per round trip; 1 (0 for null calls) */
	bool eth;			/* -e: the flow straight over ETH, no IP */
};

/* What an app's command line may ask for besides -n, -s and -w. */
struct xk_bench_caps {
	bool tap;			/* -t, -p: the client on a TAP device */
	bool eth;			/* -e: the flow straight over ETH */
	bool null;			/* round trips carry 0 bytes unless -b says (-b 0 too) */
	size_t max_bytes;		/* -b's limit (at most XK_BENCH_MAX_BYTES); 0: 1 byte, no -b */
};

/* Whether argv asks for --help (before any "--"); -h is getopt's. */
bool xk_bench_help(int argc, char **argv);
/* 0 if NAME is a wire (inproc, thread, process); else one line naming PROG's -w and -EINVAL. */
int xk_bench_wire_check(const char *prog, const char *name);
/* *v = S, a decimal number up to MAX; else one line naming PROG's OPT and -EINVAL. */
int xk_bench_ulong(const char *prog, const char *opt, const char *s, unsigned long max,
		   unsigned long *v);
/*
 * From now on SIGTERM and SIGINT only set a flag, which xk_bench_stopped
 * reads (arg unused: the shape of a run loop's done callback), so a
 * server ends its loop and reports.
 */
void xk_bench_catch_stop(void);
bool xk_bench_stopped(void *arg);
/* One line on stdout, "PROG: drops: NAME/REASON=COUNT ...", of the named protocols of h. */
void xk_bench_print_drops(xk_host_t *h, const char *prog, const char *const names[], size_t n);
/*
 * Parse argv; an option caps does not allow is refused. -h or --help prints
 * the usage on stdout and returns 1; a bad option prints one line naming it
 * and returns -EINVAL.
 */
int xk_bench_parse(int argc, char **argv, const char *prog, const struct xk_bench_caps *caps,
		   struct xk_bench_opts *o);

/* What the samples measured: mean and standard deviation of each figure. */
struct xk_bench_figures {
	double rt_mean, rt_std;		/* round trip, us */
	/*
	 * The client's protocol processing per round trip, us: its pushes and
	 * its stack's deliveries, each less the driver's sends made inside it
	 * (drv.h); not the timers' work (a retransmission), nor their sends.
	 */
	double proc_mean, proc_std;
	double cycles_per_us;		/* the counter's rate */
	unsigned negative;		/* samples whose processing came out below 0 */
};

/*
 * Run opts->samples samples of opts->n round trips of opts->bytes each way
 * (after a warm-up of n/10) into *f. Returns 0 or the first error; -EPROTO
 * if the replies did not carry as many bytes, or the client app's on_recv
 * found one wrong, warm-up included (app->failed: a null reply carries no
 * bytes to count, so its flow checks each reply); -ERANGE, with *f filled,
 * if a sample's processing came out below 0: sends taken off a push or a
 * delivery that did not make them, a counting bug, never clamped to 0.
 */
int xk_bench_measure(const struct xk_bench_opts *o, struct xk_ping *p, struct xk_bench_figures *f);
/* xk_bench_measure, then the report line (stdout), or why not (stderr, -ERANGE). */
int xk_bench_run(const char *prog, const struct xk_bench_opts *o, struct xk_ping *p);

#endif
