/*
 * ipcb_run.c - the client of one regime: every series of the round-trip
 * table (the kernel's, Linux's, the bounds) interleaved in one run, then
 * the two-hop table. Runs in the client domain, or alone without the kernel.
 */
#include "ipcb.h"

#include <stdio.h>
#include <string.h>

static int fail(struct ipcb_results *res, int err, const char *what)
{
	res->err = err;
	snprintf(res->errmsg, sizeof res->errmsg, "%s: %s", what, strerror(err < 0 ? -err : err));
	return err;
}

int ipcb_client_measure(struct ipcb_job *job, const struct ipcb_series *kseries,
			unsigned nkseries, const struct ipcb_series *hops, unsigned nhops)
{
	struct ipcb_results *res = job->res;
	struct ipcb_series s[IPCB_MAX_SERIES], copy[IPCB_MAX_SERIES];
	struct ipcb_copier *copier = NULL;
	struct ipcb_linux *linux_peers = NULL;
	unsigned n = 0;
	int err;

	if ((err = ipcb_pin(job->regime->client_cpu)) < 0)
		return fail(res, err, "pin the client");
	if ((err = ipcb_copier_new(&copier)) < 0)
		return fail(res, err, "cold memory for the memcpy bound");
	err = ipcb_linux_start(&linux_peers, job->regime->server_cpu,
			       job->regime->server_cpu == job->regime->client_cpu);
	if (err < 0) {
		ipcb_copier_free(copier);
		return fail(res, err, "start the Linux peers");
	}
	for (unsigned i = 0; i < nkseries && n < IPCB_MAX_SERIES; i++)
		s[n++] = kseries[i];
	n += ipcb_linux_series(linux_peers, s + n, IPCB_MAX_SERIES - n);
	if (n < IPCB_MAX_SERIES && ipcb_copier_series(copier, copy, 1) == 1)
		s[n++] = copy[0];	/* the C library's memcpy: the copy bound */

	res->rt.id = "rt";
	res->twohop.id = "twohop";
	err = ipcb_table_measure(&res->rt, s, n, job->rt_sizes, job->rt_nsizes, job->params);
	if (err < 0)
		fail(res, err, "round-trip table");
	else if (nhops && (err = ipcb_table_measure(&res->twohop, hops, nhops, job->hop_sizes,
						    job->hop_nsizes, job->params)) < 0)
		fail(res, err, "two-hop table");
	ipcb_linux_stop(linux_peers);
	ipcb_copier_free(copier);
	return err;
}
