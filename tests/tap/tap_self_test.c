/*
 * The TAP helper's own test: each scenario runs in a fresh process (this
 * program, re-executed with the scenario's name) whose stdout is captured,
 * and the parent checks the exact stream and exit status.
 */
#define _POSIX_C_SOURCE 200809L
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int scenario_pass(void)
{
	tap_plan(3);
	tap_ok(1, "true");
	tap_is_int(7, 7, "seven");
	tap_is_str("a", "a", "a");
	return tap_done();
}

static int scenario_fail(void)
{
	tap_plan(2);
	tap_is_int(1, 2, "one is two");
	tap_ok(1, "after");
	return tap_done();
}

static int scenario_short(void)
{
	tap_plan(2);
	tap_ok(1, "only one");
	return tap_done();
}

static int scenario_skip(void)
{
	tap_skip_all("no %s here", "widget");
}

static const struct {
	const char *name;
	int (*fn)(void);
} scenarios[] = {
	{ "pass", scenario_pass },
	{ "fail", scenario_fail },
	{ "short", scenario_short },
	{ "skip", scenario_skip },
};

/* Runs scenario name in a new process; returns its exit status, stdout in buf. */
static int run_child(const char *name, char *buf, size_t len)
{
	int fds[2], status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fds) != 0)
		tap_bail("pipe failed");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		tap_bail("fork failed");
	if (pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		execl("/proc/self/exe", "tap_self_test", name, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (got + 1 < len && (n = read(fds[0], buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
	char out[1024];

	for (size_t i = 0; argc == 2 && i < sizeof scenarios / sizeof scenarios[0]; i++)
		if (strcmp(argv[1], scenarios[i].name) == 0)
			return scenarios[i].fn();

	tap_plan(8);

	tap_is_int(run_child("pass", out, sizeof out), 0, "passing run exits 0");
	tap_is_str(out, "1..3\nok 1 - true\nok 2 - seven\nok 3 - a\n", "passing stream");

	tap_is_int(run_child("fail", out, sizeof out), 1, "failing run exits 1");
	tap_ok(strstr(out, "not ok 1 - one is two\n# ") != NULL, "failure is 'not ok'");
	tap_ok(strstr(out, "#   expected: 2\n") && strstr(out, "ok 2 - after\n"),
	       "failure shows got/expected and the run goes on");

	tap_is_int(run_child("short", out, sizeof out), 1, "short of the plan exits 1");
	tap_ok(strstr(out, "# planned 2 tests but ran 1\n") != NULL, "plan mismatch is reported");

	run_child("skip", out, sizeof out);
	tap_is_str(out, "1..0 # SKIP no widget here\n", "skip_all gives the reason");

	return tap_done();
}
