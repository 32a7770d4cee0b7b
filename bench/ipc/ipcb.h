/*
 * ipcb.h - the IPC benchmark (bench/ipc/): the EROS paper's experiments
 * repeated on this machine. Shared declarations of its small modules:
 *
 *   ipcb_sys.c     pinning, clocks, shared and cold memory
 *   ipcb_stats.c   samples, mean and standard deviation, ratios
 *   ipcb_copy.c    the block-move study
 *   ipcb_linux.c   Linux peers (pipe, socketpair, UDP, TCP) and the spin floor
 *   ipcb_kernel.c  the IPC kernel's domains: one-way, echo, two-hop
 *   ipcb_report.c  Markdown and CSV output
 *   ipcb_main.c    the run: what is measured, in which order
 */
#ifndef IPCB_H
#define IPCB_H

#include <stddef.h>
#include <stdint.h>

#define IPCB_MAX_SAMPLES	128
#define IPCB_MAX_SERIES		12
#define IPCB_MAX_SIZES		16
#define IPCB_MAX_PAYLOAD	(64 * 1024)
/* A ring of this size is far beyond a core's own caches (L1, L2), so a slot
 * is cold there when reused. It may still be in a large shared L3; a ring
 * beyond that would time the sender's page faults (a domain maps another's
 * receive area lazily), not the cache. */
#define IPCB_COLD_BYTES		(64u << 20)

/* ---- ipcb_sys.c ---- */
uint64_t ipcb_now_ns(void);
int ipcb_pin(int cpu);			/* pin the calling thread; 0 or -errno */
void *ipcb_shared_alloc(size_t bytes);	/* MAP_SHARED, survives fork; NULL on failure */
void ipcb_shared_free(void *p, size_t bytes);

/* A ring of destinations in memory much larger than the caches: each use
 * takes another slot, so a destination is never in cache (cold). Slots are
 * visited with a large prime step, not in address order, so that the
 * hardware prefetcher cannot warm the next one. */
struct ipcb_ring {
	unsigned char *base;
	size_t bytes, stride, nslots, step, slot;
	int owned;			/* mapped by ipcb_ring_init */
};
int ipcb_ring_init(struct ipcb_ring *r, size_t bytes);	/* prefaulted; 0 or -errno */
void ipcb_ring_over(struct ipcb_ring *r, void *base, size_t bytes);	/* given memory */
void ipcb_ring_free(struct ipcb_ring *r);
void ipcb_ring_stride(struct ipcb_ring *r, size_t n);	/* slots of n bytes, line-aligned */
static inline void *ipcb_ring_next(struct ipcb_ring *r)
{
	r->slot += r->step;
	if (r->slot >= r->nslots)
		r->slot -= r->nslots;
	return r->base + r->slot * r->stride;
}

/* ---- ipcb_stats.c ---- */

/* One measured thing: it runs iters operations of payload n and returns 0
 * or a negative error. The time per operation is what is reported. */
struct ipcb_series {
	const char *name;
	int (*run)(void *ctx, size_t n, unsigned iters);
	void *ctx;
};

/* Samples of one series at one size, in ns per operation. */
struct ipcb_samples {
	unsigned count, iters;
	double ns[IPCB_MAX_SAMPLES];
};

struct ipcb_params {
	unsigned samples;		/* samples per figure */
	uint64_t sample_ns;		/* aimed-for duration of one sample */
};

double ipcb_mean(const double *v, unsigned n);
double ipcb_stddev(const double *v, unsigned n);
double ipcb_median(const double *v, unsigned n);

/* Measure series[0..nseries) at payload n: each calibrated to about
 * p->sample_ns a sample, then p->samples rounds, each round running every
 * series once in turn (interleaved, so ratios see the same noise). */
int ipcb_measure(const struct ipcb_series *series, unsigned nseries, size_t n,
		 const struct ipcb_params *p, struct ipcb_samples *out);

/* The per-round ratio a/b (or a/(b+c) when c is not NULL), into r. */
void ipcb_ratio(const struct ipcb_samples *a, const struct ipcb_samples *b,
		const struct ipcb_samples *c, struct ipcb_samples *r);

/* ---- a table: series x payload sizes (ipcb_stats.c) ---- */
struct ipcb_table {
	const char *id;			/* file-name part: "copy", "rt_cross", ... */
	const char *title;
	unsigned nseries, nsizes;
	const char *series[IPCB_MAX_SERIES];
	size_t sizes[IPCB_MAX_SIZES];
	double load[IPCB_MAX_SIZES];	/* 1-minute load average when the size was done */
	struct ipcb_samples cell[IPCB_MAX_SIZES][IPCB_MAX_SERIES];
};

/* Measure every series at every size into t (interleaved per size). */
int ipcb_table_measure(struct ipcb_table *t, const struct ipcb_series *s, unsigned nseries,
		       const size_t *sizes, unsigned nsizes, const struct ipcb_params *p);
/* The cell of series name at size n, or NULL. */
const struct ipcb_samples *ipcb_cell(const struct ipcb_table *t, const char *name, size_t n);

/* ---- ipcb_copy.c: copies from a warm source to a cold destination ---- */
struct ipcb_copier;
int ipcb_copier_new(struct ipcb_copier **cp);	/* 0 or -errno */
void ipcb_copier_free(struct ipcb_copier *c);
/* The series "NAME" copying with ipc_copy_methods[k] (k < count). */
unsigned ipcb_copier_series(struct ipcb_copier *c, struct ipcb_series *out, unsigned max);

/* ---- ipcb_linux.c: echo peers on another (or the same) CPU ---- */
struct ipcb_linux;
/* Start peers pinned to server_cpu; same_cpu makes the spin floor yield. */
int ipcb_linux_start(struct ipcb_linux **lp, int server_cpu, int same_cpu);
void ipcb_linux_stop(struct ipcb_linux *l);	/* kills and reaps every peer */
/* pipe, socketpair, udp, tcp, tcp_nodelay, spin; returns the count. */
unsigned ipcb_linux_series(struct ipcb_linux *l, struct ipcb_series *out, unsigned max);

/* ---- ipcb_kernel.c: the IPC kernel's domains ---- */
struct ipcb_regime {
	const char *name;		/* "cross" or "same" */
	int client_cpu, server_cpu;
};
/* Everything one regime measures, written by the client (maybe a domain
 * process: it lives in shared memory). */
struct ipcb_results {
	struct ipcb_table rt, twohop;
	int err;			/* first error, 0 if none */
	char errmsg[160];
};
struct ipcb_job {
	const struct ipcb_regime *regime;
	const struct ipcb_params *params;
	const size_t *rt_sizes, *hop_sizes;
	unsigned rt_nsizes, hop_nsizes;
	struct ipcb_results *res;	/* shared */
};
/* Run the regime with the IPC kernel's domains (process mode) as well as
 * the Linux peers; 0 or a negative error (message in job->res->errmsg). */
int ipcb_kernel_run(struct ipcb_job *job);
/* The client's work: every series of the regime; self NULL without the kernel. */
int ipcb_client_measure(struct ipcb_job *job, const struct ipcb_series *kseries,
			unsigned nkseries, const struct ipcb_series *hops, unsigned nhops);

/* ---- ipcb_report.c ---- */
struct ipcb_report {
	const char *outdir;
	const char *command;		/* how the run was started, for the header */
	const struct ipcb_params *params;
	const struct ipcb_table *copy;
	const struct ipcb_results *regime[2];	/* cross, same; NULL if not run */
	const char *regime_name[2];
	int with_kernel;
};
int ipcb_report_write(const struct ipcb_report *r);	/* 0 or -errno */

#endif
