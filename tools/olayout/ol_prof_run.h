/* ol_prof_run.h - a command's callgrind run, in a temporary directory. */
#ifndef OL_PROF_RUN_H
#define OL_PROF_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ol_err.h"

struct ol_prof_run {
	char dir[4096];		/* the temporary directory ("" once removed) */
	char cg[4200];		/* callgrind's output (children: DIR/cg.%p) */
	char log[4200];		/* valgrind's -v -v log (load addresses; DIR/vg.%p) */
	char err[4200];		/* the run's standard error */
	bool children;		/* every process traced, one output each */
	int status;		/* the command's wait status */
};

/* What to run: who names the caller in messages ("profile"); tool, NULL
 * ended, the callgrind options of the purpose; vgopts the user's. */
struct ol_prof_cmd {
	const char *who;
	const char *const *tool;
	char *const *vgopts, *const *cmd;
	size_t nvg, ncmd;
	bool children;
};

/* ol_prof_run: run c->cmd under callgrind with c->tool and c->vgopts; with
 * children, the processes it starts too. */
int ol_prof_run(struct ol_prof_run *r, const struct ol_prof_cmd *c, struct ol_err *err);

/* ol_prof_pids: the process ids of dir's cg.PID files, ascending. */
int ol_prof_pids(const char *dir, unsigned long **out, size_t *n, struct ol_err *err);

/* ol_prof_totals: Ir and I1mr of a callgrind output file (run with
 * --cache-sim=yes for I1mr; 0 without). */
int ol_prof_totals(const char *file, uint64_t *ir, uint64_t *i1, struct ol_err *err);

/* ol_prof_cache_opts: --I1, --D1 (both g) and --LL (4 MiB: only I1 is
 * read) for callgrind's cache simulation. */
struct ol_geom;
void ol_prof_cache_opts(const struct ol_geom *g, char opt[3][64]);

/* ol_prof_suite: the runs of exe among r's processes (children), summed
 * into cg; log gets the valgrind log of the first (its load addresses);
 * says on stderr how many were summed. No run of exe is the error. */
struct ol_cg;
int ol_prof_suite(const struct ol_prof_run *r, const char *exe, struct ol_cg *cg, char *log,
		  size_t loglen, struct ol_err *err);

/* ol_prof_suite_i1: the simulated I1 misses of exe's runs among r's
 * processes (run with --cache-sim=yes), summed (none: an error). */
int ol_prof_suite_i1(const struct ol_prof_run *r, const char *exe, uint64_t *i1,
		     struct ol_err *err);

/* ol_prof_run_clean: remove the directory and what the run wrote there. */
void ol_prof_run_clean(struct ol_prof_run *r);

#endif
