/*
 * ol_tmp.h - the output file of a rewrite. It is written as OUT.tmp.XXXXXX
 * next to OUT and renamed over OUT at the end, so OUT is never half
 * written. The temporary is removed on failure, and also when a signal
 * (INT, TERM, HUP, QUIT) ends olayout midway: a handler unlinks it and
 * re-raises the signal. One temporary at a time.
 */
#ifndef OL_TMP_H
#define OL_TMP_H

#include <stddef.h>

#include "ol_err.h"

/* ol_tmp_open: create the temporary for out (its name into tmp, len bytes);
 * returns its fd or a negative code. */
int ol_tmp_open(const char *out, char *tmp, size_t len, struct ol_err *err);

/* ol_tmp_commit: rename tmp to out (on failure tmp is removed). */
int ol_tmp_commit(const char *tmp, const char *out, struct ol_err *err);

/* ol_tmp_discard: remove tmp. */
void ol_tmp_discard(const char *tmp);

#endif
