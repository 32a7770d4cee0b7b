/*
 * ol_compare.h - `olayout compare`: run EXE_A and EXE_B on the same
 * arguments under callgrind (instructions; simulated I1 misses per cache
 * geometry), under `perf stat` where the machine has hardware counters,
 * and timed N times, A and B interleaved; one table with B/A ratios. Both
 * must exit with the same status (output that differs: a warning).
 */
#ifndef OL_COMPARE_H
#define OL_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "ol_err.h"

#define OL_COMPARE_MAX_CACHES 8

struct ol_compare_opts {
	const char *caches[OL_COMPARE_MAX_CACHES];	/* GEOMs (ol_geom_parse, ol_plan.h) */
	size_t ncaches;
	int runs;		/* timed runs of each */
	bool bracketed;		/* count only between CALLGRIND_START/STOP */
	const char *exe_a, *exe_b;
	char **args;		/* the programs' arguments */
	int nargs;
};

int ol_cmd_compare(const struct ol_compare_opts *o, struct ol_err *err);

#endif
