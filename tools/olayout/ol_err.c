/* ol_err.c - error messages (see ol_err.h). */
#include "ol_err.h"

#include <stdarg.h>
#include <stdio.h>

int ol_fail(struct ol_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err->msg[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
	}
	return code;
}

void ol_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("olayout: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
