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

static int by_pid(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return (x > y) - (x < y);
}

/* The process ids of DIR's cg.PID files, ascending (a stable order). */
static int pids(const char *dir, unsigned long **out, size_t *n, struct ol_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!d)
		return ol_fail(err, -errno, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		char *end;
		unsigned long pid = strtoul(e->d_name + 3, &end, 10);
		if (strncmp(e->d_name, "cg.", 3) != 0 || end == e->d_name + 3 || *end)
			continue;
		if (ol_grow((void **)out, &cap, *n + 1, sizeof **out) < 0) {
			closedir(d);
			return ol_fail(err, -ENOMEM, "profile: out of memory");
		}
		(*out)[(*n)++] = pid;
	}
	closedir(d);
	qsort(*out, *n, sizeof **out, by_pid);
	return 0;
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
	int rc = pids(r->dir, &pid, &n, err);
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
