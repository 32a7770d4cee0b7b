/* ol_tmp.c - the rewrite's temporary output file (see ol_tmp.h). */
#include "ol_tmp.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const int caught[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NCAUGHT (sizeof caught / sizeof caught[0])

/* The one temporary a signal handler must remove: signal handlers take no
 * argument, so it is static. */
static char pending[4096];
static volatile sig_atomic_t armed;
static struct sigaction saved[NCAUGHT];

static void on_signal(int sig)
{
	if (armed)
		unlink(pending);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Block (or unblock) the caught signals around changes of the state. */
static void block(int how)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < NCAUGHT; i++)
		sigaddset(&set, caught[i]);
	sigprocmask(how, &set, NULL);
}

static void disarm(void)
{
	block(SIG_BLOCK);
	armed = 0;
	for (size_t i = 0; i < NCAUGHT; i++)
		sigaction(caught[i], &saved[i], NULL);
	block(SIG_UNBLOCK);
}

int ol_tmp_open(const char *out, char *tmp, size_t len, struct ol_err *err)
{
	struct sigaction sa;
	int fd;

	if (snprintf(tmp, len, "%s.tmp.XXXXXX", out) >= (int)len || len > sizeof pending)
		return ol_fail(err, -ENAMETOOLONG, "%s: name too long", out);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	block(SIG_BLOCK);
	fd = mkstemp(tmp);
	if (fd >= 0) {
		memcpy(pending, tmp, len);
		armed = 1;
		for (size_t i = 0; i < NCAUGHT; i++)
			sigaction(caught[i], &sa, &saved[i]);
	}
	block(SIG_UNBLOCK);
	return fd >= 0 ? fd : ol_fail(err, -errno, "%s: %s", out, strerror(errno));
}

int ol_tmp_commit(const char *tmp, const char *out, struct ol_err *err)
{
	if (rename(tmp, out) != 0) {
		int rc = ol_fail(err, -errno, "%s: %s", out, strerror(errno));

		ol_tmp_discard(tmp);
		return rc;
	}
	disarm();
	return 0;
}

void ol_tmp_discard(const char *tmp)
{
	unlink(tmp);
	disarm();
}
