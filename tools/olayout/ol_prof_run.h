/* ol_prof_run.h - a command's callgrind run, in a temporary directory. */
#ifndef OL_PROF_RUN_H
#define OL_PROF_RUN_H

#include <stddef.h>

#include "ol_err.h"

struct ol_prof_run {
	char dir[4096];		/* the temporary directory ("" once removed) */
	char cg[4200];		/* callgrind's output */
	char log[4200];		/* valgrind's -v -v log (load addresses) */
	char err[4200];		/* the run's standard error */
};

/* ol_prof_run: run cmd (ncmd words) under callgrind with the extra valgrind
 * options vgopts. */
int ol_prof_run(struct ol_prof_run *r, char *const *vgopts, size_t nvg, char *const *cmd,
		size_t ncmd, struct ol_err *err);

/* ol_prof_run_clean: remove the directory and what the run wrote there. */
void ol_prof_run_clean(struct ol_prof_run *r);

#endif
