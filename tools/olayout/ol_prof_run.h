/* ol_prof_run.h - a command's callgrind run, in a temporary directory. */
#ifndef OL_PROF_RUN_H
#define OL_PROF_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "ol_err.h"

struct ol_prof_run {
	char dir[4096];		/* the temporary directory ("" once removed) */
	char cg[4200];		/* callgrind's output (children: DIR/cg.%p) */
	char log[4200];		/* valgrind's -v -v log (load addresses; DIR/vg.%p) */
	char err[4200];		/* the run's standard error */
	bool children;		/* every process traced, one output each */
};

/* ol_prof_run: run cmd (ncmd words) under callgrind with the extra valgrind
 * options vgopts; with children, the processes it starts too. */
int ol_prof_run(struct ol_prof_run *r, char *const *vgopts, size_t nvg, char *const *cmd,
		size_t ncmd, bool children, struct ol_err *err);

/* ol_prof_suite: the runs of exe among r's processes (children), summed
 * into cg; log gets the valgrind log of the first (its load addresses);
 * says on stderr how many were summed. No run of exe is the error. */
struct ol_cg;
int ol_prof_suite(const struct ol_prof_run *r, const char *exe, struct ol_cg *cg, char *log,
		  size_t loglen, struct ol_err *err);

/* ol_prof_run_clean: remove the directory and what the run wrote there. */
void ol_prof_run_clean(struct ol_prof_run *r);

#endif
