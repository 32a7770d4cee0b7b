/*
 * ol_err.h - the error convention of olayout: functions return 0 or a
 * negative errno-style code, and the first failure's message (one line,
 * naming the input) is kept in a struct ol_err that the caller prints.
 */
#ifndef OL_ERR_H
#define OL_ERR_H

#include <errno.h>

struct ol_err {
	char msg[512];
};

/* ol_fail: record the message (if none is recorded yet) and return code. */
int ol_fail(struct ol_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ol_warn: print "olayout: warning: ..." on stderr. */
void ol_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
