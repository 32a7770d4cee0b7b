/*
 * ol_prof_suite.c - the runs of one executable among the processes a traced
 * command started (`olayout profile --exe EXE -- make check`): each
 * process's callgrind output DIR/cg.PID is read, and kept when one of its
 * objects is EXE's file (device and inode: another program of the same
 * name, or a copy, is not EXE); the kept runs are summed into one run, so
 * paths and line counts come from the whole suite's counts.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof_run.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ol_prof_cg.h"
#include "ol_util.h"

/* Whether one of the run's objects is the file st describes. */
static bool runs_exe(const struct ol_cg *cg, const struct stat *st)
{
	struct stat o;
	for (size_t i = 0; i < cg->nnames[OL_CG_OB]; i++) {
		const char *ob = cg->names[OL_CG_OB][i];
		if (ob && stat(ob, &o) == 0 && o.st_dev == st->st_dev && o.st_ino == st->st_ino)
			return true;
	}
	return false;
}

int ol_prof_suite(const struct ol_prof_run *r, const char *exe, struct ol_cg *cg, char *log,
		  size_t loglen, struct ol_err *err)
{
	struct stat st;
	unsigned long *pid;
	size_t n, kept = 0;
	char path[sizeof r->dir + 32];

	memset(cg, 0, sizeof *cg);
	if (stat(exe, &st) < 0)
		return ol_fail(err, -errno, "%s: %s", exe, strerror(errno));
	int rc = ol_prof_pids(r->dir, &pid, &n, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		struct ol_cg one = {0};
		snprintf(path, sizeof path, "%s/cg.%lu", r->dir, pid[i]);
		rc = ol_cg_read(&one, path, err);
		if (rc == 0 && runs_exe(&one, &st)) {
			if (kept++ == 0)
				snprintf(log, loglen, "%s/vg.%lu", r->dir, pid[i]);
			rc = ol_cg_append(cg, &one, err);
		}
		ol_cg_free(&one);
		if (rc == 0 && n >= 100 && (i + 1) % 100 == 0)	/* a long suite: progress */
			fprintf(stderr, "olayout: profile: %zu of %zu processes read, %zu runs of %s\n",
				i + 1, n, kept, exe);
	}
	free(pid);
	if (rc == 0 && kept == 0)
		rc = ol_fail(err, -EINVAL, "%s: none of the %zu processes the command started "
			     "ran it (a program of that name elsewhere does not count)", exe, n);
	if (rc < 0) {
		ol_cg_free(cg);
		return rc;
	}
	fprintf(stderr, "olayout: profile: merged %zu run%s of %s (of %zu processes)\n", kept,
		kept == 1 ? "" : "s", exe, n);
	return 0;
}

/* names_exe: a callgrind file names the file st describes among its
 * objects (ob= and cob= lines: "(ID) NAME" the first time, "NAME" without
 * compression); a file that cannot be read names none. */
static bool names_exe(const char *path, const struct stat *st)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	bool found = false;

	while (f && !found && fgets(line, sizeof line, f)) {
		char *name = strncmp(line, "ob=", 3) == 0 ? line + 3 : strncmp(line, "cob=", 4) == 0 ? line + 4 : NULL;
		struct stat o;

		if (name && *name == '(')
			name = strchr(name, ')') ? strchr(name, ')') + 1 : NULL;
		if (name == NULL || *name == '\n' || *name == '\0')
			continue;
		name += *name == ' ';
		name[strcspn(name, "\n")] = '\0';
		found = stat(name, &o) == 0 && o.st_dev == st->st_dev && o.st_ino == st->st_ino;
	}
	if (f)
		fclose(f);
	return found;
}

int ol_prof_suite_i1(const struct ol_prof_run *r, const char *exe, uint64_t *i1,
		     struct ol_err *err)
{
	struct stat st;
	unsigned long *pid;
	size_t n, runs = 0;
	char path[sizeof r->dir + 32];
	int rc;

	*i1 = 0;
	if (stat(exe, &st) < 0)
		return ol_fail(err, -errno, "%s: %s", exe, strerror(errno));
	rc = ol_prof_pids(r->dir, &pid, &n, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		uint64_t ir, m = 0;

		snprintf(path, sizeof path, "%s/cg.%lu", r->dir, pid[i]);
		if (names_exe(path, &st) && (rc = ol_prof_totals(path, &ir, &m, err)) == 0) {
			*i1 += m;
			runs++;
		}
	}
	free(pid);
	if (rc == 0 && runs == 0)
		rc = ol_fail(err, -EINVAL, "%s: none of the %zu processes the command started ran it",
			     exe, n);
	return rc;
}
