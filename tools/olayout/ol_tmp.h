/*
 * ol_tmp.h - the output file of a rewrite. It is written as OUT.tmp.XXXXXX
 * next to OUT and renamed over OUT at the end, so OUT is never half
 * written. The temporary is removed on failure, and also when a signal
 * (INT, TERM, HUP, QUIT) ends olayout midway: a handler unlinks it and
 * re-raises the signal. One temporary at a time.
 * An OUT that exists must be a regular file (never renamed over: a
 * device, a FIFO, a socket, a directory), or a symlink to one: the output
 * then replaces the link's target (what `cp` or `>` would write) and the
 * link stays.
 */
#ifndef OL_TMP_H
#define OL_TMP_H

#include <stddef.h>

#include "ol_err.h"

struct ol_tmp {
	const char *out;	/* as the user named it (for messages) */
	char target[4096];	/* the file replaced: out, or a symlink's target */
	char tmp[4096];		/* target.tmp.XXXXXX */
};

/* ol_tmp_open: check out and create the temporary; returns its fd or a
 * negative code. */
int ol_tmp_open(struct ol_tmp *t, const char *out, struct ol_err *err);

/* ol_tmp_commit: rename the temporary over the target (on failure it is
 * removed). */
int ol_tmp_commit(struct ol_tmp *t, struct ol_err *err);

/* ol_tmp_discard: remove the temporary. */
void ol_tmp_discard(struct ol_tmp *t);

/* ol_tmp_save: text (len bytes) into out, through a temporary. */
int ol_tmp_save(const char *out, const char *text, size_t len, struct ol_err *err);

#endif
