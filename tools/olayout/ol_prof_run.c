/*
 * ol_prof_run.c - runs a command under callgrind for `olayout profile`:
 *   valgrind -v -v --log-file=DIR/valgrind.log --tool=callgrind
 *     --dump-instr=yes --collect-jumps=yes --callgrind-out-file=DIR/callgrind.out
 *     [VALGRIND OPTIONS] CMD ARGS...
 * The command's standard output is its own; its standard error (valgrind's
 * too) is kept in DIR and shown after the run, so that a run that fails is
 * one line: valgrind's first complaint. A non-zero exit status of the
 * command is a warning (a test program may exit 1 by design); no callgrind
 * output is an error.
 * With children (`--exe EXE`: a test suite, a script) valgrind follows every
 * process the command starts (--trace-children=yes), each writing its own
 * DIR/cg.PID and DIR/vg.PID (ol_prof_suite picks EXE's runs).
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof_run.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const fixed[] = {
	"valgrind", "-v", "-v", "--tool=callgrind", "--dump-instr=yes", "--collect-jumps=yes",
};

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

int ol_prof_run(struct ol_prof_run *r, char *const *vgopts, size_t nvg, char *const *cmd,
		size_t ncmd, bool children, struct ol_err *err)
{
	const char *tmp = getenv("TMPDIR");
	size_t nfixed = sizeof fixed / sizeof fixed[0];
	char logopt[sizeof r->log + 16], outopt[sizeof r->cg + 32];
	char **argv = calloc(nfixed + 3 + nvg + ncmd + 1, sizeof *argv);
	size_t n = 0;
	int status;

	memset(r, 0, sizeof *r);
	r->children = children;
	if (!argv)
		return ol_fail(err, -ENOMEM, "profile: out of memory");
	snprintf(r->dir, sizeof r->dir, "%s/olprof.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(r->dir)) {
		free(argv);
		return ol_fail(err, -errno, "profile: cannot make a directory in %s: %s",
			       tmp && *tmp ? tmp : "/tmp", strerror(errno));
	}
	snprintf(r->cg, sizeof r->cg, "%s/%s", r->dir, children ? "cg.%p" : "callgrind.out");
	snprintf(r->log, sizeof r->log, "%s/%s", r->dir, children ? "vg.%p" : "valgrind.log");
	snprintf(r->err, sizeof r->err, "%s/stderr", r->dir);
	snprintf(logopt, sizeof logopt, "--log-file=%s", r->log);
	snprintf(outopt, sizeof outopt, "--callgrind-out-file=%s", r->cg);
	for (size_t i = 0; i < nfixed; i++)
		argv[n++] = (char *)fixed[i];
	argv[n++] = logopt;
	argv[n++] = outopt;
	if (children)
		argv[n++] = "--trace-children=yes";
	for (size_t i = 0; i < nvg; i++)
		argv[n++] = vgopts[i];
	for (size_t i = 0; i < ncmd; i++)
		argv[n++] = cmd[i];
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
		return ol_fail(err, -errno, "profile: cannot run valgrind: %s", strerror(errno));
	}
	char said[512] = "";
	FILE *fp = fopen(r->err, "r");
	if (!wrote(r)) {
		if (fp && fgets(said, sizeof said, fp))
			said[strcspn(said, "\n")] = '\0';
		if (fp)
			fclose(fp);
		ol_prof_run_clean(r);
		return ol_fail(err, -EINVAL, "profile: valgrind wrote no callgrind output: %s",
			       said[0] ? said : "it said nothing");
	}
	for (size_t got; fp && (got = fread(said, 1, sizeof said, fp)) > 0;)
		fwrite(said, 1, got, stderr);
	if (fp)
		fclose(fp);
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		ol_warn("%s exited with status %d under valgrind", cmd[0], WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		ol_warn("%s ended by signal %d under valgrind", cmd[0], WTERMSIG(status));
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
