/* ipcb_stats.c - samples, calibration, interleaving, mean and deviation. */
#define _GNU_SOURCE	/* getloadavg */
#include "ipcb.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double ipcb_mean(const double *v, unsigned n)
{
	double s = 0;
	for (unsigned i = 0; i < n; i++)
		s += v[i];
	return n ? s / n : 0;
}

double ipcb_median(const double *v, unsigned n)
{
	double s[IPCB_MAX_SAMPLES];
	if (n == 0 || n > IPCB_MAX_SAMPLES)
		return 0;
	memcpy(s, v, n * sizeof *s);
	for (unsigned i = 1; i < n; i++)	/* insertion sort: a few samples */
		for (unsigned j = i; j > 0 && s[j - 1] > s[j]; j--) {
			double t = s[j];
			s[j] = s[j - 1];
			s[j - 1] = t;
		}
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

double ipcb_stddev(const double *v, unsigned n)
{
	if (n < 2)
		return 0;
	double m = ipcb_mean(v, n), s = 0;
	for (unsigned i = 0; i < n; i++)
		s += (v[i] - m) * (v[i] - m);
	return sqrt(s / (n - 1));
}

/* Time iters operations; ns per operation into *ns. A few untimed ones
 * first: the peer fell asleep while the other series ran, and waking it
 * (on a loaded machine, waiting for its CPU) is not what is measured. */
static int time_run(const struct ipcb_series *s, size_t n, unsigned iters, double *ns)
{
	int err = s->run(s->ctx, n, 4);
	if (err < 0)
		return err;
	uint64_t t0 = ipcb_now_ns();
	err = s->run(s->ctx, n, iters);
	if (err < 0)
		return err;
	*ns = (double)(ipcb_now_ns() - t0) / iters;
	return 0;
}

/* Find iters so that one sample lasts about p->sample_ns (warming up too).
 * The last trial runs at least 64 operations, so that one slow first
 * operation (a peer asleep, a preempted CPU) cannot set the pace. */
static int calibrate(const struct ipcb_series *s, size_t n, const struct ipcb_params *p,
		     unsigned *iters)
{
	unsigned it = 4;
	double ns;
	for (;;) {
		int err = time_run(s, n, it, &ns);
		if (err < 0)
			return err;
		if ((ns * it * 8 >= (double)p->sample_ns && it >= 64) || it >= (1u << 24))
			break;
		it *= 4;
	}
	double want = (double)p->sample_ns / (ns > 1 ? ns : 1);
	*iters = want < 4 ? 4 : want > (1u << 26) ? (1u << 26) : (unsigned)want;
	return 0;
}

int ipcb_measure(const struct ipcb_series *series, unsigned nseries, size_t n,
		 const struct ipcb_params *p, struct ipcb_samples *out)
{
	for (unsigned i = 0; i < nseries; i++) {
		int err = calibrate(&series[i], n, p, &out[i].iters);
		if (err < 0)
			return err;
		out[i].count = 0;
	}
	unsigned samples = p->samples > IPCB_MAX_SAMPLES ? IPCB_MAX_SAMPLES : p->samples;
	for (unsigned k = 0; k < samples; k++)
		for (unsigned i = 0; i < nseries; i++) {
			int err = time_run(&series[i], n, out[i].iters, &out[i].ns[k]);
			if (err < 0)
				return err;
			out[i].count = k + 1;
		}
	return 0;
}

void ipcb_ratio(const struct ipcb_samples *a, const struct ipcb_samples *b,
		const struct ipcb_samples *c, struct ipcb_samples *r)
{
	unsigned n = a->count < b->count ? a->count : b->count;
	if (c && c->count < n)
		n = c->count;
	r->count = n;
	r->iters = 0;
	for (unsigned k = 0; k < n; k++)
		r->ns[k] = a->ns[k] / (b->ns[k] + (c ? c->ns[k] : 0));
}

int ipcb_table_measure(struct ipcb_table *t, const struct ipcb_series *s, unsigned nseries,
		       const size_t *sizes, unsigned nsizes, const struct ipcb_params *p)
{
	if (nseries > IPCB_MAX_SERIES || nsizes > IPCB_MAX_SIZES)
		return -E2BIG;
	t->nseries = nseries;
	t->nsizes = 0;
	for (unsigned i = 0; i < nseries; i++)
		t->series[i] = s[i].name;
	for (unsigned k = 0; k < nsizes; k++) {
		t->sizes[k] = sizes[k];
		int err = ipcb_measure(s, nseries, sizes[k], p, t->cell[k]);
		if (err < 0)
			return err;
		if (getloadavg(&t->load[k], 1) != 1)
			t->load[k] = -1;
		t->nsizes = k + 1;
	}
	return 0;
}

const struct ipcb_samples *ipcb_cell(const struct ipcb_table *t, const char *name, size_t n)
{
	for (unsigned k = 0; k < t->nsizes; k++)
		for (unsigned i = 0; i < t->nseries; i++)
			if (t->sizes[k] == n && strcmp(t->series[i], name) == 0)
				return t->cell[k][i].count ? &t->cell[k][i] : NULL;
	return NULL;
}
