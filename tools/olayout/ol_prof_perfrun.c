/*
 * ol_prof_perfrun.c - runs perf on a perf.data file for `olayout profile
 * --from-perf` and hands what it prints to a reader. perf's own failure
 * (a non-zero exit with the first line of its standard error, or a signal:
 * perf 6.1 dies of SIGBUS on a file cut short) is the one reported, before
 * any complaint of the reader about its output.
 */
#define _POSIX_C_SOURCE 200809L
#include "ol_prof.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The first line perf wrote on its standard error. */
static void first_line(FILE *f, char *buf, size_t len)
{
	buf[0] = '\0';
	if (f && fseek(f, 0, SEEK_SET) == 0 && fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
}

int ol_prof_perf_run(char *const *argv, const char *data, ol_prof_perf_reader *read,
		     void *arg, struct ol_err *err)
{
	char said[300];
	int fd[2], st = 0, rc;
	pid_t pid;
	posix_spawn_file_actions_t fa;
	FILE *errf = tmpfile();

	if (!errf || pipe(fd) != 0) {
		rc = ol_fail(err, -errno, "%s: %s", data, strerror(errno));
		if (errf)
			fclose(errf);
		return rc;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, fileno(errf), 2);
	posix_spawn_file_actions_addclose(&fa, fd[0]);
	posix_spawn_file_actions_addclose(&fa, fd[1]);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	if (rc != 0) {
		close(fd[0]);
		fclose(errf);
		return ol_fail(err, -rc, "%s: cannot run perf: %s (install linux-perf)", data,
			       strerror(rc));
	}
	struct ol_err rerr = {{0}};
	FILE *fp = fdopen(fd[0], "r");
	rc = fp ? read(arg, fp, &rerr) : ol_fail(&rerr, -errno, "%s: %s", data, strerror(errno));
	if (fp)
		fclose(fp);
	else
		close(fd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	first_line(errf, said, sizeof said);
	fclose(errf);
	if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
		return ol_fail(err, -EINVAL, "%s: perf %s failed: %s", data, argv[1],
			       said[0] ? said : "it said nothing");
	if (WIFSIGNALED(st))
		return ol_fail(err, -EINVAL, "%s: perf %s died of signal %d (%s): a truncated or "
			       "corrupt file?", data, argv[1], WTERMSIG(st), strsignal(WTERMSIG(st)));
	return rc < 0 ? ol_fail(err, rc, "%s", rerr.msg) : 0;
}
