/*
 * ol_prof_run.c - runs a command under callgrind, for `olayout profile`
 * (--dump-instr=yes --collect-jumps=yes) and `olayout tune` (its cache
 * simulation):
 *   valgrind -v -v --log-file=DIR/valgrind.log --tool=callgrind
 *     --callgrind-out-file=DIR/callgrind.out TOOL OPTIONS [VALGRIND OPTIONS]
 *     CMD ARGS...
 * The command's standard output is its own; its standard error (valgrind's
 * too) is kept in DIR and shown after the run, so that a run that fails is
 * one line: valgrind's first complaint. A non-zero exit status of the
 * command is a warning (a test program may exit 1 by design; the caller
 * has the status); no callgrind output is an error.
 * With children (`--exe EXE`: a test suite, a script) valgrind follows every
 * process the command starts (--trace-children=yes), each writing its own
 * DIR/cg.PID and DIR/vg.PID (ol_prof_suite picks EXE's runs).
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof_run.h"

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ol_plan.h"
#include "ol_util.h"

static const char *const fixed[] = { "valgrind", "-v", "-v", "--tool=callgrind" };

/* Whether the run wrote callgrind output: the file, or with children one
 * DIR/cg.PID. */
static bool wrote(const struct ol_prof_run *r)
{
	struct stat st;
	if (!r->children)
		return stat(r->cg, &st) == 0;
	DIR *d = opendir(r->dir);
	struct dirent *e;
	bool any = false;
	while (d && !any && (e = readdir(d)))
		any = strncmp(e->d_name, "cg.", 3) == 0;
	if (d)
		closedir(d);
	return any;
}

static size_t count(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

int ol_prof_run(struct ol_prof_run *r, const struct ol_prof_cmd *c, struct ol_err *err)
{
	const char *tmp = getenv("TMPDIR"), *who = c->who;
	size_t nfixed = sizeof fixed / sizeof fixed[0];
	char logopt[sizeof r->log + 16], outopt[sizeof r->cg + 32];
	char **argv = calloc(nfixed + count(c->tool) + 3 + c->nvg + c->ncmd + 1, sizeof *argv);
	size_t n = 0;
	bool children = c->children;
	int status;

	memset(r, 0, sizeof *r);
	r->children = children;
	if (!argv)
		return ol_fail(err, -ENOMEM, "%s: out of memory", who);
	snprintf(r->dir, sizeof r->dir, "%s/olprof.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(r->dir)) {
		free(argv);
		return ol_fail(err, -errno, "%s: cannot make a directory in %s: %s", who,
			       tmp && *tmp ? tmp : "/tmp", strerror(errno));
	}
	snprintf(r->cg, sizeof r->cg, "%s/%s", r->dir, children ? "cg.%p" : "callgrind.out");
	snprintf(r->log, sizeof r->log, "%s/%s", r->dir, children ? "vg.%p" : "valgrind.log");
	snprintf(r->err, sizeof r->err, "%s/stderr", r->dir);
	snprintf(logopt, sizeof logopt, "--log-file=%s", r->log);
	snprintf(outopt, sizeof outopt, "--callgrind-out-file=%s", r->cg);
	for (size_t i = 0; i < nfixed; i++)
		argv[n++] = (char *)fixed[i];
	for (size_t i = 0; i < count(c->tool); i++)
		argv[n++] = (char *)c->tool[i];
	argv[n++] = logopt;
	argv[n++] = outopt;
	if (children)
		argv[n++] = "--trace-children=yes";
	for (size_t i = 0; i < c->nvg; i++)
		argv[n++] = c->vgopts[i];
	for (size_t i = 0; i < c->ncmd; i++)
		argv[n++] = c->cmd[i];
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(r->err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(fd, 2) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	free(argv);
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		ol_prof_run_clean(r);
		return ol_fail(err, -errno, "%s: cannot run valgrind: %s", who, strerror(errno));
	}
	char said[512] = "";
	FILE *fp = fopen(r->err, "r");
	if (!wrote(r)) {
		if (fp && fgets(said, sizeof said, fp))
			said[strcspn(said, "\n")] = '\0';
		if (fp)
			fclose(fp);
		ol_prof_run_clean(r);
		return ol_fail(err, -EINVAL, "%s: valgrind wrote no callgrind output: %s", who,
			       said[0] ? said : "it said nothing");
	}
	for (size_t got; fp && (got = fread(said, 1, sizeof said, fp)) > 0;)
		fwrite(said, 1, got, stderr);
	if (fp)
		fclose(fp);
	r->status = status;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		ol_warn("%s exited with status %d under valgrind", c->cmd[0], WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		ol_warn("%s ended by signal %d under valgrind", c->cmd[0], WTERMSIG(status));
	return 0;
}

void ol_prof_run_clean(struct ol_prof_run *r)
{
	if (!r->dir[0])
		return;
	DIR *d = opendir(r->dir);
	struct dirent *e;
	char path[sizeof r->dir + 300];
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    snprintf(path, sizeof path, "%s/%s", r->dir, e->d_name) < (int)sizeof path)
			unlink(path);
	if (d)
		closedir(d);
	rmdir(r->dir);
	r->dir[0] = '\0';
}

static int by_pid(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return (x > y) - (x < y);
}

int ol_prof_pids(const char *dir, unsigned long **out, size_t *n, struct ol_err *err)
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
			return ol_fail(err, -ENOMEM, "out of memory");
		}
		(*out)[(*n)++] = pid;
	}
	closedir(d);
	qsort(*out, *n, sizeof **out, by_pid);
	return 0;
}

int ol_prof_totals(const char *file, uint64_t *ir, uint64_t *i1, struct ol_err *err)
{
	FILE *f = fopen(file, "r");
	char line[4096], ev[4096] = "";
	bool found = false;

	while (f && fgets(line, sizeof line, f)) {
		if (strncmp(line, "events:", 7) == 0)
			snprintf(ev, sizeof ev, "%s", line + 7);
		else if (strncmp(line, "totals:", 7) == 0) {
			char *e = ev, *v = strchr(line, ':') + 1, *sp1, *sp2;

			for (char *t = strtok_r(e, " \n", &sp1), *n = strtok_r(v, " \n", &sp2);
			     t && n; t = strtok_r(NULL, " \n", &sp1), n = strtok_r(NULL, " \n", &sp2)) {
				if (strcmp(t, "Ir") == 0)
					*ir = strtoull(n, NULL, 10);
				else if (strcmp(t, "I1mr") == 0)
					*i1 = strtoull(n, NULL, 10);
			}
			found = true;
			break;
		}
	}
	if (f)
		fclose(f);
	return found ? 0 : ol_fail(err, -EIO, "%s: no totals in callgrind's output", file);
}

void ol_prof_cache_opts(const struct ol_geom *g, char opt[3][64])
{
	snprintf(opt[0], 64, "--I1=%" PRIu64 ",%" PRIu64 ",%" PRIu64, g->size, g->assoc, g->line);
	snprintf(opt[1], 64, "--D1=%" PRIu64 ",%" PRIu64 ",%" PRIu64, g->size, g->assoc, g->line);
	snprintf(opt[2], 64, "--LL=4194304,16,%" PRIu64, g->line < 64 ? 64 : g->line);
}
