/* ol_tmp.c - the rewrite's temporary output file (see ol_tmp.h). */
#include "ol_tmp.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* node_kind: what a non-regular file is, for the refusal. */
static const char *node_kind(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISCHR(m) ? "a character device" :
	       S_ISBLK(m) ? "a block device" : S_ISFIFO(m) ? "a FIFO" :
	       S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* target_of: the file the output replaces: out, or a symlink's target. */
static int target_of(struct ol_tmp *t, const char *out, struct ol_err *err)
{
	struct stat st;

	if (lstat(out, &st) != 0) {
		if (errno != ENOENT)
			return ol_fail(err, -errno, "%s: %s", out, strerror(errno));
		st.st_mode = S_IFREG;	/* a new file */
	}
	if (S_ISLNK(st.st_mode)) {
		char *real = realpath(out, NULL);

		if (real == NULL)
			return ol_fail(err, -EINVAL, "%s: a symlink to a missing file (%s)", out,
				       strerror(errno));
		if (snprintf(t->target, sizeof t->target, "%s", real) >= (int)sizeof t->target) {
			free(real);
			return ol_fail(err, -ENAMETOOLONG, "%s: name too long", out);
		}
		free(real);
		if (stat(t->target, &st) != 0)
			return ol_fail(err, -errno, "%s: %s", out, strerror(errno));
	} else if (snprintf(t->target, sizeof t->target, "%s", out) >= (int)sizeof t->target) {
		return ol_fail(err, -ENAMETOOLONG, "%s: name too long", out);
	}
	if (!S_ISREG(st.st_mode))
		return ol_fail(err, -EINVAL, "%s: not a regular file (%s): olayout replaces only "
			       "regular files", out, node_kind(st.st_mode));
	return 0;
}

int ol_tmp_open(struct ol_tmp *t, const char *out, struct ol_err *err)
{
	struct sigaction sa;
	char *tmp = t->tmp;
	size_t len = sizeof t->tmp;
	int fd, rc;

	t->out = out;
	t->tmp[0] = '\0';
	rc = target_of(t, out, err);
	if (rc)
		return rc;
	if (snprintf(tmp, len, "%s.tmp.XXXXXX", t->target) >= (int)len || len > sizeof pending)
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

int ol_tmp_commit(struct ol_tmp *t, struct ol_err *err)
{
	if (rename(t->tmp, t->target) != 0) {
		int rc = ol_fail(err, -errno, "%s: %s", t->out, strerror(errno));

		ol_tmp_discard(t);
		return rc;
	}
	disarm();
	return 0;
}

void ol_tmp_discard(struct ol_tmp *t)
{
	unlink(t->tmp);
	disarm();
}

int ol_tmp_save(const char *file, const char *text, size_t len, struct ol_err *err)
{
	struct ol_tmp t;
	int fd = ol_tmp_open(&t, file, err);
	bool ok;

	if (fd < 0)
		return fd;
	ok = write(fd, text, len) == (ssize_t)len;
	if (close(fd) != 0 || !ok) {
		ol_tmp_discard(&t);
		return ol_fail(err, -EIO, "%s: write error", t.tmp);
	}
	return ol_tmp_commit(&t, err);
}
