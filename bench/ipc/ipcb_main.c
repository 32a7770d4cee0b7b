/*
 * ipcb_main.c - ipcbench: the EROS paper's IPC experiments on this machine.
 *
 *   ipcbench [--full] [--short] [--no-kernel] [--out DIR]
 *
 * The block-move study, then for each regime (cross-core: client on CPU 0,
 * servers on CPU 1; same-core: all on CPU 0) the round-trip table (the IPC
 * kernel, Linux's transports and the bounds, interleaved) and the two-hop
 * table. Writes DIR/ipc.md and DIR/ipc_*.csv (default bench/results).
 * --short takes many samples of 0.1 ms instead of a few long ones: on a
 * loaded machine most are then free of preemption, and the best samples
 * and the median round show the handoff rather than the scheduler.
 */
#include "ipcb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const size_t copy_quick[] = { 16, 64, 256, 1024, 4096, 8192, 16384, 32768, 65536 };
static const size_t copy_full[] = { 16, 32, 64, 128, 256, 512, 1024, 2048, 4096,
				    8192, 16384, 32768, 65536 };
static const size_t rt_quick[] = { 0, 16, 64, 256, 1024, 4096, 8192, 16384, 32768 };
static const size_t rt_full[] = { 0, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096,
				  8192, 16384, 32768 };
static const size_t hop_quick[] = { 0, 16, 256, 1024, 2048 };
static const size_t hop_full[] = { 0, 16, 32, 64, 128, 256, 512, 1024, 2048 };

#define COUNT(a) (unsigned)(sizeof(a) / sizeof((a)[0]))

static const struct ipcb_regime regimes[2] = {
	{ "cross", 0, 1 },
	{ "same", 0, 0 },
};

#define IPCB_USAGE "usage: ipcbench [--full] [--short] [--no-kernel] [--out DIR]\n"

/* One line naming the argument; the usage is --help's. */
static int usage(const char *arg, const char *why)
{
	fprintf(stderr, "ipcbench: '%s': %s (ipcbench --help)\n", arg, why);
	return 2;
}

static int copy_study(struct ipcb_table *t, int full, const struct ipcb_params *p)
{
	struct ipcb_copier *c;
	struct ipcb_series s[IPCB_MAX_SERIES];
	int err = ipcb_pin(0);
	if (err < 0 || (err = ipcb_copier_new(&c)) < 0)
		return err;
	unsigned n = ipcb_copier_series(c, s, IPCB_MAX_SERIES);
	t->id = "copy";
	err = ipcb_table_measure(t, s, n, full ? copy_full : copy_quick,
				 full ? COUNT(copy_full) : COUNT(copy_quick), p);
	ipcb_copier_free(c);
	return err;
}

int main(int argc, char **argv)
{
	int full = 0, with_kernel = 1, short_samples = 0;
	const char *outdir = "bench/results";
	char command[256] = "ipcbench";

	for (int i = 1; i < argc; i++)
		if (strlen(command) + strlen(argv[i]) + 2 < sizeof command)
			strcat(strcat(command, " "), argv[i]);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return printf(IPCB_USAGE), 0;
		if (strcmp(argv[i], "--full") == 0)
			full = 1;
		else if (strcmp(argv[i], "--short") == 0)
			short_samples = 1;
		else if (strcmp(argv[i], "--no-kernel") == 0)
			with_kernel = 0;
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			outdir = argv[++i];
		else
			return usage(argv[i], strcmp(argv[i], "--out") ? "unknown argument" : "needs a directory");
	}
	/* Quick: more, shorter rounds than the full run, for a steadier median. */
	struct ipcb_params params = { .samples = full ? 10 : 9,
				      .sample_ns = full ? 40000000u : 5000000u };
	if (short_samples)
		params = (struct ipcb_params){ .samples = IPCB_MAX_SAMPLES, .sample_ns = 100000u };

	static struct ipcb_table copy;
	fprintf(stderr, "ipcbench: block-move study\n");
	int err = copy_study(&copy, full, &params);
	if (err < 0) {
		fprintf(stderr, "ipcbench: block-move study: %s\n", strerror(-err));
		return 1;
	}

	struct ipcb_report rep = { .outdir = outdir, .command = command, .params = &params,
				   .copy = &copy, .with_kernel = with_kernel };
	struct ipcb_results *res[2] = { NULL, NULL };
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	for (int k = 0; k < 2 && err == 0; k++) {
		const struct ipcb_regime *rg = &regimes[k];
		rep.regime_name[k] = rg->name;
		if (rg->server_cpu >= ncpu) {
			fprintf(stderr, "ipcbench: %s-core skipped: only %d CPU\n", rg->name, ncpu);
			continue;
		}
		fprintf(stderr, "ipcbench: %s-core round trips\n", rg->name);
		res[k] = ipcb_shared_alloc(sizeof *res[k]);
		if (!res[k]) {
			fprintf(stderr, "ipcbench: out of memory\n");
			err = -1;
			break;
		}
		struct ipcb_job job = {
			.regime = rg, .params = &params, .res = res[k],
			.rt_sizes = full ? rt_full : rt_quick,
			.rt_nsizes = full ? COUNT(rt_full) : COUNT(rt_quick),
			.hop_sizes = full ? hop_full : hop_quick,
			.hop_nsizes = full ? COUNT(hop_full) : COUNT(hop_quick),
		};
		err = with_kernel ? ipcb_kernel_run(&job) : ipcb_client_measure(&job, NULL, 0, NULL, 0);
		if (err < 0)
			fprintf(stderr, "ipcbench: %s-core: %s\n", rg->name,
				res[k]->errmsg[0] ? res[k]->errmsg : "failed");
		rep.regime[k] = res[k];
	}
	if (err == 0 && (err = ipcb_report_write(&rep)) < 0)
		fprintf(stderr, "ipcbench: %s: cannot write the results: %s\n", outdir, strerror(-err));
	for (int k = 0; k < 2; k++)
		ipcb_shared_free(res[k], sizeof *res[k]);
	return err < 0 ? 1 : 0;
}
